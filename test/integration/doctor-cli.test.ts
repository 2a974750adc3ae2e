import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';

const doctor = (...args: string[]) => spawnSync(process.execPath, ['app/cli/bin.mjs', 'doctor', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('cccd-kiosk doctor', () => {
  it('gives every device of the demo profile a verdict, through the adapters the kiosk uses', () => {
    const run = doctor('--profile', 'demo', '--json');
    expect(run.status).toBe(0);
    const { checks } = JSON.parse(run.stdout) as { checks: { name: string; verdict: string; detail: string }[] };
    expect(checks.map((c) => c.name)).toEqual(['profile', 'data', 'cardReader', 'pc/sc', 'camera', 'face', 'printer', 'scanner', 'ui', 'window']);
    expect(checks.find((c) => c.name === 'cardReader')).toMatchObject({ verdict: 'ok', detail: 'virtual' });
    for (const c of checks) expect(['ok', 'warn', 'fail']).toContain(c.verdict);
  });

  it('fails on a broken profile and says why', () => {
    const dir = tempDir('doctor');
    const file = join(dir.path, 'broken.yaml');
    writeFileSync(file, 'site: { id: x }\n');
    const run = doctor('--profile', file);
    dir.cleanup();
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAIL\s+profile\s+.*broken\.yaml: /);
  });
});
