/**
 * Week plans and holidays: when an access group may pass. A plan lists, per weekday, the times of
 * day it allows ("07:00-19:00"); on a day the site's holiday list names, the plan's `holiday` times
 * apply instead (none: closed). A night shift is two intervals on two days ("22:00-24:00" on Monday,
 * "00:00-06:00" on Tuesday): each day stands alone, so a holiday never half-opens a night.
 */
import { z } from 'zod';
import { localTime, minuteOfDay, WEEKDAYS, type Weekday } from './local-time.ts';

const interval = z
  .string()
  .regex(/^\d{2}:\d{2}-\d{2}:\d{2}$/, 'a time interval such as 07:00-19:00')
  .refine((s) => {
    try {
      const [from, to] = s.split('-') as [string, string];
      return minuteOfDay(from) < minuteOfDay(to);
    } catch {
      return false;
    }
  }, 'an interval within one day whose start is before its end (24:00 ends the day)');

const day = z.array(interval).max(8).default([]);

export const weekPlan = z
  .object({
    name: z.string().min(1).max(100),
    mon: day, tue: day, wed: day, thu: day, fri: day, sat: day, sun: day,
    /** The times allowed on a holiday (default: none). */
    holiday: day,
  })
  .strict();
export type WeekPlan = z.infer<typeof weekPlan>;

/** Every day, all day: what a plan that names no limits means (Hikvision's template 1). */
export const ALWAYS: WeekPlan = weekPlan.parse(Object.fromEntries([['name', '24/7'], ...[...WEEKDAYS, 'holiday'].map((d) => [d, ['00:00-24:00']])]));

/** No day, no time: what a group whose plan is missing allows (never "always" by accident). */
export const NEVER: WeekPlan = weekPlan.parse({ name: 'never' });

export const holiday = z.object({ name: z.string().min(1).max(100) }).strict();

/** Whether `plan` allows `at` in `timeZone`, given the site's holiday days (YYYY-MM-DD). */
export function scheduleAllows(plan: WeekPlan, at: Date, timeZone: string, holidays: ReadonlySet<string>): boolean {
  const t = localTime(at, timeZone);
  const intervals = holidays.has(t.day) ? plan.holiday : plan[t.weekday as Weekday];
  return intervals.some((i) => {
    const [from, to] = i.split('-') as [string, string];
    return t.minute >= minuteOfDay(from) && t.minute < minuteOfDay(to);
  });
}
