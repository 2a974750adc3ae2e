/**
 * Boarding passes both ways. Out: the DCS's issued booking becomes the input of the shared
 * boarding-pass layout (app/core/receipts/templates/boarding-pass.ts encodes the BCBP, Res. 792),
 * one pass per passenger with every flight of the journey as a leg. In: a scanned BCBP is read
 * back for the gate, with the flight date's year worked out from the day of the year.
 *
 * The reader is the kiosk's own rather than the `bcbp` package's decoder (which tests use to check
 * what we print): a gate must know the year of "day 002", and that decoder takes the year of the
 * machine's clock, which is wrong for a pass issued on 31 December (georgesmith46/bcbp #668).
 */
import type { BoardingPassInput, BoardingPassLeg } from '../../../core/receipts/index.ts';
import type { Booking, Passenger } from './contract.ts';
import { matchName, passName } from './name-match.ts';
import { AirportError } from './ports.ts';
import { localParts } from './time-rules.ts';

const DESCRIPTION = { adult: '0', child: '3', infant: '4' } as const;

/**
 * The boarding pass of one checked-in passenger. `chipFullName` is the verified holder's name: it is
 * printed in Vietnamese when it is the booked name written the usual way, else the booked name is.
 */
export function boardingPassOf(booking: Booking, passengerId: string, issuedAt: string, chipFullName?: string): BoardingPassInput {
  const passenger = booking.passengers.find((p) => p.id === passengerId);
  if (!passenger) throw new AirportError('DCS_BAD_ANSWER', 'the issued booking does not have this passenger');
  const legs: BoardingPassLeg[] = [];
  for (const { flight, passengers } of booking.segments) {
    const on = passengers.find((p) => p.passengerId === passengerId);
    if (!on) continue;
    if (!on.checkedIn || on.sequence === null) throw new AirportError('DCS_BAD_ANSWER', `passenger is not checked in on ${flight.carrier}${flight.number}`);
    if (on.seat === null && passenger.type !== 'infant') throw new AirportError('DCS_BAD_ANSWER', `no seat on ${flight.carrier}${flight.number}`);
    legs.push({
      pnr: booking.locator,
      from: flight.from,
      to: flight.to,
      carrier: flight.carrier,
      flightNumber: flight.number,
      flightDate: localParts(flight.departure).date,
      compartment: on.compartment,
      seat: on.seat ?? 'INF',
      sequence: on.sequence,
      ...(passenger.ticketNumber ? { ticket: { airlineNumericCode: passenger.ticketNumber.slice(0, 3), serial: passenger.ticketNumber.slice(3) } } : {}),
      freeBaggage: `${passenger.allowance.pieces}PC`,
    });
  }
  const [first, ...connections] = legs;
  if (!first) throw new AirportError('DCS_BAD_ANSWER', 'the passenger is on no flight of the booking');
  const flight = booking.segments.find((s) => s.passengers.some((p) => p.passengerId === passengerId))!.flight;
  const withInfant = passenger.type === 'adult' && booking.passengers.some((p) => p.infantOf === passenger.id);
  return {
    ...first,
    connections,
    ...printedName(passenger, chipFullName),
    airlineName: flight.airlineName,
    fromCity: flight.fromCity,
    toCity: flight.toCity,
    departureTime: localParts(flight.departure).time,
    boardingTime: localParts(flight.boardingTime).time,
    gate: flight.gate ?? 'TBA',
    issuedOn: localParts(issuedAt).date,
    passengerDescription: withInfant ? '6' : DESCRIPTION[passenger.type],
    checkInSource: 'K',
  };
}

function printedName(passenger: Passenger, chipFullName: string | undefined): { surname: string; givenNames: string } {
  if (chipFullName) {
    const m = matchName(chipFullName, passenger.name);
    if (m.matched && !m.reordered && m.middleNamesOmitted === 0) {
      const words = chipFullName.normalize('NFC').trim().split(/\s+/u);
      return { surname: words[0]!, givenNames: words.slice(1).join(' ') };
    }
  }
  return passName(passenger.name);
}

/**
 * One flight of a scanned pass: the printed leg's fields as the barcode carries them (the ticket and
 * the baggage allowance, in its conditional part, are not read); the flight date's year worked out
 * (see `resolveJulian`), the seat possibly empty (not yet given).
 */
export type ScannedLeg = Omit<BoardingPassLeg, 'ticket' | 'freeBaggage'>;

export interface ScannedPass {
  /** As encoded: `NGUYEN/VANAN`. */
  readonly name: string;
  readonly legs: readonly ScannedLeg[];
  /** The date of issue, when the pass carries one. */
  readonly issuedOn?: string;
}

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const daysIn = (year: number) => (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 366 : 365);
const dayOf = (year: number, julian: number) => Date.UTC(year, 0, 1) + (julian - 1) * DAY;

/**
 * The date of day-of-year `julian`: on or after the issue date when the pass has one (a pass is
 * never issued after its flight), else the one nearest `today` (a gate reads passes for today).
 */
export function resolveJulian(julian: number, today: string, issuedOn?: string): string {
  const ref = issuedOn ?? today;
  const year = Number(ref.slice(0, 4));
  const candidates = [year - 1, year, year + 1].filter((y) => julian <= daysIn(y)).map((y) => dayOf(y, julian));
  const at = Date.parse(`${ref}T00:00:00Z`);
  if (issuedOn) return isoDay(candidates.find((c) => c >= at)!);
  return isoDay(candidates.reduce((a, b) => (Math.abs(b - at) < Math.abs(a - at) ? b : a)));
}

/** The issue date from its year digit and day: the latest such date not after `today`. */
function issueDate(yearDigit: number, julian: number, today: string): string | undefined {
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  let year = Number(today.slice(0, 4));
  while (year % 10 !== yearDigit) year--;
  for (const y of [year, year - 10]) if (julian <= daysIn(y) && dayOf(y, julian) <= todayMs) return isoDay(dayOf(y, julian));
  return undefined;
}

const bad = (what: string) => new AirportError('BCBP_INVALID', `not a readable boarding pass: ${what}`);

/** Reads a scanned BCBP (format M, 1–4 legs); `today` is the gate's local date, YYYY-MM-DD. */
export function readBoardingPass(text: string, today: string): ScannedPass {
  const s = text.replace(/[\r\n]+$/, '');
  if (!/^[\x20-\x7e]+$/.test(s)) throw bad('characters outside printable ASCII');
  if (s[0] !== 'M') throw bad('format code is not M');
  const legCount = Number(s[1]);
  if (!(legCount >= 1 && legCount <= 4)) throw bad('number of legs is not 1..4');
  const name = s.slice(2, 22).trimEnd();
  if (!/^[A-Z][A-Z0-9 /.'-]*$/.test(name)) throw bad('passenger name');
  let at = 23;
  let issuedOn: string | undefined;
  const raw: Omit<ScannedLeg, 'flightDate'>[] = [];
  const julians: number[] = [];
  for (let leg = 0; leg < legCount; leg++) {
    const field = (offset: number, length: number, re: RegExp, what: string) => {
      const v = s.slice(at + offset, at + offset + length).trim();
      if (!re.test(v)) throw bad(`leg ${leg + 1} ${what}`);
      return v;
    };
    const julian = Number(field(21, 3, /^\d{3}$/, 'day of the year'));
    if (julian < 1 || julian > 366) throw bad(`leg ${leg + 1} day of the year`);
    raw.push({
      pnr: field(0, 7, /^[A-Z0-9]{5,7}$/, 'record locator'),
      from: field(7, 3, /^[A-Z]{3}$/, 'departure airport'),
      to: field(10, 3, /^[A-Z]{3}$/, 'arrival airport'),
      carrier: field(13, 3, /^[A-Z0-9]{2,3}$/, 'carrier'),
      flightNumber: field(16, 5, /^\d{1,4}[A-Z]?$/, 'flight number').replace(/^0+(?=\d)/, ''),
      compartment: field(24, 1, /^[A-Z]$/, 'compartment'),
      seat: field(25, 4, /^(\d{1,3}[A-Z]|INF|)$/, 'seat').replace(/^0+(?=\d)/, ''),
      sequence: Number(field(29, 5, /^\d{1,5}[A-Z]?$/, 'sequence number').replace(/[A-Z]$/, '')),
    });
    julians.push(julian);
    const size = parseInt(field(35, 2, /^[0-9A-F]{2}$/, 'size of the conditional data'), 16);
    const conditional = s.slice(at + 37, at + 37 + size);
    if (conditional.length !== size) throw bad(`leg ${leg + 1} is cut short`);
    if (leg === 0 && conditional.startsWith('>')) {
      // Version, the unique block's size, then description, two sources and the date of issue (year digit + day).
      const sizeA = parseInt(conditional.slice(2, 4), 16);
      const issue = sizeA >= 7 ? conditional.slice(7, 11) : '';
      if (/^\d{4}$/.test(issue)) issuedOn = issueDate(Number(issue[0]), Number(issue.slice(1)), today);
    }
    at += 37 + size;
  }
  const legs = raw.map((leg, i) => ({ ...leg, flightDate: resolveJulian(julians[i]!, today, issuedOn) }));
  return { name, legs, ...(issuedOn ? { issuedOn } : {}) };
}
