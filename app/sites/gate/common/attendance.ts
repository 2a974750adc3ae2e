/**
 * Attendance: per person and local day, the first entry and the last exit through the site's outer
 * doors, and the hours between them. Kept as one record per person and month, merged by min and
 * max so that any order or repetition of the same passages gives the same record.
 */
import type { AttendanceRecord } from './records.ts';
import { hhmm, localTime } from './local-time.ts';

export interface Punch {
  readonly person: string;
  readonly at: Date;
  readonly direction: 'in' | 'out';
}

export const attendanceKey = (month: string, person: string) => `${month}:${person}`;

/** The month record after one punch (the record is not changed; undefined `current` starts one). */
export function mergePunch(current: AttendanceRecord | undefined, punch: Punch, timeZone: string): AttendanceRecord {
  const { day } = localTime(punch.at, timeZone);
  const month = day.slice(0, 7);
  const base: AttendanceRecord = current ?? { person: punch.person, month, days: {} };
  if (base.person !== punch.person || base.month !== month) throw new RangeError('the punch belongs to another person or month');
  const dd = day.slice(8);
  const was = base.days[dd] ?? {};
  const iso = punch.at.toISOString();
  const next =
    punch.direction === 'in'
      ? { ...was, firstIn: was.firstIn === undefined || iso < was.firstIn ? iso : was.firstIn }
      : { ...was, lastOut: was.lastOut === undefined || iso > was.lastOut ? iso : was.lastOut };
  return { ...base, days: { ...base.days, [dd]: next } };
}

/** Whether merging changed anything (so an unchanged record is not written again). */
export function samePunches(a: AttendanceRecord | undefined, b: AttendanceRecord): boolean {
  return a !== undefined && JSON.stringify(a.days) === JSON.stringify(b.days);
}

export interface AttendanceRow {
  readonly person: string;
  readonly day: string;
  /** Local HH:MM, or null when missing (forgot to badge, or still inside). */
  readonly firstIn: string | null;
  readonly lastOut: string | null;
  /** Hours from first entry to last exit, to the minute; null unless both exist in that order. */
  readonly hours: number | null;
}

/** The rows of one month record, by day. */
export function attendanceRows(record: AttendanceRecord, timeZone: string): AttendanceRow[] {
  return Object.keys(record.days)
    .sort()
    .map((dd) => {
      const d = record.days[dd]!;
      const inAt = d.firstIn ? new Date(d.firstIn) : undefined;
      const outAt = d.lastOut ? new Date(d.lastOut) : undefined;
      const minutes = inAt && outAt && outAt > inAt ? Math.round((outAt.getTime() - inAt.getTime()) / 60_000) : null;
      return {
        person: record.person,
        day: `${record.month}-${dd}`,
        firstIn: inAt ? hhmm(localTime(inAt, timeZone).minute) : null,
        lastOut: outAt ? hhmm(localTime(outAt, timeZone).minute) : null,
        hours: minutes === null ? null : Math.round((minutes / 60) * 100) / 100,
      };
    });
}
