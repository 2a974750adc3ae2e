import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registrationSummarySchema } from '../../app/sites/hospital/common/schemas.ts';
import { HospitalError } from '../../app/sites/hospital/common/types.ts';
import type { NewVisitRecord } from '../../app/sites/hospital/common/visit-record.ts';
import { startRetentionJob } from '../../app/sites/hospital/node/retention-job.ts';
import { VisitStore } from '../../app/sites/hospital/node/visit-store.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';

// Real better-sqlite3 on a file in a temporary folder, with the kiosk's migrations (040 included).

const NAME = 'Nguyễn Văn Hoàng';

function visit(id: string, registeredAt: string, extra: Partial<NewVisitRecord> = {}): NewVisitRecord {
  return {
    visitId: id,
    registeredAt,
    examinationType: 'insurance',
    departmentName: 'Khoa Khám bệnh',
    clinicId: 'p101',
    room: 'P.101 – Tầng 1',
    queueNumber: 7,
    insuranceCode: '000',
    verification: { pa: 'pass', clone: 'pass', faceScore: 0.83, central: 'confirmed' },
    paymentStatus: 'not-required',
    feeVnd: 0,
    personal: { fullName: NAME, patientId: `pat-${id}` },
    ...extra,
  };
}

describe('visit store', () => {
  let dir: string;
  let db: Db;
  let audit: AuditLog;
  let now: Date;
  let store: VisitStore;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'visits-'));
    db = openDatabase(join(dir, 'kiosk.sqlite'));
    now = new Date('2026-11-24T02:00:00Z'); // 09:00 in Hồ Chí Minh City
    audit = new AuditLog(db, () => now);
    store = new VisitStore(db, audit, { timeZone: 'Asia/Ho_Chi_Minh', clock: () => now });
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists today\'s registrations (the hospital\'s day) with name initials only', () => {
    store.record(visit('e1', '2026-11-23T17:30:00Z')); // 00:30 on the 24th in Vietnam: today
    store.record(visit('e2', '2026-11-23T16:30:00Z')); // 23:30 on the 23rd: yesterday
    store.record(visit('e3', '2026-11-24T01:00:00+00:00', { examinationType: 'service', paymentStatus: 'unpaid', feeVnd: 150000 }));
    const today = store.todaysRegistrations();
    expect(today.map((r) => r.visitId)).toEqual(['e3', 'e1']);
    expect(today[0]).toEqual({
      visitId: 'e3', registeredAt: '2026-11-24T01:00:00.000Z', initials: 'N.V.H.', examinationType: 'service',
      departmentName: 'Khoa Khám bệnh', room: 'P.101 – Tầng 1', queueNumber: 7, centralVerdict: 'confirmed',
      pendingVerification: false, paymentStatus: 'unpaid', sameDayVisits: 1,
    });
    expect(registrationSummarySchema.array().parse(today)).toEqual(today);
    expect(JSON.stringify(today)).not.toContain('Hoàng');
    expect(JSON.stringify(today)).not.toContain('pat-');
  });

  it('counts each patient\'s visits of the day, so staff see the same patient registered several times', () => {
    store.record(visit('a1', now.toISOString()));
    store.record(visit('b1', now.toISOString(), { personal: { fullName: 'Vũ Thị Lan', patientId: 'pat-other' } }));
    store.record(visit('a2', new Date(now.getTime() + 60_000).toISOString(), { personal: { fullName: 'Nguyễn Văn Hoàng', patientId: 'pat-a1' } }));
    const byVisit = Object.fromEntries(store.todaysRegistrations().map((r) => [r.visitId, r.sameDayVisits]));
    expect(byVisit).toEqual({ a1: 2, a2: 2, b1: 1 });
    // Yesterday's visit of the same patient does not count toward today.
    store.record(visit('a0', new Date(now.getTime() - 86_400_000).toISOString(), { personal: { fullName: 'Nguyễn Văn Hoàng', patientId: 'pat-a1' } }));
    expect(store.todaysRegistrations().find((r) => r.visitId === 'a1')!.sameDayVisits).toBe(2);
  });

  it('flags a visit registered while the central service was unreachable, and staff can settle it', () => {
    store.record(visit('e1', now.toISOString(), { verification: { pa: 'pass', clone: 'unsupported', faceScore: 0.71, central: 'unreachable' } }));
    expect(store.todaysRegistrations()[0]).toMatchObject({ pendingVerification: true, centralVerdict: 'unreachable' });
    store.resolvePendingVerification('e1', 'confirmed', 'admin');
    expect(store.todaysRegistrations()[0]).toMatchObject({ pendingVerification: false, centralVerdict: 'confirmed' });
    expect(() => store.resolvePendingVerification('e1', 'confirmed', 'admin')).toThrow(HospitalError);
  });

  it('writes the visit and its audit row together, with no personal data in the audit', () => {
    store.record(visit('e1', now.toISOString()));
    const [row] = audit.recent(1);
    expect(row!.action).toBe('hospital.visit.registered');
    expect(JSON.parse(row!.detail)).toEqual({
      visitId: 'e1', examinationType: 'insurance', insuranceCode: '000', pa: 'pass', clone: 'pass', central: 'confirmed', pendingVerification: false,
    });
    expect(row!.detail).not.toMatch(/Nguy|Hoàng|pat-e1/);
    // A duplicate is refused whole: no second row, no second audit entry.
    const rows = audit.verify().rows;
    expect(() => store.record(visit('e1', now.toISOString()))).toThrow(expect.objectContaining({ code: 'VISIT_DUPLICATE' }));
    expect(audit.verify()).toEqual({ ok: true, rows });
  });

  it('refuses malformed records without writing anything', () => {
    const bad: Partial<NewVisitRecord>[] = [
      { verification: { pa: 'pass', clone: 'pass', faceScore: 1.5, central: 'confirmed' } },
      { queueNumber: 0 },
      { registeredAt: 'yesterday' },
      { feeVnd: -1 },
      { personal: { fullName: ' ', patientId: 'p' } },
    ];
    for (const b of bad) {
      expect(() => store.record(visit('x', now.toISOString(), b))).toThrow(expect.objectContaining({ code: 'HOSPITAL_INVALID_INPUT' }));
    }
    expect(db.prepare('SELECT count(*) AS n FROM hospital_visits').get()).toEqual({ n: 0 });
    expect(audit.verify()).toEqual({ ok: true, rows: 0 });
  });

  it('marks a service visit paid once, and audits it', () => {
    store.record(visit('e1', now.toISOString(), { examinationType: 'service', paymentStatus: 'unpaid', feeVnd: 150000 }));
    expect(store.markPaid('e1')).toBe(true);
    expect(store.markPaid('e1')).toBe(false);
    expect(store.todaysRegistrations()[0]!.paymentStatus).toBe('paid');
    expect(audit.recent(1)[0]).toMatchObject({ action: 'hospital.visit.paid', detail: JSON.stringify({ visitId: 'e1' }) });
    expect(() => store.markPaid('nope')).toThrow(expect.objectContaining({ code: 'VISIT_NOT_FOUND' }));
  });

  it('purges personal data after the retention period, audits the count, and leaves no trace in the file', () => {
    const day = 86_400_000;
    store.record(visit('old', new Date(now.getTime() - 31 * day).toISOString()));
    store.record(visit('recent', new Date(now.getTime() - 29 * day).toISOString(), { personal: { fullName: 'Vũ Thị Lan', patientId: 'pat-recent' } }));
    expect(store.purgeExpired(30)).toBe(1);
    const rows = db.prepare('SELECT visit_id, full_name, patient_id, purged_at, queue_number FROM hospital_visits ORDER BY visit_id').all();
    expect(rows).toEqual([
      { visit_id: 'old', full_name: null, patient_id: null, purged_at: now.toISOString(), queue_number: 7 },
      { visit_id: 'recent', full_name: 'Vũ Thị Lan', patient_id: 'pat-recent', purged_at: null, queue_number: 7 },
    ]);
    expect(audit.recent(1)[0]).toMatchObject({ action: 'hospital.visits.purged', actor: 'retention-job', detail: JSON.stringify({ count: 1, retentionDays: 30 }) });
    // Nothing left to purge: no new audit row.
    const auditRows = audit.verify().rows;
    expect(store.purgeExpired(30)).toBe(0);
    expect(audit.verify()).toEqual({ ok: true, rows: auditRows });
    // The purged name is gone from the database file and its write-ahead log, not just hidden.
    const bytes = Buffer.concat([readFileSync(join(dir, 'kiosk.sqlite')), readFileSync(join(dir, 'kiosk.sqlite-wal'))]);
    expect(bytes.includes(Buffer.from(NAME, 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from('Vũ Thị Lan', 'utf8'))).toBe(true);
  });

  it('retention 0 purges everything before now; the job runs at start', async () => {
    store.record(visit('e1', new Date(now.getTime() - 1000).toISOString()));
    const job = startRetentionJob(store, 0, { intervalMs: 60_000 });
    job.stop();
    expect(store.todaysRegistrations()[0]!.initials).toBeNull();
    expect(await job.runOnce()).toBe(0);
  });

  it('the job purges the site’s visit events with the same period after the kiosk’s own, which never wait for the site', async () => {
    store.record(visit('e1', new Date(now.getTime() - 40 * 86_400_000).toISOString()));
    const asked: number[] = [];
    const errors: unknown[] = [];
    let siteAnswers = true;
    const siteEvents = async (days: number) => {
      asked.push(days);
      if (!siteAnswers) throw new Error('the hub is away');
      return 3;
    };
    const job = startRetentionJob(store, 30, { intervalMs: 60_000, siteEvents, onError: (e) => errors.push(e) });
    job.stop();
    const name = (id: string) => db.prepare('SELECT full_name FROM hospital_visits WHERE visit_id = ?').get(id);
    expect(name('e1')).toEqual({ full_name: null }); // purged at start, before the site answered
    expect(await job.runOnce()).toBe(3); // nothing of its own left; three events of the site
    // The hub away: the kiosk's own purge is done all the same, the failure goes to onError.
    siteAnswers = false;
    store.record(visit('e2', new Date(now.getTime() - 40 * 86_400_000).toISOString()));
    startRetentionJob(store, 30, { intervalMs: 60_000, siteEvents, onError: (e) => errors.push(e) }).stop();
    expect(name('e2')).toEqual({ full_name: null });
    await vi.waitFor(() => expect(errors).toHaveLength(1));
    expect(asked).toEqual([30, 30, 30]);
  });
});
