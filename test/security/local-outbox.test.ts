import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerificationRequest } from '../../app/core/verification/contract.ts';
import { buildVerificationRequest, type VerificationSubject } from '../../app/core/verification/subject.ts';
import { startKioskHost } from '../../app/host/kiosk-host.ts';
import { PrintJobs } from '../../app/platform/printer/print-jobs.ts';
import { RarOutbox } from '../../app/platform/rar/outbox.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { outboxSubject } from './local-support.ts';

/**
 * Requests queued for the central service hold the ID number, DG13 and the chip portrait. On disk
 * they are sealed with a key kept outside the database: the SQLite files (database and WAL) never
 * contain them in clear, a copy without the key reads nothing, and the retention job deletes what
 * no verdict came for in time. Print images go with retention too, not only with the next print.
 */

/** Every byte of the database's files (main, -wal, -shm) in `dir`. */
function databaseBytes(dir: string): Buffer {
  return Buffer.concat(readdirSync(dir).filter((f) => f.startsWith('kiosk.db')).map((f) => readFileSync(join(dir, f))));
}

/** The personal data of a request, as it would appear in a file if stored in clear. */
function cleartexts(s: VerificationSubject, r: VerificationRequest): [string, Buffer][] {
  const portrait = Buffer.from(s.portrait!.bytes);
  return [
    ['ID number', Buffer.from(s.idNumber)],
    ['full name', Buffer.from(s.dg13.fullName, 'utf8')],
    ['portrait (base64)', Buffer.from(portrait.toString('base64').slice(8, 72))],
    ['portrait (bytes)', portrait.subarray(20, 80)],
    ['request JSON', Buffer.from(JSON.stringify(r).slice(0, 40))],
  ];
}

const request = (s: VerificationSubject) => buildVerificationRequest(s, { terminalId: 'SEC-0001', variant: 'bio', evidence: 'bytes' });

describe('queued central-service requests at rest', () => {
  const dir = tempDir('sec-outbox');
  afterAll(() => dir.cleanup());

  it('are not in the SQLite files in clear, open with the key, and stay shut without it', async () => {
    const subject = await outboxSubject();
    const r1 = request(subject);
    const r2 = request(subject);
    const open = () => {
      const db = openDatabase(join(dir.path, 'kiosk.db'));
      return { db, outbox: new RarOutbox(db, new AuditLog(db)) };
    };

    const a = open();
    expect(a.outbox.enqueue(r1, 'RAR_CONNECT_FAILED')).toBe(true);
    expect(a.outbox.enqueue(r2, 'RAR_CONNECT_FAILED')).toBe(true);
    for (const [what, bytes] of cleartexts(subject, r1)) expect(databaseBytes(dir.path).includes(bytes), `${what} while open`).toBe(false);
    a.db.close();
    for (const [what, bytes] of cleartexts(subject, r1)) expect(databaseBytes(dir.path).includes(bytes), `${what} after close`).toBe(false);

    // With the key: the exact requests come back for delivery.
    const b = open();
    expect(b.outbox.claimDue(10, 0).map((q) => q.request).sort((x, y) => x.requestId.localeCompare(y.requestId))).toEqual(
      [r1, r2].sort((x, y) => x.requestId.localeCompare(y.requestId)),
    );
    b.db.close();

    // A copy of the data without its key (here: another key in its place) reads nothing and sends nothing.
    const keyFile = join(dir.path, 'store.key');
    const key = readFileSync(keyFile);
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`);
    const c = open();
    expect(c.outbox.claimDue(10, 0)).toEqual([]);
    expect(c.outbox.get(r1.requestId)).toMatchObject({ state: 'queued', lastError: 'STORE_UNSEAL_FAILED', hasRequestBody: true });
    expect(new AuditLog(c.db).recent(10).filter((x) => x.action === 'rar.unreadable')).toHaveLength(2);
    c.db.close();

    // The right key back: one body moved onto the other row still does not open (the request id is bound in).
    writeFileSync(keyFile, key);
    const d = open();
    d.db.prepare('UPDATE rar_verifications SET request_body = (SELECT request_body FROM rar_verifications WHERE request_id = ?) WHERE request_id = ?').run(r1.requestId, r2.requestId);
    expect(d.outbox.claimDue(10, 0).map((q) => q.requestId)).toEqual([r1.requestId]);
    d.db.close();
  });
});

describe('the retention job', () => {
  const dir = tempDir('sec-retention');
  afterAll(() => dir.cleanup());

  it('deletes requests queued longer than personalDataDays and print images older than keepJobsHours', async () => {
    // No central service in this profile, so nothing delivers the old request before the purge: what
    // removes it is retention alone. The demo keeps personal data 1 day and print images 24 hours.
    const profile = tempProfile('demo', dir.path, (p) => delete p.verification);
    const dataDir = join(dir.path, 'data');
    const subject = await outboxSubject();
    const old = request(subject);
    const recent = request(subject);
    const ago = (hours: number) => () => new Date(Date.now() - hours * 3_600_000);

    const first = await startKioskHost({ profile: profile.file, port: 0, log: () => undefined });
    new RarOutbox(first.db, first.audit, ago(49)).enqueue(old, 'RAR_CONNECT_FAILED');
    new RarOutbox(first.db, first.audit, ago(1)).enqueue(recent, 'RAR_CONNECT_FAILED');
    const oldJobs = new PrintJobs(first.db, ago(30));
    const oldImage = Buffer.from('old receipt image with a name on it; '.repeat(60));
    const oldJob = oldJobs.add({ kind: 'ticket', rows: 1, cuts: [], png: oldImage });
    oldJobs.move(oldJob, 'queued', 'done');
    const newJobs = new PrintJobs(first.db, ago(2));
    const newJob = newJobs.add({ kind: 'ticket', rows: 1, cuts: [], png: Buffer.from('new receipt image') });
    newJobs.move(newJob, 'queued', 'done');
    await first.close();

    const again = await startKioskHost({ profile: profile.file, port: 0, log: () => undefined });
    const outbox = new RarOutbox(again.db, again.audit);
    expect(outbox.get(old.requestId)).toBeUndefined();
    expect(outbox.get(recent.requestId)).toMatchObject({ state: 'queued', hasRequestBody: true });
    const purged = again.audit.recent(50).filter((r) => r.action === 'rar.purged');
    expect(purged.map((r) => JSON.parse(String(r.detail)))).toEqual([{ requestId: old.requestId }]);
    const jobs = new PrintJobs(again.db, () => new Date());
    expect(jobs.png(oldJob)).toBeUndefined();
    expect(jobs.png(newJob)?.toString()).toBe('new receipt image');
    expect(again.audit.recent(50).find((r) => r.action === 'print.images-purged')?.detail).toBe(JSON.stringify({ jobs: 1 }));
    await again.close();
    // Nor is any copy of it left in the database's files.
    expect(databaseBytes(dataDir).includes(Buffer.from('old receipt image with a name'))).toBe(false);
  });
});
