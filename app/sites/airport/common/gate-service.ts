/**
 * The e-gate at security or boarding, end to end over its ports. Who stands at the gate is known one
 * of three ways, each ending in a face the journey matched: a scanned boarding pass whose passenger's
 * face token the live face matched 1:1 (`identifyPass` → `bySubject`); a tapped card whose chip the
 * live face matched, the DCS then finding the holder's pass (`byCardHolder`); or, with no credential,
 * the face found 1:N among the tokens of the one flight boarding at this gate (`boardingTokens`,
 * searched as ./gate.ts `boardingGallery` → `bySubject`). Then the flight and the passenger's entry on its list from the DCS → the decision
 * (./gate.ts) → at boarding, the site's authority claims the boarding (`Boardings`: one transaction,
 * so of two gates at the same instant one boards and the other refuses), the DCS records it (and
 * refuses a second one itself) → the door opens → the claim is settled. Every outcome is audited by
 * code, never by name.
 */
import type { Holder } from '../../../core/journey/ports.ts';
import type { CodeIdentity, FaceTemplate } from '../../../core/journey/site-flow.ts';
import { readBoardingPass, type ScannedLeg } from './boarding-pass.ts';
import type { BoardingList, BoardingListEntry, Flight, Token } from './contract.ts';
import { entryFor, gateDecision, templateFromBase64, type GateRefusal, type GateSettings } from './gate.ts';
import { matchName } from './name-match.ts';
import { AirportError, type Boardings, type BiometricTokens, type DepartureControl, type Door } from './ports.ts';
import { airportToday, boardingWindow, localParts } from './time-rules.ts';

export type GateOutcome =
  | { readonly open: true; readonly passengerId: string; readonly flight: Flight; readonly seat: string | null }
  | { readonly open: false; readonly code: GateRefusal | 'BCBP_INVALID' | 'GATE_NO_BOOKING' | 'GATE_NAME_MISMATCH' | 'GATE_SITE_OFFLINE' };

/** Why a scanned pass leads to no face to match (the journey words `err_<code>`). */
export type PassRefusal = 'BCBP_INVALID' | 'GATE_WRONG_AIRPORT' | 'GATE_WRONG_FLIGHT' | 'GATE_NOT_ON_FLIGHT' | 'GATE_NO_FACE_TOKEN';

export interface GateDeps {
  readonly dcs: DepartureControl;
  readonly door: Door;
  /** The airport's token store: without it only a card opens the gate. */
  readonly tokens?: BiometricTokens;
  readonly settings: GateSettings;
  /** Who has boarded, decided by the site (boarding gates). */
  readonly boardings: Boardings;
  /** Boarding when the site does not answer: `closed` refuses, `airline` lets the DCS alone decide. */
  readonly whenSiteOffline: 'closed' | 'airline';
  readonly clock: () => Date;
  record(action: string, detail: Record<string, string | number | boolean>): void;
}

/** The live face tokens of the flight boarding at a gate, for a search among them (1:N). */
export interface FlightTokens {
  readonly flightId: string;
  readonly tokens: readonly Token[];
}

export interface GateService {
  /** A scanned pass decided on the pass alone (no face): the gate's own rules and timing, as the benchmark measures them. */
  byBoardingPass(text: string): Promise<GateOutcome>;
  /** Whose a scanned pass is, with their face token on that flight: the face must match it 1:1. */
  identifyPass(text: string): Promise<CodeIdentity>;
  /** The passenger a pass or a face search found (`identifyPass`, `boardingTokens`), their face matched: the gate decides. */
  bySubject(subjectId: string): Promise<GateOutcome>;
  /** The passenger tapped their card and the journey verified them: the DCS finds their pass. */
  byCardHolder(holder: Holder): Promise<GateOutcome>;
  /** The face tokens of the flight boarding at this gate now (boarding gates only; none: nobody to search). */
  boardingTokens(): Promise<FlightTokens | undefined>;
  /** The list of the flight boarding at this gate now, for the staff screen (boarding gates only). */
  boardingList(): Promise<BoardingList | undefined>;
}

/** A subject is the flight and the passenger on it; ids never hold a slash (contract.ts). */
export const subjectOf = (flightId: string, passengerId: string) => `${flightId}/${passengerId}`;

/** The leg a pass for `entry` on `flight` would carry. */
function legOn(flight: Flight, entry: Pick<BoardingListEntry, 'locator' | 'compartment' | 'seat' | 'sequence'>): ScannedLeg {
  return {
    pnr: entry.locator, from: flight.from, to: flight.to, carrier: flight.carrier, flightNumber: flight.number,
    flightDate: localParts(flight.departure).date, compartment: entry.compartment, seat: entry.seat ?? '', sequence: entry.sequence ?? 0,
  };
}

const referenceOf = (t: Token): FaceTemplate => ({ model: t.modelSet, template: templateFromBase64(t.template) });

export function gateService(deps: GateDeps): GateService {
  const { settings } = deps;
  const today = () => airportToday(deps.clock());

  const refuse = (code: Exclude<GateOutcome, { open: true }>['code']): GateOutcome => {
    deps.record('airport.gate-refused', { role: settings.role, code });
    return { open: false, code };
  };

  /** `passengerId`: who the DCS or the face said it is; else the pass's booking and sequence number say. */
  const decide = async (pass: ScannedLeg, list: BoardingList, passengerId?: string): Promise<GateOutcome> => {
    const entry = passengerId ? list.passengers.find((p) => p.passengerId === passengerId) : entryFor(list, pass);
    const decision = gateDecision(settings, list.flight, pass, entry, deps.clock());
    if (!decision.open) return refuse(decision.code);
    let claim: { readonly claimId: string } | undefined;
    if (settings.role === 'boarding-gate') {
      const claimed = await claimBoarding(list.flight.id, decision.passengerId);
      if (claimed === 'ALREADY_BOARDED' || claimed === 'OFFLINE') return refuse(claimed === 'OFFLINE' ? 'GATE_SITE_OFFLINE' : 'GATE_ALREADY_BOARDED');
      claim = claimed;
    }
    try {
      if (settings.role === 'boarding-gate') await deps.dcs.board(list.flight.id, decision.passengerId);
      await deps.door.open({ flightId: list.flight.id, passengerId: decision.passengerId });
    } catch (e) {
      // The door did not open: the site's claim is undone (the DCS keeps what it recorded).
      if (claim) await deps.boardings.settle(claim.claimId, false);
      // Boarded by the airline's own staff or system, which the DCS refuses twice.
      if (e instanceof AirportError && e.code === 'DCS_ALREADY_BOARDED') return refuse('GATE_ALREADY_BOARDED');
      throw e;
    }
    if (claim) await deps.boardings.settle(claim.claimId, true);
    deps.record('airport.gate-opened', { role: settings.role });
    return { open: true, passengerId: decision.passengerId, flight: list.flight, seat: entry?.seat ?? null };
  };

  /** The site's claim of the boarding; without an answer from the site, the failure rule (`airline`: no claim, the DCS decides). */
  const claimBoarding = async (flightId: string, passengerId: string): Promise<{ readonly claimId: string } | undefined | 'ALREADY_BOARDED' | 'OFFLINE'> => {
    try {
      return await deps.boardings.claim(flightId, passengerId);
    } catch (e) {
      if (!(e instanceof AirportError && e.code === 'BOARDING_UNDECIDABLE')) throw e;
      deps.record('airport.boarding-undecidable', { rule: deps.whenSiteOffline });
      return deps.whenSiteOffline === 'airline' ? undefined : 'OFFLINE';
    }
  };

  /** The pass's leg from here and its flight as the DCS has it; or why the gate cannot use it. */
  const passFlight = async (text: string): Promise<{ pass: ScannedLeg; flight: Flight } | { refused: 'BCBP_INVALID' | 'GATE_WRONG_AIRPORT' | 'GATE_WRONG_FLIGHT' }> => {
    let legs;
    try {
      legs = readBoardingPass(text, today()).legs;
    } catch (e) {
      if (e instanceof AirportError && e.code === 'BCBP_INVALID') return { refused: 'BCBP_INVALID' };
      throw e;
    }
    // A through pass holds every flight of the journey: the one that leaves from here counts.
    const pass = legs.find((l) => l.from === settings.airport) ?? legs[0]!;
    const [flight] = await deps.dcs.findFlights({ carrier: pass.carrier, number: pass.flightNumber, date: pass.flightDate, from: pass.from });
    if (!flight) return { refused: pass.from !== settings.airport ? 'GATE_WRONG_AIRPORT' : 'GATE_WRONG_FLIGHT' };
    return { pass, flight };
  };

  /** The flight at this boarding gate whose boarding is under way. */
  const boardingHere = async (): Promise<Flight | undefined> => {
    if (settings.role !== 'boarding-gate' || !settings.gate) return undefined;
    const now = deps.clock();
    const atGate = await deps.dcs.findFlights({ gate: settings.gate, date: today(), from: settings.airport });
    return atGate.find((f) => boardingWindow(f, now, settings.gateClosesMinutesBefore).open);
  };

  return {
    async byBoardingPass(text) {
      const found = await passFlight(text);
      if ('refused' in found) return refuse(found.refused);
      return decide(found.pass, await deps.dcs.boardingList(found.flight.id));
    },

    async identifyPass(text) {
      const unknown = (reason: PassRefusal): CodeIdentity => {
        deps.record('airport.gate-refused', { role: settings.role, code: reason });
        return { known: false, reason };
      };
      const found = await passFlight(text);
      if ('refused' in found) return unknown(found.refused);
      const entry = entryFor(await deps.dcs.boardingList(found.flight.id), found.pass);
      if (!entry) return unknown('GATE_NOT_ON_FLIGHT');
      // Only the face registered with this very pass's passenger and flight may open for it.
      const tokens = deps.tokens ? (await deps.tokens.byFlight(found.flight.id)).filter((t) => t.flightId === found.flight.id && t.passengerId === entry.passengerId) : [];
      if (tokens.length === 0) return unknown('GATE_NO_FACE_TOKEN');
      return { known: true, subject: { id: subjectOf(found.flight.id, entry.passengerId), references: tokens.map(referenceOf) } };
    },

    async bySubject(subjectId) {
      const [flightId, passengerId, ...rest] = subjectId.split('/');
      if (!flightId || !passengerId || rest.length > 0) throw new AirportError('SITE_BAD_ACTION', 'not a gate subject');
      const list = await deps.dcs.boardingList(flightId);
      const entry = list.passengers.find((p) => p.passengerId === passengerId);
      if (!entry) return refuse('GATE_NOT_ON_FLIGHT');
      return decide(legOn(list.flight, entry), list, passengerId);
    },

    async byCardHolder(holder) {
      const bookings = await deps.dcs.findBookings({ by: 'id-number', idNumber: holder.idNumber });
      // Today's flights from here that this person is on; at a boarding gate, the one at this gate first.
      const options = bookings.flatMap((b) =>
        b.segments.flatMap((s) => {
          const me = s.passengers.find((p) => p.passengerId === b.holderPassengerId);
          const passenger = b.passengers.find((p) => p.id === b.holderPassengerId);
          if (!me || !passenger || s.flight.from !== settings.airport || localParts(s.flight.departure).date !== today()) return [];
          return [{ booking: b, flight: s.flight, me, passenger }];
        }),
      );
      options.sort((a, b) => Number(b.flight.gate === settings.gate) - Number(a.flight.gate === settings.gate));
      const chosen = options[0];
      if (!chosen) return refuse('GATE_NO_BOOKING');
      if (!matchName(holder.fullName, chosen.passenger.name).matched) return refuse('GATE_NAME_MISMATCH');
      return decide(legOn(chosen.flight, { ...chosen.me, locator: chosen.booking.locator }), await deps.dcs.boardingList(chosen.flight.id), chosen.me.passengerId);
    },

    async boardingTokens() {
      // The gallery is the passengers of the flight boarding here, never the airport's.
      const boarding = deps.tokens && (await boardingHere());
      if (!deps.tokens || !boarding) return undefined;
      return { flightId: boarding.id, tokens: (await deps.tokens.byFlight(boarding.id)).filter((t) => t.flightId === boarding.id) };
    },

    async boardingList() {
      const boarding = await boardingHere();
      if (!boarding) return undefined;
      const [list, boarded] = await Promise.all([deps.dcs.boardingList(boarding.id), deps.boardings.boarded(boarding.id)]);
      // Boarded at a gate of this site a moment ago, before the DCS's list says so.
      return { ...list, passengers: list.passengers.map((p) => (!p.boarded && boarded.has(p.passengerId) ? { ...p, boarded: true } : p)) };
    },
  };
}
