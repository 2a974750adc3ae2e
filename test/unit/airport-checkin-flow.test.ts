/**
 * The check-in conversation's guards, with the simulated airline in-process as the DCS: a double
 * tap never checks in twice, a seat taken meanwhile sends the person back to the map, a BSM that
 * cannot be sent still issues the pass but sends the bags to the counter, and an unreachable DCS
 * fails the step (the journey offers to try again) instead of pretending.
 */
import { describe, expect, it, vi } from 'vitest';
import type { SiteContext, SiteResult } from '../../app/core/journey/site-flow.ts';
import { PAPER_80 } from '../../app/core/receipts/index.ts';
import { checkedFlow } from '../../app/core/sites/site-module.ts';
import { createCheckInFlow } from '../../app/sites/airport/common/checkin-flow.ts';
import { airportConfig } from '../../app/sites/airport/common/config.ts';
import { AirportError, type BaggageMessages, type DepartureControl, type Scale } from '../../app/sites/airport/common/ports.ts';
import { airport } from '../../app/sites/airport/common/site.ts';
import { demoAirline } from '../../app/sites/airport/sim/demo-airline.ts';
import { DEFAULT_RULES, SimAirline } from '../../app/sites/airport/sim/sim-airline.ts';

const T = new Date('2026-06-01T01:00:00Z');
const clock = () => T;
const AN: SiteContext = {
  holder: { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' },
  evidence: { by: 'card', passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', central: 'VERIFIED' },
  language: 'vi',
};

/** The simulated airline as the DCS port, without HTTP (methods looked up per call, so spies see them). */
function inProcess(airline: SimAirline): DepartureControl {
  const names = ['findBookings', 'seatMap', 'quote', 'createPayment', 'payment', 'checkIn', 'issue', 'findFlights', 'boardingList', 'board'] as const;
  return Object.fromEntries(names.map((n) => [n, async (...a: unknown[]) => (airline[n] as (...x: unknown[]) => unknown)(...a)])) as unknown as DepartureControl;
}

function setup(opts: { baggage?: BaggageMessages; kg?: number } = {}) {
  const airline = new SimAirline(demoAirline(T), DEFAULT_RULES, clock);
  const dcs = inProcess(airline);
  const scale: Scale = { stableWeight: async () => ({ kg: opts.kg ?? 12, stable: true }), close: async () => undefined };
  const print = vi.fn(async () => ({ previewPng: new Uint8Array([1]), printed: true }));
  const record = vi.fn();
  const flow = checkedFlow(airport.views, createCheckInFlow({
    dcs, scale, baggage: opts.baggage ?? { send: async () => undefined }, settings: airportConfig.parse({ iataCode: 'SGN' }),
    terminalId: 'T1', paper: PAPER_80, clock, record, print,
  }));
  return { airline, dcs, flow, print, record };
}

const step = (r: SiteResult) => (r.kind === 'view' ? r.view.siteStep : r.kind);

describe('the check-in conversation', () => {
  it('a double tap after the passes are issued checks in once and prints the same passes', async () => {
    const { flow, airline } = setup();
    const spy = vi.spyOn(airline, 'checkIn');
    await flow.start(AN);
    await flow.act({ choose: 'passengers', include: [] });
    await flow.act({ choose: 'dangerous-goods', accepted: true });
    await flow.act({ choose: 'seats-done' });
    const first = await flow.act({ choose: 'bags', count: 0 });
    expect(step(first)).toBe('boarding-pass');
    const again = await flow.act({ choose: 'bags', count: 0 });
    expect(again).toEqual(first);
    const printing = await flow.act({ choose: 'print' });
    expect(step(printing)).toBe('done');
    expect(await flow.act({ choose: 'print' })).toBe(printing);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('two taps at once on the last step check in once', async () => {
    const { flow, airline } = setup();
    const spy = vi.spyOn(airline, 'checkIn');
    await flow.start(AN);
    await flow.act({ choose: 'passengers', include: [] });
    await flow.act({ choose: 'dangerous-goods', accepted: true });
    await flow.act({ choose: 'seats-done' });
    const [a, b] = await Promise.all([flow.act({ choose: 'bags', count: 0 }), flow.act({ choose: 'bags', count: 0 })]);
    expect([step(a), step(b)]).toEqual(['boarding-pass', 'boarding-pass']);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('a seat taken by someone else meanwhile: back to a fresh map, nothing checked in', async () => {
    const { flow, airline } = setup();
    await flow.start(AN);
    await flow.act({ choose: 'passengers', include: [] });
    await flow.act({ choose: 'dangerous-goods', accepted: true });
    await flow.act({ choose: 'seat', passengerId: 'NVA8QK-1', seat: '20B' });
    await flow.act({ choose: 'seats-done' });
    // Ngọc's own check-in takes 20B before An confirms.
    airline.checkIn({ locator: 'NVA8QK', passengerIds: ['NVA8QK-3'], seats: [{ passengerId: 'NVA8QK-3', seat: '20B' }], bags: [], dangerousGoodsAcknowledgedAt: '2026-06-01T08:00:00+07:00', terminalId: 'T2' });
    const back = await flow.act({ choose: 'bags', count: 0 });
    expect(back).toMatchObject({ kind: 'view', view: { siteStep: 'seats', data: { problem: 'SEAT_TAKEN', passengers: [{ seat: null, changed: false }] } } });
    expect(airline.boardingList(airline.findBookings({ by: 'locator', locator: 'NVA8QK', surname: 'NGUYEN' })[0]!.segments[0]!.flight.id).passengers.find((p) => p.passengerId === 'NVA8QK-1')?.checkedIn).toBe(false);
  });

  it('a BSM that cannot be sent: the passenger is checked in and the bags go to the counter', async () => {
    const { flow, record } = setup({ baggage: { send: async () => { throw new AirportError('BSM_UNAVAILABLE', 'no route'); } } });
    await flow.start(AN);
    await flow.act({ choose: 'passengers', include: [] });
    await flow.act({ choose: 'dangerous-goods', accepted: true });
    await flow.act({ choose: 'seats-done' });
    await flow.act({ choose: 'bags', count: 1 });
    expect(await flow.act({ choose: 'weigh' })).toMatchObject({ view: { siteStep: 'boarding-pass', data: { bagsToCounter: true, bags: [{ weightKg: 12 }] } } });
    const done = await flow.act({ choose: 'print' });
    expect(done).toMatchObject({ kind: 'done', receipt: { summary: { bags: '1', bagsTo: 'counter' } } });
    expect(record).toHaveBeenCalledWith('airport.bsm-failed', { bags: 1, code: 'BSM_UNAVAILABLE' });
  });

  it('refuses actions out of turn and an unreachable DCS fails the step', async () => {
    const { flow, dcs } = setup();
    await flow.start(AN);
    await expect(flow.act({ choose: 'seat', passengerId: 'NVA8QK-1', seat: '5A' })).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });
    await expect(flow.act({ choose: 'bags', count: 1 })).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });
    await expect(flow.act({ choose: 'hack' })).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });
    await expect(flow.act({ choose: 'print' })).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });
    await flow.act({ choose: 'passengers', include: [] });
    expect(step(await flow.act({ choose: 'dangerous-goods', accepted: false }))).toBe('counter');
    vi.spyOn(dcs, 'findBookings').mockRejectedValue(new AirportError('DCS_UNAVAILABLE', 'timeout'));
    await expect(flow.start(AN)).rejects.toMatchObject({ code: 'DCS_UNAVAILABLE' });
  });

  it('goes to the counter whenever the passenger asks, saying so in the audit', async () => {
    const { flow, record } = setup();
    await flow.start(AN);
    await flow.act({ choose: 'passengers', include: [] });
    expect(await flow.act({ choose: 'counter' })).toMatchObject({ view: { siteStep: 'counter', data: { reason: 'ASKED', flight: { number: '213' } } } });
    expect(record).toHaveBeenCalledWith('airport.counter', { reason: 'ASKED' });
  });

  it('will not take a bag above the handling limit, nor more bags than the kiosk drops', async () => {
    const { flow } = setup({ kg: 33 });
    await flow.start(AN);
    await flow.act({ choose: 'passengers', include: [] });
    await flow.act({ choose: 'dangerous-goods', accepted: true });
    await flow.act({ choose: 'seats-done' });
    await expect(flow.act({ choose: 'bags', count: 4 })).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });
    await flow.act({ choose: 'bags', count: 1 });
    expect(await flow.act({ choose: 'weigh' })).toMatchObject({ view: { siteStep: 'weigh', data: { problem: 'BAG_TOO_HEAVY', bags: [] } } });
  });
});
