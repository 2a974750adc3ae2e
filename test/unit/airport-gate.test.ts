import { describe, expect, it } from 'vitest';
import type { BoardingList, Flight, Token } from '../../app/sites/airport/common/contract.ts';
import type { ScannedLeg } from '../../app/sites/airport/common/boarding-pass.ts';
import { entryFor, flightGallery, gateDecision, searchFlight, templateFromBase64, templateToBase64, type GateSettings } from '../../app/sites/airport/common/gate.ts';

const flight: Flight = {
  id: 'VN213-20260315', carrier: 'VN', number: '213', airlineNumericCode: '738', airlineName: 'Vietnam Airlines', from: 'SGN', to: 'HAN',
  fromCity: 'TP. Hồ Chí Minh', toCity: 'Hà Nội', departure: '2026-03-15T08:30:00+07:00', boardingTime: '2026-03-15T07:50:00+07:00', gate: '12', domestic: true,
};
const list: BoardingList = {
  flight,
  passengers: [
    { passengerId: 'P1', name: 'NGUYEN/VAN AN MR', type: 'adult', locator: 'ABC123', compartment: 'Y', seat: '12A', checkedIn: true, sequence: 42, boarded: false },
    { passengerId: 'P2', name: 'TRAN/THI BICH NGOC MS', type: 'adult', locator: 'ABC123', compartment: 'Y', seat: '12B', checkedIn: true, sequence: 43, boarded: true },
    { passengerId: 'P3', name: 'LE/VAN CUONG MR', type: 'adult', locator: 'XYZ789', compartment: 'Y', seat: null, checkedIn: false, sequence: null, boarded: false },
  ],
};
const pass: ScannedLeg = { pnr: 'ABC123', from: 'SGN', to: 'HAN', carrier: 'VN', flightNumber: '213', flightDate: '2026-03-15', compartment: 'Y', seat: '12A', sequence: 42 };
const boarding: GateSettings = { role: 'boarding-gate', airport: 'SGN', gate: '12', gateClosesMinutesBefore: 20, securityOpensMinutesBefore: 240 };
const security: GateSettings = { ...boarding, role: 'security-gate', gate: undefined };
const during = new Date('2026-03-15T01:00:00Z'); // 08:00 local: boarding open

describe('the gate decision', () => {
  it('opens for the checked-in passenger of this flight, at this gate, while boarding runs', () => {
    expect(gateDecision(boarding, flight, pass, entryFor(list, pass), during)).toEqual({ open: true, passengerId: 'P1' });
  });

  it.each([
    ['another airport', { pass: { ...pass, from: 'HAN' } }, 'GATE_WRONG_AIRPORT'],
    ['another flight', { pass: { ...pass, flightNumber: '215' } }, 'GATE_WRONG_FLIGHT'],
    ['yesterday’s pass', { pass: { ...pass, flightDate: '2026-03-14' } }, 'GATE_WRONG_DATE'],
    ['a flight moved to another gate', { flight: { ...flight, gate: '14' } }, 'GATE_WRONG_GATE'],
    ['a pass whose sequence the DCS does not know', { pass: { ...pass, sequence: 99 } }, 'GATE_NOT_ON_FLIGHT'],
    ['a second boarding', { pass: { ...pass, sequence: 43 } }, 'GATE_ALREADY_BOARDED'],
    ['before boarding starts', { now: new Date('2026-03-15T00:30:00Z') }, 'BOARDING_NOT_OPEN'],
    ['after the gate closed', { now: new Date('2026-03-15T01:15:00Z') }, 'BOARDING_CLOSED'],
  ] as const)('refuses %s', (_what, change, code) => {
    const p = 'pass' in change ? change.pass : pass;
    const f = 'flight' in change ? change.flight : flight;
    const now = 'now' in change ? change.now : during;
    expect(gateDecision(boarding, f, p, entryFor(list, p), now)).toEqual({ open: false, code });
  });

  it('refuses a booked passenger who has not checked in', () => {
    const entry = list.passengers[2]!;
    expect(gateDecision(boarding, flight, { ...pass, pnr: 'XYZ789', sequence: 1 }, entry, during)).toEqual({ open: false, code: 'GATE_NOT_CHECKED_IN' });
  });

  it('at security: any gate, from hours before departure until the gate closes; boarded or not', () => {
    const early = new Date('2026-03-14T21:00:00Z'); // 04:00 local, 4 h 30 before
    expect(gateDecision(security, { ...flight, gate: '14' }, pass, entryFor(list, pass), early)).toEqual({ open: false, code: 'GATE_TOO_EARLY' });
    expect(gateDecision(security, { ...flight, gate: '14' }, pass, entryFor(list, pass), new Date('2026-03-14T23:00:00Z'))).toEqual({ open: true, passengerId: 'P1' });
    expect(gateDecision(security, flight, pass, entryFor(list, pass), new Date('2026-03-15T01:15:00Z'))).toEqual({ open: false, code: 'BOARDING_CLOSED' });
  });
});

describe('1:N among one flight', () => {
  // Deterministic pseudo-random unit vectors: a gallery of distinct faces.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const face = (dim = 128) => Float32Array.from({ length: dim }, rnd);
  const near = (v: Float32Array, noise: number) => v.map((x) => x + noise * rnd());
  const token = (passengerId: string, template: Float32Array, flightId = flight.id): Token => ({
    tokenId: `t-${passengerId}`, flightId, passengerId, modelSet: 'arcface', template: templateToBase64(template), expiresAt: '2026-03-15T11:30:00+07:00',
  });
  const faces = Array.from({ length: 300 }, () => face());
  const tokens = faces.map((f, i) => token(`P${i}`, f));
  const t = { match: 0.6, margin: 0.05 };

  it('round-trips templates through base64', () => {
    const f = faces[0]!;
    expect(Array.from(templateFromBase64(templateToBase64(f)))).toEqual(Array.from(f));
  });

  it('finds the passenger among 300 and says no match for a stranger', () => {
    const gallery = flightGallery(tokens, flight.id, 'arcface');
    expect(searchFlight(gallery, near(faces[123]!, 0.2), t)).toMatchObject({ decision: 'MATCH', passengerId: 'P123' });
    expect(searchFlight(gallery, face(), t).decision).toBe('NO_MATCH');
  });

  it('never searches tokens of another flight or another model, and refuses look-alikes', () => {
    const other = token('STRANGER', faces[5]!, 'VN215-20260315');
    const gallery = flightGallery([...tokens.slice(0, 3), other, { ...token('X', faces[5]!), modelSet: 'dlib' }], flight.id, 'arcface');
    expect(gallery.passengerIds).toEqual(['P0', 'P1', 'P2']);
    expect(searchFlight(gallery, faces[5]!, t).decision).toBe('NO_MATCH');
    const twins = flightGallery([token('A', faces[9]!), token('B', near(faces[9]!, 0.01))], flight.id, 'arcface');
    expect(searchFlight(twins, faces[9]!, t).decision).toBe('AMBIGUOUS');
  });

  it('refuses a probe of another size and a template that is not float32', () => {
    const gallery = flightGallery(tokens.slice(0, 2), flight.id, 'arcface');
    expect(() => searchFlight(gallery, face(64), t)).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
    expect(() => templateFromBase64(btoa('abc'))).toThrow(expect.objectContaining({ code: 'TOKEN_INVALID' }));
  });
});
