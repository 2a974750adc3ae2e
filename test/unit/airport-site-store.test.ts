/**
 * The airport on the site store, one site's side: face tokens sealed in it, boarding claimed at it
 * (the gate's decision, the DCS asked once, a door that did not open undoing the claim), and the
 * boarding gate's failure rule when the site does not answer.
 */
import { describe, expect, it, vi } from 'vitest';
import { SiteStoreError } from '../../app/core/site-store/errors.ts';
import type { SiteStore } from '../../app/core/site-store/site-store.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { gateService } from '../../app/sites/airport/common/gate-service.ts';
import { templateToBase64 } from '../../app/sites/airport/common/gate.ts';
import { AirportError, type DepartureControl, type Door } from '../../app/sites/airport/common/ports.ts';
import { airportToday } from '../../app/sites/airport/common/time-rules.ts';
import { boardingArea, siteBoardings } from '../../app/sites/airport/node/site-boardings.ts';
import { siteTokens, TOKEN_COLLECTION } from '../../app/sites/airport/node/site-tokens.ts';
import { demoAirline } from '../../app/sites/airport/sim/demo-airline.ts';
import { DEFAULT_RULES, SimAirline } from '../../app/sites/airport/sim/sim-airline.ts';

const T = new Date('2026-06-01T01:00:00Z');
const store = () => new SqliteSiteStore(openDatabase(':memory:'));
const offline = (): SiteStore => {
  const fail = () => Promise.reject(new SiteStoreError('SITE_STORE_UNAVAILABLE', 'no hub'));
  return { decidePassage: fail, settlePassage: fail, inside: fail } as unknown as SiteStore;
};

describe('face tokens in the site store', () => {
  const key = Buffer.alloc(32, 3);
  const template = templateToBase64(Float32Array.from({ length: 8 }, (_, i) => i / 8));
  const token = (passengerId: string, expiresAt = '2026-06-01T12:00:00+07:00') => ({ flightId: 'VN213-SGN-20260601', passengerId, modelSet: 'clean', template, expiresAt });

  it('keeps them sealed, answers a flight’s live tokens only, and forgets on request and at expiry', async () => {
    const site = store();
    let now = T;
    const tokens = siteTokens(site, key, () => now);
    const { tokenId } = await tokens.register(token('P1'));
    await tokens.register(token('P2', '2026-06-01T09:00:00+07:00'));
    await tokens.register({ ...token('P3'), flightId: 'VN245-SGN-20260601' });
    expect((await tokens.byFlight('VN213-SGN-20260601')).map((t) => [t.passengerId, t.template])).toEqual(expect.arrayContaining([['P1', template], ['P2', template]]));
    expect(JSON.stringify(await site.list(TOKEN_COLLECTION))).not.toContain(template.slice(0, 12));
    // Another key opens nothing.
    expect(await siteTokens(site, Buffer.alloc(32, 4)).byFlight('VN213-SGN-20260601')).toEqual([]);
    now = new Date('2026-06-01T02:30:00Z'); // 09:30 there: P2's time is up
    expect((await tokens.byFlight('VN213-SGN-20260601')).map((t) => t.passengerId)).toEqual(['P1']);
    expect(await tokens.removeExpired()).toBe(1);
    await tokens.delete(tokenId);
    await tokens.delete('never-issued');
    expect(await tokens.byFlight('VN213-SGN-20260601')).toEqual([]);
  });

  it('a sealed template moved to another passenger or flight opens for no one; junk records are skipped; bad input is TOKEN_INVALID', async () => {
    const site = store();
    const tokens = siteTokens(site, key, () => T);
    const { tokenId } = await tokens.register(token('P1'));
    const record = await site.get<Record<string, unknown>>(TOKEN_COLLECTION, tokenId);
    await site.put(TOKEN_COLLECTION, tokenId, { ...record!.body, passengerId: 'P9' });
    await site.put(TOKEN_COLLECTION, 'junk', { flightId: 'VN213-SGN-20260601', sealed: 42 });
    expect(await tokens.byFlight('VN213-SGN-20260601')).toEqual([]);
    await expect(tokens.register({ ...token('P1'), template: 'not base64!' })).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
    await expect(tokens.register({ ...token('P1'), flightId: 'VN 213' })).rejects.toMatchObject({ code: 'TOKEN_INVALID' });
  });
});

describe('boarding decided at the site', () => {
  async function setup(site: SiteStore, whenSiteOffline: 'closed' | 'airline' = 'closed', door: Door['open'] = async () => undefined) {
    const airline = new SimAirline(demoAirline(T), DEFAULT_RULES, () => T);
    const names = ['findBookings', 'seatMap', 'quote', 'createPayment', 'payment', 'checkIn', 'issue', 'findFlights', 'boardingList', 'board'] as const;
    const dcs = Object.fromEntries(names.map((n) => [n, async (...a: unknown[]) => (airline[n] as (...x: unknown[]) => unknown)(...a)])) as unknown as DepartureControl;
    const board = vi.spyOn(dcs, 'board');
    const [flight] = await dcs.findFlights({ gate: '14', date: airportToday(T), from: 'SGN' });
    const opened = vi.fn(door);
    const recorded: string[] = [];
    const gate = gateService({
      dcs, door: { open: opened }, boardings: siteBoardings(site, 'GATE-14'), whenSiteOffline,
      settings: { role: 'boarding-gate', airport: 'SGN', gate: '14', gateClosesMinutesBefore: 20, securityOpensMinutesBefore: 240 },
      clock: () => new Date(Date.parse(flight!.boardingTime) + 60_000),
      record: (action, detail) => void recorded.push(`${action}:${String(detail.code ?? detail.rule ?? '')}`),
    });
    const passenger = (await dcs.boardingList(flight!.id)).passengers.find((p) => p.checkedIn && !p.boarded)!;
    return { gate, flight: flight!, subject: `${flight!.id}/${passenger.passengerId}`, passengerId: passenger.passengerId, board, opened, recorded };
  }

  it('boards once: the second try is refused by the site before the DCS is asked', async () => {
    const site = store();
    const g = await setup(site);
    expect(await g.gate.bySubject(g.subject)).toMatchObject({ open: true, passengerId: g.passengerId });
    expect(await g.gate.bySubject(g.subject)).toEqual({ open: false, code: 'GATE_ALREADY_BOARDED' });
    expect(g.board).toHaveBeenCalledTimes(1);
    expect(g.opened).toHaveBeenCalledTimes(1);
    expect((await site.inside(boardingArea(g.flight.id))).map((p) => p.subject)).toEqual([g.passengerId]);
    const list = await g.gate.boardingList();
    expect(list?.passengers.find((p) => p.passengerId === g.passengerId)?.boarded).toBe(true);
  });

  it('a door that does not open undoes the site’s claim', async () => {
    const site = store();
    const g = await setup(site, 'closed', async () => {
      throw new AirportError('EGATE_UNAVAILABLE', 'the door does not answer');
    });
    await expect(g.gate.bySubject(g.subject)).rejects.toMatchObject({ code: 'EGATE_UNAVAILABLE' });
    expect(await site.inside(boardingArea(g.flight.id))).toEqual([]);
  });

  it('the site does not answer: closed refuses with GATE_SITE_OFFLINE and opens nothing; airline lets the DCS decide', async () => {
    const closed = await setup(offline(), 'closed');
    expect(await closed.gate.bySubject(closed.subject)).toEqual({ open: false, code: 'GATE_SITE_OFFLINE' });
    expect(closed.board).not.toHaveBeenCalled();
    expect(closed.opened).not.toHaveBeenCalled();
    expect(closed.recorded).toContain('airport.boarding-undecidable:closed');
    const airline = await setup(offline(), 'airline');
    expect(await airline.gate.bySubject(airline.subject)).toMatchObject({ open: true });
    // The DCS still refuses a second boarding by itself.
    expect(await airline.gate.bySubject(airline.subject)).toEqual({ open: false, code: 'GATE_ALREADY_BOARDED' });
    // The staff's list shows the DCS's word while the site is away.
    expect((await airline.gate.boardingList())?.passengers.find((p) => p.passengerId === airline.passengerId)?.boarded).toBe(true);
  });
});
