/**
 * The door terminal's decisions end to end below the screen: the SQLite site store, the directory
 * following it, the door service, the relay/ISAPI simulator and the hosts' webhook, with the clock
 * set to the scenarios' local times.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SiteStore } from '../../app/core/site-store/site-store.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { gateConfig, type GateSettings } from '../../app/sites/gate/common/config.ts';
import { deriveSiteKeys } from '../../app/sites/gate/common/identity.ts';
import { COLLECTIONS, EVENT_KINDS } from '../../app/sites/gate/common/records.ts';
import { verifyPass } from '../../app/sites/gate/common/visitor-pass.ts';
import { attendanceRows } from '../../app/sites/gate/common/attendance.ts';
import { monthAttendance, rebuildAttendance } from '../../app/sites/gate/node/attendance.ts';
import { GateDirectory } from '../../app/sites/gate/node/directory.ts';
import { doorService, type DoorService } from '../../app/sites/gate/node/door-service.ts';
import { isapiDoor, relayDoor } from '../../app/sites/gate/node/doors.ts';
import { webhookNotifier } from '../../app/sites/gate/node/notifier.ts';
import { PeopleStore } from '../../app/sites/gate/node/people.ts';
import { GateSeals } from '../../app/sites/gate/node/seals.ts';
import { Visitors } from '../../app/sites/gate/node/visitors.ts';
import { randomTemplate } from '../../app/sites/gate/sim/demo-factory.ts';
import { startDevicesSim, type DevicesSim } from '../../app/sites/gate/sim/devices-sim.ts';

const vn = (local: string) => new Date(`${local}+07:00`);
let now = vn('2025-06-02T07:30:00'); // a Monday
const clock = () => now;

const settings: GateSettings = gateConfig.parse({
  role: 'door', gateName: 'Cổng A', siteKey: { file: 'unused' }, door: 'gate-in',
  areas: [
    { id: 'site', name: 'Khuôn viên', antiPassback: 'hard' },
    { id: 'workshop', name: 'Xưởng', parent: 'site', antiPassback: 'soft' },
  ],
  doors: [
    { id: 'gate-in', name: 'Cổng A vào', area: 'site', direction: 'in', whenUndecidable: 'known-only', controller: { adapter: 'sim' } },
    { id: 'gate-out', name: 'Cổng A ra', area: 'site', direction: 'out', controller: { adapter: 'sim' } },
    { id: 'workshop-in', name: 'Xưởng vào', area: 'workshop', direction: 'in', controller: { adapter: 'sim' } },
  ],
});

let sim: DevicesSim;
let db: Db;
let store: SiteStore;
let directory: GateDirectory;
let people: PeopleStore;
let visitors: Visitors;
const keys = deriveSiteKeys(Buffer.alloc(32, 3));
const seals = new GateSeals(keys.seal);
const audit: string[] = [];
const doors: Record<string, DoorService> = {};

const next = (() => {
  let s = 5;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
})();
const anFace = randomTemplate(128, next);
const blockedFace = randomTemplate(128, next);
const an = { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M', placeOfResidence: 'Phường Dịch Vọng, Quận Cầu Giấy, Thành phố Hà Nội' };
const ngoc = { idNumber: '079301000123', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '2001-02-28', sex: 'F' };
const host = { idNumber: '074085000001', fullName: 'Phạm Thị Hồng Nhung', dateOfBirth: '1985-06-12', sex: 'F' };
let anKey: string;
let hostKey: string;

function service(doorId: string, over: Partial<Parameters<typeof doorService>[0]> = {}): DoorService {
  return doorService({
    store, directory, settings, doorId, terminalId: 'GATE-T', clock, log: () => undefined,
    door: relayDoor({ adapter: 'relay', url: `${sim.url}/relay/${doorId}/pulse`, method: 'POST', timeoutMs: 1000 }, () => '', 'k'),
    audit: (action) => void audit.push(action),
    visitorLeft: (v) => visitors.checkOut(v),
    ...over,
  });
}

beforeAll(async () => {
  sim = await startDevicesSim({ webhookSecret: 'hook' });
  db = openDatabase(':memory:');
  store = new SqliteSiteStore(db, clock);
  directory = new GateDirectory(store, seals, 'clean');
  people = new PeopleStore(store, keys, seals);
  visitors = new Visitors({ store, people, directory, notifier: webhookNotifier(`${sim.url}/hooks/host`, 'hook', 2000), settings, siteId: 'nha-may', passKey: keys.pass, terminalId: 'GATE-T', audit: () => undefined, log: () => undefined });
  directory.follow(60_000, () => undefined);
  await store.put(COLLECTIONS.plan, 'day', { name: 'Ca ngày', mon: ['06:00-19:00'], tue: ['06:00-19:00'], wed: ['06:00-19:00'], thu: ['06:00-19:00'], fri: ['06:00-19:00'], sat: [], sun: [], holiday: [] });
  await store.put(COLLECTIONS.group, 'day-shift', { name: 'Ca ngày', doors: ['gate-in', 'gate-out', 'workshop-in'], plan: 'day' });
  await store.put(COLLECTIONS.group, 'visitors', { name: 'Khách', doors: ['gate-in', 'gate-out'] });
  anKey = (await people.enrol({ kind: 'worker', holder: an, employeeNo: 'NV1', department: 'Lắp ráp', group: 'day-shift', face: { model: 'clean', chip: anFace } }, now)).key;
  hostKey = (await people.enrol({ kind: 'worker', holder: host, employeeNo: 'NV2', group: 'day-shift' }, now)).key;
  await store.put(COLLECTIONS.blocklist, 'B-1', { name: 'Người bị hạn chế', reason: 'demo', addedBy: 'test', addedAt: now.toISOString() });
  await people.setFace('B-1', 'blocklist', { model: 'clean', chip: blockedFace }, now);
  for (const id of ['gate-in', 'gate-out', 'workshop-in']) doors[id] = service(id);
});
afterAll(async () => {
  await sim.close();
  db.close();
});
beforeEach(() => {
  sim.fault = 'none';
});

const commands = () => sim.commands.length;

describe('a worker enters and leaves', () => {
  it('by face (1:N) in the morning and by card in the evening: two door commands, two events, one attendance row', async () => {
    now = vn('2025-06-02T07:31:00');
    const [match] = await directory.searchPeople(anFace.map((x, i) => x + (i % 2 ? 0.01 : -0.01)), 1);
    expect(match).toMatchObject({ key: anKey });
    const before = commands();
    expect(await doors['gate-in']!.pass({ method: 'face', person: match!.key, face: anFace, score: match!.score })).toMatchObject({ opened: true, name: 'Nguyễn Văn An', direction: 'in' });
    now = vn('2025-06-02T17:45:00');
    const idRef = people.idRef(an.idNumber);
    expect(await doors['gate-out']!.pass({ method: 'card', person: directory.personByIdRef(idRef)!.key, idRef })).toMatchObject({ opened: true, direction: 'out' });
    expect(sim.commands.slice(before).map((c) => c.door)).toEqual(['gate-in', 'gate-out']);
    const log = await store.events({ subject: anKey, kind: EVENT_KINDS.access });
    expect(log.map((e) => [(e.data as { direction: string }).direction, (e.data as { method: string }).method, (e.data as { decision: string }).decision])).toEqual([['out', 'card', 'opened'], ['in', 'face', 'opened']]);
    const [line] = await monthAttendance(store, '2025-06', settings.timeZone);
    expect(attendanceRows(line!)).toEqual([{ person: anKey, day: '2025-06-02', firstIn: '07:31', lastOut: '17:45', hours: 10.23 }]);
  });

  it('the attendance record rebuilt from the log is the same', async () => {
    const before = await monthAttendance(store, '2025-06', settings.timeZone);
    await store.remove(`${COLLECTIONS.attendance}-2025-06`, anKey);
    expect(await rebuildAttendance(store, '2025-06-01T00:00:00Z', '2025-07-01T00:00:00Z', settings.timeZone)).toBeGreaterThan(0);
    expect(await monthAttendance(store, '2025-06', settings.timeZone)).toEqual(before);
  });
});

describe('refusals', () => {
  it('anti-passback: a second entry without an exit is refused and the door stays shut', async () => {
    now = vn('2025-06-03T07:00:00');
    expect((await doors['gate-in']!.pass({ method: 'face', person: anKey })).opened).toBe(true);
    const before = commands();
    expect(await doors['gate-in']!.pass({ method: 'face', person: anKey })).toMatchObject({ opened: false, reason: 'ALREADY_INSIDE', alarm: false, name: 'Nguyễn Văn An' });
    expect(commands()).toBe(before);
    const [refusal] = await store.events({ subject: anKey, limit: 1 });
    expect(refusal!.data).toMatchObject({ decision: 'refused', reason: 'ALREADY_INSIDE', door: 'gate-in' });
  });

  it('nested areas: the workshop needs the site first; inside, its soft rule lets a repeat through and says so', async () => {
    expect(await doors['workshop-in']!.pass({ method: 'face', person: hostKey })).toMatchObject({ opened: false, reason: 'OUTER_AREA_REQUIRED' });
    expect(await doors['workshop-in']!.pass({ method: 'face', person: anKey })).toMatchObject({ opened: true });
    expect(await doors['workshop-in']!.pass({ method: 'face', person: anKey })).toMatchObject({ opened: true, ruleBroken: 'ALREADY_INSIDE' });
  });

  it('outside the week plan: refused in plain code, the door stays shut', async () => {
    now = vn('2025-06-08T09:00:00'); // Sunday
    const before = commands();
    expect(await doors['gate-out']!.pass({ method: 'card', person: anKey })).toMatchObject({ opened: false, reason: 'OUTSIDE_SCHEDULE' });
    expect(commands()).toBe(before);
  });

  it('a blocklisted face never opens, raises an alert and logs an alarm, even for nobody enrolled', async () => {
    now = vn('2025-06-04T08:00:00');
    const before = commands();
    const seen = blockedFace.map((x, i) => x + (i % 3 ? 0.005 : -0.005));
    expect(await doors['gate-in']!.pass({ method: 'face', face: seen })).toMatchObject({ opened: false, reason: 'BLOCKLISTED', alarm: true });
    expect(commands()).toBe(before);
    const alerts = await store.openAlerts();
    expect(alerts.at(-1)).toMatchObject({ code: 'BLOCKLISTED', detail: { door: 'gate-in', entry: 'B-1' } });
    expect((await store.events({ kind: EVENT_KINDS.alarm, limit: 1 }))[0]).toMatchObject({ subject: 'B-1' });
    expect(audit).toContain('gate.alarm');
  });

  it('a blocklisted ID number is refused even when the person is enrolled', async () => {
    await store.put(COLLECTIONS.blocklist, 'B-2', { name: 'x', reason: 'y', idRef: people.idRef(host.idNumber), addedBy: 't', addedAt: now.toISOString() });
    await directory.catchUp();
    expect(await doors['gate-in']!.pass({ method: 'card', person: hostKey, idRef: people.idRef(host.idNumber) })).toMatchObject({ opened: false, reason: 'BLOCKLISTED', alarm: true });
    await store.remove(COLLECTIONS.blocklist, 'B-2');
    await directory.catchUp();
  });

  it('a door that does not open undoes the passage and alerts; the person may try again', async () => {
    now = vn('2025-06-05T07:00:00');
    await store.resetArea('site');
    sim.fault = 'down';
    expect(await doors['gate-in']!.pass({ method: 'face', person: hostKey })).toMatchObject({ opened: false, reason: 'DOOR_FAULT' });
    expect(await store.inside('site')).toEqual([]);
    expect((await store.openAlerts()).at(-1)).toMatchObject({ code: 'DOOR_FAULT' });
    sim.fault = 'none';
    expect(await doors['gate-in']!.pass({ method: 'face', person: hostKey })).toMatchObject({ opened: true });
  });

  it('when the site store cannot decide: known-only opens for a worker on the door\'s own rules; a closed door refuses', async () => {
    const failing: SiteStore = Object.create(store, { decidePassage: { value: async () => Promise.reject(Object.assign(new Error('hub away'), { code: 'SITE_STORE_OFFLINE' })) } });
    const known = service('gate-in', { store: failing });
    const closed = service('gate-out', { store: failing });
    now = vn('2025-06-05T08:00:00');
    expect(await known.pass({ method: 'face', person: anKey })).toMatchObject({ opened: true, undecided: true });
    expect(await closed.pass({ method: 'face', person: anKey })).toMatchObject({ opened: false, reason: 'DECISION_UNAVAILABLE' });
  });

  it('ISAPI doors behave the same through Digest', async () => {
    const viaIsapi = service('gate-out', { door: isapiDoor({ adapter: 'isapi', url: sim.url, doorNo: 1, username: 'admin', password: { env: 'X' }, timeoutMs: 1000 }, () => 'demo-door-password', 'k') });
    now = vn('2025-06-05T17:00:00');
    const before = sim.commands.filter((c) => c.via === 'isapi').length;
    expect(await viaIsapi.pass({ method: 'face', person: hostKey })).toMatchObject({ opened: true, direction: 'out' });
    expect(sim.commands.filter((c) => c.via === 'isapi').length).toBe(before + 1);
  });
});

describe('visitors', () => {
  it('invited, arrives, the host is told, the signed pass opens the door within the window, leaving ends the visit', async () => {
    now = vn('2025-06-06T08:40:00');
    const invitation = await visitors.invite({ idNumber: ngoc.idNumber, name: ngoc.fullName, host: hostKey, purpose: 'Họp', plate: '51F-12345', from: '2025-06-06T09:00:00+07:00', until: '2025-06-06T12:00:00+07:00' }, 'admin', now);
    await directory.catchUp();
    expect(visitors.invitationFor(ngoc.idNumber, now)).toBe(invitation);
    const arrival = await visitors.arrive(invitation, ngoc, undefined, now);
    expect(sim.notices.at(-1)).toMatchObject({ kind: 'visitor-arrived', invitation, host: hostKey, visitorName: ngoc.fullName });
    await directory.catchUp();
    const checked = verifyPass(keys.pass, arrival.passCode, 'nha-may', now);
    expect(checked).toMatchObject({ ok: true, pass: { visitor: arrival.visitor, invitation } });
    expect(await doors['gate-in']!.pass({ method: 'qr', person: arrival.visitor })).toMatchObject({ opened: true, visitor: true });
    now = vn('2025-06-06T11:00:00');
    expect(await doors['gate-out']!.pass({ method: 'qr', person: arrival.visitor })).toMatchObject({ opened: true, direction: 'out' });
    await directory.catchUp();
    expect(visitors.status(invitation)).toBe('checked-out');
    now = vn('2025-06-06T12:00:00');
    expect(await doors['gate-in']!.pass({ method: 'qr', person: arrival.visitor })).toMatchObject({ opened: false, reason: 'NOT_VALID_NOW' });
  });

  it('a visitor still inside when the window ends is taken out of every area', async () => {
    now = vn('2025-06-07T09:00:00');
    const invitation = await visitors.invite({ idNumber: ngoc.idNumber, name: ngoc.fullName, host: hostKey, purpose: 'Họp', from: '2025-06-07T09:00:00+07:00', until: '2025-06-07T10:00:00+07:00' }, 'admin', now);
    await directory.catchUp();
    const arrival = await visitors.arrive(invitation, ngoc, undefined, now);
    await directory.catchUp();
    expect(await doors['gate-in']!.pass({ method: 'qr', person: arrival.visitor })).toMatchObject({ opened: true });
    now = vn('2025-06-07T10:00:00');
    expect(await visitors.endWindows(now)).toBeGreaterThan(0);
    expect((await store.inside('site')).map((p) => p.subject)).not.toContain(arrival.visitor);
  });

  it('a walk-in asks the host, who approves; the visit then proceeds', async () => {
    now = vn('2025-06-09T09:00:00');
    const key = await visitors.askHost(ngoc, hostKey, 'Giao hàng', now);
    expect(sim.notices.at(-1)).toMatchObject({ kind: 'walk-in-request', invitation: key });
    expect(await visitors.statusNow(key)).toBe('awaiting-host');
    await visitors.answer(key, true, 'host');
    expect(await visitors.statusNow(key)).toBe('invited');
    expect((await visitors.arrive(key, ngoc, undefined, now)).hostName).toBe(host.fullName);
  });
});

describe('what is stored', () => {
  it('no ID number, birth date or address appears in clear in the site store', () => {
    const dump = JSON.stringify(db.prepare('SELECT body FROM site_records').all()) + JSON.stringify(db.prepare('SELECT data, subject FROM site_events').all());
    for (const secret of [an.idNumber, ngoc.idNumber, host.idNumber, '1992-03-17', 'Dịch Vọng']) expect(dump).not.toContain(secret);
  });
});
