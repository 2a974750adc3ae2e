/**
 * Attendance kept current in the site store: one record per person and month, in a collection per
 * month (`gate-attendance-YYYY-MM`), so a month's report reads one collection. A passage merges in
 * by min/max with optimistic concurrency (two doors updating the same person retry, never lose a
 * punch); a record a crash left behind is rebuilt from the event log by `rebuildAttendance`.
 */
import { KioskError } from '../../../core/errors.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { attendanceLine, mergePunch, type AttendanceLine, type Punch } from '../common/attendance.ts';
import { localTime } from '../common/local-time.ts';
import { attendanceRecord, COLLECTIONS, EVENT_KINDS, parseBody, type AttendanceRecord } from '../common/records.ts';

export const attendanceCollection = (month: string) => `${COLLECTIONS.attendance}-${month}`;

const TRIES = 5;

export async function recordPunch(store: SiteStore, punch: Punch, timeZone: string): Promise<void> {
  const month = localTime(punch.at, timeZone).day.slice(0, 7);
  const collection = attendanceCollection(month);
  for (let attempt = 1; ; attempt++) {
    const current = await store.get<AttendanceRecord>(collection, punch.person);
    const before = current && !current.deleted ? parseBody(attendanceRecord, current) : undefined;
    const after = mergePunch(before, punch, timeZone);
    if (after === before) return; // nothing earlier or later than what is kept
    try {
      await store.put(collection, punch.person, after, { ifVersion: before ? current!.version : 0 });
      return;
    } catch (e) {
      if (!(e instanceof KioskError && e.code === 'SITE_STORE_CONFLICT') || attempt >= TRIES) throw e;
    }
  }
}

/** A month's timesheet: one line per person who passed an outer door that month, by person key. */
export async function monthAttendance(store: SiteStore, month: string, timeZone: string): Promise<AttendanceLine[]> {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new KioskError('GATE_REPORT_INVALID', 'a month is YYYY-MM');
  const records = await store.list<AttendanceRecord>(attendanceCollection(month));
  return records.map((r) => attendanceLine(parseBody(attendanceRecord, r), timeZone));
}

/** Outer-area passages of the log, as punches (an inner door's passages are not attendance). */
export interface AccessEventData {
  readonly door: string;
  readonly area: string;
  readonly outer: boolean;
  readonly direction: 'in' | 'out';
  readonly method: 'face' | 'card' | 'qr' | 'auto';
  readonly decision: 'opened' | 'refused';
  readonly reason?: string;
  readonly ruleBroken?: string;
  readonly score?: number;
  readonly visitor?: boolean;
  /** On an alarm event: the site store's alert it raised. */
  readonly alert?: number;
  /** Opened under the door's failure rule, without anti-passback. */
  readonly undecided?: boolean;
}

/** Re-merges every opened outer passage of [from, to) into the attendance records; returns how many passages were read. */
export async function rebuildAttendance(store: SiteStore, from: string, to: string, timeZone: string): Promise<number> {
  let upper = to;
  let n = 0;
  for (;;) {
    const batch = await store.events({ kind: EVENT_KINDS.access, from, to: upper, limit: 10_000 });
    for (const e of batch) {
      const d = e.data as AccessEventData;
      if (e.subject && d.decision === 'opened' && d.outer) await recordPunch(store, { person: e.subject, at: new Date(e.at), direction: d.direction }, timeZone);
    }
    n += batch.length;
    if (batch.length < 10_000) return n;
    // Newest first: the next page ends where this one's oldest began (same-instant events are re-read; merging is idempotent).
    const next = new Date(Date.parse(batch[batch.length - 1]!.at) + 1).toISOString();
    if (next >= upper) throw new KioskError('GATE_REPORT_INVALID', 'more than 10,000 events in one millisecond');
    upper = next;
  }
}
