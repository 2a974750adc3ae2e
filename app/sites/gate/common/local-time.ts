/**
 * What an instant is on the site's wall clock: the day, the weekday and the minute of the day in
 * the site's IANA time zone. Schedules, attendance days and reports all read time through here.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface LocalTime {
  /** YYYY-MM-DD */
  readonly day: string;
  readonly weekday: Weekday;
  /** Minutes since local midnight, 0…1439. */
  readonly minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** Offsets from UTC by zone, then by quarter hour: zones change offset only on such boundaries. */
const offsets = new Map<string, Map<number, number>>();
const QUARTER = 15 * 60_000;

/** Minutes the zone's wall clock is ahead of UTC at `t` (ms since 1970). */
function offsetAt(t: number, timeZone: string): number {
  let zone = offsets.get(timeZone);
  if (!zone) offsets.set(timeZone, (zone = new Map()));
  const bucket = Math.floor(t / QUARTER);
  let minutes = zone.get(bucket);
  if (minutes === undefined) {
    let f = formatters.get(timeZone);
    if (!f) {
      f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
      formatters.set(timeZone, f);
    }
    const start = bucket * QUARTER;
    const p: Record<string, number> = {};
    for (const part of f.formatToParts(new Date(start))) if (part.type !== 'literal') p[part.type] = Number(part.value);
    minutes = Math.round((Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - start) / 60_000);
    if (zone.size > 100_000) zone.clear();
    zone.set(bucket, minutes);
  }
  return minutes;
}

/** The minute of the local day of an instant given in whole minutes since 1970 (the fast path of reports). */
export function localMinuteOfDay(epochMinute: number, timeZone: string): number {
  const wall = epochMinute + offsetAt(epochMinute * 60_000, timeZone);
  return ((wall % 1440) + 1440) % 1440;
}

export function localTime(at: Date, timeZone: string): LocalTime {
  const wall = new Date(at.getTime() + offsetAt(at.getTime(), timeZone) * 60_000);
  return {
    day: wall.toISOString().slice(0, 10),
    // getUTCDay: Sunday 0 … Saturday 6.
    weekday: WEEKDAYS[(wall.getUTCDay() + 6) % 7]!,
    minute: wall.getUTCHours() * 60 + wall.getUTCMinutes(),
  };
}

/** "07:30" → 450; "24:00" is the end of the day (1440). */
export function minuteOfDay(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/.exec(hhmm);
  if (!m) throw new RangeError(`not a time of day: ${hhmm.slice(0, 8)}`);
  return m[1] === undefined ? 1440 : Number(m[1]) * 60 + Number(m[2]);
}

/** 450 → "07:30". */
export function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

/** The instant a wall-clock time of the site shows ("2025-06-02", "07:30"); a time skipped by a clock change reads as after it. */
export function instantAt(day: string, time: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  // Date.UTC rolls a 13th month or a 31 February over into the next: such a day is no day.
  if (!m || date!.getUTCMonth() !== Number(m[2]) - 1 || date!.getUTCDate() !== Number(m[3])) throw new RangeError(`not a day: ${day.slice(0, 12)}`);
  const wall = date!.getTime() + minuteOfDay(time) * 60_000;
  // The offset at the guess, then at the corrected instant (they differ only next to a change).
  const first = wall - offsetAt(wall, timeZone) * 60_000;
  return new Date(wall - offsetAt(first, timeZone) * 60_000);
}

/** The instant a local day (YYYY-MM-DD) begins in the zone: a report's "from" and "to" are local days. */
export function startOfLocalDay(day: string, timeZone: string): Date {
  return instantAt(day, '00:00', timeZone);
}

/** The local day after `day`. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
