/**
 * What each step of the airport's check-in shows, as zod schemas: the flow builds its views with
 * them (checked on the way to the screen) and the screens parse the same schemas. Codes (reasons,
 * statuses, dangerous-goods items) are words the screens translate, never text in one language.
 */
import { z } from 'zod';
import { identityConfirmedView } from '../../../core/sites/placeholder-flow.ts';
import type { Flight } from './contract.ts';

export const flightView = z.object({
  carrier: z.string(),
  number: z.string(),
  airlineName: z.string(),
  from: z.string(),
  to: z.string(),
  fromCity: z.string(),
  toCity: z.string(),
  /** Local date and time at the departure airport, as the DCS gives them (with offset). */
  departure: z.string(),
  boardingTime: z.string(),
  gate: z.string().nullable(),
});
export type FlightView = z.infer<typeof flightView>;

/** What a screen shows of a flight. */
export function flightViewOf(f: Flight): FlightView {
  return {
    carrier: f.carrier, number: f.number, airlineName: f.airlineName, from: f.from, to: f.to, fromCity: f.fromCity, toCity: f.toCity,
    departure: f.departure, boardingTime: f.boardingTime, gate: f.gate,
  };
}

/** Why the passenger is sent to the counter. */
export const counterReason = z.enum([
  'NAME_MISMATCH',
  'CHECKIN_NOT_OPEN',
  'CHECKIN_CLOSED',
  'NOT_FROM_HERE',
  'SPECIAL_SERVICE',
  'DANGEROUS_GOODS',
  'NO_SEAT',
  'CHECKIN_REFUSED',
  /** The passenger chose "go to the counter". */
  'ASKED',
]);

export const counterViewSchema = z.object({
  reason: counterReason,
  /** A finer code: the name mismatch (NAME_GIVEN_NAMES_DIFFER…), the DCS's refusal (DCS_…). */
  detail: z.string().nullable(),
  flight: flightView.nullable(),
  /** CHECKIN_NOT_OPEN: when it opens; CHECKIN_CLOSED: when it closed (with the airport's offset). */
  at: z.string().nullable(),
});

export const findBookingViewSchema = z.object({
  /** Why the kiosk asks: nothing found by the ID number, or the last attempt's problem. */
  problem: z.enum(['NOT_FOUND_BY_ID', 'NOT_FOUND', 'BCBP_INVALID']),
  airport: z.string(),
});

export const passengerStatus = z.enum([
  /** The verified person. */
  'you',
  /** Travels with the verified person and may be checked in by them (infant: must be). */
  'with-you',
  /** An adult who checks in with their own card, after this one. */
  'own-card',
  /** Another adult's infant: checked in with that adult. */
  'with-their-adult',
  'checked-in',
  /** Needs staff (special service). */
  'counter',
]);

export const passengersViewSchema = z.object({
  locator: z.string(),
  flight: flightView,
  /** Later flights of a through check-in. */
  connections: z.array(flightView),
  passengers: z.array(
    z.object({
      id: z.string(),
      /** As booked (upper-case ASCII). */
      name: z.string(),
      type: z.enum(['adult', 'child', 'infant']),
      status: passengerStatus,
      seat: z.string().nullable(),
      /** The person may leave this passenger out (a child), or bring them along (another adult, who taps their own card). */
      optional: z.boolean(),
      /** An infant's adult: the infant comes with them. */
      infantOf: z.string().nullable(),
    }),
  ),
  /** The verified person is already checked in: the kiosk offers to print the pass again. */
  alreadyCheckedIn: z.boolean(),
  /** Their face token for this flight: registered (they may have it deleted now), just deleted, or none. */
  faceToken: z.enum(['none', 'registered', 'deleted']),
});

export const DANGEROUS_GOODS = [
  'spare-lithium-batteries',
  'power-banks-in-checked-bags',
  'flammable-liquids-gases',
  'explosives-fireworks',
  'weapons-ammunition',
  'toxic-corrosive',
  'e-cigarettes-in-checked-bags',
] as const;

export const dangerousGoodsViewSchema = z.object({ items: z.array(z.enum(DANGEROUS_GOODS)).min(1) });

export const seatStatus = z.enum(['free', 'occupied', 'blocked', 'ours']);

export const seatsViewSchema = z.object({
  flight: flightView,
  compartment: z.string(),
  columns: z.array(z.string()),
  rows: z.array(
    z.object({
      row: z.number().int(),
      exit: z.boolean(),
      seats: z.array(z.object({ letter: z.string(), status: seatStatus, priceVnd: z.number().int().min(0) })),
    }),
  ),
  passengers: z.array(z.object({ id: z.string(), name: z.string(), seat: z.string().nullable(), changed: z.boolean(), mayUseExitRow: z.boolean() })),
  problem: z.enum(['SEAT_TAKEN', 'SEAT_EXIT_ROW_RESTRICTED', 'SEAT_UNKNOWN']).nullable(),
});

export const bagsViewSchema = z.object({
  allowance: z.array(z.object({ passengerId: z.string(), name: z.string(), pieces: z.number().int(), kgPerPiece: z.number() })),
  maxBags: z.number().int(),
  handlingLimitKg: z.number(),
});

export const weighViewSchema = z.object({
  /** 1-based: the bag to put on the scale now (count + 1 once all are weighed). */
  bag: z.number().int().min(1),
  count: z.number().int().min(1),
  bags: z.array(z.object({ weightKg: z.number(), included: z.boolean(), overweightKg: z.number() })),
  extraPieces: z.number().int().min(0),
  overweightKg: z.number().min(0),
  handlingLimitKg: z.number(),
  problem: z.enum(['BAG_TOO_HEAVY', 'SCALE_TIMEOUT', 'SCALE_FAULT']).nullable(),
});

export const paymentViewSchema = z.object({
  lines: z.array(z.object({ kind: z.enum(['seat', 'extra-piece', 'overweight']), name: z.string(), item: z.string(), amountVnd: z.number().int().min(0) })),
  totalVnd: z.number().int().min(0),
  billNumber: z.string(),
  status: z.enum(['unpaid', 'paid']),
  /** The EMVCo payload the screen draws as a QR code. */
  vietQr: z.string().min(1),
});

export const tokenConsentViewSchema = z.object({
  /** When the token is deleted at the latest (the airport's rule), with the airport's offset. */
  deleteAt: z.string(),
  flight: flightView,
  /** Whose face (as booked): the adult at the kiosk now. */
  name: z.string(),
  /** Another adult of the party taps their card next. */
  nextPerson: z.boolean(),
});

/** What the kiosk issued, on screen before it prints: every pass (PDF417 and a QR of its BCBP), the bags and what was paid. */
export const boardingPassViewSchema = z.object({
  locator: z.string(),
  flight: flightView,
  connections: z.array(flightView),
  passes: z
    .array(
      z.object({
        /** As printed: the verified holder's name as on the chip, the others' as booked. */
        name: z.string(),
        infant: z.boolean(),
        /** `12A`, or `INF` for an infant on a lap. */
        seat: z.string(),
        sequence: z.number().int().min(1),
        /** The IATA BCBP string the paper's PDF417 holds. */
        bcbp: z.string().min(60),
      }),
    )
    .min(1),
  bags: z.array(z.object({ licencePlate: z.string().regex(/^\d{10}$/), weightKg: z.number(), name: z.string() })),
  paid: z.array(z.object({ kind: z.enum(['seat', 'extra-piece', 'overweight']), item: z.string(), amountVnd: z.number().int().min(0) })),
  /** The baggage system did not get the bags' message: they go to the counter. */
  bagsToCounter: z.boolean(),
  /** The face token was registered for the gates. */
  token: z.boolean(),
});

/** The e-gate let the passenger through. */
export const gateOpenViewSchema = z.object({ flight: flightView, seat: z.string().nullable() });
/** The e-gate refused: the passenger goes to the staff beside it, with the reason. */
export const gateRefusedViewSchema = z.object({ code: z.string() });

/** The airport's views by step; `identity-confirmed` is the placeholder of a kiosk without a DCS. */
export const airportViews = {
  'identity-confirmed': identityConfirmedView.extend({ iataCode: z.string() }),
  'find-booking': findBookingViewSchema,
  counter: counterViewSchema,
  passengers: passengersViewSchema,
  'dangerous-goods': dangerousGoodsViewSchema,
  seats: seatsViewSchema,
  bags: bagsViewSchema,
  weigh: weighViewSchema,
  payment: paymentViewSchema,
  'token-consent': tokenConsentViewSchema,
  'boarding-pass': boardingPassViewSchema,
  'gate-open': gateOpenViewSchema,
  'gate-refused': gateRefusedViewSchema,
};
