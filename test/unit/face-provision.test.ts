import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { missingModels, modelsDir, provision, readManifest, RegistryUnavailable } from '../../app/platform/models/provision.ts';
import { extractTarGz } from '../../app/platform/models/tarball.ts';

/** A minimal ustar archive, as npm pack writes them. */
function tar(entries: [string, string][]): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, body] of entries) {
    const h = Buffer.alloc(512);
    h.write(name, 0, 'latin1');
    h.write(Buffer.byteLength(body).toString(8).padStart(11, '0'), 124, 'latin1');
    h.write('0', 156, 'latin1');
    h.write('ustar\u000000', 257, 'latin1');
    blocks.push(h, Buffer.from(body), Buffer.alloc((512 - (Buffer.byteLength(body) % 512)) % 512));
  }
  return gzipSync(Buffer.concat([...blocks, Buffer.alloc(1024)]));
}

describe('model provisioning', () => {
  it('extracts only the wanted files from an npm tarball', () => {
    const files = extractTarGz(tar([['package/package.json', '{}'], ['package/model/a.onnx', 'AAAA'], ['package/model/b.onnx', 'B']]), new Set(['package/model/a.onnx']));
    expect([...files.keys()]).toEqual(['package/model/a.onnx']);
    expect(files.get('package/model/a.onnx')!.toString()).toBe('AAAA');
  });

  it('rejects a truncated tarball with a typed error', () => {
    const t = tar([['package/model/a.onnx', 'x'.repeat(2000)]]);
    const raw = gunzipSync(t).subarray(0, 1024);
    expect(() => extractTarGz(gzipSync(raw), new Set())).toThrow(expect.objectContaining({ code: 'MODEL_TARBALL_CORRUPT' }));
  });

  it('counts a missing or altered model file as missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    copyFileSync(join(modelsDir, 'manifest.json'), join(dir, 'manifest.json'));
    writeFileSync(join(dir, 'rfb320-detector.onnx'), 'not the model');
    const missing = missingModels(readManifest(dir), dir);
    expect(missing).toContain('rfb320-detector.onnx');
    expect(missing).toHaveLength(Object.keys(readManifest(dir).models).length);
  });

  it('offline: fails with RegistryUnavailable (postinstall turns that into a warning and exit 0)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'models-'));
    copyFileSync(join(modelsDir, 'manifest.json'), join(dir, 'manifest.json'));
    const saved = { ...process.env };
    Object.assign(process.env, { npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0', npm_config_fetch_timeout: '2000', npm_config_cache: join(dir, 'empty-cache'), npm_config_offline: 'false', npm_config_prefer_offline: 'false' });
    try {
      await expect(provision(dir)).rejects.toBeInstanceOf(RegistryUnavailable);
      const run = spawnSync(process.execPath, [join(modelsDir, 'provision.mjs'), '--dir', dir], { encoding: 'utf8', env: process.env });
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('face models are NOT installed');
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  }, 60_000);
});
