/**
 * The data the airport's outside systems exchange with the kiosk: the airline's departure control
 * system (DCS), the airport's biometric token store and its e-gates. One zod schema per value: the
 * HTTP adapters parse every answer with it, the simulator answers with it, and the TypeScript types
 * are inferred from it (docs/airport-integration.md describes each one in words).
 * No public DCS API exists; this is the contract a real airline must meet, or be adapted to.
 */
import { z } from 'zod';

const iata = z.string().regex(/^[A-Z]{3}$/, 'a 3-letter IATA code');
/** An instant with the UTC offset of the place it happens, e.g. 2026-03-15T08:30:00+07:00. */
export const offsetDateTime = z.iso.datetime({ offset: true, local: false });
const id = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'an id of 1..64 letters, digits, dot, dash or underscore');
const vnd = z.number().int().min(0);

export const flightSchema = z.object({
  /** The DCS's id of this flight on this date. */
  id,
  /** Operating carrier designator, e.g. VN. */
  carrier: z.string().regex(/^[A-Z0-9]{2}[A-Z]?$/),
  /** Digits with an optional suffix letter, e.g. 213 or 1234A. */
  number: z.string().regex(/^\d{1,4}[A-Z]?$/),
  /** The airline's 3-digit accounting code (738 Vietnam Airlines): starts tickets and bag tags. */
  airlineNumericCode: z.string().regex(/^\d{3}$/),
  airlineName: z.string().min(1).max(60),
  from: iata,
  to: iata,
  fromCity: z.string().min(1).max(40),
  toCity: z.string().min(1).max(40),
  /** Scheduled departure, in the departure airport's offset: its local date is the flight date. */
  departure: offsetDateTime,
  /** Boarding starts. */
  boardingTime: offsetDateTime,
  /** Null until the airport assigns one. */
  gate: z.string().regex(/^[A-Z0-9]{1,6}$/).nullable(),
  domestic: z.boolean(),
});
export type Flight = z.infer<typeof flightSchema>;

export const allowanceSchema = z.object({
  /** Checked bags included in the fare (0: hand baggage only). */
  pieces: z.number().int().min(0).max(9),
  /** Most each included bag may weigh, in kg. */
  kgPerPiece: z.number().min(0).max(50),
});
export type Allowance = z.infer<typeof allowanceSchema>;

export const passengerSchema = z.object({
  id,
  /** As the airline writes it: upper-case `SURNAME/GIVEN NAMES` and perhaps a title (MR, MRS, INF…). */
  name: z.string().min(3).max(64),
  type: z.enum(['adult', 'child', 'infant']),
  /** An infant's adult: infants travel on an adult's lap and are checked in with them. */
  infantOf: id.optional(),
  /** 13 digits: airline numeric code and the 10-digit document number. */
  ticketNumber: z.string().regex(/^\d{13}$/).optional(),
  allowance: allowanceSchema,
  /** Special service requests (SSR codes), e.g. WCHR, UMNR: some need the counter. */
  specialService: z.array(z.string().regex(/^[A-Z]{4}$/)).max(10).default([]),
});
export type Passenger = z.infer<typeof passengerSchema>;

/** A passenger on one flight of the booking. */
export const segmentPassengerSchema = z.object({
  passengerId: id,
  compartment: z.string().regex(/^[A-Z]$/),
  /** Assigned seat, or null (infants; not yet assigned). */
  seat: z.string().regex(/^\d{1,3}[A-Z]$/).nullable(),
  checkedIn: z.boolean(),
  /** Check-in sequence number, once checked in. */
  sequence: z.number().int().min(1).max(9999).nullable(),
  boarded: z.boolean(),
});
export type SegmentPassenger = z.infer<typeof segmentPassengerSchema>;

export const segmentSchema = z.object({ flight: flightSchema, passengers: z.array(segmentPassengerSchema) });
export type Segment = z.infer<typeof segmentSchema>;

export const bookingSchema = z.object({
  /** The record locator (PNR), 6 letters or digits. */
  locator: z.string().regex(/^[A-Z0-9]{6}$/),
  passengers: z.array(passengerSchema).min(1).max(9),
  /** The flights in order; a through journey has several. */
  segments: z.array(segmentSchema).min(1).max(4),
});
export type Booking = z.infer<typeof bookingSchema>;

/** How the kiosk asks for a booking. The ID number travels in a request body, never in a URL. */
export const bookingQuerySchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('id-number'), idNumber: z.string().regex(/^\d{12}$/) }),
  z.object({ by: z.literal('locator'), locator: z.string().regex(/^[A-Z0-9]{6}$/), surname: z.string().regex(/^[A-Z ]{1,40}$/) }),
  /** A scanned boarding pass or e-ticket barcode (IATA BCBP). */
  z.object({ by: z.literal('bcbp'), bcbp: z.string().min(60).max(500) }),
]);
export type BookingQuery = z.infer<typeof bookingQuerySchema>;

export const bookingSearchSchema = z.object({
  bookings: z.array(
    bookingSchema.extend({
      /** With `id-number`: the passenger whose travel document on file has that number. */
      holderPassengerId: id.optional(),
    }),
  ),
});
export type FoundBooking = z.infer<typeof bookingSearchSchema>['bookings'][number];

export const seatSchema = z.object({
  letter: z.string().regex(/^[A-Z]$/),
  status: z.enum(['free', 'occupied', 'blocked']),
  /** 0 for an included seat; otherwise the DCS's price. */
  priceVnd: vnd,
});
export const seatRowSchema = z.object({
  row: z.number().int().min(1).max(199),
  /** An emergency-exit row: not for children, infants or the adults they travel with. */
  exit: z.boolean(),
  seats: z.array(seatSchema),
});
export const seatMapSchema = z.object({
  flightId: id,
  compartment: z.string().regex(/^[A-Z]$/),
  /** Seat letters left to right with '' for each aisle, e.g. A B C '' D E F. */
  columns: z.array(z.string().regex(/^[A-Z]?$/)).min(1).max(12),
  rows: z.array(seatRowSchema).min(1).max(120),
});
export type SeatMap = z.infer<typeof seatMapSchema>;
export type SeatRow = z.infer<typeof seatRowSchema>;

export const seatChoiceSchema = z.object({ passengerId: id, seat: z.string().regex(/^\d{1,3}[A-Z]$/) });
export const bagSchema = z.object({ passengerId: id, weightKg: z.number().min(0.1).max(99) });
export type SeatChoice = z.infer<typeof seatChoiceSchema>;
export type Bag = z.infer<typeof bagSchema>;

/** The prices of what the passenger chose: paid seats and bags beyond the allowance. */
export const quoteRequestSchema = z.object({
  locator: z.string().regex(/^[A-Z0-9]{6}$/),
  passengerIds: z.array(id).min(1),
  seats: z.array(seatChoiceSchema),
  bags: z.array(bagSchema),
});
export type QuoteRequest = z.infer<typeof quoteRequestSchema>;

export const quoteLineSchema = z.object({
  kind: z.enum(['seat', 'extra-piece', 'overweight']),
  passengerId: id,
  /** e.g. the seat (12A) or the kilos over the allowance (4.5). */
  item: z.string().max(20),
  amountVnd: vnd,
});
export const quoteSchema = z.object({
  quoteId: id,
  lines: z.array(quoteLineSchema),
  totalVnd: vnd,
});
export type Quote = z.infer<typeof quoteSchema>;
export type QuoteLine = z.infer<typeof quoteLineSchema>;

/** A payment the airline collects (by VietQR to its own account). */
export const paymentOrderSchema = z.object({
  orderId: id,
  quoteId: id,
  amountVnd: vnd,
  billNumber: z.string().regex(/^[A-Z0-9-]{1,25}$/),
  status: z.enum(['unpaid', 'paid']),
  payee: z.object({ bankBin: z.string().regex(/^\d{6}$/), accountNumber: z.string().regex(/^[0-9A-Za-z]{1,19}$/) }),
});
export type PaymentOrder = z.infer<typeof paymentOrderSchema>;

export const checkInRequestSchema = z.object({
  locator: z.string().regex(/^[A-Z0-9]{6}$/),
  passengerIds: z.array(id).min(1),
  seats: z.array(seatChoiceSchema),
  bags: z.array(bagSchema).max(20),
  /** When the passenger confirmed they carry no dangerous goods (the DCS keeps the record). */
  dangerousGoodsAcknowledgedAt: offsetDateTime,
  /** The paid order for what the quote priced; absent when nothing was priced. */
  paymentOrderId: id.optional(),
  terminalId: z.string().min(1).max(40),
});
export type CheckInRequest = z.infer<typeof checkInRequestSchema>;

export const checkedBagSchema = z.object({
  passengerId: id,
  /** The 10-digit licence plate the DCS issued (Res. 740). */
  licencePlate: z.string().regex(/^\d{10}$/),
  weightKg: z.number().min(0.1).max(99),
});
export type CheckedBag = z.infer<typeof checkedBagSchema>;

export const checkInResultSchema = z.object({
  /** The booking as the DCS now holds it: seats and sequence numbers of the accepted passengers. */
  booking: bookingSchema,
  bags: z.array(checkedBagSchema),
});
export type CheckInResult = z.infer<typeof checkInResultSchema>;

export const issueRequestSchema = z.object({
  locator: z.string().regex(/^[A-Z0-9]{6}$/),
  passengerIds: z.array(id).min(1),
  terminalId: z.string().min(1).max(40),
});
export type IssueRequest = z.infer<typeof issueRequestSchema>;

export const issuedSchema = z.object({
  /** When the DCS issued the passes: goes into each barcode (the year digit of the issue date). */
  issuedAt: offsetDateTime,
  booking: bookingSchema,
});
export type Issued = z.infer<typeof issuedSchema>;

/**
 * Flights leaving `from` on a local date: the one a boarding pass names (its designator), or those
 * the airport has put at a gate (a boarding gate's own flight, whose passengers its face search covers).
 */
export const flightQuerySchema = z.union([
  z.object({ carrier: flightSchema.shape.carrier, number: flightSchema.shape.number, date: z.iso.date(), from: iata }).strict(),
  z.object({ gate: z.string().regex(/^[A-Z0-9]{1,6}$/), date: z.iso.date(), from: iata }).strict(),
]);
export type FlightQuery = z.infer<typeof flightQuerySchema>;
export const flightSearchSchema = z.object({ flights: z.array(flightSchema) });

export const boardingListSchema = z.object({
  flight: flightSchema,
  passengers: z.array(
    segmentPassengerSchema.extend({
      name: passengerSchema.shape.name,
      type: passengerSchema.shape.type,
      locator: z.string().regex(/^[A-Z0-9]{6}$/),
    }),
  ),
});
export type BoardingList = z.infer<typeof boardingListSchema>;
export type BoardingListEntry = BoardingList['passengers'][number];

export const boardResultSchema = z.object({ boarded: z.literal(true), at: offsetDateTime });

/** A BSM on its way to the baggage system: the teletype text (BSM … ENDBSM) in a JSON envelope. */
export const bsmEnvelopeSchema = z.object({ message: z.string().min(1).max(4000) });

/** A face template handed to the airport's biometric store: the key of the passenger's single token. */
export const tokenRegistrationSchema = z.object({
  flightId: id,
  passengerId: id,
  /** The embedder the template comes from; gates must compare like with like. */
  modelSet: z.string().min(1).max(40),
  /** Little-endian float32 values, base64. */
  template: z.base64().max(16_384),
  /** The store deletes the token at this time (a set time after departure), or earlier on request. */
  expiresAt: offsetDateTime,
});
export type TokenRegistration = z.infer<typeof tokenRegistrationSchema>;
export const tokenSchema = tokenRegistrationSchema.extend({ tokenId: id });
export type Token = z.infer<typeof tokenSchema>;

/** An e-gate's answer to "open": the gate reports when it let one person through. */
export const doorOpenSchema = z.object({ opened: z.literal(true), at: offsetDateTime });

/** The error body every service of the contract answers with (4xx/5xx). */
export const problemSchema = z.object({ code: z.string().regex(/^[A-Z0-9_]{2,60}$/), message: z.string().max(300) });
