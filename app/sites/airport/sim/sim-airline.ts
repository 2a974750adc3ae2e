/**
 * The simulated airline's departure control: bookings, seat maps, prices, payments, check-in,
 * boarding passes and boarding, in memory, with the rules a real DCS enforces on its side (its
 * own check-in window, seats it will not give, payment before anything priced, one boarding per
 * passenger). ./dcs-sim.ts serves it over the HTTP contract; a refusal is a SimProblem that
 * becomes a problem answer with its status.
 */
import { randomUUID } from 'node:crypto';
import { assessBags } from '../common/bags.ts';
import { readBoardingPass } from '../common/boarding-pass.ts';
import type {
  Booking, BookingQuery, BoardingList, CheckInRequest, CheckInResult, CheckedBag, Flight, FlightQuery, FoundBooking, Issued, IssueRequest, Passenger,
  PaymentOrder, Quote, QuoteLine, QuoteRequest, SeatMap, SegmentPassenger,
} from '../common/contract.ts';
import { licencePlate } from '../common/licence-plate.ts';
import { parseAirlineName } from '../common/name-match.ts';
import { AirportError } from '../common/ports.ts';
import { checkInWindow, localParts, withOffsetOf, type CheckInWindows } from '../common/time-rules.ts';
import { bookedName, type DemoAirline } from './demo-airline.ts';

export class SimProblem extends AirportError {
  constructor(readonly status: number, code: string, message: string) {
    super(code, message);
  }
}

export interface AirlineRules {
  readonly windows: CheckInWindows;
  /** What a seat in the first rows costs, and an exit-row seat. */
  readonly frontSeatVnd: number;
  readonly exitSeatVnd: number;
  readonly extraPieceVnd: number;
  readonly overweightPerKgVnd: number;
  readonly handlingLimitKg: number;
  /** Demo: payments are marked paid this long after they are opened. */
  readonly autoPayAfterMs?: number;
}

export const DEFAULT_RULES: AirlineRules = {
  windows: { domestic: { opensMinutesBefore: 24 * 60, closesMinutesBefore: 40 }, international: { opensMinutesBefore: 24 * 60, closesMinutesBefore: 60 } },
  frontSeatVnd: 150_000,
  exitSeatVnd: 250_000,
  extraPieceVnd: 540_000,
  overweightPerKgVnd: 60_000,
  handlingLimitKg: 32,
};

const ROWS = 40;
const COLUMNS = ['A', 'B', 'C', '', 'D', 'E', 'F'];
const EXIT_ROWS = new Set([10, 11]);
const FRONT_ROWS = 3;

interface Stored extends Booking {
  /** CCCD numbers on file by passenger id. */
  readonly documents: ReadonlyMap<string, string>;
}

export class SimAirline {
  private readonly flights = new Map<string, Flight>();
  private readonly bookings = new Map<string, Stored>();
  /** Seats taken by someone outside the bookings (the rest of the plane), by flight. */
  private readonly strangers = new Map<string, Set<string>>();
  private readonly blocked = new Map<string, Set<string>>();
  private readonly quotes = new Map<string, Quote & { readonly request: QuoteRequest }>();
  private readonly orders = new Map<string, PaymentOrder & { readonly openedAt: number }>();
  private readonly sequences = new Map<string, number>();
  private tagSerial = 0;
  /** Every check-in's dangerous-goods acknowledgement, as the DCS keeps it. */
  readonly acknowledgements: { locator: string; passengers: number; at: string }[] = [];

  constructor(data: DemoAirline, private readonly rules: AirlineRules, private readonly clock: () => Date, private readonly payee = data.payee) {
    for (const [, f] of Object.entries(data.flights)) this.flights.set(f.id, f);
    for (const b of data.bookings) {
      const passengers: Passenger[] = b.people.map((p, i) => ({
        id: `${b.locator}-${i + 1}`,
        name: bookedName(p),
        type: p.type,
        ...(p.infantOf === undefined ? {} : { infantOf: `${b.locator}-${p.infantOf + 1}` }),
        ticketNumber: `738${String(2_100_000_000 + this.bookings.size * 10 + i)}`,
        allowance: p.type === 'infant' ? { pieces: 0, kgPerPiece: 0 } : b.allowance,
        specialService: [...(p.specialService ?? [])],
      }));
      const segments = b.flights.map((key) => {
        const flight = data.flights[key];
        if (!flight) throw new Error(`demo booking ${b.locator} names an unknown flight ${key}`);
        return {
          flight,
          passengers: b.people.map((p, i): SegmentPassenger => {
            const checkedIn = p.checkedIn === true;
            return { passengerId: passengers[i]!.id, compartment: 'Y', seat: p.seat ?? null, checkedIn, sequence: checkedIn ? this.nextSequence(flight.id) : null, boarded: false };
          }),
        };
      });
      const documents = new Map(b.people.flatMap((p, i) => (p.idNumber ? [[passengers[i]!.id, p.idNumber] as const] : [])));
      this.bookings.set(b.locator, { locator: b.locator, passengers, segments, documents });
    }
    // The rest of the plane: a fixed pattern of seats others hold, and a blocked crew rest seat.
    for (const id of this.flights.keys()) {
      this.strangers.set(id, new Set(Array.from({ length: ROWS }, (_, r) => r + 1).flatMap((r) => ['A', 'C', 'D', 'F'].filter((l, k) => (r * 7 + k * 3) % 5 === 0).map((l) => `${r}${l}`))));
      this.blocked.set(id, new Set(['1A', `${ROWS}F`]));
    }
  }

  private nextSequence(flightId: string): number {
    const n = (this.sequences.get(flightId) ?? 0) + 1;
    this.sequences.set(flightId, n);
    return n;
  }

  private now(): number {
    return this.clock().getTime();
  }

  private booking(locator: string): Stored {
    const b = this.bookings.get(locator);
    if (!b) throw new SimProblem(404, 'DCS_BOOKING_NOT_FOUND', 'no such booking');
    return b;
  }

  private flight(flightId: string): Flight {
    const f = this.flights.get(flightId);
    if (!f) throw new SimProblem(404, 'DCS_FLIGHT_NOT_FOUND', 'no such flight');
    return f;
  }

  private view(b: Stored, holderPassengerId?: string): FoundBooking {
    const plain: FoundBooking = structuredClone({ locator: b.locator, passengers: b.passengers, segments: b.segments });
    return holderPassengerId ? { ...plain, holderPassengerId } : plain;
  }

  findBookings(query: BookingQuery): FoundBooking[] {
    const sorted = (list: FoundBooking[]) => list.sort((a, b) => Date.parse(a.segments[0]!.flight.departure) - Date.parse(b.segments[0]!.flight.departure));
    if (query.by === 'id-number') {
      return sorted([...this.bookings.values()].flatMap((b) => [...b.documents].filter(([, n]) => n === query.idNumber).map(([pid]) => this.view(b, pid))));
    }
    const squash = (s: string) => s.replace(/ /g, '');
    if (query.by === 'locator') {
      const b = this.bookings.get(query.locator);
      const hit = b?.passengers.some((p) => squash(parseAirlineName(p.name).surname.join('')) === squash(query.surname));
      return b && hit ? [this.view(b)] : [];
    }
    let pass;
    try {
      pass = readBoardingPass(query.bcbp, localParts(withOffsetOf('+07:00', this.now())).date);
    } catch {
      throw new SimProblem(400, 'DCS_BAD_REQUEST', 'the barcode is not a boarding pass');
    }
    const b = this.bookings.get(pass.legs[0]!.pnr);
    // A barcode's name is cut to 20 characters: compare what it has.
    const name = squash(pass.name);
    const hit = b?.passengers.some((p) => {
      const n = parseAirlineName(p.name);
      return `${n.surname.join('')}/${n.given.join('')}`.startsWith(name) || name.startsWith(`${n.surname.join('')}/${n.given.join('')}`);
    });
    return b && hit ? [this.view(b)] : [];
  }

  private occupied(flightId: string): Set<string> {
    const taken = new Set(this.strangers.get(flightId));
    for (const b of this.bookings.values()) for (const s of b.segments) if (s.flight.id === flightId) for (const p of s.passengers) if (p.seat) taken.add(p.seat);
    return taken;
  }

  private seatPrice(row: number): number {
    return EXIT_ROWS.has(row) ? this.rules.exitSeatVnd : row <= FRONT_ROWS ? this.rules.frontSeatVnd : 0;
  }

  seatMap(flightId: string): SeatMap {
    this.flight(flightId);
    const taken = this.occupied(flightId);
    const blocked = this.blocked.get(flightId)!;
    const rows = Math.max(ROWS, ...[...taken].map((s) => Number.parseInt(s, 10)));
    return {
      flightId,
      compartment: 'Y',
      columns: COLUMNS,
      rows: Array.from({ length: rows }, (_, i) => i + 1).map((row) => ({
        row,
        exit: EXIT_ROWS.has(row),
        seats: COLUMNS.filter((l) => l !== '').map((letter) => {
          const code = `${row}${letter}`;
          return { letter, status: blocked.has(code) ? ('blocked' as const) : taken.has(code) ? ('occupied' as const) : ('free' as const), priceVnd: this.seatPrice(row) };
        }),
      })),
    };
  }

  private party(b: Stored, ids: readonly string[]): Passenger[] {
    const party = ids.map((id) => b.passengers.find((p) => p.id === id));
    if (party.some((p) => !p) || new Set(ids).size !== ids.length) throw new SimProblem(400, 'DCS_BAD_REQUEST', 'a passenger is not on this booking');
    return party as Passenger[];
  }

  private priceLines(b: Stored, request: QuoteRequest): QuoteLine[] {
    const party = this.party(b, request.passengerIds);
    const flightId = b.segments[0]!.flight.id;
    const lines: QuoteLine[] = [];
    const rows = this.seatMap(flightId).rows.length;
    for (const { passengerId, seat } of request.seats) {
      const row = Number.parseInt(seat, 10);
      if (row < 1 || row > rows) throw new SimProblem(400, 'DCS_BAD_REQUEST', 'no such seat');
      const current = b.segments[0]!.passengers.find((p) => p.passengerId === passengerId)?.seat;
      if (seat !== current && this.seatPrice(row) > 0) lines.push({ kind: 'seat', passengerId, item: seat, amountVnd: this.seatPrice(row) });
    }
    const members = party.map((p) => ({ passengerId: p.id, allowance: p.allowance }));
    const assessed = assessBags(members, request.bags.map((bag) => bag.weightKg), this.rules.handlingLimitKg);
    if (assessed.tooHeavy.length > 0) throw new SimProblem(422, 'DCS_BAG_TOO_HEAVY', 'a bag is above the handling limit');
    for (const bag of assessed.bags) {
      if (!bag.included) lines.push({ kind: 'extra-piece', passengerId: bag.passengerId, item: `${bag.weightKg.toFixed(1)}kg`, amountVnd: this.rules.extraPieceVnd });
      if (bag.overweightKg > 0) lines.push({ kind: 'overweight', passengerId: bag.passengerId, item: `${bag.overweightKg.toFixed(1)}kg`, amountVnd: Math.ceil(bag.overweightKg) * this.rules.overweightPerKgVnd });
    }
    return lines;
  }

  quote(request: QuoteRequest): Quote {
    const lines = this.priceLines(this.booking(request.locator), request);
    const quote = { quoteId: `Q-${randomUUID().slice(0, 8)}`, lines, totalVnd: lines.reduce((sum, l) => sum + l.amountVnd, 0) };
    this.quotes.set(quote.quoteId, { ...quote, request });
    return quote;
  }

  createPayment(quoteId: string): PaymentOrder {
    const quote = this.quotes.get(quoteId);
    if (!quote) throw new SimProblem(404, 'DCS_QUOTE_NOT_FOUND', 'no such quote');
    if (quote.totalVnd === 0) throw new SimProblem(400, 'DCS_BAD_REQUEST', 'nothing to pay');
    const orderId = `PAY-${randomUUID().slice(0, 8)}`;
    const order = { orderId, quoteId, amountVnd: quote.totalVnd, billNumber: `VN${orderId.slice(4).toUpperCase()}`, status: 'unpaid' as const, payee: this.payee, openedAt: this.now() };
    this.orders.set(orderId, order);
    return this.payment(orderId);
  }

  payment(orderId: string): PaymentOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new SimProblem(404, 'DCS_PAYMENT_NOT_FOUND', 'no such payment');
    const auto = this.rules.autoPayAfterMs;
    if (order.status === 'unpaid' && auto !== undefined && this.now() - order.openedAt >= auto) this.markPaid(orderId);
    const { openedAt: _, ...plain } = this.orders.get(orderId)!;
    return plain;
  }

  /** The bank's notification that the money arrived, naming the order or the bill on the QR (tests, the demo's auto-pay). */
  markPaid(orderOrBill: string): PaymentOrder {
    const order = this.orders.get(orderOrBill) ?? [...this.orders.values()].find((o) => o.billNumber === orderOrBill);
    if (!order) throw new SimProblem(404, 'DCS_PAYMENT_NOT_FOUND', 'no such payment');
    this.orders.set(order.orderId, { ...order, status: 'paid' });
    return this.payment(order.orderId);
  }

  checkIn(request: CheckInRequest): CheckInResult {
    const b = this.booking(request.locator);
    const party = this.party(b, request.passengerIds);
    const first = b.segments[0]!;
    const window = checkInWindow(first.flight, this.clock(), this.rules.windows);
    if (!window.open) throw new SimProblem(422, window.code === 'CHECKIN_CLOSED' ? 'DCS_CHECKIN_CLOSED' : 'DCS_CHECKIN_NOT_OPEN', 'outside the check-in window');
    if (party.some((p) => first.passengers.find((q) => q.passengerId === p.id)?.checkedIn)) throw new SimProblem(409, 'DCS_ALREADY_CHECKED_IN', 'a passenger is already checked in');
    for (const infant of party.filter((p) => p.type === 'infant')) {
      if (!party.some((p) => p.id === infant.infantOf)) throw new SimProblem(422, 'DCS_INFANT_WITHOUT_ADULT', 'an infant is checked in with their adult');
    }
    // Priced items must be paid, in full, before the airline accepts anything.
    const lines = this.priceLines(b, request);
    const due = lines.reduce((sum, l) => sum + l.amountVnd, 0);
    if (due > 0) {
      const order = request.paymentOrderId ? this.payment(request.paymentOrderId) : undefined;
      if (!order || order.status !== 'paid' || order.amountVnd < due) throw new SimProblem(402, 'DCS_PAYMENT_REQUIRED', 'the priced items are not paid');
    }
    const map = this.seatMap(first.flight.id);
    for (const { passengerId, seat } of request.seats) {
      const p = party.find((q) => q.id === passengerId);
      if (!p || p.type === 'infant') throw new SimProblem(400, 'DCS_BAD_REQUEST', 'a seat for someone not checking in');
      const row = map.rows.find((r) => r.row === Number.parseInt(seat, 10));
      const status = row?.seats.find((x) => `${row.row}${x.letter}` === seat)?.status;
      const own = first.passengers.find((q) => q.passengerId === passengerId)?.seat === seat;
      if (!row || (status !== 'free' && !own)) throw new SimProblem(409, 'DCS_SEAT_TAKEN', 'the seat is not free');
      if (row.exit && (p.type !== 'adult' || b.passengers.some((q) => q.infantOf === p.id))) throw new SimProblem(422, 'DCS_SEAT_RESTRICTED', 'exit rows are for adults without infants');
    }
    this.acknowledgements.push({ locator: b.locator, passengers: party.length, at: request.dangerousGoodsAcknowledgedAt });
    const chosen = new Map(request.seats.map((s) => [s.passengerId, s.seat]));
    const segments = b.segments.map((seg, k) => ({
      flight: seg.flight,
      passengers: seg.passengers.map((sp) => {
        const p = party.find((q) => q.id === sp.passengerId);
        if (!p) return sp;
        const seat = p.type === 'infant' ? null : (k === 0 ? chosen.get(p.id) : undefined) ?? sp.seat ?? this.freeSeat(seg.flight.id);
        return { ...sp, seat, checkedIn: true, sequence: this.nextSequence(seg.flight.id) };
      }),
    }));
    this.bookings.set(b.locator, { ...b, segments });
    const bags: CheckedBag[] = assessBags(party.map((p) => ({ passengerId: p.id, allowance: p.allowance })), request.bags.map((x) => x.weightKg), this.rules.handlingLimitKg)
      .bags.map((bag) => ({ passengerId: bag.passengerId, weightKg: bag.weightKg, licencePlate: licencePlate(first.flight.airlineNumericCode, ++this.tagSerial) }));
    return { booking: this.view(this.bookings.get(b.locator)!), bags };
  }

  private freeSeat(flightId: string): string {
    const free = this.seatMap(flightId).rows.flatMap((r) => (r.exit || this.seatPrice(r.row) > 0 ? [] : r.seats.filter((s) => s.status === 'free').map((s) => `${r.row}${s.letter}`)));
    if (free.length === 0) throw new SimProblem(409, 'DCS_NO_SEAT', 'the flight is full');
    return free[0]!;
  }

  issue(request: IssueRequest): Issued {
    const b = this.booking(request.locator);
    this.party(b, request.passengerIds);
    const notIn = request.passengerIds.some((id) => !b.segments.every((s) => s.passengers.find((p) => p.passengerId === id)?.checkedIn !== false));
    if (notIn) throw new SimProblem(409, 'DCS_NOT_CHECKED_IN', 'a passenger is not checked in');
    return { issuedAt: withOffsetOf(b.segments[0]!.flight.departure, this.now()), booking: this.view(b) };
  }

  findFlights(q: FlightQuery): Flight[] {
    const number = (n: string) => n.replace(/^0+(?=\d)/, '');
    const named = (f: Flight) => ('gate' in q ? f.gate === q.gate : f.carrier === q.carrier && number(f.number) === number(q.number));
    return [...this.flights.values()].filter((f) => named(f) && f.from === q.from && localParts(f.departure).date === q.date);
  }

  boardingList(flightId: string): BoardingList {
    const flight = this.flight(flightId);
    const passengers = [...this.bookings.values()].flatMap((b) =>
      b.segments.filter((s) => s.flight.id === flightId).flatMap((s) => s.passengers.map((sp) => {
        const p = b.passengers.find((q) => q.id === sp.passengerId)!;
        return { ...sp, name: p.name, type: p.type, locator: b.locator };
      })),
    );
    return { flight, passengers };
  }

  board(flightId: string, passengerId: string): { boarded: true; at: string } {
    const flight = this.flight(flightId);
    for (const b of this.bookings.values()) {
      const k = b.segments.findIndex((s) => s.flight.id === flightId && s.passengers.some((p) => p.passengerId === passengerId));
      if (k < 0) continue;
      const sp = b.segments[k]!.passengers.find((p) => p.passengerId === passengerId)!;
      if (!sp.checkedIn) throw new SimProblem(409, 'DCS_NOT_CHECKED_IN', 'the passenger is not checked in');
      if (sp.boarded) throw new SimProblem(409, 'DCS_ALREADY_BOARDED', 'the passenger has boarded already');
      const segments = b.segments.map((s, i) => (i !== k ? s : { ...s, passengers: s.passengers.map((p) => (p.passengerId === passengerId ? { ...p, boarded: true } : p)) }));
      this.bookings.set(b.locator, { ...b, segments });
      return { boarded: true, at: withOffsetOf(flight.departure, this.now()) };
    }
    throw new SimProblem(404, 'DCS_NOT_ON_FLIGHT', 'no such passenger on this flight');
  }
}
