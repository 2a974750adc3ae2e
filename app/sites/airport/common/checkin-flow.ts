/**
 * The airport's check-in inside the shared journey, as a conversation: find the booking (by the
 * chip's ID number, else booking code + surname or a scanned barcode) → match the chip's name →
 * check the window → the passengers the verified person checks in (themselves, their infant, the
 * children with them) → dangerous goods → seats → bags on the scale → payment when the airline
 * priced something → the face token (with consent) → check-in, BSM, the passes on screen → print
 * (passes, tags, bag receipt). Each step's view is in ./views.ts. Every refusal sends the person to
 * the counter with a reason code, and so does the passenger's own "go to the counter".
 */
import type { PrintedReceipt } from '../../../core/journey/ports.ts';
import type { SiteContext, SiteFlow, SiteResult } from '../../../core/journey/site-flow.ts';
import { buildVietQr } from '../../../core/payments/vietqr.ts';
import { bagTag, bcbpString, boardingPass, receipt, type Paper, type ReceiptDocument } from '../../../core/receipts/index.ts';
import { siteView } from '../../../core/sites/site-module.ts';
import { assessBags, type BagAssessment } from './bags.ts';
import { boardingPassOf } from './boarding-pass.ts';
import { encodeBsm } from './bsm.ts';
import type { AirportConfig } from './config.ts';
import type { Booking, BookingQuery, CheckInResult, FoundBooking, Flight, Passenger, PaymentOrder, Quote, SeatMap } from './contract.ts';
import { templateToBase64 } from './gate.ts';
import { matchName, passName, type NameMismatch } from './name-match.ts';
import { AirportError, type BaggageMessages, type BiometricTokens, type DepartureControl, type Scale } from './ports.ts';
import { checkInWindow, localParts, withOffsetOf } from './time-rules.ts';
import { airportViews, DANGEROUS_GOODS, flightViewOf, passengerStatus } from './views.ts';
import type { z } from 'zod';

export interface CheckInDeps {
  readonly dcs: DepartureControl;
  /** Bags are dropped here only with both a scale and a BSM inbox. */
  readonly scale?: Scale;
  readonly baggage?: BaggageMessages;
  readonly tokens?: BiometricTokens;
  readonly settings: AirportConfig;
  readonly terminalId: string;
  readonly paper: Paper;
  readonly clock: () => Date;
  /** The audit trail: codes and counts, never names or numbers. */
  record(action: string, detail: Record<string, string | number | boolean>): void;
  /** The DCS accepted a check-in (the staff screen's tally of the day). */
  onCheckedIn?(flight: Flight, passengers: readonly Passenger[], bags: number): void;
  /** Prints the documents in order; the first one's raster is what the screen shows. */
  print(documents: readonly ReceiptDocument[]): Promise<PrintedReceipt>;
}

/** Special services that need the counter, whoever has them. */
const COUNTER_SERVICES = new Set(['UMNR', 'MEDA', 'STCR', 'WCHC', 'DEPA', 'DEPU', 'PETC', 'AVIH', 'EXST', 'CBBG']);
/** Which mismatch reason to show when no passenger matched: the one closest to a match. */
const MISMATCH_ORDER: NameMismatch[] = ['NAME_GIVEN_NAME_MISSING', 'NAME_GIVEN_NAMES_DIFFER', 'NAME_FAMILY_NAME_MISSING', 'NAME_SURNAME_DIFFERS', 'NAME_UNREADABLE'];
const SCALE_TIMEOUT_MS = 15_000;

type Views = typeof airportViews;
const view = <S extends keyof Views & string>(step: S, data: z.input<Views[S]>): SiteResult => siteView(airportViews, step, data);

/** An adult of the party whose own card and face the journey verified at this kiosk, in turn. */
interface Person {
  readonly ctx: SiteContext;
  readonly passenger: Passenger;
  /** Their answer about the face token (asked while they are at the kiosk). */
  tokenConsent?: boolean;
}

interface State {
  /** The first person: the one who finds the booking. */
  readonly ctx: SiteContext;
  /** The verified adults in turn, from the holder (set once the booking names them) on. */
  people: Person[];
  booking?: Booking;
  holder?: Passenger;
  /** Who is checked in now: the holder first. */
  party: Passenger[];
  /** Adults of the party still to tap their own card (`next-person`), in the order chosen. */
  pending: Passenger[];
  /** The flow asked the journey for the next person, and only then takes one. */
  awaitingPerson?: boolean;
  dangerousGoodsAt?: string;
  seatMap?: SeatMap;
  seats: Map<string, string>;
  bagCount: number;
  weights: number[];
  quote?: Quote;
  order?: PaymentOrder;
  /** The holder's live face tokens on this flight (checked in earlier), or 'deleted' once they asked. */
  faceTokens?: readonly string[] | 'deleted';
  /** Set once the DCS accepted the check-in: a double tap never checks in twice. */
  checkedIn?: CheckInResult;
  /** Set once the passes are issued: shown on screen first, then printed. */
  issued?: Issued;
  /** The check-in and issue under way: a second tap meanwhile waits for it instead of checking in twice. */
  issuing?: Promise<SiteResult>;
}

/** What the kiosk issued: the passes on screen, and the done result that prints them. */
interface Issued {
  readonly view: SiteResult;
  readonly done: SiteResult;
}

export function createCheckInFlow(deps: CheckInDeps): SiteFlow {
  const { settings } = deps;
  let s: State | undefined;
  const need = (): State => {
    if (!s) throw new AirportError('SITE_NOT_STARTED', 'the airport steps have not started');
    return s;
  };
  const now = () => deps.clock();
  const first = (b: Booking) => b.segments[0]!.flight;
  const counter = (reason: z.input<Views['counter']>['reason'], detail: string | null = null, at: string | null = null): SiteResult => {
    deps.record('airport.counter', { reason, ...(detail ? { detail } : {}) });
    return view('counter', { reason, detail, flight: s?.booking ? flightViewOf(first(s.booking)) : null, at });
  };
  const onFlight = (b: Booking, passengerId: string, segment = 0) => b.segments[segment]!.passengers.find((p) => p.passengerId === passengerId);
  const bagDropHere = () => deps.scale !== undefined && deps.baggage !== undefined && settings.maxBags > 0;

  // ---- finding the booking and the person in it ----

  /** The booking to check in: the soonest one leaving here whose check-in is open, else the soonest not yet gone. */
  const choose = (found: FoundBooking[]): FoundBooking | 'NOT_FROM_HERE' | undefined => {
    if (found.length === 0) return undefined;
    const here = found.filter((b) => first(b).from === settings.iataCode);
    if (here.length === 0) return 'NOT_FROM_HERE';
    const byDeparture = [...here].sort((a, b) => Date.parse(first(a).departure) - Date.parse(first(b).departure));
    return (
      byDeparture.find((b) => checkInWindow(first(b), now(), settings.checkInWindows).open) ??
      byDeparture.find((b) => Date.parse(first(b).departure) > now().getTime()) ??
      byDeparture.at(-1)
    );
  };

  /** The booked passenger the chip's name matches (the one the DCS named, when it named one). */
  const findHolder = (b: FoundBooking, fullName: string): Passenger | NameMismatch => {
    const candidates = b.holderPassengerId ? b.passengers.filter((p) => p.id === b.holderPassengerId) : b.passengers.filter((p) => p.type !== 'infant');
    const reasons: NameMismatch[] = [];
    for (const p of candidates) {
      const m = matchName(fullName, p.name);
      if (m.matched) return p;
      reasons.push(m.reason);
    }
    return MISMATCH_ORDER.find((r) => reasons.includes(r)) ?? 'NAME_UNREADABLE';
  };

  const lookup = async (st: State, query: BookingQuery, notFound: 'NOT_FOUND_BY_ID' | 'NOT_FOUND'): Promise<SiteResult> => {
    const chosen = choose(await deps.dcs.findBookings(query));
    deps.record('airport.booking-lookup', { by: query.by, found: chosen !== undefined && chosen !== 'NOT_FROM_HERE' });
    if (chosen === undefined) return view('find-booking', { problem: notFound, airport: settings.iataCode });
    if (chosen === 'NOT_FROM_HERE') return counter('NOT_FROM_HERE');
    st.booking = chosen;
    const holder = findHolder(chosen, st.ctx.holder.fullName);
    if (typeof holder === 'string') return counter('NAME_MISMATCH', holder);
    st.holder = holder;
    st.people = [{ ctx: st.ctx, passenger: holder }];
    const window = checkInWindow(first(chosen), now(), settings.checkInWindows);
    if (!window.open) return counter(window.code, null, window.code === 'CHECKIN_NOT_OPEN' ? window.opensAt : window.closedAt);
    if (holder.specialService.some((c) => COUNTER_SERVICES.has(c))) return counter('SPECIAL_SERVICE');
    if (onFlight(chosen, holder.id)?.checkedIn) st.faceTokens = await holderTokens(first(chosen).id, holder.id);
    return passengersView(st);
  };

  /** The holder's face tokens on a flight, so they may have them deleted; a store out of reach hides the offer. */
  const holderTokens = async (flightId: string, passengerId: string): Promise<string[]> => {
    if (!deps.tokens) return [];
    try {
      return (await deps.tokens.byFlight(flightId)).filter((t) => t.passengerId === passengerId).map((t) => t.tokenId);
    } catch (e) {
      deps.record('airport.token-failed', { code: e instanceof AirportError ? e.code : 'TOKEN_NOT_LISTED' });
      return [];
    }
  };

  // ---- the steps ----

  const statusOf = (st: State, p: Passenger): z.infer<typeof passengerStatus> => {
    const seg = onFlight(st.booking!, p.id);
    if (p.id === st.holder!.id) return seg?.checkedIn ? 'checked-in' : 'you';
    if (seg?.checkedIn) return 'checked-in';
    if (p.specialService.some((c) => COUNTER_SERVICES.has(c))) return 'counter';
    if (p.type === 'infant') return p.infantOf === st.holder!.id ? 'with-you' : 'with-their-adult';
    return p.type === 'child' ? 'with-you' : 'own-card';
  };

  const passengersView = (st: State): SiteResult => {
    const b = st.booking!;
    return view('passengers', {
      locator: b.locator,
      flight: flightViewOf(first(b)),
      connections: b.segments.slice(1).map((seg) => flightViewOf(seg.flight)),
      passengers: b.passengers.map((p) => {
        const status = statusOf(st, p);
        // Children go with the holder unless left; another adult may come along, with their own card.
        const optional = (status === 'with-you' && p.type === 'child') || status === 'own-card';
        return { id: p.id, name: p.name, type: p.type, status, seat: onFlight(b, p.id)?.seat ?? null, optional, infantOf: p.infantOf ?? null };
      }),
      alreadyCheckedIn: onFlight(b, st.holder!.id)?.checkedIn === true,
      faceToken: st.faceTokens === 'deleted' ? 'deleted' : st.faceTokens?.length ? 'registered' : 'none',
    });
  };

  const seatsView = (st: State, problem: z.input<Views['seats']>['problem'] = null): SiteResult => {
    const map = st.seatMap!;
    const ours = new Map([...st.party.map((p) => [onFlight(st.booking!, p.id)?.seat, p.id] as const), ...[...st.seats].map(([id, seat]) => [seat, id] as const)]);
    return view('seats', {
      flight: flightViewOf(first(st.booking!)),
      compartment: map.compartment,
      columns: map.columns,
      rows: map.rows.map((r) => ({
        row: r.row,
        exit: r.exit,
        seats: r.seats.map((seat) => {
          const code = `${r.row}${seat.letter}`;
          return { letter: seat.letter, priceVnd: seat.priceVnd, status: ours.has(code) ? 'ours' : seat.status };
        }),
      })),
      passengers: seated(st).map((p) => ({
        id: p.id, name: p.name, seat: st.seats.get(p.id) ?? onFlight(st.booking!, p.id)?.seat ?? null, changed: st.seats.has(p.id), mayUseExitRow: mayUseExitRow(st, p),
      })),
      problem,
    });
  };
  const seated = (st: State) => st.party.filter((p) => p.type !== 'infant');
  /** Exit rows are for adults who can help in an evacuation: not children, not adults with an infant. */
  const mayUseExitRow = (st: State, p: Passenger) => p.type === 'adult' && !st.booking!.passengers.some((q) => q.infantOf === p.id);

  const bagsView = (st: State): SiteResult =>
    view('bags', {
      allowance: st.party.map((p) => ({ passengerId: p.id, name: p.name, pieces: p.allowance.pieces, kgPerPiece: p.allowance.kgPerPiece })),
      maxBags: settings.maxBags,
      handlingLimitKg: settings.bagHandlingLimitKg,
    });

  const assess = (st: State): BagAssessment =>
    assessBags(st.party.map((p) => ({ passengerId: p.id, allowance: p.allowance })), st.weights, settings.bagHandlingLimitKg);

  const weighView = (st: State, problem: z.input<Views['weigh']>['problem'] = null): SiteResult => {
    const a = assess(st);
    return view('weigh', {
      bag: st.weights.length + 1, count: st.bagCount, handlingLimitKg: settings.bagHandlingLimitKg, problem,
      bags: a.bags.map((b) => ({ weightKg: b.weightKg, included: b.included, overweightKg: b.overweightKg })),
      extraPieces: a.extraPieces, overweightKg: a.overweightKg,
    });
  };

  const paymentView = (st: State): SiteResult => {
    const { quote, order } = st as Required<Pick<State, 'quote' | 'order'>>;
    const name = (id: string) => st.party.find((p) => p.id === id)?.name ?? '';
    return view('payment', {
      lines: quote.lines.map((l) => ({ kind: l.kind, name: name(l.passengerId), item: l.item, amountVnd: l.amountVnd })),
      totalVnd: order.amountVnd,
      billNumber: order.billNumber,
      status: order.status,
      vietQr: buildVietQr({ ...order.payee, amountVnd: order.amountVnd, billNumber: order.billNumber, purpose: `CHECKIN ${st.booking!.locator}` }),
    });
  };

  /** After seats and bags: the airline prices what was chosen; payment first if anything costs. */
  const priceAndPay = async (st: State): Promise<SiteResult> => {
    const bags = assess(st).bags.map(({ passengerId, weightKg }) => ({ passengerId, weightKg }));
    const seats = [...st.seats].map(([passengerId, seat]) => ({ passengerId, seat }));
    st.quote = undefined;
    st.order = undefined;
    if (seats.length > 0 || bags.length > 0) {
      const quote = await deps.dcs.quote({ locator: st.booking!.locator, passengerIds: st.party.map((p) => p.id), seats, bags });
      if (quote.totalVnd > 0) {
        st.quote = quote;
        st.order = await deps.dcs.createPayment(quote.quoteId);
        deps.record('airport.payment-opened', { amountVnd: st.order.amountVnd, lines: quote.lines.length });
        if (st.order.status !== 'paid') return paymentView(st);
      }
    }
    return afterPayment(st);
  };

  /**
   * The face for the token: the live capture the journey matched to the chip portrait (today's face,
   * as the gates' cameras will see it), else the chip portrait's. Without a verified face no token is offered.
   */
  const tokenFace = (person: Person): { model: string; template: Float32Array } | undefined => {
    const face = person.ctx.face;
    const template = face?.live ?? face?.chip;
    return face && template ? { model: face.model, template } : undefined;
  };
  /** The token question for the person at the kiosk now, unless they answered or have no verified face. */
  const tokenQuestion = (st: State): SiteResult | undefined => {
    const person = st.people.at(-1)!;
    if (!deps.tokens || !tokenFace(person) || person.tokenConsent !== undefined) return undefined;
    return view('token-consent', { deleteAt: tokenDeleteAt(st), flight: flightViewOf(first(st.booking!)), name: person.passenger.name, nextPerson: st.pending.length > 0 });
  };
  const tokenDeleteAt = (st: State) => withOffsetOf(first(st.booking!).departure, Date.parse(first(st.booking!).departure) + settings.tokenHoursAfterDeparture * 3_600_000);

  const afterPayment = async (st: State): Promise<SiteResult> => tokenQuestion(st) ?? issue(st);

  /** After a person's turn: the next adult's card, or (everyone verified) the party's steps go on. */
  const nextOrOn = (st: State): SiteResult => {
    if (st.pending.length === 0) return view('dangerous-goods', { items: [...DANGEROUS_GOODS] });
    // Their face token is asked now, while they are still here.
    return tokenQuestion(st) ?? nextPerson(st);
  };
  const nextPerson = (st: State): SiteResult => {
    st.awaitingPerson = true;
    return { kind: 'next-person' };
  };

  // ---- issuing ----

  const sendBsms = async (st: State, result: CheckInResult): Promise<boolean> => {
    const b = result.booking;
    const [outbound, ...onward] = b.segments.map((seg) => seg.flight);
    let allSent = true;
    for (const p of st.party) {
      const bags = result.bags.filter((bag) => bag.passengerId === p.id);
      if (bags.length === 0) continue;
      const compartment = onFlight(b, p.id)?.compartment ?? 'Y';
      const leg = (f: Flight) => ({ carrier: f.carrier, number: f.number, date: localParts(f.departure).date, destination: f.to, compartment });
      const bsm = encodeBsm({
        airport: settings.iataCode, flight: leg(outbound!), onward: onward.map(leg), licencePlates: bags.map((bag) => bag.licencePlate),
        totalKg: bags.reduce((sum, bag) => sum + bag.weightKg, 0), ...passName(p.name), locator: b.locator,
      });
      try {
        await deps.baggage!.send(bsm);
        deps.record('airport.bsm-sent', { bags: bags.length });
      } catch (e) {
        // The passenger is checked in: the bags wait at the counter until staff resend the message.
        allSent = false;
        deps.record('airport.bsm-failed', { bags: bags.length, code: e instanceof AirportError ? e.code : 'BSM_NOT_SENT' });
      }
    }
    return allSent;
  };

  /** Each verified adult's own face, for their own token, when they said yes; whether the holder's was registered. */
  const registerTokens = async (st: State, booking: Booking): Promise<boolean> => {
    let holders = false;
    for (const person of st.people) {
      const face = tokenFace(person);
      if (!person.tokenConsent || !face || !deps.tokens) continue;
      try {
        await deps.tokens.register({
          flightId: first(booking).id, passengerId: person.passenger.id, modelSet: face.model, template: templateToBase64(face.template), expiresAt: tokenDeleteAt(st),
        });
        deps.record('airport.token-registered', { hoursAfterDeparture: settings.tokenHoursAfterDeparture });
        holders ||= person.passenger.id === st.holder!.id;
      } catch (e) {
        deps.record('airport.token-failed', { code: e instanceof AirportError ? e.code : 'TOKEN_NOT_REGISTERED' });
      }
    }
    return holders;
  };

  const issue = (st: State): Promise<SiteResult> => {
    st.issuing ??= issueOnce(st).then(
      (r) => {
        if (!st.issued) st.issuing = undefined; // refused (a seat taken, the counter): a later try starts afresh
        return r;
      },
      (e: unknown) => {
        st.issuing = undefined;
        throw e;
      },
    );
    return st.issuing;
  };

  const issueOnce = async (st: State): Promise<SiteResult> => {
    if (st.issued) return st.issued.view;
    const booking = st.booking!;
    const ids = st.party.map((p) => p.id);
    if (!st.checkedIn) {
      try {
        st.checkedIn = await deps.dcs.checkIn({
          locator: booking.locator, passengerIds: ids, terminalId: deps.terminalId,
          seats: [...st.seats].map(([passengerId, seat]) => ({ passengerId, seat })),
          bags: assess(st).bags.map(({ passengerId, weightKg }) => ({ passengerId, weightKg })),
          dangerousGoodsAcknowledgedAt: st.dangerousGoodsAt!,
          ...(st.order ? { paymentOrderId: st.order.orderId } : {}),
        });
      } catch (e) {
        if (e instanceof AirportError && e.code === 'DCS_SEAT_TAKEN') {
          // Someone took the seat meanwhile: choose again on a fresh map.
          st.seats.clear();
          st.seatMap = await deps.dcs.seatMap(first(booking).id);
          return seatsView(st, 'SEAT_TAKEN');
        }
        if (e instanceof AirportError && e.code.startsWith('DCS_') && e.code !== 'DCS_UNAVAILABLE' && e.code !== 'DCS_BAD_ANSWER') return counter('CHECKIN_REFUSED', e.code);
        throw e;
      }
      deps.record('airport.checked-in', { passengers: ids.length, bags: st.checkedIn.bags.length, paid: st.order !== undefined });
      deps.onCheckedIn?.(first(booking), st.party, st.checkedIn.bags.length);
    }
    const bsmSent = st.checkedIn.bags.length === 0 || (await sendBsms(st, st.checkedIn));
    const issued = await deps.dcs.issue({ locator: booking.locator, passengerIds: ids, terminalId: deps.terminalId });
    const token = await registerTokens(st, issued.booking);
    st.issued = finish(st, issued.booking, issued.issuedAt, st.checkedIn.bags, { bsmSent, token });
    return st.issued.view;
  };

  const reprint = async (st: State): Promise<SiteResult> => {
    const ids = st.booking!.passengers.filter((p) => (p.id === st.holder!.id || p.infantOf === st.holder!.id) && onFlight(st.booking!, p.id)?.checkedIn).map((p) => p.id);
    const issued = await deps.dcs.issue({ locator: st.booking!.locator, passengerIds: ids, terminalId: deps.terminalId });
    st.party = issued.booking.passengers.filter((p) => ids.includes(p.id));
    deps.record('airport.reprinted', { passengers: ids.length });
    st.issued = finish(st, issued.booking, issued.issuedAt, [], { bsmSent: true, token: false });
    return st.issued.view;
  };

  const finish = (st: State, booking: Booking, issuedAt: string, bags: CheckInResult['bags'], outcome: { bsmSent: boolean; token: boolean }): Issued => {
    const flight = first(booking);
    const destination = booking.segments.at(-1)!.flight;
    // Each verified adult's name as their chip writes it; the others' as booked.
    const chipName = (passengerId: string) => st.people.find((person) => person.passenger.id === passengerId)?.ctx.holder.fullName;
    const passes = st.party.map((p) => boardingPassOf(booking, p.id, issuedAt, chipName(p.id)));
    const bcbps = passes.map((p) => bcbpString(p));
    const bookedName = (passengerId: string) => st.party.find((p) => p.id === passengerId)!.name;
    const opts = { paper: deps.paper };
    const date = localParts(flight.departure).date;
    const tags = bags.map((bag, i) =>
      bagTag({
        licencePlate: bag.licencePlate, passengerSurname: passName(bookedName(bag.passengerId)).surname,
        from: flight.from, to: destination.to, toCity: destination.toCity,
        carrier: flight.carrier, flightNumber: flight.number, flightDate: date, bagIndex: i + 1, bagCount: bags.length,
      }, opts),
    );
    const paid = st.quote?.lines ?? [];
    const bagReceipt = bags.length > 0 || paid.length > 0
      ? [receipt({
          merchant: flight.airlineName,
          title: 'BIÊN NHẬN HÀNH LÝ / BAG RECEIPT',
          lines: [
            ...bags.map((bag, i) => ({ label: `Kiện ${i + 1}/${bags.length} · ${bag.licencePlate} · ${bag.weightKg.toFixed(1)} kg`, amountVnd: 0 })),
            ...paid.map((l) => ({ label: `${l.kind === 'seat' ? 'Ghế / Seat' : l.kind === 'extra-piece' ? 'Kiện thêm / Extra bag' : 'Quá cước / Overweight'} ${l.item}`, amountVnd: l.amountVnd })),
          ],
          paidBy: paid.length > 0 ? 'VietQR' : '—',
          issuedAt: new Date(issuedAt),
          reference: booking.locator,
          footer: outcome.bsmSent ? 'Giữ biên nhận để nhận hành lý. Keep it to claim your bags.' : 'Mang hành lý đến quầy. Please take your bags to the counter.',
        }, opts)]
      : [];
    const seat = onFlight(booking, st.holder!.id)?.seat ?? '';
    const done: SiteResult = {
      kind: 'done',
      receipt: {
        print: () => deps.print([...passes.map((p) => boardingPass(p, opts)), ...tags, ...bagReceipt]),
        summary: {
          flight: `${flight.carrier} ${flight.number}`,
          route: `${flight.from} → ${destination.to}`,
          departure: `${localParts(flight.departure).time} ${date.slice(8, 10)}/${date.slice(5, 7)}`,
          boarding: localParts(flight.boardingTime).time,
          gate: flight.gate ?? '',
          seat,
          passengers: String(passes.length),
          bags: String(bags.length),
          ...(bags.length > 0 && !outcome.bsmSent ? { bagsTo: 'counter' } : {}),
          token: outcome.token ? 'registered' : 'none',
          // The same BCBP as on paper, for the QR a phone can keep.
          bcbp: bcbps[0]!,
        },
        // The done screen's card: the flight and whose pass; its QR is the booking code, for staff
        // (the boarding pass's own barcodes were on the screen before, and are on the paper).
        ticket: {
          name: `${passes[0]!.surname} ${passes[0]!.givenNames}`,
          place: { vi: `${flight.carrier} ${flight.number} · ${destination.toCity}`, en: `${flight.carrier} ${flight.number} · ${destination.toCity}` },
          issuedAt,
          code: booking.locator,
        },
      },
    };
    const issuedView = view('boarding-pass', {
      locator: booking.locator,
      flight: flightViewOf(flight),
      connections: booking.segments.slice(1).map((seg) => flightViewOf(seg.flight)),
      passes: passes.map((p, i) => ({ name: `${p.surname} ${p.givenNames}`, infant: st.party[i]!.type === 'infant', seat: p.seat, sequence: p.sequence, bcbp: bcbps[i]! })),
      bags: bags.map((bag) => ({ licencePlate: bag.licencePlate, weightKg: bag.weightKg, name: bookedName(bag.passengerId) })),
      paid: paid.map(({ kind, item, amountVnd }) => ({ kind, item, amountVnd })),
      bagsToCounter: bags.length > 0 && !outcome.bsmSent,
      token: outcome.token,
    });
    return { view: issuedView, done };
  };

  // ---- the conversation ----

  return {
    async start(ctx) {
      s = { ctx, people: [], party: [], pending: [], seats: new Map(), bagCount: 0, weights: [] };
      return lookup(s, { by: 'id-number', idNumber: ctx.holder.idNumber }, 'NOT_FOUND_BY_ID');
    },

    /** The next adult of the party, verified with their own card and face: they must be the one booked. */
    async addPerson(ctx) {
      const st = need();
      if (!st.awaitingPerson || st.pending.length === 0) throw new AirportError('SITE_BAD_ACTION', 'nobody else is to come now');
      st.awaitingPerson = false;
      const matches = st.pending.map((p) => ({ p, m: matchName(ctx.holder.fullName, p.name) }));
      const found = matches.find((x) => x.m.matched)?.p;
      if (!found) {
        const reasons = matches.flatMap((x) => (x.m.matched ? [] : [x.m.reason]));
        return counter('NAME_MISMATCH', MISMATCH_ORDER.find((r) => reasons.includes(r)) ?? 'NAME_UNREADABLE');
      }
      st.pending = st.pending.filter((p) => p !== found);
      st.people.push({ ctx, passenger: found });
      deps.record('airport.person-added', { waiting: st.pending.length });
      return nextOrOn(st);
    },

    async act(action) {
      const st = need();
      // Issued: the passes on screen until the passenger asks for paper (a double tap changes nothing).
      if (st.issued) return action.choose === 'print' ? st.issued.done : st.issued.view;
      switch (action.choose) {
        case 'counter':
          return counter('ASKED');
        case 'find': {
          if (st.booking) return passengersView(st);
          const locator = typeof action.locator === 'string' ? action.locator.trim().toUpperCase() : '';
          const surname = typeof action.surname === 'string' ? passName(`${action.surname}/`).surname : '';
          if (!/^[A-Z0-9]{6}$/.test(locator) || !/^[A-Z ]{1,40}$/.test(surname)) return view('find-booking', { problem: 'NOT_FOUND', airport: settings.iataCode });
          return lookup(st, { by: 'locator', locator, surname }, 'NOT_FOUND');
        }
        case 'scan': {
          if (st.booking) return passengersView(st);
          const text = typeof action.text === 'string' ? action.text.trim() : '';
          if (!/^M[1-4][\x20-\x7e]{58,498}$/.test(text)) return view('find-booking', { problem: 'BCBP_INVALID', airport: settings.iataCode });
          return lookup(st, { by: 'bcbp', bcbp: text }, 'NOT_FOUND');
        }
        case 'reprint':
          if (!st.booking || onFlight(st.booking, st.holder!.id)?.checkedIn !== true) throw new AirportError('SITE_BAD_ACTION', 'nothing to print again');
          return reprint(st);
        case 'token-delete': {
          // On the passenger's request, before the store's own deletion after departure.
          if (!st.booking || !Array.isArray(st.faceTokens) || st.faceTokens.length === 0) throw new AirportError('SITE_BAD_ACTION', 'no face token to delete');
          for (const tokenId of st.faceTokens) await deps.tokens!.delete(tokenId);
          deps.record('airport.token-deleted', { tokens: st.faceTokens.length });
          st.faceTokens = 'deleted';
          return passengersView(st);
        }
        case 'passengers': {
          if (!st.booking || onFlight(st.booking, st.holder!.id)?.checkedIn) throw new AirportError('SITE_BAD_ACTION', 'no passengers to choose');
          const include = Array.isArray(action.include) ? action.include.filter((x): x is string => typeof x === 'string') : [];
          const adults = new Set(st.booking.passengers.filter((p) => statusOf(st, p) === 'own-card' && include.includes(p.id)).map((p) => p.id));
          st.party = st.booking.passengers.filter((p) => {
            const status = statusOf(st, p);
            if (status === 'you' || adults.has(p.id)) return true;
            if (status === 'with-you') return p.type === 'infant' || include.includes(p.id);
            // Another adult's infant comes with that adult.
            return status === 'with-their-adult' && p.infantOf !== undefined && adults.has(p.infantOf);
          });
          st.pending = st.party.filter((p) => adults.has(p.id));
          return nextOrOn(st);
        }
        case 'dangerous-goods': {
          if (st.party.length === 0) return passengersView(st);
          if (action.accepted !== true) return counter('DANGEROUS_GOODS');
          st.dangerousGoodsAt = withOffsetOf(first(st.booking!).departure, now().getTime());
          deps.record('airport.dangerous-goods-acknowledged', { passengers: st.party.length });
          st.seatMap ??= await deps.dcs.seatMap(first(st.booking!).id);
          return seatsView(st);
        }
        case 'seat': {
          if (!st.seatMap || !st.dangerousGoodsAt) throw new AirportError('SITE_BAD_ACTION', 'seats come after the dangerous-goods step');
          const p = seated(st).find((q) => q.id === action.passengerId);
          const code = typeof action.seat === 'string' ? action.seat : '';
          const m = /^(\d{1,3})([A-Z])$/.exec(code);
          const row = m ? st.seatMap.rows.find((r) => r.row === Number(m[1])) : undefined;
          const seat = row?.seats.find((x) => x.letter === m?.[2]);
          if (!p || !row || !seat) return seatsView(st, 'SEAT_UNKNOWN');
          if (code === onFlight(st.booking!, p.id)?.seat) {
            st.seats.delete(p.id); // back to the seat the airline gave
            return seatsView(st);
          }
          const ours = [...st.party.map((q) => onFlight(st.booking!, q.id)?.seat), ...st.seats.values()].includes(code);
          if (ours || seat.status !== 'free') return seatsView(st, 'SEAT_TAKEN');
          if (row.exit && !mayUseExitRow(st, p)) return seatsView(st, 'SEAT_EXIT_ROW_RESTRICTED');
          st.seats.set(p.id, code);
          return seatsView(st);
        }
        case 'seats-done': {
          // Whoever has no seat yet gets one from the airline at check-in.
          if (!st.seatMap) throw new AirportError('SITE_BAD_ACTION', 'no seat map yet');
          if (bagDropHere()) return bagsView(st);
          return priceAndPay(st);
        }
        case 'bags': {
          if (!st.seatMap || !bagDropHere()) throw new AirportError('SITE_BAD_ACTION', 'bags are not dropped at this kiosk');
          const count = action.count;
          if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > settings.maxBags) throw new AirportError('SITE_BAD_ACTION', `bags must be 0..${settings.maxBags}`);
          st.bagCount = count;
          st.weights = st.weights.slice(0, count);
          return count === 0 || st.weights.length === count ? priceAndPay(st) : weighView(st);
        }
        case 'weigh': {
          if (st.bagCount === 0 || st.weights.length >= st.bagCount) throw new AirportError('SITE_BAD_ACTION', 'no bag to weigh');
          let kg: number;
          try {
            kg = (await deps.scale!.stableWeight({ minKg: 0.5, timeoutMs: SCALE_TIMEOUT_MS })).kg;
          } catch (e) {
            if (e instanceof AirportError && (e.code === 'SCALE_TIMEOUT' || e.code === 'SCALE_FAULT')) return weighView(st, e.code);
            throw e;
          }
          if (kg > settings.bagHandlingLimitKg) return weighView(st, 'BAG_TOO_HEAVY');
          st.weights.push(kg);
          return st.weights.length < st.bagCount ? weighView(st) : priceAndPay(st);
        }
        case 'payment-check': {
          if (!st.order) throw new AirportError('SITE_BAD_ACTION', 'nothing to pay');
          st.order = await deps.dcs.payment(st.order.orderId);
          if (st.order.status !== 'paid') return paymentView(st);
          deps.record('airport.payment-paid', { amountVnd: st.order.amountVnd });
          return afterPayment(st);
        }
        case 'payment-back': {
          // Back to choosing: free seats and fewer bags cost nothing.
          if (!st.seatMap) throw new AirportError('SITE_BAD_ACTION', 'nothing to go back to');
          st.order = undefined;
          st.quote = undefined;
          st.bagCount = 0;
          st.weights = [];
          return seatsView(st);
        }
        case 'token': {
          // Asked before the next adult's card, or at the end once everything is paid.
          const asked = st.pending.length > 0 || (st.dangerousGoodsAt !== undefined && !(st.quote && st.order?.status !== 'paid'));
          const person = st.people.at(-1);
          if (!asked || !person) throw new AirportError('SITE_BAD_ACTION', 'not yet');
          // A second tap keeps the first answer.
          if (person.tokenConsent === undefined) {
            person.tokenConsent = action.consent === true;
            deps.record('airport.token-consent', { consent: person.tokenConsent });
          }
          return st.pending.length > 0 ? nextPerson(st) : issue(st);
        }
        default:
          throw new AirportError('SITE_BAD_ACTION', 'unknown airport action');
      }
    },

    dispose() {
      s = undefined;
    },
  };
}
