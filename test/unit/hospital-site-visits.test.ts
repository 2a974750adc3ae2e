/**
 * The hospital on the site store, one kiosk's side: queue numbers from the site's counter (and a
 * typed code when the site does not answer), and the day's visits told to the site as pseudonymous
 * events, folded back into the staff's list with the kiosk's own rows.
 */
import { describe, expect, it } from 'vitest';
import { SiteStoreError } from '../../app/core/site-store/errors.ts';
import type { SiteStore } from '../../app/core/site-store/site-store.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import type { RegistrationSummary, VisitChange } from '../../app/sites/hospital/common/visit-record.ts';
import { queueCounter, siteQueueNumbers } from '../../app/sites/hospital/node/queue-numbers.ts';
import { SiteVisits, VISIT_EVENT } from '../../app/sites/hospital/node/site-visits.ts';
import { eventually } from '../contract/site-store.contract.ts';

const TZ = 'Asia/Ho_Chi_Minh';
const store = () => new SqliteSiteStore(openDatabase(':memory:'));

describe('queue numbers from the site store', () => {
  it('counts per clinic and hospital day, a new day from 1', async () => {
    const site = store();
    let now = new Date('2026-03-15T16:59:00Z'); // 23:59 in Hanoi
    const draw = siteQueueNumbers(site, TZ, () => now);
    expect([await draw('p101'), await draw('p101'), await draw('p207')]).toEqual([1, 2, 1]);
    now = new Date('2026-03-15T17:00:00Z'); // midnight there: a new day
    expect(await draw('p101')).toBe(1);
    // A clinic id too long for a counter name still has a counter of its own.
    const long = 'x'.repeat(64);
    expect(queueCounter(long).length).toBeLessThanOrEqual(64);
    expect(queueCounter(long)).not.toBe(queueCounter(`${'x'.repeat(63)}y`));
    expect([await draw(long), await draw(long)]).toEqual([1, 2]);
  });

  it('says QUEUE_NUMBER_UNAVAILABLE when the site does not answer, and passes other faults on', async () => {
    const offline = { nextNumber: () => Promise.reject(new SiteStoreError('SITE_STORE_UNAVAILABLE', 'no hub')) } as unknown as SiteStore;
    await expect(siteQueueNumbers(offline, TZ)('p101')).rejects.toMatchObject({ code: 'QUEUE_NUMBER_UNAVAILABLE' });
    const closed = store();
    await closed.close();
    await expect(siteQueueNumbers(closed, TZ)('p101')).rejects.toMatchObject({ code: 'SITE_STORE_CLOSED' });
  });
});

describe('the day’s visits of the site', () => {
  const now = new Date('2026-03-15T03:00:00Z');
  const visit = (visitId: string, queueNumber: number, registeredAt = now.toISOString()) => ({
    visitId, registeredAt, examinationType: 'service' as const, departmentName: 'Khoa Mắt', room: 'P.207', queueNumber,
    centralVerdict: 'unreachable' as const, pendingVerification: true, paymentStatus: 'unpaid' as const,
  });
  const registered = (visitId: string, n: number, patientId: string, at?: string): VisitChange => ({ change: 'registered', patientId, visit: visit(visitId, n, at) });
  const own = (visitId: string, n: number, sameDayVisits = 1): RegistrationSummary => ({ ...visit(visitId, n), initials: 'N.V.A.', sameDayVisits });
  const kiosk = (site: SiteStore, terminalId: string, siteKey?: Buffer) =>
    new SiteVisits(site, { terminalId, timeZone: TZ, clock: () => now, log: () => undefined, ...(siteKey ? { siteKey } : {}) });
  const settled = async (v: SiteVisits, site: SiteStore, events: number) => {
    await eventually(async () => (await site.events({ kind: VISIT_EVENT })).length === events);
    await v.refresh();
  };

  it('lists the other kiosks’ visits with their latest state, counts a patient over the site, and names no one', async () => {
    const site = store();
    const key = Buffer.alloc(32, 1);
    const [a, b] = [kiosk(site, 'K-A', key), kiosk(site, 'K-B', key)];
    a.publish(registered('V1', 1, 'PAT-1'));
    b.publish(registered('V2', 2, 'PAT-1'));
    b.publish(registered('V3', 3, 'PAT-2'));
    b.publish(registered('V4', 4, 'PAT-3'));
    b.publish({ change: 'paid', visitId: 'V2' });
    b.publish({ change: 'verified', visitId: 'V2', centralVerdict: 'confirmed' });
    b.publish({ change: 'released', visitId: 'V4' });
    // Yesterday's visit of the same patient is another day: not on today's list, not counted.
    b.publish(registered('V0', 9, 'PAT-1', '2026-03-14T03:00:00Z'));
    await settled(a, site, 8);
    const list = a.today([own('V1', 1)]);
    expect(list.map((r) => [r.visitId, r.initials, r.sameDayVisits])).toEqual([['V1', 'N.V.A.', 2], ['V2', null, 2], ['V3', null, 1]]);
    expect(list.find((r) => r.visitId === 'V2')).toMatchObject({ paymentStatus: 'paid', centralVerdict: 'confirmed', pendingVerification: false });
    const events = await site.events({ kind: VISIT_EVENT });
    expect(JSON.stringify(events)).not.toContain('PAT-');
    // The pseudonym is the patient's for the day only: yesterday's differs from today's.
    const subjects = (id: string) => events.filter((e) => (e.data as { visit?: { visitId: string } }).visit?.visitId === id).map((e) => e.subject);
    expect(subjects('V1')).toEqual(subjects('V2'));
    expect(subjects('V0')).not.toEqual(subjects('V1'));
  });

  it('reads the site again when staff look and the last read is a few seconds old, not before', async () => {
    const site = store();
    let at = now;
    const clocked = (terminalId: string) => new SiteVisits(site, { terminalId, timeZone: TZ, clock: () => at, log: () => undefined });
    const [a, b] = [clocked('K-A'), clocked('K-B')];
    await a.refresh();
    b.publish(registered('V7', 7, 'PAT-7'));
    await eventually(async () => (await site.events({ kind: VISIT_EVENT })).length === 1);
    expect(a.today([])).toEqual([]); // read a moment ago: the last read stands
    await new Promise((r) => setTimeout(r, 50));
    expect(a.today([])).toEqual([]);
    at = new Date(now.getTime() + 6000);
    a.today([]); // stale: read again in the background
    await eventually(() => a.today([]).length === 1);
    expect(a.today([])[0]).toMatchObject({ visitId: 'V7', initials: null });
  });

  it('without a site key sends no subject: repeats count per kiosk; a malformed event from elsewhere is skipped', async () => {
    const site = store();
    const a = kiosk(site, 'K-A');
    a.publish(registered('V1', 1, 'PAT-1'));
    await site.appendEvent({ key: 'K-X:1', kind: VISIT_EVENT, at: now.toISOString(), terminalId: 'K-X', data: { change: 'registered', visit: { visitId: 'V9' } } });
    await site.appendEvent({ key: 'K-X:2', kind: VISIT_EVENT, at: now.toISOString(), terminalId: 'K-X', data: 'junk' });
    await settled(a, site, 3);
    expect((await site.events({ kind: VISIT_EVENT })).every((e) => e.subject === undefined)).toBe(true);
    expect(a.today([own('V1', 1, 3)]).map((r) => [r.visitId, r.sameDayVisits])).toEqual([['V1', 3]]);
  });

  it('forgets the site’s visit events past the retention period, and no other kind’s', async () => {
    const site = store();
    const a = kiosk(site, 'K-A', Buffer.alloc(32, 1));
    a.publish(registered('V-OLD', 1, 'PAT-1', '2026-02-01T03:00:00Z'));
    a.publish(registered('V-NEW', 2, 'PAT-1', '2026-03-01T03:00:00Z'));
    a.publish(registered('V-TODAY', 3, 'PAT-2'));
    await site.appendEvent({ key: 'K-A:gate', kind: 'gate-access', at: '2026-01-01T00:00:00Z', terminalId: 'K-A', data: {} });
    await settled(a, site, 3);
    expect(await a.purgePast(30)).toBe(1);
    expect((await site.events({ kind: VISIT_EVENT })).map((e) => (e.data as { visit: { visitId: string } }).visit.visitId)).toEqual(['V-TODAY', 'V-NEW']);
    expect(await site.events({ kind: 'gate-access' })).toHaveLength(1);
    // A period shorter than a day keeps a day all the same (the store's floor).
    expect(await a.purgePast(0)).toBe(1);
    expect(await site.events({ kind: VISIT_EVENT })).toHaveLength(1);
  });

  it('a site that does not answer leaves the kiosk’s own list', async () => {
    const offline = {
      appendEvent: () => Promise.reject(new SiteStoreError('SITE_STORE_UNAVAILABLE', 'no hub')),
      events: () => Promise.reject(new SiteStoreError('SITE_STORE_UNAVAILABLE', 'no hub')),
    } as unknown as SiteStore;
    const logged: string[] = [];
    const a = new SiteVisits(offline, { terminalId: 'K-A', timeZone: TZ, clock: () => now, log: (l) => logged.push(l) });
    a.publish(registered('V1', 1, 'PAT-1'));
    await expect(a.refresh()).rejects.toMatchObject({ code: 'SITE_STORE_UNAVAILABLE' });
    expect(a.today([own('V1', 1)])).toEqual([own('V1', 1)]);
    await eventually(() => logged.length > 0);
    expect(logged[0]).toContain('SITE_STORE_UNAVAILABLE');
  });
});
