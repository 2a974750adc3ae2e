/**
 * The airport's outside systems as the kiosk sees them. Each port has a Node adapter (../node/) and
 * a simulator (../sim/) speaking the same protocol; docs/airport-integration.md is the contract in
 * words. Every failure is an AirportError whose code the screens translate.
 */
import { KioskError } from '../../../core/errors.ts';
import type {
  BookingQuery,
  BoardingList,
  CheckInRequest,
  CheckInResult,
  Flight,
  FlightQuery,
  FoundBooking,
  Issued,
  IssueRequest,
  PaymentOrder,
  Quote,
  QuoteRequest,
  SeatMap,
  Token,
  TokenRegistration,
} from './contract.ts';

/** A failure of the airport's steps or systems, with a stable code (AIRPORT_…, DCS_…, SCALE_…, GATE_…). */
export class AirportError extends KioskError {}

/** The airline's departure control system: bookings, seats, prices, check-in, passes, boarding. */
export interface DepartureControl {
  /** Bookings matching the query, soonest flight first (none: an empty list, not an error). */
  findBookings(query: BookingQuery): Promise<FoundBooking[]>;
  seatMap(flightId: string): Promise<SeatMap>;
  /** Prices of paid seats and bags beyond the allowance; a total of 0 needs no payment. */
  quote(request: QuoteRequest): Promise<Quote>;
  /** Opens a payment for a quote (the airline is the payee). */
  createPayment(quoteId: string): Promise<PaymentOrder>;
  payment(orderId: string): Promise<PaymentOrder>;
  /**
   * Accepts the passengers on every flight of the booking, with their seats and bags. Refuses
   * (DCS_CHECKIN_CLOSED, DCS_SEAT_TAKEN, DCS_PAYMENT_REQUIRED…) rather than accept in part.
   */
  checkIn(request: CheckInRequest): Promise<CheckInResult>;
  /** Issues (or re-issues) the boarding passes of checked-in passengers. */
  issue(request: IssueRequest): Promise<Issued>;
  /** The flight a boarding pass names, or the flights at a gate (none: an empty list). */
  findFlights(query: FlightQuery): Promise<Flight[]>;
  /** A flight's checked-in passengers and who has boarded, for the gate and the staff screen. */
  boardingList(flightId: string): Promise<BoardingList>;
  /** Records that the passenger boarded; a second boarding is refused (DCS_ALREADY_BOARDED). */
  board(flightId: string, passengerId: string): Promise<{ at: string }>;
}

/** The baggage handling system's inbox of baggage source messages (RP 1745). */
export interface BaggageMessages {
  send(bsm: string): Promise<void>;
}

/** The airport's biometric store: one face token per passenger and flight, deleted after departure. */
export interface BiometricTokens {
  register(token: TokenRegistration): Promise<{ tokenId: string }>;
  /** Deletes a token (on the passenger's request, or when its time is up); an unknown id is not an error. */
  delete(tokenId: string): Promise<void>;
  /** The flight's tokens: the gallery a gate searches when no credential is shown. */
  byFlight(flightId: string): Promise<Token[]>;
}

/**
 * Who has boarded, as the site's authority decides it (the site store: this gate's own, or the
 * site hub's, one PostgreSQL transaction under a row lock): two gates asking at the same instant for
 * one passenger cannot both board them. A claim holds until it is settled: it counts only once the
 * door opened.
 */
export interface Boardings {
  /**
   * Claims the passenger's boarding; `ALREADY_BOARDED` when another claim stands. Throws
   * AirportError `BOARDING_UNDECIDABLE` when the authority does not answer (the gate's failure rule decides).
   */
  claim(flightId: string, passengerId: string): Promise<{ readonly claimId: string } | 'ALREADY_BOARDED'>;
  /** The door opened (the boarding stands) or did not (the claim is undone). */
  settle(claimId: string, boarded: boolean): Promise<void>;
  /** The passengers of a flight the site has seen board (or is boarding now). */
  boarded(flightId: string): Promise<ReadonlySet<string>>;
}

/** One reading of the bag scale. */
export interface WeightReading {
  readonly kg: number;
  /** The scale says the load is at rest; only a stable reading is charged. */
  readonly stable: boolean;
}

/** The check-in kiosk's bag scale. */
export interface Scale {
  /** The first stable reading above `minKg`, or SCALE_TIMEOUT / SCALE_FAULT. */
  stableWeight(options: { readonly minKg: number; readonly timeoutMs: number; readonly signal?: AbortSignal }): Promise<WeightReading>;
  close(): Promise<void>;
}

/** The e-gate's doors at security or boarding. */
export interface Door {
  /** Opens for one person; resolves when the gate has accepted the command. */
  open(reason: { readonly flightId: string; readonly passengerId: string }): Promise<void>;
}
