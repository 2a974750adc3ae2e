/**
 * The e-gate's decision at security and at the boarding gate, as pure rules, and the face search it
 * may run. A passenger shows a boarding pass (or taps their card, and the DCS finds their pass); the
 * gate opens only for this airport, the right flight on the right day, at the gate the flight now
 * uses, for a checked-in passenger inside the boarding window who has not boarded already.
 *
 * Without any credential the gate may search faces 1:N, but only among the tokens of the one flight
 * it serves: false accepts grow with the gallery, so the gallery is a flight, never the airport.
 */
import type { FaceGallery } from '../../../core/journey/ports.ts';
import type { BoardingList, BoardingListEntry, Flight, Token } from './contract.ts';
import { AirportError } from './ports.ts';
import type { ScannedLeg } from './boarding-pass.ts';
import { boardingWindow, localParts, minutesBefore } from './time-rules.ts';

export type GateRole = 'security-gate' | 'boarding-gate';

export interface GateSettings {
  readonly role: GateRole;
  /** This airport's IATA code. */
  readonly airport: string;
  /** The boarding gate's name (boarding gates only). */
  readonly gate?: string;
  /** The gate closes this long before departure. */
  readonly gateClosesMinutesBefore: number;
  /** Security lets passengers through from this long before departure. */
  readonly securityOpensMinutesBefore: number;
}

export type GateRefusal =
  | 'GATE_WRONG_AIRPORT'
  | 'GATE_WRONG_FLIGHT'
  | 'GATE_WRONG_DATE'
  | 'GATE_WRONG_GATE'
  | 'GATE_NOT_ON_FLIGHT'
  | 'GATE_NOT_CHECKED_IN'
  | 'GATE_ALREADY_BOARDED'
  | 'BOARDING_NOT_OPEN'
  | 'BOARDING_CLOSED'
  | 'GATE_TOO_EARLY';

export type GateDecision =
  | { readonly open: true; readonly passengerId: string }
  | { readonly open: false; readonly code: GateRefusal };

/** The pass's passenger on the flight's list: same booking and check-in sequence number. */
export function entryFor(list: BoardingList, pass: Pick<ScannedLeg, 'pnr' | 'sequence'>): BoardingListEntry | undefined {
  return list.passengers.find((p) => p.locator === pass.pnr && p.sequence === pass.sequence);
}

/** The flight a pass leg names, as `VN213`: carriers write the number with or without zeros. */
const designator = (carrier: string, number: string) => `${carrier}${number.replace(/^0+(?=\d)/, '')}`;

/**
 * Whether the gate opens for `pass` on `flight` (the flight the boarding gate serves, or at security
 * the flight the pass names, as the DCS has it), with the passenger's `entry` on that flight's list.
 */
export function gateDecision(settings: GateSettings, flight: Flight, pass: ScannedLeg, entry: BoardingListEntry | undefined, now: Date): GateDecision {
  const refuse = (code: GateRefusal): GateDecision => ({ open: false, code });
  if (pass.from !== settings.airport || flight.from !== settings.airport) return refuse('GATE_WRONG_AIRPORT');
  if (designator(pass.carrier, pass.flightNumber) !== designator(flight.carrier, flight.number)) return refuse('GATE_WRONG_FLIGHT');
  if (pass.flightDate !== localParts(flight.departure).date) return refuse('GATE_WRONG_DATE');
  if (settings.role === 'boarding-gate' && flight.gate !== settings.gate) return refuse('GATE_WRONG_GATE');
  if (!entry) return refuse('GATE_NOT_ON_FLIGHT');
  if (!entry.checkedIn) return refuse('GATE_NOT_CHECKED_IN');
  if (settings.role === 'boarding-gate') {
    if (entry.boarded) return refuse('GATE_ALREADY_BOARDED');
    const window = boardingWindow(flight, now, settings.gateClosesMinutesBefore);
    if (!window.open) return refuse(window.code);
  } else {
    if (now.getTime() < Date.parse(minutesBefore(flight.departure, settings.securityOpensMinutesBefore))) return refuse('GATE_TOO_EARLY');
    if (now.getTime() >= Date.parse(minutesBefore(flight.departure, settings.gateClosesMinutesBefore))) return refuse('BOARDING_CLOSED');
  }
  return { open: true, passengerId: entry.passengerId };
}

/** One flight's face templates, L2-normalised and packed row by row for one pass of dot products. */
export interface FlightGallery {
  readonly flightId: string;
  readonly dim: number;
  readonly passengerIds: readonly string[];
  readonly matrix: Float32Array;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Float32 little-endian values from base64 (the token store's wire form). */
export function templateFromBase64(b64: string): Float32Array {
  const bin = atob(b64);
  if (bin.length % 4 !== 0 || bin.length === 0) throw new AirportError('TOKEN_INVALID', 'a face template is a whole number of float32 values');
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  if (LITTLE_ENDIAN) return new Float32Array(bytes.buffer);
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

export function templateToBase64(template: Float32Array): string {
  const bytes = new Uint8Array(template.length * 4);
  const view = new DataView(bytes.buffer);
  template.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function normalised(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  const k = 1 / (Math.sqrt(n) || 1);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * k;
  return out;
}

/** The gallery of `flightId` from the token store's answer; tokens of any other flight are left out. */
export function flightGallery(tokens: readonly Token[], flightId: string, modelSet: string): FlightGallery {
  const own = tokens.filter((t) => t.flightId === flightId && t.modelSet === modelSet);
  const templates = own.map((t) => templateFromBase64(t.template));
  const dim = templates[0]?.length ?? 0;
  if (templates.some((t) => t.length !== dim)) throw new AirportError('TOKEN_INVALID', 'face templates of one flight differ in size');
  const matrix = new Float32Array(templates.length * dim);
  templates.forEach((t, i) => matrix.set(normalised(t), i * dim));
  return { flightId, dim, passengerIds: own.map((t) => t.passengerId), matrix };
}

export interface SearchThresholds {
  /** Cosine similarity a candidate must reach. */
  readonly match: number;
  /** How far the best must lead the second best: two close candidates are not an identification. */
  readonly margin: number;
}

export type SearchResult =
  | { readonly decision: 'MATCH'; readonly passengerId: string; readonly score: number }
  | { readonly decision: 'NO_MATCH' | 'AMBIGUOUS'; readonly score: number };

/** 1:N among one flight's passengers. */
export function searchFlight(gallery: FlightGallery, probe: Float32Array, t: SearchThresholds): SearchResult {
  if (gallery.passengerIds.length === 0) return { decision: 'NO_MATCH', score: 0 };
  if (probe.length !== gallery.dim) throw new AirportError('TOKEN_INVALID', `the probe has ${probe.length} values, the gallery ${gallery.dim}`);
  const p = normalised(probe);
  let best = -Infinity, second = -Infinity, at = -1;
  for (let row = 0, off = 0; row < gallery.passengerIds.length; row++, off += gallery.dim) {
    let dot = 0;
    for (let i = 0; i < gallery.dim; i++) dot += p[i]! * gallery.matrix[off + i]!;
    if (dot > best) [second, best, at] = [best, dot, row];
    else if (dot > second) second = dot;
  }
  if (best < t.match) return { decision: 'NO_MATCH', score: best };
  if (best - second < t.margin) return { decision: 'AMBIGUOUS', score: best };
  return { decision: 'MATCH', passengerId: gallery.passengerIds[at]!, score: best };
}

/**
 * A flight's tokens as the journey's face gallery (1:N with no credential shown): its threshold is the
 * search's own, stricter than 1:1, and a best candidate too close to the second is no answer at all.
 * The tokens are fetched for every search (`load`): a passenger who boarded or deleted theirs drops out.
 */
export function boardingGallery(
  load: () => Promise<{ readonly flightId: string; readonly tokens: readonly Token[] } | undefined>,
  model: string,
  thresholds: SearchThresholds,
  subjectOf: (flightId: string, passengerId: string) => string,
): FaceGallery {
  return {
    model,
    matchThreshold: thresholds.match,
    async search(live) {
      const found = await load();
      if (!found) return [];
      const result = searchFlight(flightGallery(found.tokens, found.flightId, model), live, thresholds);
      return result.decision === 'MATCH' ? [{ subjectId: subjectOf(found.flightId, result.passengerId), score: result.score }] : [];
    },
  };
}
