import { spawn, spawnSync } from 'node:child_process';
import { cpSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';

/**
 * An install whose kiosk screens were never built (e.g. `npm ci --omit=dev` without a UI build):
 * the host runs, but `/api/status` and `doctor` must call it an error, not "all well".
 * The install is a copy of app/ beside this checkout's packages, profiles and models, with no dist/.
 */
describe('an install without the built UI', () => {
  const install = tempDir('no-ui');
  const repo = process.cwd();
  cpSync(join(repo, 'app'), join(install.path, 'app'), { recursive: true });
  for (const shared of ['node_modules', 'kiosk-config', 'models', 'package.json']) symlinkSync(resolve(repo, shared), join(install.path, shared));
  const { file: profile } = tempProfile('demo', install.path);
  afterAll(() => install.cleanup());

  it('doctor fails the ui check and exits 1', () => {
    const run = spawnSync(process.execPath, ['app/cli/bin.mjs', 'doctor', '--profile', profile, '--json'], { cwd: install.path, encoding: 'utf8', timeout: 60_000 });
    const { checks } = JSON.parse(run.stdout) as { checks: { name: string; verdict: string; detail: string }[] };
    expect(checks.find((c) => c.name === 'ui')).toEqual({ name: 'ui', verdict: 'fail', detail: expect.stringContaining('not built') });
    expect(run.status).toBe(1);
  }, 70_000);

  it('/api/status answers 503 with ui in error, and the page says why', async () => {
    const child = spawn(process.execPath, ['app/cli/bin.mjs', 'start', '--shell=none', '--profile', profile], {
      cwd: install.path, stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const url = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          const m = /host on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m) ok(m[1]!);
        });
        child.on('exit', (code) => fail(new Error(`start exited ${code}: ${out}`)));
      });
      const status = await fetch(`${url}api/status`);
      expect(status.status).toBe(503);
      const body = (await status.json()) as { profile: string; ui: { device: string; state: string; reason: string } };
      expect(body.profile).toBe('demo');
      expect(body.ui).toMatchObject({ device: 'ui', state: 'error', reason: expect.stringContaining('npm run build:ui') });
      const page = await fetch(url);
      expect(page.status).toBe(503);
      expect(await page.text()).toMatch(/not built/);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('close', r));
    }
  }, 70_000);
});
