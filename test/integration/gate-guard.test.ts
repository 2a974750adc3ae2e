/**
 * The guard's station and the reports below the screen: a blocklist hit at the door keeps its
 * capture sealed and tells the webhook; the guard sees both photos and acknowledges with a note;
 * the history by person and door pages without gaps or repeats; attendance per person and day,
 * also as CSV; the day's logbook; statistics with the evacuation list and visitors' vehicles; and
 * the retention purge. Real SQLite site store, real door service, the relay and webhook simulator.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '../../app/core/api/kiosk-api.ts';
import type { SiteStore } from '../../app/core/site-store/site-store.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { gateConfig, type GateSettings } from '../../app/sites/gate/common/config.ts';
import { deriveSiteKeys } from '../../app/sites/gate/common/identity.ts';
import { localTime, startOfLocalDay } from '../../app/sites/gate/common/local-time.ts';
import { COLLECTIONS, EVENT_KINDS } from '../../app/sites/gate/common/records.ts';
import { GateDirectory } from '../../app/sites/gate/node/directory.ts';
import { doorService, type DoorService } from '../../app/sites/gate/node/door-service.ts';
import { relayDoor } from '../../app/sites/gate/node/doors.ts';
import { webhookNotifier } from '../../app/sites/gate/node/notifier.ts';
import { PeopleStore } from '../../app/sites/gate/node/people.ts';
import { attendanceReport } from '../../app/sites/gate/node/reports.ts';
import { GatePhotos, photoKey } from '../../app/sites/gate/node/photos.ts';
import { purgeExpired } from '../../app/sites/gate/node/retention.ts';
import { GateSeals } from '../../app/sites/gate/node/seals.ts';
import { guardActions } from '../../app/sites/gate/node/staff/guard.ts';
import { Visitors } from '../../app/sites/gate/node/visitors.ts';
import { BLOCKLIST_PHOTO_PATH, randomTemplate } from '../../app/sites/gate/sim/demo-factory.ts';
import { startDevicesSim, type DevicesSim } from '../../app/sites/gate/sim/devices-sim.ts';
import { PORTRAIT_JPEG_PATH } from '../../app/sim/personas/portraits.ts';

const DAY = 86_400_000;
// Today, in the site's zone (Asia/Ho_Chi_Minh), at 07:00 local: the visit log stamps real time, so the test lives in it.
const t0 = startOfLocalDay(localTime(new Date(), 'Asia/Ho_Chi_Minh').day, 'Asia/Ho_Chi_Minh').getTime() + 7 * 3_600_000;
let now = new Date(t0);
const clock = () => now;
const at = (hours: number) => (now = new Date(t0 + hours * 3_600_000));

const settings: GateSettings = gateConfig.parse({
  role: 'door', gateName: 'Cổng A', siteKey: { file: 'unused' }, door: 'gate-in', visitorDataDays: 30,
  areas: [{ id: 'site', name: 'Khuôn viên', antiPassback: 'hard' }],
  doors: [
    { id: 'gate-in', name: 'Cổng A vào', area: 'site', direction: 'in', controller: { adapter: 'sim' } },
    { id: 'gate-out', name: 'Cổng A ra', area: 'site', direction: 'out', controller: { adapter: 'sim' } },
  ],
});

let sim: DevicesSim;
let db: Db;
let store: SiteStore;
let directory: GateDirectory;
let people: PeopleStore;
let visitors: Visitors;
let photos: GatePhotos;
const keys = deriveSiteKeys(Buffer.alloc(32, 9));
const seals = new GateSeals(keys.seal);
const audit: { action: string; detail: Record<string, unknown> }[] = [];
const doors: Record<string, DoorService> = {};
let actions: ReturnType<typeof guardActions>;
const guard: Staff = { name: 'Bảo vệ ca sáng', role: 'guard' };
const run = (name: string, input: unknown) => actions[name]!.run(input, guard) as Promise<any>;

const next = (() => {
  let s = 11;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
})();
const blockedFace = randomTemplate(128, next);
const capture = new Uint8Array(readFileSync(PORTRAIT_JPEG_PATH));
const workers = [
  { holder: { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' }, employeeNo: 'NV1', department: 'Lắp ráp' },
  { holder: { idNumber: '079301000123', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '2001-02-28', sex: 'F' }, employeeNo: 'NV2', department: 'Kho' },
];
const keyOf: Record<string, string> = {};
const today = () => localTime(now, settings.timeZone).day;
const visitorHolder = { idNumber: '099047000456', fullName: 'Lê Văn Cường', dateOfBirth: '1980-01-01', sex: 'M' };

beforeAll(async () => {
  sim = await startDevicesSim({ webhookSecret: 'hook' });
  db = openDatabase(':memory:');
  store = new SqliteSiteStore(db, clock);
  directory = new GateDirectory(store, seals, 'clean');
  people = new PeopleStore(store, keys, seals);
  photos = new GatePhotos(store, seals);
  const notifier = webhookNotifier(`${sim.url}/hooks/host`, 'hook', 2000);
  visitors = new Visitors({ store, people, directory, notifier, settings, siteId: 'nha-may', passKey: keys.pass, terminalId: 'GATE-T', audit: () => undefined, log: () => undefined });
  directory.follow(60_000, () => undefined);
  await store.put(COLLECTIONS.group, 'all', { name: 'Tất cả', doors: ['gate-in', 'gate-out'] });
  await store.put(COLLECTIONS.group, 'visitors', { name: 'Khách', doors: ['gate-in', 'gate-out'] });
  for (const w of workers) keyOf[w.employeeNo] = (await people.enrol({ kind: 'worker', holder: w.holder, employeeNo: w.employeeNo, department: w.department, group: 'all' }, now)).key;
  await store.put(COLLECTIONS.blocklist, 'B-1', { name: 'Người bị hạn chế', reason: 'Đã bị cấm vào', addedBy: 'test', addedAt: now.toISOString() });
  await people.setFace('B-1', 'blocklist', { model: 'clean', chip: blockedFace }, now);
  await photos.put(photoKey.blocklist('B-1'), new Uint8Array(readFileSync(BLOCKLIST_PHOTO_PATH)), now);
  await directory.catchUp();
  for (const id of ['gate-in', 'gate-out']) {
    doors[id] = doorService({
      store, directory, settings, doorId: id, terminalId: 'GATE-T', clock, log: () => undefined,
      door: relayDoor({ adapter: 'relay', url: `${sim.url}/relay/${id}/pulse`, method: 'POST', timeoutMs: 1000 }, () => '', 'k'),
      audit: (action, detail) => void audit.push({ action, detail }),
      captures: { photos, days: 30 }, alarmNotice: (n) => notifier.notify(n), visitorLeft: (v) => visitors.checkOut(v),
    });
  }
  actions = guardActions({ settings, siteId: 'nha-may', terminalId: 'GUARD-T', store, directory, people, visitors, seals, photos, keys, clock, audit: (action, detail) => void audit.push({ action, detail }), embedPicture: async () => { throw new Error('the guard station takes no pictures'); } });
});
afterAll(async () => {
  await sim.close();
  db.close();
});

describe('a blocklist alarm', () => {
  let alarm: number;
  it('at the door: never matched, the capture kept sealed, the webhook told', async () => {
    at(0.5);
    expect(await doors['gate-in']!.screen(blockedFace, capture)).toBe(true);
    const [alert] = await store.openAlerts();
    expect(alert).toMatchObject({ code: 'BLOCKLISTED', detail: { entry: 'B-1', door: 'gate-in' } });
    alarm = alert!.id;
    expect(sim.notices.at(-1)).toMatchObject({ kind: 'blocklist-alarm', alert: alarm, entryName: 'Người bị hạn chế', door: 'Cổng A vào' });
    // Only sealed text in the store: neither the raw bytes nor their base64 appear.
    const raw = db.prepare("SELECT body FROM site_records WHERE collection = 'gate-photo' AND key = ?").get(photoKey.capture(alarm)) as { body: string };
    expect(raw.body).not.toContain(Buffer.from(capture.subarray(0, 300)).toString('base64').slice(0, 200));
    expect(JSON.parse(raw.body).until).toBe(new Date(now.getTime() + 30 * DAY).toISOString());
  });

  it('the guard sees both photos, acknowledges with a note; the logbook keeps the note; a second acknowledgement is refused', async () => {
    const detail = await run('alarm-detail', { id: alarm });
    expect(detail).toMatchObject({ id: alarm, code: 'BLOCKLISTED', door: 'Cổng A vào', entryName: 'Người bị hạn chế', entryReason: 'Đã bị cấm vào' });
    expect(Buffer.from(detail.capture.replace('data:image/jpeg;base64,', ''), 'base64').equals(Buffer.from(capture))).toBe(true);
    expect(Buffer.from(detail.entryPhoto.replace('data:image/jpeg;base64,', ''), 'base64').equals(readFileSync(BLOCKLIST_PHOTO_PATH))).toBe(true);
    await expect(run('alarm-acknowledge', { id: alarm, note: '   ' })).rejects.toMatchObject({ code: 'GATE_INPUT_INVALID' });
    at(0.6);
    await run('alarm-acknowledge', { id: alarm, note: 'Đã mời ra khỏi cổng' });
    expect(await store.openAlerts()).toEqual([]);
    expect(audit.at(-1)).toMatchObject({ action: 'gate.alarm-acknowledged', detail: { alert: alarm } });
    expect(JSON.stringify(audit)).not.toContain('Đã mời');
    await expect(run('alarm-acknowledge', { id: alarm, note: 'again' })).rejects.toMatchObject({ code: 'GATE_ALARM_UNKNOWN' });
    await expect(run('alarm-detail', { id: 999 })).rejects.toMatchObject({ code: 'GATE_ALARM_UNKNOWN' });
  });
});

describe('reports', () => {
  it('passages by person and door, newest first, paged without gaps or repeats', async () => {
    const an = keyOf.NV1!, ngoc = keyOf.NV2!;
    at(1);
    await doors['gate-in']!.pass({ method: 'face', person: an });
    at(1.25);
    await doors['gate-in']!.pass({ method: 'card', person: ngoc });
    at(1.5);
    expect(await doors['gate-in']!.pass({ method: 'face', person: an })).toMatchObject({ opened: false, reason: 'ALREADY_INSIDE' });
    at(10);
    await doors['gate-out']!.pass({ method: 'face', person: an });
    at(10.5);
    await doors['gate-out']!.pass({ method: 'face', person: ngoc });

    const day = today();
    const byAn = await run('history', { person: 'nguyen van an', from: day, to: day });
    expect(byAn.rows.map((r: any) => [r.door, r.decision, r.reason])).toEqual([['Cổng A ra', 'opened', null], ['Cổng A vào', 'refused', 'ALREADY_INSIDE'], ['Cổng A vào', 'opened', null]]);
    expect(byAn.rows[0]).toMatchObject({ name: 'Nguyễn Văn An', employeeNo: 'NV1' });
    expect(byAn.next).toBeNull();
    const byDoor = await run('history', { door: 'gate-out', from: day, to: day });
    expect(byDoor.rows.map((r: any) => r.name)).toEqual(['Trần Thị Bích Ngọc', 'Nguyễn Văn An']);

    // One row a page: every passage of the day once (the blocklisted face's refusal too), in order.
    const all = await run('history', { from: day, to: day, limit: 200 });
    const paged: number[] = [];
    for (let cursor: unknown = undefined, i = 0; i < 20; i++) {
      const page = await run('history', { from: day, to: day, limit: 1, ...(cursor ? { before: cursor } : {}) });
      paged.push(...page.rows.map((r: any) => r.seq));
      if (!page.next) break;
      cursor = page.next;
    }
    expect(paged).toEqual(all.rows.map((r: any) => r.seq));
    expect(paged.length).toBe(6);
    await expect(run('history', { from: day, to: '2000-01-01' })).rejects.toMatchObject({ code: 'GATE_REPORT_INVALID' });
    await expect(run('history', { from: 'yesterday', to: day })).rejects.toMatchObject({ code: 'GATE_INPUT_INVALID' });
  });

  it('attendance per person and day: first in, last out, hours; the same as CSV', async () => {
    const day = today();
    const rep = await run('attendance', { from: day, to: day });
    const hhmmAt = (h: number) => new Date(t0 + h * 3_600_000).toLocaleTimeString('en-GB', { timeZone: settings.timeZone, hour: '2-digit', minute: '2-digit' });
    expect(rep.rows).toEqual([
      { person: keyOf.NV1, day, firstIn: hhmmAt(1), lastOut: hhmmAt(10), hours: 9, name: 'Nguyễn Văn An', employeeNo: 'NV1', department: 'Lắp ráp' },
      { person: keyOf.NV2, day, firstIn: hhmmAt(1.25), lastOut: hhmmAt(10.5), hours: 9.25, name: 'Trần Thị Bích Ngọc', employeeNo: 'NV2', department: 'Kho' },
    ]);
    expect(rep.total).toBe(2);
    // A page smaller than the report: the first rows made, all counted.
    const page = await attendanceReport({ store, directory, settings, clock }, { from: day, to: day }, 1);
    expect(page).toEqual({ rows: [rep.rows[0]], total: 2 });
    const csv = await run('attendance', { from: day, to: day, format: 'csv' });
    expect(csv.csv.split('\r\n')).toEqual(['day,employee_no,name,department,first_in,last_out,hours', `${day},NV1,Nguyễn Văn An,Lắp ráp,${hhmmAt(1)},${hhmmAt(10)},9`, `${day},NV2,Trần Thị Bích Ngọc,Kho,${hhmmAt(1.25)},${hhmmAt(10.5)},9.25`, '']);
    expect((await run('attendance', { from: day, to: day, person: 'NV2' })).rows.map((r: any) => r.employeeNo)).toEqual(['NV2']);
    await expect(run('attendance', { from: '2025-01-01', to: '2025-12-31' })).rejects.toMatchObject({ code: 'GATE_REPORT_INVALID' });
  });

  it('the duty logbook of the day: passages, the alarm and its acknowledgement with the note, oldest first', async () => {
    const { lines } = await run('logbook', { day: today() });
    const kinds = lines.map((l: any) => `${l.kind}:${l.what}`);
    expect(kinds.slice(0, 3)).toEqual(['access:BLOCKLISTED', 'alarm:BLOCKLISTED', 'acknowledged:BLOCKLISTED']);
    expect(lines[2]).toMatchObject({ note: 'Đã mời ra khỏi cổng', by: 'Bảo vệ ca sáng' });
    expect(kinds.filter((k: string) => k === 'access:opened')).toHaveLength(4);
    const csv = await run('logbook', { day: today(), format: 'csv' });
    expect(csv.csv).toContain('Đã mời ra khỏi cổng');
  });

  it('statistics: the evacuation list per area, visitors and their vehicles inside, the workforce, visitors per day', async () => {
    at(11);
    const invitation = await visitors.invite({ idNumber: visitorHolder.idNumber, name: visitorHolder.fullName, host: keyOf.NV2!, purpose: 'Họp', plate: '51F-123.45', from: now.toISOString(), until: new Date(now.getTime() + 4 * 3_600_000).toISOString() }, 'admin', now);
    const arrival = await visitors.arrive(invitation, visitorHolder, undefined, now);
    await directory.catchUp();
    expect(await doors['gate-in']!.pass({ method: 'qr', person: arrival.visitor })).toMatchObject({ opened: true });
    await doors['gate-in']!.pass({ method: 'face', person: keyOf.NV1! });
    const s = await run('statistics', {});
    expect(s.areas).toEqual([expect.objectContaining({ id: 'site', inside: 2, workers: 1, visitors: 1, vehicles: 1 })]);
    expect(s.areas[0].people.map((p: any) => [p.name, p.visitor, p.plate])).toEqual([['Lê Văn Cường', true, '51F-123.45'], ['Nguyễn Văn An', false, null]]);
    expect(s.workforce).toMatchObject({ total: 2, bySex: { M: 1, F: 1 }, byDepartment: { 'Lắp ráp': 1, Kho: 1 } });
    expect(s.visitorsPerDay[localTime(new Date(), settings.timeZone).day]).toBe(1);
    expect(Object.keys(s.visitorsPerDay)).toHaveLength(14);
  });
});

describe('retention', () => {
  it('purges visitors after visitorDataDays, old attendance months, expired captures and the event log, audited with counts', async () => {
    const month = today().slice(0, 7);
    const visitorKey = [...directory.people.entries()].find(([, p]) => p.kind === 'visitor')![0];
    await doors['gate-out']!.pass({ method: 'qr', person: visitorKey });
    const deps = { store, people, photos, settings, personalDataDays: 90, clock, audit: (action: string, detail: Record<string, unknown>) => void audit.push({ action, detail }), log: () => undefined };
    // Nothing is due yet.
    expect(await purgeExpired(deps)).toEqual({ visitors: 0, invitations: 0, attendance: 0, captures: 0, events: 0 });
    // 31 days on: the capture (30 days) and the visitor with their punches (window ended + 30 days) go; the workers' attendance stays.
    at(31 * 24 + 12);
    expect(await purgeExpired(deps)).toEqual({ visitors: 1, invitations: 1, attendance: 1, captures: 1, events: 0 });
    expect((await store.list(`gate-attendance-${month}`)).map((r) => r.key)).not.toContain(visitorKey);
    expect(await store.get(COLLECTIONS.person, visitorKey)).toMatchObject({ deleted: true });
    expect((await store.list(COLLECTIONS.template)).filter((r) => r.key.startsWith(visitorKey))).toEqual([]);
    expect(await photos.get(photoKey.blocklist('B-1'))).toBeDefined(); // an entry's picture stays with the entry
    expect(audit.at(-1)).toMatchObject({ action: 'gate.retention-purged', detail: { visitors: 1, captures: 1 } });
    // 125 days on (personalDataDays 90): this month's attendance goes, both workers', and the gate's log of those days.
    const gateEvents = async () => (await Promise.all(Object.values(EVENT_KINDS).map((kind) => store.events({ kind, limit: 10_000 })))).flat();
    const logged = (await gateEvents()).length;
    expect(logged).toBeGreaterThan(5);
    await store.appendEvent({ key: 'other:1', kind: 'hospital.visit', at: now.toISOString(), terminalId: 'other', data: {} });
    at(125 * 24);
    const counts = await purgeExpired(deps);
    expect(counts).toMatchObject({ attendance: 2, events: logged });
    expect(await store.list(`gate-attendance-${month}`)).toEqual([]);
    expect(await gateEvents()).toEqual([]);
    expect(await store.events({ kind: 'hospital.visit' })).toHaveLength(1); // not the gate's to purge
    expect(audit.at(-1)).toMatchObject({ action: 'gate.retention-purged', detail: { attendance: 2, events: logged, personalDataDays: 90 } });
  });
});
