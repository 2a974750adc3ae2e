/**
 * When things may happen around a departure: check-in opens some hours before and closes some
 * minutes before (the airline's rule, set in the profile per domestic and international flights),
 * and boarding runs from the boarding time until the gate closes. Pure: every rule takes `now`.
 */
import type { Flight } from './contract.ts';

export interface CheckInWindow {
  /** Check-in opens this many minutes before departure (24 h = 1440). */
  readonly opensMinutesBefore: number;
  /** …and closes this many minutes before it (40 for a Vietnamese domestic flight). */
  readonly closesMinutesBefore: number;
}

export interface CheckInWindows {
  readonly domestic: CheckInWindow;
  readonly international: CheckInWindow;
}

export type WindowVerdict =
  | { readonly open: true; readonly closesAt: string }
  | { readonly open: false; readonly code: 'CHECKIN_NOT_OPEN'; readonly opensAt: string }
  | { readonly open: false; readonly code: 'CHECKIN_CLOSED'; readonly closedAt: string };

const MINUTE = 60_000;

/** The instant `minutes` before `at`, written in the same UTC offset as `at` (the airport's). */
export function minutesBefore(at: string, minutes: number): string {
  return withOffsetOf(at, Date.parse(at) - minutes * MINUTE);
}

/** `ms` since the epoch written as an ISO time in the UTC offset of `like` (e.g. +07:00). */
export function withOffsetOf(like: string, ms: number): string {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(like);
  if (!offset) return new Date(ms).toISOString();
  const sign = offset[1] === '-' ? -1 : 1;
  const shift = sign * (Number(offset[2]) * 60 + Number(offset[3])) * MINUTE;
  return new Date(ms + shift).toISOString().slice(0, 19) + `${offset[1]}${offset[2]}:${offset[3]}`;
}

/** Today's date at a Vietnamese airport (one time zone, UTC+7, no summer time): the day of flights and gates. */
export function airportToday(now: Date): string {
  return localParts(withOffsetOf('+07:00', now.getTime())).date;
}

/** The local date and time of an offset date-time as written: `2026-03-15`, `08:30`. */
export function localParts(at: string): { date: string; time: string } {
  return { date: at.slice(0, 10), time: at.slice(11, 16) };
}

export function checkInWindow(flight: Pick<Flight, 'departure' | 'domestic'>, now: Date, windows: CheckInWindows): WindowVerdict {
  const rule = flight.domestic ? windows.domestic : windows.international;
  const opensAt = minutesBefore(flight.departure, rule.opensMinutesBefore);
  const closesAt = minutesBefore(flight.departure, rule.closesMinutesBefore);
  if (now.getTime() < Date.parse(opensAt)) return { open: false, code: 'CHECKIN_NOT_OPEN', opensAt };
  if (now.getTime() >= Date.parse(closesAt)) return { open: false, code: 'CHECKIN_CLOSED', closedAt: closesAt };
  return { open: true, closesAt };
}

export type BoardingVerdict =
  | { readonly open: true }
  | { readonly open: false; readonly code: 'BOARDING_NOT_OPEN' | 'BOARDING_CLOSED'; readonly at: string };

/** Boarding runs from the flight's boarding time until the gate closes, `gateClosesMinutesBefore` departure. */
export function boardingWindow(flight: Pick<Flight, 'departure' | 'boardingTime'>, now: Date, gateClosesMinutesBefore: number): BoardingVerdict {
  const closesAt = minutesBefore(flight.departure, gateClosesMinutesBefore);
  if (now.getTime() < Date.parse(flight.boardingTime)) return { open: false, code: 'BOARDING_NOT_OPEN', at: flight.boardingTime };
  if (now.getTime() >= Date.parse(closesAt)) return { open: false, code: 'BOARDING_CLOSED', at: closesAt };
  return { open: true };
}
