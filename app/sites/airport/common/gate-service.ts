/**
 * The e-gate at security or boarding, end to end over its ports: a scanned boarding pass (or the
 * verified card holder's booking) → the flight and the passenger's entry on its list from the DCS →
 * the decision (./gate.ts) → at boarding, the DCS records the boarding (and refuses a second one,
 * whichever gate asks) → the door opens. Every outcome is audited by code, never by name.
 */
import type { Holder } from '../../../core/journey/ports.ts';
import { readBoardingPass, type ScannedLeg } from './boarding-pass.ts';
import type { Flight } from './contract.ts';
import { entryFor, gateDecision, type GateRefusal, type GateSettings } from './gate.ts';
import { matchName } from './name-match.ts';
import { AirportError, type DepartureControl, type Door } from './ports.ts';
import { localParts, withOffsetOf } from './time-rules.ts';

export type GateOutcome =
  | { readonly open: true; readonly passengerId: string; readonly flight: Flight; readonly seat: string | null }
  | { readonly open: false; readonly code: GateRefusal | 'BCBP_INVALID' | 'GATE_NO_BOOKING' | 'GATE_NAME_MISMATCH' };

export interface GateDeps {
  readonly dcs: DepartureControl;
  readonly door: Door;
  readonly settings: GateSettings;
  readonly clock: () => Date;
  record(action: string, detail: Record<string, string | number | boolean>): void;
}

export interface GateService {
  /** The passenger scanned their boarding pass. */
  byBoardingPass(text: string): Promise<GateOutcome>;
  /** The passenger tapped their card and the journey verified them: the DCS finds their pass. */
  byCardHolder(holder: Holder): Promise<GateOutcome>;
}

export function gateService(deps: GateDeps): GateService {
  const { settings } = deps;
  const today = () => localParts(withOffsetOf('+07:00', deps.clock().getTime())).date;

  const refuse = (code: Exclude<GateOutcome, { open: true }>['code']): GateOutcome => {
    deps.record('airport.gate-refused', { role: settings.role, code });
    return { open: false, code };
  };

  /** `passengerId`: who the DCS said the card holder is; else the pass's booking and sequence number say. */
  const decide = async (pass: ScannedLeg, flight: Flight, passengerId?: string): Promise<GateOutcome> => {
    const list = await deps.dcs.boardingList(flight.id);
    const entry = passengerId ? list.passengers.find((p) => p.passengerId === passengerId) : entryFor(list, pass);
    const decision = gateDecision(settings, list.flight, pass, entry, deps.clock());
    if (!decision.open) return refuse(decision.code);
    if (settings.role === 'boarding-gate') {
      try {
        await deps.dcs.board(flight.id, decision.passengerId);
      } catch (e) {
        // Another gate boarded this pass a moment ago: the DCS is the one record of who is on board.
        if (e instanceof AirportError && e.code === 'DCS_ALREADY_BOARDED') return refuse('GATE_ALREADY_BOARDED');
        throw e;
      }
    }
    await deps.door.open({ flightId: flight.id, passengerId: decision.passengerId });
    deps.record('airport.gate-opened', { role: settings.role });
    return { open: true, passengerId: decision.passengerId, flight: list.flight, seat: entry?.seat ?? null };
  };

  /** The flight a pass names, as the DCS has it (the boarding gate serves only its own). */
  const flightFor = async (pass: ScannedLeg): Promise<Flight | undefined> => {
    const [flight] = await deps.dcs.findFlights({ carrier: pass.carrier, number: pass.flightNumber, date: pass.flightDate, from: pass.from });
    return flight;
  };

  return {
    async byBoardingPass(text) {
      let legs;
      try {
        legs = readBoardingPass(text, today()).legs;
      } catch (e) {
        if (e instanceof AirportError && e.code === 'BCBP_INVALID') return refuse('BCBP_INVALID');
        throw e;
      }
      // A through pass holds every flight of the journey: the one that leaves from here counts.
      const pass = legs.find((l) => l.from === settings.airport) ?? legs[0]!;
      const flight = await flightFor(pass);
      if (!flight) return refuse(pass.from !== settings.airport ? 'GATE_WRONG_AIRPORT' : 'GATE_WRONG_FLIGHT');
      return decide(pass, flight);
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
      const pass: ScannedLeg = {
        pnr: chosen.booking.locator, from: chosen.flight.from, to: chosen.flight.to, carrier: chosen.flight.carrier, flightNumber: chosen.flight.number,
        flightDate: localParts(chosen.flight.departure).date, compartment: chosen.me.compartment, seat: chosen.me.seat ?? '', sequence: chosen.me.sequence ?? 0,
      };
      return decide(pass, chosen.flight, chosen.me.passengerId);
    },
  };
}
