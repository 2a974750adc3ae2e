/**
 * The gate's administration staff actions below the screen: the SQLite site store, the directory,
 * the people and visitors services and a door service, as the site wires them. Each action's roles,
 * its input checks (typed errors naming the field) and its effect on what the doors decide.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Staff } from '../../app/core/api/kiosk-api.ts';
import type { SiteStore } from '../../app/core/site-store/site-store.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { gateConfig, type GateSettings } from '../../app/sites/gate/common/config.ts';
import { deriveSiteKeys } from '../../app/sites/gate/common/identity.ts';
import { instantAt } from '../../app/sites/gate/common/local-time.ts';
import { COLLECTIONS } from '../../app/sites/gate/common/records.ts';
import type { HostNotice } from '../../app/sites/gate/common/ports.ts';
import { faceConfig } from '../../app/core/face/config.ts';
import { pictureTemplate } from '../../app/host/wiring/face.ts';
import { FaceService } from '../../app/platform/models/face-service.ts';
import { GatePhotos, photoKey } from '../../app/sites/gate/node/photos.ts';
import { GateDirectory } from '../../app/sites/gate/node/directory.ts';
import { doorService, type DoorService } from '../../app/sites/gate/node/door-service.ts';
import { PeopleStore } from '../../app/sites/gate/node/people.ts';
import { GateSeals } from '../../app/sites/gate/node/seals.ts';
import { gateStaffActions } from '../../app/sites/gate/node/staff/actions.ts';
import { Visitors } from '../../app/sites/gate/node/visitors.ts';
import { BLOCKLIST_PHOTO_PATH, randomTemplate } from '../../app/sites/gate/sim/demo-factory.ts';
import type { SiteStaffAction } from '../../app/sites/site-node.ts';
import { errorCode } from '../support/error-code.ts';

const vn = (local: string) => new Date(`${local}+07:00`);
const now = vn('2025-06-02T07:30:00'); // a Monday
const clock = () => now;

const settings: GateSettings = gateConfig.parse({
  role: 'reception', gateName: 'Cổng A', siteKey: { file: 'unused' },
  areas: [{ id: 'site', name: 'Khuôn viên', antiPassback: 'none' }],
  doors: [
    { id: 'gate-in', name: 'Cổng A vào', area: 'site', direction: 'in', controller: { adapter: 'sim' } },
    { id: 'gate-out', name: 'Cổng A ra', area: 'site', direction: 'out', controller: { adapter: 'sim' } },
  ],
});

const admin: Staff = { name: 'admin', role: 'administrator' };
const reception: Staff = { name: 'Lễ tân', role: 'reception' };
const keys = deriveSiteKeys(Buffer.alloc(32, 9));
const seals = new GateSeals(keys.seal);
const audit: { action: string; detail: Record<string, unknown> }[] = [];
const notices: HostNotice[] = [];
const next = (() => {
  let s = 11;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
})();
const anFace = randomTemplate(128, next);
const an = { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M', placeOfResidence: 'Phường Dịch Vọng, Thành phố Hà Nội' };
const host = { idNumber: '074085000001', fullName: 'Phạm Thị Hồng Nhung', dateOfBirth: '1985-06-12', sex: 'F' };

let db: Db;
let store: SiteStore;
let directory: GateDirectory;
let people: PeopleStore;
let visitors: Visitors;
let door: DoorService;
let actions: Readonly<Record<string, SiteStaffAction>>;
let photos: GatePhotos;
let faces: FaceService;
let anKey: string;
let hostKey: string;

/** Runs an action as the host does: the role checked first (an administrator may run every action). */
async function run(name: string, input: unknown, staff: Staff = admin): Promise<any> {
  const a = actions[name];
  if (!a) throw new Error(`no action ${name}`);
  if (staff.role !== 'administrator' && !a.roles.includes(staff.role)) throw Object.assign(new Error('refused'), { code: 'STAFF_ROLE_REFUSED' });
  return a.run(input, staff);
}

beforeAll(async () => {
  db = openDatabase(':memory:');
  store = new SqliteSiteStore(db, clock);
  directory = new GateDirectory(store, seals, 'clean');
  people = new PeopleStore(store, keys, seals);
  const log = (action: string, detail: Record<string, unknown>) => void audit.push({ action, detail });
  visitors = new Visitors({ store, people, directory, notifier: { notify: async (n) => void notices.push(n as HostNotice) }, settings, siteId: 'nha-may', passKey: keys.pass, terminalId: 'GATE-R', audit: log, log: () => undefined });
  directory.follow(60_000, () => undefined);
  await store.put(COLLECTIONS.plan, 'day', { name: 'Ca ngày', mon: ['06:00-19:00'], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], holiday: [] });
  await store.put(COLLECTIONS.group, 'day-shift', { name: 'Ca ngày', doors: ['gate-in', 'gate-out'], plan: 'day' });
  await store.put(COLLECTIONS.group, 'office', { name: 'Văn phòng', doors: ['gate-in'] });
  await store.put(COLLECTIONS.group, 'visitors', { name: 'Khách', doors: ['gate-in', 'gate-out'] });
  anKey = (await people.enrol({ kind: 'worker', holder: an, employeeNo: 'NV1', department: 'Lắp ráp', group: 'day-shift', face: { model: 'clean', chip: anFace } }, now)).key;
  hostKey = (await people.enrol({ kind: 'worker', holder: host, employeeNo: 'NV2', department: 'Văn phòng', group: 'office' }, now)).key;
  await directory.catchUp();
  door = doorService({ store, directory, settings, doorId: 'gate-in', terminalId: 'GATE-D', clock, log: () => undefined, door: { open: async () => undefined }, audit: () => undefined, visitorLeft: async () => undefined });
  photos = new GatePhotos(store, seals);
  // The face of a picture as the kiosk measures it: the real embedder of the site's model.
  faces = await FaceService.create(faceConfig.parse({ modelSet: 'clean' }));
  const embedPicture = (image: Uint8Array) => pictureTemplate(faces, image);
  actions = gateStaffActions({ settings, siteId: 'nha-may', terminalId: 'GATE-R', store, directory, people, visitors, seals, photos, keys, clock, audit: log, embedPicture });
});
afterAll(() => db.close());

describe('who may run what', () => {
  it('reception runs the invitations and nothing else; the guard the guard station; every other action is the administrator\'s', () => {
    const forRole = (role: string) => Object.entries(actions).filter(([, a]) => a.roles.some((r) => r === role)).map(([n]) => n).sort();
    expect(forRole('reception')).toEqual(['invitation-answer', 'invitation-cancel', 'invitation-create', 'invitation-hosts', 'invitation-list']);
    expect(forRole('guard')).toEqual(['alarm-acknowledge', 'alarm-detail', 'attendance', 'history', 'logbook', 'statistics']);
    expect(forRole('technician')).toEqual([]);
    for (const [name, a] of Object.entries(actions)) if (!forRole('reception').includes(name) && !forRole('guard').includes(name)) expect(a.roles, name).toEqual([]);
  });

  it('refuses reception the blocklist and people', async () => {
    await expect(errorCodeOf(run('blocklist-add', { idNumber: '001092012345', name: 'X', reason: 'Y' }, reception))).resolves.toBe('STAFF_ROLE_REFUSED');
    await expect(errorCodeOf(run('people-search', {}, reception))).resolves.toBe('STAFF_ROLE_REFUSED');
  });
});

const errorCodeOf = async (p: Promise<unknown>) => p.then(() => 'NO_ERROR', (e: { code?: string }) => e.code ?? 'UNTYPED');

describe('people', () => {
  it('finds people by name without diacritics, by employee number and by department', async () => {
    expect((await run('people-search', { query: 'nguyen van' })).people.map((p: { key: string }) => p.key)).toEqual([anKey]);
    expect((await run('people-search', { query: 'NV2' })).people.map((p: { key: string }) => p.key)).toEqual([hostKey]);
    expect((await run('people-search', { query: 'lắp ráp' })).people).toEqual([expect.objectContaining({ key: anKey, name: 'Nguyễn Văn An', group: 'day-shift', active: true })]);
  });

  it('shows a record with the ID number masked and no template, only which faces are kept', async () => {
    const view = await run('person-view', { key: anKey });
    expect(view).toMatchObject({ name: 'Nguyễn Văn An', idNumber: '•••••••••345', birthYear: 1992, faces: ['chip'], blocklisted: false });
    expect(JSON.stringify(view)).not.toContain('001092012345');
    expect(JSON.stringify(view)).not.toContain('sealed');
  });

  it('names the field that is wrong, and refuses a group that does not exist', async () => {
    const e = await run('person-update', { key: 'nobody', active: 'no' }).catch((x) => x);
    expect(e).toMatchObject({ code: 'GATE_INPUT_INVALID' });
    expect(e.message).toMatch(/key: a person key/);
    expect(e.message).toMatch(/active/);
    await expect(errorCode(run('person-update', { key: anKey, group: 'no-such' }))).resolves.toBe('GATE_GROUP_UNKNOWN');
  });

  it('deactivating a worker shuts the door to them; reactivating opens it again', async () => {
    await run('person-update', { key: anKey, active: false });
    expect(await door.pass({ method: 'face', person: anKey })).toMatchObject({ opened: false, reason: 'NOT_ACTIVE' });
    expect(audit.at(-1)).toEqual({ action: 'gate.person-change', detail: expect.objectContaining({ person: anKey, active: false, by: 'admin' }) });
    await run('person-update', { key: anKey, active: true, department: 'Bảo trì' });
    expect(await door.pass({ method: 'face', person: anKey })).toMatchObject({ opened: true });
    expect(directory.people.get(anKey)).toMatchObject({ active: true, department: 'Bảo trì' });
  });

  it('exports the roster and imports HR\'s changes, naming each line it could not apply', async () => {
    const { csv, filename } = await run('roster-export', {});
    expect(filename).toBe('roster-nha-may-2025-06-02.csv');
    expect(csv.split('\r\n')[0]).toBe('employee_no,name,department,group,active,enrolled_at');
    expect(csv).toContain('NV1,Nguyễn Văn An,Bảo trì,day-shift,yes,');
    const edited = 'employee_no,department,group,active\r\nNV1,Lắp ráp,office,yes\r\nNV2,,,no\r\nNV404,Kho,,\r\nNV2,,nowhere,\r\n';
    const r = await run('roster-import', { csv: edited });
    expect(r).toMatchObject({ rows: 4, changed: 2 });
    expect(r.problems.map((p: { line: number; code: string; value: string }) => [p.line, p.code, p.value])).toEqual([[4, 'NOT_ENROLLED', 'NV404'], [5, 'GROUP_UNKNOWN', 'nowhere']]);
    expect(directory.people.get(anKey)).toMatchObject({ department: 'Lắp ráp', group: 'office' });
    expect(directory.people.get(hostKey)).toMatchObject({ active: false });
    await run('person-update', { key: hostKey, active: true });
    await run('person-update', { key: anKey, group: 'day-shift' });
    await expect(errorCode(run('roster-import', { csv: '' }))).resolves.toBe('GATE_INPUT_INVALID');
  });
});

describe('groups, plans, holidays', () => {
  it('saves a group with its doors and plan, refusing doors and plans that do not exist', async () => {
    await expect(errorCode(run('group-save', { key: 'night', group: { name: 'Ca đêm', doors: ['gate-in', 'back-door'] } }))).resolves.toBe('GATE_DOOR_UNKNOWN');
    await expect(errorCode(run('group-save', { key: 'night', group: { name: 'Ca đêm', doors: ['gate-in'], plan: 'night' } }))).resolves.toBe('GATE_PLAN_UNKNOWN');
    await expect(errorCode(run('plan-save', { key: 'night', plan: { name: 'Ca đêm', mon: ['22:00-21:00'] } }))).resolves.toBe('GATE_INPUT_INVALID');
    await run('plan-save', { key: 'night', plan: { name: 'Ca đêm', mon: ['22:00-24:00'], tue: ['00:00-06:00'] } });
    await run('group-save', { key: 'night', group: { name: 'Ca đêm', doors: ['gate-in'], plan: 'night' } });
    const list = await run('access-list', {});
    expect(list.groups.find((g: { key: string }) => g.key === 'night')).toEqual({ key: 'night', name: 'Ca đêm', doors: ['gate-in'], plan: 'night', people: 0 });
    expect(list.plans.find((p: { key: string }) => p.key === 'night')).toMatchObject({ tue: ['00:00-06:00'], groups: 1 });
  });

  it('keeps a plan or group still in use, and the visitors\' group', async () => {
    await expect(errorCode(run('plan-remove', { key: 'night' }))).resolves.toBe('GATE_PLAN_IN_USE');
    await expect(errorCode(run('group-remove', { key: 'day-shift' }))).resolves.toBe('GATE_GROUP_IN_USE');
    await expect(errorCode(run('group-remove', { key: 'visitors' }))).resolves.toBe('GATE_GROUP_IN_USE');
    await run('group-remove', { key: 'night' });
    await run('plan-remove', { key: 'night' });
    expect(directory.plans.has('night')).toBe(false);
  });

  it('a holiday closes a plan\'s day: the door refuses on it, and opens once it is removed', async () => {
    await expect(errorCode(run('holiday-save', { date: '2025-02-30', name: 'x' }))).resolves.toBe('GATE_INPUT_INVALID');
    await run('holiday-save', { date: '2025-06-02', name: 'Nghỉ bù' });
    expect(await door.pass({ method: 'face', person: anKey })).toMatchObject({ opened: false, reason: 'OUTSIDE_SCHEDULE' });
    expect((await run('access-list', {})).holidays).toEqual([{ date: '2025-06-02', name: 'Nghỉ bù' }]);
    await run('holiday-remove', { date: '2025-06-02' });
    expect(await door.pass({ method: 'face', person: anKey })).toMatchObject({ opened: true });
  });
});

describe('invitations', () => {
  it('reception invites by ID number on the site\'s wall clock; the invitation finds the arriving visitor; it can be cancelled', async () => {
    const hosts = await run('invitation-hosts', { query: 'nhung' }, reception);
    expect(hosts.hosts).toEqual([{ key: hostKey, name: 'Phạm Thị Hồng Nhung', department: 'Văn phòng' }]);
    const { key } = await run('invitation-create', { idNumber: '099047000456', name: 'Lê Văn Cường', host: hostKey, purpose: 'Họp', plate: '51f 12345', day: '2025-06-02', from: '09:00', until: '11:30' }, reception);
    const inv = directory.invitations.get(key)!;
    expect(inv).toMatchObject({ status: 'invited', plate: '51F-123.45', from: instantAt('2025-06-02', '09:00', 'Asia/Ho_Chi_Minh').toISOString(), until: '2025-06-02T04:30:00.000Z', createdBy: 'Lễ tân' });
    expect(JSON.stringify(inv)).not.toContain('099047000456');
    expect(visitors.invitationFor('099047000456', vn('2025-06-02T08:45:00'))).toBe(key);
    const listed = await run('invitation-list', {}, reception);
    expect(listed.invitations).toEqual([expect.objectContaining({ key, name: 'Lê Văn Cường', hostName: 'Phạm Thị Hồng Nhung', status: 'invited', plate: '51F-123.45' })]);
    await run('invitation-cancel', { key }, reception);
    expect(visitors.invitationFor('099047000456', vn('2025-06-02T08:45:00'))).toBeUndefined();
    await expect(errorCode(run('invitation-cancel', { key }, reception))).resolves.toBe('INVITATION_STATE');
    expect((await run('invitation-list', {}, reception)).invitations).toEqual([]);
  });

  it('names what is wrong with an invitation', async () => {
    const e = await run('invitation-create', { idNumber: '12345', name: '', host: hostKey, purpose: 'Họp', day: '2025-06-02', from: '9:00', until: '11:30' }, reception).catch((x) => x);
    expect(e.code).toBe('GATE_INPUT_INVALID');
    expect(e.details.fields).toEqual(['idNumber', 'name', 'from']);
    expect(e.message).not.toContain('12345');
    await expect(errorCode(run('invitation-create', { idNumber: '099047000456', name: 'C', host: hostKey, purpose: 'Họp', day: '2025-06-01', from: '09:00', until: '11:30' }, reception))).resolves.toBe('INVITATION_INVALID');
    await expect(errorCode(run('invitation-create', { idNumber: '099047000456', name: 'C', host: hostKey, purpose: 'Họp', plate: 'ABC', day: '2025-06-02', from: '09:00', until: '11:30' }, reception))).resolves.toBe('INVITATION_INVALID');
    await expect(errorCode(run('invitation-create', { idNumber: '099047000456', name: 'C', host: 'W-nobody', purpose: 'Họp', day: '2025-06-02', from: '09:00', until: '11:30' }, reception))).resolves.toBe('INVITATION_INVALID');
  });

  it('reception answers a walk-in for the host', async () => {
    const key = await visitors.askHost({ idNumber: '079301000123', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '2001-02-28', sex: 'F' }, hostKey, 'Giao hàng', now);
    expect(notices.at(-1)).toMatchObject({ kind: 'walk-in-request', invitation: key, hostEmployeeNo: 'NV2' });
    expect(await run('invitation-answer', { key, approve: true }, reception)).toEqual({ key, status: 'invited' });
  });
});

describe('blocklist', () => {
  it('blocking an enrolled person puts their face and ID number on the blocklist: the door raises the alarm for either', async () => {
    expect(await door.screen(anFace)).toBe(false);
    const { key, byFace } = await run('blocklist-add', { person: anKey, reason: 'Vi phạm nội quy' });
    expect(byFace).toBe(true);
    expect(await door.screen(anFace)).toBe(true);
    expect(await door.pass({ method: 'card', idRef: people.idRef(an.idNumber), person: anKey })).toMatchObject({ opened: false, reason: 'BLOCKLISTED' });
    const alerts = await store.openAlerts();
    expect(alerts.filter((a) => a.code === 'BLOCKLISTED').map((a) => a.detail.entry)).toContain(key);
    expect((await run('blocklist-list', {})).entries).toEqual([expect.objectContaining({ key, name: 'Nguyễn Văn An', byId: true, byFace: true, addedBy: 'admin' })]);
    await expect(errorCode(run('blocklist-add', { idNumber: an.idNumber, name: 'Nguyễn Văn An', reason: 'again' }))).resolves.toBe('GATE_ALREADY_BLOCKLISTED');
    await run('blocklist-remove', { key });
    expect(await door.screen(anFace)).toBe(false);
    expect(await door.pass({ method: 'face', person: anKey })).toMatchObject({ opened: true });
  });

  it('blocks an ID number nobody enrolled (the reception\'s check finds it), never logging the number', async () => {
    const { key, byFace } = await run('blocklist-add', { idNumber: '079301000999', name: 'Người lạ', reason: 'Trộm cắp' });
    expect(byFace).toBe(false);
    expect(directory.blockedByIdRef(people.idRef('079301000999'))).toBe(key);
    const logged = JSON.stringify(audit) + JSON.stringify(await store.events({ limit: 1000 }));
    expect(logged).not.toContain('079301000999');
    await expect(errorCode(run('blocklist-remove', { key: 'B-NOPE' }))).resolves.toBe('GATE_BLOCKLIST_UNKNOWN');
    await expect(errorCode(run('blocklist-add', { idNumber: '0793', name: 'x', reason: 'y' }))).resolves.toBe('GATE_INPUT_INVALID');
  });

  it('blocks a face nobody enrolled from a picture: the door screens that face, the alarm card shows the picture, removal takes both', async () => {
    const picture = readFileSync(BLOCKLIST_PHOTO_PATH);
    const face = faces.chipEmbedding(picture);
    expect(await door.screen(await face)).toBe(false);
    const { key, byFace } = await run('blocklist-add', { name: 'Người lạ trong ảnh', reason: 'Trộm cắp', picture: picture.toString('base64') });
    expect(byFace).toBe(true);
    expect(directory.blocklist.get(key)?.idRef).toBeUndefined();
    expect(await door.screen(await face)).toBe(true);
    expect((await photos.get(photoKey.blocklist(key)))?.bytes).toEqual(new Uint8Array(picture));
    expect((await run('blocklist-list', {})).entries).toEqual(expect.arrayContaining([expect.objectContaining({ key, byId: false, byFace: true })]));
    await run('blocklist-remove', { key });
    expect(await door.screen(await face)).toBe(false);
    expect(await photos.get(photoKey.blocklist(key))).toBeUndefined();
    // Neither a number nor a picture; a picture that is no image; an image without a face.
    await expect(errorCode(run('blocklist-add', { name: 'x', reason: 'y' }))).resolves.toBe('GATE_INPUT_INVALID');
    await expect(errorCode(run('blocklist-add', { name: 'x', reason: 'y', picture: Buffer.from('not a picture').toString('base64') }))).resolves.toBe('GATE_PICTURE_INVALID');
    const blank = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#808080' } }).jpeg().toBuffer();
    await expect(errorCode(run('blocklist-add', { name: 'x', reason: 'y', picture: blank.toString('base64') }))).resolves.toBe('FACE_NOT_FOUND');
  });
});
