import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';

// `cccd-kiosk his-sim` as a person runs it: a child process, free ports, stopped with Ctrl-C (SIGINT).

describe('cccd-kiosk his-sim', () => {
  it('serves FHIR and the BHXH gateway until interrupted, then exits 0', async () => {
    const child = spawn(process.execPath, ['app/cli/bin.mjs', 'his-sim', '--port', '0', '--bhxh-port', '0', '--db', ':memory:'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const deadline = Date.now() + 45_000;
      while (!/BHXH gateway at/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const fhir = out.match(/FHIR R4 server at (http:\/\/127\.0\.0\.1:\d+\/fhir)/)?.[1];
      const gateway = out.match(/BHXH gateway at (http:\/\/127\.0\.0\.1:\d+)/)?.[1];
      expect(fhir, out).toBeDefined();
      expect(gateway, out).toBeDefined();
      const meta = (await (await fetch(`${fhir}/metadata`)).json()) as { resourceType: string; fhirVersion: string };
      expect(meta).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
      const token = (await (await fetch(`${gateway}/api/token/take`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'x', password: 'y' }) })).json()) as { maKetQua: string };
      expect(token.maKetQua).toBe('401');
    } finally {
      child.kill('SIGINT');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  }, 60_000);

  it('rejects a bad option with the usage and exit code 64', async () => {
    const child = spawn(process.execPath, ['app/cli/bin.mjs', 'his-sim', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(64);
    expect(err).toContain('--port must be a port number');
  }, 60_000);
});
