/**
 * Attendance: per person and local day, the first entry and the last exit through the site's outer
 * doors, and the hours between them. Kept as one record per person and month, merged by min and
 * max so that any order or repetition of the same passages gives the same record.
 */
import type { AttendanceRecord } from './records.ts';
import { hhmm, localMinuteOfDay, localTime } from './local-time.ts';

export interface Punch {
  readonly person: string;
  readonly at: Date;
  readonly direction: 'in' | 'out';
}

const empty = (): (number | null)[] => Array.from({ length: 31 }, () => null);

/** The month record after one punch (the record is not changed; undefined `current` starts one). */
export function mergePunch(current: AttendanceRecord | undefined, punch: Punch, timeZone: string): AttendanceRecord {
  const { day } = localTime(punch.at, timeZone);
  const month = day.slice(0, 7);
  const base: AttendanceRecord = current ?? { person: punch.person, month, firstIn: empty(), lastOut: empty() };
  if (base.person !== punch.person || base.month !== month) throw new RangeError('the punch belongs to another person or month');
  const i = Number(day.slice(8)) - 1;
  const minute = Math.floor(punch.at.getTime() / 60_000);
  if (punch.direction === 'in') {
    const was = base.firstIn[i] ?? null;
    if (was !== null && was <= minute) return base;
    return { ...base, firstIn: base.firstIn.map((v, j) => (j === i ? minute : v)) };
  }
  const was = base.lastOut[i] ?? null;
  if (was !== null && was >= minute) return base;
  return { ...base, lastOut: base.lastOut.map((v, j) => (j === i ? minute : v)) };
}

/** One person's month as a timesheet line: per day of the month (index 0 = the 1st), local HH:MM and hours. */
export interface AttendanceLine {
  readonly person: string;
  readonly month: string;
  /** Local HH:MM of the first entry / last exit, or null (no passage, forgot to badge, still inside). */
  readonly firstIn: readonly (string | null)[];
  readonly lastOut: readonly (string | null)[];
  /** Hours from first entry to last exit, to the minute; null unless both exist in that order. */
  readonly hours: readonly (number | null)[];
  /** Days with any passage, and their hours summed. */
  readonly days: number;
  readonly totalHours: number;
}

/** "00:00" … "23:59", made once: a month's timesheet shows a quarter of a million of them. */
const CLOCK = Array.from({ length: 1440 }, (_, m) => hhmm(m));

export function attendanceLine(record: AttendanceRecord, timeZone: string): AttendanceLine {
  const local = (minute: number | null) => (minute === null ? null : CLOCK[localMinuteOfDay(minute, timeZone)]!);
  const hours = record.firstIn.map((first, i) => {
    const last = record.lastOut[i] ?? null;
    return first !== null && last !== null && last > first ? Math.round(((last - first) / 60) * 100) / 100 : null;
  });
  return {
    person: record.person,
    month: record.month,
    firstIn: record.firstIn.map(local),
    lastOut: record.lastOut.map(local),
    hours,
    days: record.firstIn.filter((v, i) => v !== null || record.lastOut[i] !== null).length,
    totalHours: Math.round(hours.reduce<number>((a, h) => a + (h ?? 0), 0) * 100) / 100,
  };
}

export interface AttendanceRow {
  readonly person: string;
  readonly day: string;
  readonly firstIn: string | null;
  readonly lastOut: string | null;
  readonly hours: number | null;
}

/** A timesheet line as one row per day with a passage (the CSV export's rows). */
export function attendanceRows(line: AttendanceLine): AttendanceRow[] {
  const rows: AttendanceRow[] = [];
  for (let i = 0; i < 31; i++) {
    const firstIn = line.firstIn[i] ?? null, lastOut = line.lastOut[i] ?? null;
    if (firstIn === null && lastOut === null) continue;
    rows.push({ person: line.person, day: `${line.month}-${String(i + 1).padStart(2, '0')}`, firstIn, lastOut, hours: line.hours[i] ?? null });
  }
  return rows;
}
