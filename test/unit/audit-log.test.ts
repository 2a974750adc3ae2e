import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuditLog, GENESIS_HASH, rowHash } from '../../app/platform/store/audit-log.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('hash-chained audit log', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let db: Db;
  let audit: AuditLog;

  beforeEach(() => {
    dir = tempDir('audit');
    file = join(dir.path, 'kiosk.db');
    db = openDatabase(file);
    audit = new AuditLog(db);
    for (let i = 0; i < 10; i += 1) audit.append({ actor: 'kiosk', action: 'test.event', detail: { i } });
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  it('chains each row to the one before it', () => {
    const rows = audit.recent(100).reverse();
    expect(rows[0]!.prev_hash).toBe(GENESIS_HASH);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
    expect(audit.verify()).toEqual({ ok: true, rows: 10 });
  });

  it('refuses updates through SQL', () => {
    expect(() => db.prepare("UPDATE audit_log SET action = 'x' WHERE id = 3").run()).toThrow(/append-only/);
  });

  it('finds an edited row even when the trigger is bypassed', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET detail = '{\"i\":99}' WHERE id = 4").run();
    expect(audit.verify()).toMatchObject({ ok: false, firstBrokenId: 4, reason: expect.stringMatching(/content/) });
  });

  it('finds a re-hashed edit by the broken link of the next row', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    // A careful forger recomputes row 6's own hash; row 7 still points at the old one.
    const row = db.prepare('SELECT * FROM audit_log WHERE id = 6').get() as { id: number; at: string; actor: string; action: string; detail: string; prev_hash: string };
    const forged = { ...row, action: 'forged' };
    db.prepare('UPDATE audit_log SET action = ?, hash = ? WHERE id = 6').run('forged', rowHash(row.prev_hash, forged));
    expect(audit.verify()).toMatchObject({ ok: false, firstBrokenId: 7, reason: expect.stringMatching(/link/) });
  });

  it('finds a deleted row', () => {
    db.prepare('DELETE FROM audit_log WHERE id = 5').run();
    expect(audit.verify()).toMatchObject({ ok: false, firstBrokenId: 5, reason: 'row 5 is missing' });
  });

  it('purges rows past the retention period and still proves the rest', () => {
    const day = 86_400_000;
    const later = new Date(Date.now() + 60 * day);
    const clocked = new AuditLog(db, () => later);
    clocked.append({ actor: 'kiosk', action: 'later.event' });
    expect(clocked.purgeBefore(new Date(Date.now() + 30 * day))).toBe(10);
    expect(clocked.verify()).toEqual({ ok: true, rows: 2 });
    expect(clocked.recent(1)[0]!.action).toBe('audit.purged');
    // The anchor does not cover up tampering with what remains.
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'x' WHERE id = 11").run();
    expect(clocked.verify()).toMatchObject({ ok: false, firstBrokenId: 11 });
  });

  it('`cccd-kiosk audit verify` reports the first broken row with exit 1', () => {
    db.exec('DROP TRIGGER audit_log_no_update');
    db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE id = 8").run();
    const run = spawnSync(process.execPath, ['app/cli/bin.mjs', 'audit', 'verify', '--db', file], { encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/BROKEN at row 8/);
  });
});
