import { describe, expect, it } from 'vitest';
import { checkAccess, whenUndecidable, type AccessFacts } from '../../app/sites/gate/common/access.ts';
import { attendanceLine, attendanceRows, mergePunch } from '../../app/sites/gate/common/attendance.ts';
import { gateConfig, settingsProblems } from '../../app/sites/gate/common/config.ts';
import { parseCsv, toCsv } from '../../app/sites/gate/common/csv.ts';
import { deriveSiteKeys, idRefOf, personKeyOf } from '../../app/sites/gate/common/identity.ts';
import { checkInvitation, endOfWindow, findInvitation, moveInvitation, normalisePlate } from '../../app/sites/gate/common/invitations.ts';
import { localTime } from '../../app/sites/gate/common/local-time.ts';
import type { InvitationRecord, PersonRecord } from '../../app/sites/gate/common/records.ts';
import { parseRoster, rosterCsv } from '../../app/sites/gate/common/roster.ts';
import { scheduleAllows, weekPlan } from '../../app/sites/gate/common/schedule.ts';
import { ageBand, peopleStatistics, provinceOfAddress } from '../../app/sites/gate/common/statistics.ts';
import { signPass, verifyPass } from '../../app/sites/gate/common/visitor-pass.ts';

const TZ = 'Asia/Ho_Chi_Minh';
/** A local wall-clock time in Vietnam (UTC+7) as an instant. */
const vn = (local: string) => new Date(`${local}+07:00`);

const keys = deriveSiteKeys(Buffer.alloc(32, 7));
const ref = idRefOf(keys.lookup, '079203001234');

const settings = gateConfig.parse({
  role: 'door',
  gateName: 'Cổng A',
  siteKey: { file: 'k' },
  door: 'main-in',
  areas: [
    { id: 'site', name: 'Khuôn viên', antiPassback: 'hard' },
    { id: 'workshop', name: 'Xưởng', parent: 'site', antiPassback: 'soft' },
  ],
  doors: [
    { id: 'main-in', name: 'Cổng chính vào', area: 'site', direction: 'in', controller: { adapter: 'sim' } },
    { id: 'workshop-in', name: 'Xưởng vào', area: 'workshop', direction: 'in', whenUndecidable: 'known-only', controller: { adapter: 'sim' } },
  ],
});

const worker = (over: Partial<PersonRecord> = {}): PersonRecord => ({
  kind: 'worker', name: 'Nguyễn Văn An', employeeNo: 'NV001', department: 'Lắp ráp', group: 'day-shift', active: true, idRef: ref,
  profile: { birthYear: 1990, sex: 'M', birthProvinceCode: '079', residenceProvince: 'Hồ Chí Minh' }, sealed: 'x', enrolledAt: '2025-01-02T00:00:00.000Z', ...over,
});

const dayShift = weekPlan.parse({ name: 'Ca ngày', mon: ['06:00-19:00'], tue: ['06:00-19:00'], wed: ['06:00-19:00'], thu: ['06:00-19:00'], fri: ['06:00-19:00'], sat: ['06:00-12:00'] });

const facts = (over: Partial<AccessFacts> = {}): AccessFacts => ({
  door: settings.doors[0]!, area: settings.areas[0]!, person: { key: 'W-1', record: worker() }, blocklisted: false,
  group: { name: 'Ca ngày', doors: ['main-in', 'workshop-in'], plan: 'day' }, plan: dayShift, holidays: new Set(), at: vn('2025-06-02T07:30:00'), timeZone: TZ, ...over,
});

describe('access decision', () => {
  it('lets an active worker of the door\'s group through on their plan, as a passage anti-passback decides', () => {
    const v = checkAccess(facts());
    expect(v).toMatchObject({ kind: 'passage', passage: { area: 'site', direction: 'in', antiPassback: 'hard' } });
    expect(v.kind === 'passage' && 'requiresInside' in v.passage).toBe(false);
  });

  it('an inner door requires being inside the area around it', () => {
    const v = checkAccess(facts({ door: settings.doors[1]!, area: settings.areas[1]! }));
    expect(v).toMatchObject({ kind: 'passage', passage: { area: 'workshop', requiresInside: 'site', antiPassback: 'soft' } });
  });

  it('refuses in the order that matters, and only the blocklist alarms', () => {
    expect(checkAccess(facts({ blocklisted: true, person: undefined }))).toEqual({ kind: 'refuse', reason: 'BLOCKLISTED', alarm: true });
    expect(checkAccess(facts({ blocklisted: true }))).toEqual({ kind: 'refuse', reason: 'BLOCKLISTED', alarm: true });
    expect(checkAccess(facts({ person: undefined }))).toEqual({ kind: 'refuse', reason: 'NOT_RECOGNISED', alarm: false });
    expect(checkAccess(facts({ person: { key: 'W-1', record: worker({ active: false }) } }))).toMatchObject({ reason: 'NOT_ACTIVE' });
    expect(checkAccess(facts({ group: { name: 'Văn phòng', doors: ['office'] } }))).toMatchObject({ reason: 'DOOR_NOT_ALLOWED' });
    expect(checkAccess(facts({ group: undefined }))).toMatchObject({ reason: 'DOOR_NOT_ALLOWED' });
    expect(checkAccess(facts({ at: vn('2025-06-02T19:00:00') }))).toMatchObject({ reason: 'OUTSIDE_SCHEDULE' });
  });

  it('a visitor passes only within their window', () => {
    const visitor = { key: 'V-1', record: worker({ kind: 'visitor', validFrom: '2025-06-02T01:00:00.000Z', validUntil: '2025-06-02T04:00:00.000Z' }) };
    expect(checkAccess(facts({ person: visitor, at: new Date('2025-06-02T00:59:59Z') }))).toMatchObject({ reason: 'NOT_VALID_NOW' });
    expect(checkAccess(facts({ person: visitor, at: new Date('2025-06-02T02:00:00Z') })).kind).toBe('passage');
    expect(checkAccess(facts({ person: visitor, at: new Date('2025-06-02T04:00:00Z') }))).toMatchObject({ reason: 'NOT_VALID_NOW' });
  });

  it('when the store cannot decide: a closed door refuses; known-only opens for workers only, never blind for visitors', () => {
    const ok = checkAccess(facts());
    expect(whenUndecidable(settings.doors[0]!, ok)).toMatchObject({ reason: 'DECISION_UNAVAILABLE' });
    expect(whenUndecidable(settings.doors[1]!, ok)).toBe(ok);
    const visitor = checkAccess(facts({ person: { key: 'V-1', record: worker({ kind: 'visitor' }) } }));
    expect(whenUndecidable(settings.doors[1]!, visitor)).toMatchObject({ reason: 'DECISION_UNAVAILABLE' });
    const blocked = checkAccess(facts({ blocklisted: true }));
    expect(whenUndecidable(settings.doors[1]!, blocked)).toBe(blocked);
  });
});

describe('week plans and holidays', () => {
  it('reads time on the site\'s clock, end exclusive', () => {
    expect(scheduleAllows(dayShift, vn('2025-06-02T05:59:00'), TZ, new Set())).toBe(false);
    expect(scheduleAllows(dayShift, vn('2025-06-02T06:00:00'), TZ, new Set())).toBe(true);
    expect(scheduleAllows(dayShift, vn('2025-06-07T11:59:00'), TZ, new Set())).toBe(true); // Saturday
    expect(scheduleAllows(dayShift, vn('2025-06-07T12:00:00'), TZ, new Set())).toBe(false);
    expect(scheduleAllows(dayShift, vn('2025-06-08T09:00:00'), TZ, new Set())).toBe(false); // Sunday
  });

  it('a holiday uses the plan\'s holiday times (none: closed)', () => {
    const holidays = new Set(['2025-09-02']);
    expect(scheduleAllows(dayShift, vn('2025-09-02T09:00:00'), TZ, holidays)).toBe(false);
    const guards = weekPlan.parse({ name: 'Bảo vệ', mon: ['00:00-24:00'], tue: ['00:00-24:00'], holiday: ['00:00-24:00'] });
    expect(scheduleAllows(guards, vn('2025-09-02T23:59:00'), TZ, holidays)).toBe(true);
  });

  it('a night shift is two intervals on two days', () => {
    const night = weekPlan.parse({ name: 'Ca đêm', mon: ['22:00-24:00'], tue: ['00:00-06:00'] });
    expect(scheduleAllows(night, vn('2025-06-02T23:00:00'), TZ, new Set())).toBe(true);
    expect(scheduleAllows(night, vn('2025-06-03T05:30:00'), TZ, new Set())).toBe(true);
    expect(scheduleAllows(night, vn('2025-06-03T06:00:00'), TZ, new Set())).toBe(false);
  });

  it('refuses intervals that run backwards or past the day', () => {
    expect(weekPlan.safeParse({ name: 'x', mon: ['19:00-07:00'] }).success).toBe(false);
    expect(weekPlan.safeParse({ name: 'x', mon: ['07:00-25:00'] }).success).toBe(false);
  });
});

describe('attendance', () => {
  it('keeps the first entry and last exit of each local day, whatever the order or repetition', () => {
    const punches = [
      { person: 'W-1', at: vn('2025-06-02T12:05:00'), direction: 'out' as const },
      { person: 'W-1', at: vn('2025-06-02T07:31:00'), direction: 'in' as const },
      { person: 'W-1', at: vn('2025-06-02T13:00:00'), direction: 'in' as const },
      { person: 'W-1', at: vn('2025-06-02T17:45:00'), direction: 'out' as const },
    ];
    const fold = (ps: typeof punches) => ps.reduce<ReturnType<typeof mergePunch> | undefined>((r, p) => mergePunch(r, p, TZ), undefined)!;
    const a = fold(punches);
    const b = fold([...punches].reverse().concat(punches));
    expect(b).toEqual(a);
    expect(attendanceRows(attendanceLine(a, TZ))).toEqual([{ person: 'W-1', day: '2025-06-02', firstIn: '07:31', lastOut: '17:45', hours: 10.23 }]);
    expect(attendanceLine(a, TZ)).toMatchObject({ days: 1, totalHours: 10.23 });
  });

  it('files a punch after local midnight under the next day (UTC says otherwise)', () => {
    const r = mergePunch(undefined, { person: 'W-1', at: new Date('2025-06-30T17:30:00Z'), direction: 'in' }, TZ);
    expect(r.month).toBe('2025-07');
    expect(r.firstIn.findIndex((m) => m !== null)).toBe(0);
  });

  it('a day without an exit has no hours', () => {
    const r = mergePunch(undefined, { person: 'W-1', at: vn('2025-06-02T07:00:00'), direction: 'in' }, TZ);
    expect(attendanceRows(attendanceLine(r, TZ))[0]).toMatchObject({ firstIn: '07:00', lastOut: null, hours: null });
  });
});

describe('visitor pass QR', () => {
  const pass = { site: 'nha-may-1', invitation: 'I-1', visitor: 'V-1', from: new Date('2025-06-02T01:00:00Z'), until: new Date('2025-06-02T10:00:00Z') };
  const code = signPass(keys.pass, pass);
  const at = new Date('2025-06-02T02:00:00Z');

  it('opens within its window at its site', () => {
    expect(verifyPass(keys.pass, code, 'nha-may-1', at)).toEqual({ ok: true, pass });
  });

  it('is refused when altered, unsigned, signed by another key, elsewhere or outside its window', () => {
    const [p, body, sig] = code.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), u: 4102444800 })).toString('base64url');
    expect(verifyPass(keys.pass, `${p}.${forged}.${sig}`, 'nha-may-1', at)).toEqual({ ok: false, problem: 'PASS_SIGNATURE_INVALID' });
    expect(verifyPass(keys.pass, `${p}.${body}`, 'nha-may-1', at)).toEqual({ ok: false, problem: 'PASS_MALFORMED' });
    expect(verifyPass(deriveSiteKeys(Buffer.alloc(32, 8)).pass, code, 'nha-may-1', at)).toEqual({ ok: false, problem: 'PASS_SIGNATURE_INVALID' });
    expect(verifyPass(keys.pass, code, 'nha-may-2', at)).toEqual({ ok: false, problem: 'PASS_OTHER_SITE' });
    expect(verifyPass(keys.pass, code, 'nha-may-1', new Date('2025-06-02T00:59:00Z'))).toEqual({ ok: false, problem: 'PASS_NOT_YET_VALID' });
    expect(verifyPass(keys.pass, code, 'nha-may-1', new Date('2025-06-02T10:00:00Z'))).toEqual({ ok: false, problem: 'PASS_EXPIRED' });
    expect(verifyPass(keys.pass, 'GV1.' + 'A'.repeat(500), 'nha-may-1', at)).toEqual({ ok: false, problem: 'PASS_MALFORMED' });
    expect(verifyPass(keys.pass, 'https://example.com', 'nha-may-1', at)).toEqual({ ok: false, problem: 'PASS_MALFORMED' });
  });
});

describe('invitations', () => {
  const now = new Date('2025-06-02T00:00:00Z');
  const request = { idNumber: '079203001234', name: 'Trần Thị Bích', host: 'W-9', purpose: 'Họp', from: '2025-06-02T08:00:00+07:00', until: '2025-06-02T17:00:00+07:00' };

  it('checks the window and normalises the plate', () => {
    expect(checkInvitation({ ...request, plate: '51f 12345' }, now)).toEqual({ from: '2025-06-02T01:00:00.000Z', until: '2025-06-02T10:00:00.000Z', plate: '51F-123.45' });
    expect(() => checkInvitation({ ...request, until: request.from }, now)).toThrow(/end after/);
    expect(() => checkInvitation({ ...request, until: '2025-06-20T17:00:00+07:00' }, now)).toThrow(/at most 7 days/);
    expect(() => checkInvitation({ ...request, plate: 'ABC' }, now)).toThrow(/plate/);
    expect(() => checkInvitation(request, new Date('2025-06-03T00:00:00Z'))).toThrow(/already ended/);
    expect(normalisePlate('29A-1234')).toBe('29A-1234');
    expect(normalisePlate('30E1-123.45')).toBe('30E1-123.45');
  });

  const inv = (over: Partial<InvitationRecord> = {}): { key: string; body: InvitationRecord } => ({
    key: 'I-1',
    body: { idRef: ref, name: 'Trần Thị Bích', host: 'W-9', hostName: 'Lê Văn Cường', purpose: 'Họp', from: '2025-06-02T01:00:00.000Z', until: '2025-06-02T10:00:00.000Z', group: 'visitors', status: 'invited', walkIn: false, createdBy: 'admin', createdAt: '2025-06-01T00:00:00.000Z', ...over },
  });

  it('finds the open invitation for this ID within the window, allowing an early arrival', () => {
    const list = [inv(), inv({ status: 'cancelled' }), inv({ idRef: 'f'.repeat(64) })];
    expect(findInvitation(list, ref, new Date('2025-06-02T00:40:00Z'), 30)).toBe(list[0]);
    expect(findInvitation(list, ref, new Date('2025-06-02T00:20:00Z'), 30)).toBeUndefined();
    expect(findInvitation(list, ref, new Date('2025-06-02T10:00:00Z'), 30)).toBeUndefined();
    expect(findInvitation([inv({ status: 'cancelled' })], ref, new Date('2025-06-02T02:00:00Z'), 30)).toBeUndefined();
  });

  it('moves one way, and the end of the window expires or checks out', () => {
    const arrived = moveInvitation(inv().body, 'arrived', { visitor: 'V-1' });
    expect(arrived).toMatchObject({ status: 'arrived', visitor: 'V-1' });
    expect(() => moveInvitation(arrived, 'invited')).toThrow(/cannot become invited/);
    expect(moveInvitation(inv({ status: 'awaiting-host', walkIn: true }).body, 'invited').status).toBe('invited');
    const end = new Date('2025-06-02T10:00:00Z');
    expect(endOfWindow(inv().body, end)).toBe('expired');
    expect(endOfWindow(arrived, end)).toBe('checked-out');
    expect(endOfWindow(arrived, new Date('2025-06-02T09:59:59Z'))).toBeUndefined();
    expect(endOfWindow(moveInvitation(arrived, 'checked-out'), end)).toBeUndefined();
  });
});

describe('statistics', () => {
  it('counts by age band, sex, provinces of birth and residence, department', () => {
    const s = peopleStatistics(
      [
        worker(),
        worker({ profile: { birthYear: 2003, sex: 'F', birthProvinceCode: '001', residenceProvince: 'Bình Dương' }, department: 'Kho' }),
        worker({ kind: 'visitor', profile: { birthYear: 1960, sex: 'F', birthProvinceCode: '999' }, department: undefined }),
      ],
      2025,
    );
    expect(s.total).toBe(3);
    expect(s.byAgeBand).toEqual({ '<25': 1, '25-34': 0, '35-44': 1, '45-54': 0, '55+': 1 });
    expect(s.bySex).toEqual({ M: 1, F: 2 });
    expect(s.byBirthProvince).toEqual({ 'Hồ Chí Minh': 1, 'Hà Nội': 1, '?': 1 });
    expect(s.byResidenceProvince).toEqual({ 'Hồ Chí Minh': 1, 'Bình Dương': 1, '?': 1 });
    expect(s.byDepartment).toEqual({ 'Lắp ráp': 1, Kho: 1, '?': 1 });
    expect(s.byKind).toEqual({ worker: 2, visitor: 1 });
    expect(ageBand(2000, 2025)).toBe('25-34');
  });

  it('reads the province from the last part of a chip address, with or without its prefix and diacritics', () => {
    expect(provinceOfAddress('Số 12, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh')).toBe('Hồ Chí Minh');
    expect(provinceOfAddress('Thôn 3, Xã Hòa Phú, Tỉnh Thừa Thiên Huế')).toBe('Thừa Thiên Huế');
    expect(provinceOfAddress('Phường Hải Châu, Thành phố Đà Nẵng')).toBe('Đà Nẵng');
    expect(provinceOfAddress('Xã Long Sơn, Tinh Ba Ria - Vung Tau')).toBe('Bà Rịa - Vũng Tàu');
    expect(provinceOfAddress('Phường Mới, Tỉnh Tây Nguyên Mới')).toBe('Tây Nguyên Mới');
    expect(provinceOfAddress(undefined)).toBeUndefined();
  });
});

describe('identity keys', () => {
  it('derives three different keys, and a stable, keyed person key', () => {
    expect(new Set([keys.lookup.toString('hex'), keys.seal.toString('hex'), keys.pass.toString('hex')]).size).toBe(3);
    expect(idRefOf(keys.lookup, '079203001234')).toBe(ref);
    expect(idRefOf(deriveSiteKeys(Buffer.alloc(32, 9)).lookup, '079203001234')).not.toBe(ref);
    expect(personKeyOf('worker', ref)).toMatch(/^W-[0-9a-f]{24}$/);
    expect(personKeyOf('worker', ref)).not.toContain('079203001234');
  });
});

describe('CSV and the roster', () => {
  it('round-trips quotes, commas, line breaks and Vietnamese, and defuses formulas', () => {
    const csv = toCsv(['a', 'b'], [['Nguyễn "Út", Ba', 'x\ny'], ['=HYPERLINK("x")', 42]]);
    expect(csv).toContain("'=HYPERLINK");
    expect(parseCsv(csv)).toEqual([['a', 'b'], ['Nguyễn "Út", Ba', 'x\ny'], ["'=HYPERLINK(\"x\")", '42']]);
    expect(() => parseCsv('"open')).toThrow(/not closed/);
  });

  it('exports workers and imports what HR owns, reporting rows it cannot apply', () => {
    const csv = rosterCsv([worker(), worker({ kind: 'visitor', employeeNo: undefined })]);
    expect(parseCsv(csv)).toHaveLength(2);
    const result = parseRoster('\ufeffEmployee_No,Name,Department,Group,Active\r\nNV001,x,Kho,night,no\r\nNV404,y,,,\r\nNV001,,,nope,\r\nNV001,,,,maybe\r\n', new Set(['NV001']), new Set(['night', 'day']));
    expect(result.changes).toEqual([{ employeeNo: 'NV001', department: 'Kho', group: 'night', active: false }]);
    expect(result.problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(parseRoster('name\r\nx\r\n', new Set(), new Set()).problems[0]!.problem).toMatch(/employee_no/);
  });
});

describe('settings', () => {
  it('names areas and doors that point nowhere, and a door terminal without its door', () => {
    expect(settingsProblems(settings)).toEqual([]);
    const bad = gateConfig.parse({ ...settings, role: 'door', door: undefined, areas: [{ id: 'a', name: 'A', parent: 'zz' }], doors: [{ ...settings.doors[0]!, area: 'b' }] });
    expect(settingsProblems(bad)).toEqual(['site.areas.0.parent: no area "zz"', 'site.doors.0.area: no area "b"', 'site.door: a door terminal names the door it drives']);
  });

  it('local time knows the weekday on the site\'s clock', () => {
    expect(localTime(new Date('2025-06-01T17:00:00Z'), TZ)).toEqual({ day: '2025-06-02', weekday: 'mon', minute: 0 });
  });
});

describe('the site\'s wall clock', () => {
  it('agrees with Intl over a year, across daylight-saving changes, at every quarter hour', () => {
    for (const zone of ['Asia/Ho_Chi_Minh', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe']) {
      const f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
      for (let t = Date.parse('2025-01-01T00:07:00Z'); t < Date.parse('2026-01-01T00:00:00Z'); t += 7 * 3_600_000 + 13 * 60_000) {
        const p = Object.fromEntries(f.formatToParts(new Date(t)).map((x) => [x.type, x.value]));
        const l = localTime(new Date(t), zone);
        expect(l).toEqual({ day: `${p.year}-${p.month}-${p.day}`, weekday: p.weekday!.toLowerCase().slice(0, 3), minute: Number(p.hour) * 60 + Number(p.minute) });
      }
    }
  });
});
