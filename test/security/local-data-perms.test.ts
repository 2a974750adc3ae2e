import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildVerificationRequest } from '../../app/core/verification/subject.ts';
import { startKioskHost } from '../../app/host/kiosk-host.ts';
import { RarOutbox } from '../../app/platform/rar/outbox.ts';
import { exposedPaths } from '../../app/platform/store/private-files.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { cli, outboxSubject } from './local-support.ts';

/**
 * The data folder holds personal data: a fresh one is 0700 with 0600 files whatever the umask, and
 * when someone opens it up (0755 folder, 0644 database) both start-up and `doctor` say so.
 */

const mode = (p: string) => statSync(p).mode & 0o777;

function doctorData(profileFile: string): { verdict: string; detail: string } {
  const run = spawnSync(process.execPath, ['app/cli/bin.mjs', 'doctor', '--profile', profileFile, '--json'], { encoding: 'utf8', timeout: 90_000 });
  return (JSON.parse(run.stdout) as { checks: { name: string; verdict: string; detail: string }[] }).checks.find((c) => c.name === 'data')!;
}

describe('kiosk data folder permissions', () => {
  const dir = tempDir('sec-data');
  afterAll(() => dir.cleanup());

  it('a fresh data folder is 0700 and its files 0600 even under a lax umask (022)', async () => {
    const dataDir = join(dir.path, 'fresh', 'data');
    const old = process.umask(0o022);
    const logged: string[] = [];
    try {
      const host = await startKioskHost({ profile: 'demo', port: 0, dataDir, log: (l) => logged.push(l) });
      // Something sealed, so the store key exists too.
      new RarOutbox(host.db, host.audit).enqueue(buildVerificationRequest(await outboxSubject(), { terminalId: 'T', variant: 'bio', evidence: 'bytes' }), 'TEST');
      await host.close();
    } finally {
      process.umask(old);
    }
    expect(mode(join(dir.path, 'fresh'))).toBe(0o700);
    expect(mode(dataDir)).toBe(0o700);
    for (const f of ['kiosk.db', 'store.key']) expect(mode(join(dataDir, f)), f).toBe(0o600);
    for (const f of ['kiosk.db-wal', 'kiosk.db-shm']) if (existsSync(join(dataDir, f))) expect(mode(join(dataDir, f)), f).toBe(0o600);
    expect(logged.filter((l) => l.startsWith('warning'))).toEqual([]);
  });

  it('start-up and doctor warn when the folder is 0755 or the database 0644, and doctor is content once it is private again', async () => {
    const profile = tempProfile('demo', dir.path);
    const dataDir = join(dir.path, 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const first = await startKioskHost({ profile: profile.file, port: 0, log: () => undefined });
    await first.close();
    chmodSync(join(dataDir, 'kiosk.db'), 0o644);
    chmodSync(dataDir, 0o755);

    const logged: string[] = [];
    const again = await startKioskHost({ profile: profile.file, port: 0, log: (l) => logged.push(l) });
    await again.close();
    const warning = logged.find((l) => l.startsWith('warning'));
    expect(warning).toContain(`the data folder ${dataDir} is readable by other users`);
    expect(warning).toContain('the folder itself (0755)');
    expect(warning).toContain('kiosk.db (0644)');

    const doctor = doctorData(profile.file);
    expect(doctor.verdict).toBe('warn');
    expect(doctor.detail).toContain('kiosk.db (0644)');

    for (const p of exposedPaths(dataDir)) chmodSync(join(dataDir, p.path), statSync(join(dataDir, p.path)).isDirectory() ? 0o700 : 0o600);
    expect(doctorData(profile.file)).toMatchObject({ verdict: 'ok', detail: expect.stringContaining('is private to the kiosk user') });
  }, 90_000); // two kiosk start-ups (face models load each time): slow on a busy 2-core machine

  it('`cccd-kiosk start` keeps everything it writes private (umask 0077), simulators included', async () => {
    const own = tempDir('sec-data-cli');
    const profile = tempProfile('demo', own.path);
    const run = cli(['start', '--shell=none', '--profile', profile.file, '--port', '0']);
    try {
      await run.line(/host on http/);
      expect(existsSync(join(own.path, 'data', 'kiosk.db'))).toBe(true);
      expect(exposedPaths(join(own.path, 'data'))).toEqual([]);
      expect(exposedPaths(join(own.path, 'rar-server'))).toEqual([]);
    } finally {
      await run.stop();
      own.cleanup();
    }
  });
});
