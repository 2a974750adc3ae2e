/**
 * The guard's and HR's reports, read from the site store through its fast paths: the history by
 * person reads the log by subject, a timesheet reads one attendance collection per month, the
 * logbook one day of the log. Names come from the directory (the station's copy); never an ID number.
 */
import { KioskError } from '../../../core/errors.ts';
import type { SiteStore, StoredEvent } from '../../../core/site-store/site-store.ts';
import type { GateSettings } from '../common/config.ts';
import { localTime, nextDay, startOfLocalDay } from '../common/local-time.ts';
import { EVENT_KINDS, type PersonRecord } from '../common/records.ts';
import type { HistoryRow, LogbookLine, Who } from '../common/report-rows.ts';
import { peopleStatistics, perDay, type PeopleStatistics } from '../common/statistics.ts';
import { monthAttendance, type AccessEventData } from './attendance.ts';
import type { GateDirectory } from './directory.ts';

export interface ReportDeps {
  readonly store: SiteStore;
  readonly directory: GateDirectory;
  readonly settings: GateSettings;
  readonly clock: () => Date;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const invalid = (message: string) => new KioskError('GATE_REPORT_INVALID', message);

/** [from, to] local days (inclusive) as the store's [from, to) instants; at most `maxDays`. */
export function dayRange(from: string, to: string, timeZone: string, maxDays: number): { from: string; to: string } {
  if (!DAY_RE.test(from) || !DAY_RE.test(to)) throw invalid('a day is YYYY-MM-DD');
  if (to < from) throw invalid('the range ends before it starts');
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (!(days <= maxDays)) throw invalid(`at most ${maxDays} days at once`);
  return { from: startOfLocalDay(from, timeZone).toISOString(), to: startOfLocalDay(nextDay(to), timeZone).toISOString() };
}

/** Names in Vietnamese order (one collator: a timesheet sorts a hundred thousand rows). */
const byName = new Intl.Collator('vi').compare;
const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().trim();

/** The people whose name contains `text` (accents and case ignored) or whose employee number is `text`; at most `max`. */
export function findPeople(directory: GateDirectory, text: string, max = 50): string[] {
  const q = fold(text);
  if (!q) return [];
  const keys: string[] = [];
  for (const [key, p] of directory.people) {
    if (fold(p.name).includes(q) || (p.employeeNo !== undefined && fold(p.employeeNo) === q)) keys.push(key);
    if (keys.length >= max) break;
  }
  for (const [key, b] of directory.blocklist) if (keys.length < max && fold(b.name).includes(q)) keys.push(key);
  return keys;
}

export function who(directory: GateDirectory, key: string | undefined): Who {
  const p: PersonRecord | undefined = key === undefined ? undefined : directory.people.get(key);
  if (p) return { name: p.name, employeeNo: p.employeeNo ?? null, department: p.department ?? null };
  const b = key === undefined ? undefined : directory.blocklist.get(key);
  return { name: b?.name ?? null, employeeNo: null, department: null };
}

// ---- History -------------------------------------------------------------------------------------

/** Where a page of history ends: the next page starts strictly after it (newest first). */
export interface Cursor {
  readonly at: string;
  readonly seq: number;
}

export interface HistoryQuery {
  readonly person?: string;
  readonly door?: string;
  readonly from: string;
  readonly to: string;
  readonly before?: Cursor;
  readonly limit: number;
}

const newestFirst = (a: StoredEvent, b: StoredEvent) => (a.at === b.at ? b.seq - a.seq : a.at < b.at ? 1 : -1);
const afterCursor = (c: Cursor | undefined) => (e: StoredEvent) => !c || e.at < c.at || (e.at === c.at && e.seq < c.seq);
/** Events read at most for one page filtered by door (then the page ends early, with a cursor to go on). */
const MAX_SCAN = 20_000;
const BATCH = 2_000;

/** A page of passages, newest first, by person (the log's subject index), door and local days. */
export async function history(d: ReportDeps, q: HistoryQuery): Promise<{ rows: HistoryRow[]; next: Cursor | null }> {
  const range = dayRange(q.from, q.to, d.settings.timeZone, 366);
  const upper = q.before ? new Date(Math.min(Date.parse(range.to), Date.parse(q.before.at) + 1)).toISOString() : range.to;
  const keep = afterCursor(q.before);
  const door = (e: StoredEvent) => q.door === undefined || (e.data as AccessEventData).door === q.door;
  let found: StoredEvent[] = [];
  let more = false;
  if (q.person !== undefined && q.person.trim() !== '') {
    // By subject: each person's own events, merged; a few extra absorb same-instant events at the
    // cursor, and a door filter reads deeper. A full batch means there may be more before it.
    const subjects = findPeople(d.directory, q.person);
    const perSubject = q.door === undefined ? q.limit + 20 : BATCH;
    const each = await Promise.all(subjects.map((subject) => d.store.events({ kind: EVENT_KINDS.access, subject, from: range.from, to: upper, limit: perSubject })));
    // Below the newest of the full batches' oldest events, what was read is incomplete: cut there.
    const horizon = each.filter((b) => b.length === perSubject).map((b) => b[b.length - 1]!).sort(newestFirst)[0];
    found = each.flat().filter(keep).filter(door).filter((e) => !horizon || newestFirst(e, horizon) <= 0).sort(newestFirst);
    more = found.length > q.limit || horizon !== undefined;
    if (found.length === 0 && horizon) return { rows: [], next: { at: horizon.at, seq: horizon.seq } };
  } else {
    let to = upper;
    for (let scanned = 0; scanned < MAX_SCAN && found.length <= q.limit; ) {
      const batch = await d.store.events({ kind: EVENT_KINDS.access, from: range.from, to, limit: BATCH });
      scanned += batch.length;
      found.push(...batch.filter(keep).filter(door));
      if (batch.length < BATCH) break;
      const oldest = batch[batch.length - 1]!;
      to = new Date(Date.parse(oldest.at) + 1).toISOString(); // same-instant events come again; the cursor and a seq set drop them
      more = true;
    }
    const seen = new Set<number>();
    found = found.filter((e) => !seen.has(e.seq) && seen.add(e.seq)).sort(newestFirst);
    more = more || found.length > q.limit;
  }
  const page = found.slice(0, q.limit);
  const doorName = (id: string) => d.settings.doors.find((x) => x.id === id)?.name ?? id;
  const rows = page.map((e): HistoryRow => {
    const a = e.data as AccessEventData;
    return { at: e.at, seq: e.seq, door: a.door === 'auto' ? 'auto' : doorName(a.door), direction: a.direction, method: a.method, decision: a.decision, reason: a.reason ?? null, visitor: a.visitor === true, ...who(d.directory, e.subject) };
  });
  const last = page[page.length - 1];
  return { rows, next: more && last ? { at: last.at, seq: last.seq } : null };
}

// ---- Attendance ----------------------------------------------------------------------------------

export interface AttendanceReportRow extends Who {
  readonly person: string;
  readonly day: string;
  readonly firstIn: string | null;
  readonly lastOut: string | null;
  readonly hours: number | null;
}

/** Months (YYYY-MM) the local days [from, to] touch. */
function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let y = Number(from.slice(0, 4)), m = Number(from.slice(5, 7)); `${y}-${String(m).padStart(2, '0')}` <= to.slice(0, 7); m === 12 ? ((m = 1), y++) : m++) out.push(`${y}-${String(m).padStart(2, '0')}`);
  return out;
}

/**
 * Per person and day in [from, to]: first in, last out, hours; by day, then name. One collection
 * read per month; the people are sorted once per month and the rows laid out day by day (a month
 * of 5,000 people is 125,000 rows: no comparison sort over them). At most `limit` rows are made;
 * `total` counts them all.
 */
export async function attendanceReport(d: ReportDeps, q: { from: string; to: string; person?: string }, limit = Infinity): Promise<{ rows: AttendanceReportRow[]; total: number }> {
  dayRange(q.from, q.to, d.settings.timeZone, 93);
  const only = q.person !== undefined && q.person.trim() !== '' ? new Set(findPeople(d.directory, q.person)) : undefined;
  const rows: AttendanceReportRow[] = [];
  let total = 0;
  for (const month of monthsOf(q.from, q.to)) {
    const lines = (await monthAttendance(d.store, month, d.settings.timeZone))
      .filter((line) => !only || only.has(line.person))
      .map((line) => ({ line, who: who(d.directory, line.person) }))
      .sort((a, b) => byName(a.who.name ?? '', b.who.name ?? ''));
    for (let i = 0; i < 31; i++) {
      const day = `${month}-${String(i + 1).padStart(2, '0')}`;
      if (day < q.from || day > q.to) continue;
      for (const { line, who: w } of lines) {
        const firstIn = line.firstIn[i] ?? null, lastOut = line.lastOut[i] ?? null;
        if (firstIn === null && lastOut === null) continue;
        // Beyond `limit` (the screen's page) rows are counted, not made.
        if (total++ >= limit) continue;
        rows.push({ person: line.person, day, firstIn, lastOut, hours: line.hours[i] ?? null, name: w.name, employeeNo: w.employeeNo, department: w.department });
      }
    }
  }
  return { rows, total };
}

// ---- The duty logbook ----------------------------------------------------------------------------

const KIND_OF: Record<string, LogbookLine['kind']> = { [EVENT_KINDS.access]: 'access', [EVENT_KINDS.alarm]: 'alarm', [EVENT_KINDS.visit]: 'visit', [EVENT_KINDS.enrolment]: 'enrolment', [EVENT_KINDS.admin]: 'admin' };
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Every event of one local day, oldest first, as the logbook's lines. */
export async function logbook(d: ReportDeps, day: string): Promise<LogbookLine[]> {
  const range = dayRange(day, day, d.settings.timeZone, 1);
  const events: StoredEvent[] = [];
  const seen = new Set<number>();
  for (let to = range.to; ; ) {
    const batch = await d.store.events({ from: range.from, to, limit: 10_000 });
    for (const e of batch) {
      if (seen.has(e.seq) || !e.kind.startsWith('gate-')) continue;
      seen.add(e.seq);
      events.push(e);
    }
    if (batch.length < 10_000) break;
    const next = new Date(Date.parse(batch[batch.length - 1]!.at) + 1).toISOString();
    if (next >= to) throw invalid('more than 10,000 events in one millisecond');
    to = next;
  }
  const doorName = (id: string | null) => (id === null ? null : id === 'auto' ? 'auto' : (d.settings.doors.find((x) => x.id === id)?.name ?? id));
  return events.sort((a, b) => -newestFirst(a, b)).map((e): LogbookLine => {
    const data = (e.data ?? {}) as Record<string, unknown>;
    const kind = KIND_OF[e.kind] ?? 'other';
    const base = { at: e.at, door: doorName(str(data.door)), direction: data.direction === 'in' || data.direction === 'out' ? (data.direction as 'in' | 'out') : null, name: who(d.directory, e.subject).name, note: null, by: null };
    if (kind === 'alarm' && typeof data.acknowledged === 'number') return { ...base, kind: 'acknowledged', what: String(data.reason ?? 'BLOCKLISTED'), note: str(data.note), by: str(data.by) };
    if (kind === 'access') return { ...base, kind, what: data.decision === 'opened' ? 'opened' : String(data.reason ?? 'refused') };
    if (kind === 'alarm') return { ...base, kind, what: String(data.reason ?? '') };
    if (kind === 'visit') return { ...base, kind, what: String(data.status ?? '') };
    return { ...base, kind, what: str(data.action) ?? e.kind };
  });
}

// ---- Statistics and the evacuation list ----------------------------------------------------------

export interface MusterEntry extends Who {
  readonly visitor: boolean;
  readonly plate: string | null;
  readonly since: string;
}

export interface GateStatistics {
  readonly at: string;
  /** Who is inside each area now: the evacuation (muster) list, with counts and visitors' vehicles. */
  readonly areas: readonly { id: string; name: string; inside: number; workers: number; visitors: number; vehicles: number; people: readonly MusterEntry[] }[];
  /** The active workforce by age band, sex, province, department. */
  readonly workforce: PeopleStatistics;
  /** Visitors who arrived, per local day, over the last `days`. */
  readonly visitorsPerDay: Readonly<Record<string, number>>;
}

export async function statistics(d: ReportDeps, days = 14): Promise<GateStatistics> {
  const now = d.clock();
  const { timeZone } = d.settings;
  // A visitor's vehicle: the plate on the invitation they arrived with.
  const plates = new Map<string, string>();
  for (const i of d.directory.invitations.values()) if (i.visitor !== undefined && i.status === 'arrived' && i.plate) plates.set(i.visitor, i.plate);
  const areas = await Promise.all(
    d.settings.areas.map(async (a) => {
      const people = (await d.store.inside(a.id))
        .map((p): MusterEntry => ({ ...who(d.directory, p.subject), visitor: d.directory.people.get(p.subject)?.kind === 'visitor', plate: plates.get(p.subject) ?? null, since: p.since }))
        .sort((x, y) => byName(x.name ?? '', y.name ?? ''));
      const visitors = people.filter((p) => p.visitor);
      return { id: a.id, name: a.name, inside: people.length, workers: people.length - visitors.length, visitors: visitors.length, vehicles: visitors.filter((p) => p.plate !== null).length, people };
    }),
  );
  const workers = [...d.directory.people.values()].filter((p) => p.kind === 'worker' && p.active);
  const since = startOfLocalDay(localTime(new Date(now.getTime() - (days - 1) * 86_400_000), timeZone).day, timeZone).toISOString();
  const arrivals = (await d.store.events({ kind: EVENT_KINDS.visit, from: since, limit: 10_000 })).filter((e) => (e.data as { status?: string }).status === 'arrived');
  const dayList: string[] = [];
  for (let day = localTime(new Date(since), timeZone).day, today = localTime(now, timeZone).day; day <= today; day = nextDay(day)) dayList.push(day);
  const counted = perDay(arrivals.map((e) => localTime(new Date(e.at), timeZone).day));
  return {
    at: now.toISOString(),
    areas,
    workforce: peopleStatistics(workers, Number(localTime(now, timeZone).day.slice(0, 4))),
    visitorsPerDay: Object.fromEntries(dayList.map((day) => [day, counted[day] ?? 0])),
  };
}
