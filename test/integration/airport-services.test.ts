/**
 * The airport's HTTP adapters against dcs-sim and against services that misbehave: the airline's
 * refusals arrive as their own codes, transport and contract failures as typed codes, credentials
 * are required when the service asks; the token store and the e-gate do what the gate relies on;
 * the e-gate end to end (scan → decision → boarding → door); and the site's Node half wires it all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_80, bcbpString } from '../../app/core/receipts/index.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { boardingPassOf } from '../../app/sites/airport/common/boarding-pass.ts';
import { checkedFlow } from '../../app/core/sites/site-module.ts';
import { createGateFlow } from '../../app/sites/airport/common/gate-flow.ts';
import { gateService, subjectOf } from '../../app/sites/airport/common/gate-service.ts';
import { airport } from '../../app/sites/airport/common/site.ts';
import { boardingGallery, templateFromBase64, templateToBase64 } from '../../app/sites/airport/common/gate.ts';
import { httpBaggageMessages, httpBiometricTokens, httpDepartureControl, httpDoor } from '../../app/sites/airport/node/http-adapters.ts';
import { airportNode } from '../../app/sites/airport/node/site.ts';
import { siteBoardings } from '../../app/sites/airport/node/site-boardings.ts';
import { startDcsSim, type DcsSim } from '../../app/sites/airport/sim/dcs-sim.ts';

const T = new Date('2026-03-15T00:00:00Z'); // 07:00 in Vietnam
let now = T;
const clock = () => now;
let sim: DcsSim;
const opts = (path: string, token?: string) => ({ url: `${sim.url}${path}`, timeoutMs: 3000, ...(token ? { authorization: `Bearer ${token}` } : {}) });

beforeAll(async () => {
  sim = await startDcsSim({ clock, bearerToken: 'kiosk-secret' });
});
afterAll(async () => sim.close());

// The site's authority on who boarded, one for every gate of this airport (the gates' own SQLite here).
const boardings = siteBoardings(new SqliteSiteStore(openDatabase(':memory:')), 'GATE-T');

describe('the DCS adapter', () => {
  it('needs the credentials the airline asks for', async () => {
    await expect(httpDepartureControl(opts('/dcs/v1')).findBookings({ by: 'id-number', idNumber: '001092012345' })).rejects.toMatchObject({ code: 'DCS_UNAUTHORIZED' });
    await expect(httpDepartureControl(opts('/dcs/v1', 'wrong')).seatMap('x')).rejects.toMatchObject({ code: 'DCS_UNAUTHORIZED' });
  });

  it('passes the airline’s refusals on as their codes', async () => {
    const dcs = httpDepartureControl(opts('/dcs/v1', 'kiosk-secret'));
    const [family] = await dcs.findBookings({ by: 'id-number', idNumber: '001092012345' });
    expect(family).toMatchObject({ locator: 'NVA8QK', holderPassengerId: 'NVA8QK-1' });
    const flightId = family!.segments[0]!.flight.id;
    await expect(dcs.seatMap('NO-SUCH-FLIGHT')).rejects.toMatchObject({ code: 'DCS_FLIGHT_NOT_FOUND' });
    const base = { locator: 'NVA8QK', passengerIds: ['NVA8QK-1', 'NVA8QK-2'], bags: [], dangerousGoodsAcknowledgedAt: '2026-03-15T07:00:00+07:00', terminalId: 'T1' };
    // A paid seat, not paid: nothing is accepted.
    await expect(dcs.checkIn({ ...base, seats: [{ passengerId: 'NVA8QK-1', seat: '2A' }] })).rejects.toMatchObject({ code: 'DCS_PAYMENT_REQUIRED' });
    await expect(dcs.checkIn({ ...base, seats: [{ passengerId: 'NVA8QK-1', seat: '10A' }] })).rejects.toMatchObject({ code: 'DCS_PAYMENT_REQUIRED' });
    // An infant cannot be checked in without their adult.
    await expect(dcs.checkIn({ ...base, passengerIds: ['NVA8QK-2'], seats: [] })).rejects.toMatchObject({ code: 'DCS_INFANT_WITHOUT_ADULT' });
    await expect(dcs.checkIn({ ...base, seats: [{ passengerId: 'NVA8QK-1', seat: '12C' }] })).rejects.toMatchObject({ code: 'DCS_SEAT_TAKEN' });
    const map = await dcs.seatMap(flightId);
    const free = map.rows.find((r) => !r.exit && r.row > 3)!.seats.find((s) => s.status === 'free')!;
    const seat = `${map.rows.find((r) => r.seats.includes(free))!.row}${free.letter}`;
    const result = await dcs.checkIn({ ...base, seats: [{ passengerId: 'NVA8QK-1', seat }] });
    expect(result.booking.segments[0]!.passengers.slice(0, 2)).toMatchObject([{ seat, checkedIn: true, sequence: 1 }, { seat: null, checkedIn: true, sequence: 2 }]);
    await expect(dcs.checkIn({ ...base, seats: [] })).rejects.toMatchObject({ code: 'DCS_ALREADY_CHECKED_IN' });
    // The request body is checked against the contract on the airline's side too.
    await expect(dcs.checkIn({ ...base, seats: [], dangerousGoodsAcknowledgedAt: 'yesterday' })).rejects.toMatchObject({ code: 'DCS_BAD_REQUEST' });
  });

  it('turns a dead service, a wrong shape and a server error into typed codes', async () => {
    const junk: Server = createServer((req, res) => {
      if (req.url?.includes('seat-map')) return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"flightId":"x","rows":"many"}');
      if (req.url?.includes('payments')) return void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":"MAINTENANCE","message":"later"}');
    });
    await new Promise<void>((resolve) => junk.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(junk.address() as { port: number }).port}`;
    try {
      const dcs = httpDepartureControl({ url, timeoutMs: 2000 });
      await expect(dcs.seatMap('x')).rejects.toMatchObject({ code: 'DCS_BAD_ANSWER', message: expect.stringContaining('does not fit the contract') });
      await expect(dcs.payment('x')).rejects.toMatchObject({ code: 'DCS_BAD_ANSWER' });
      await expect(dcs.findBookings({ by: 'locator', locator: 'ABCDEF', surname: 'A' })).rejects.toMatchObject({ code: 'DCS_UNAVAILABLE' });
    } finally {
      await new Promise<void>((resolve) => junk.close(() => resolve()));
    }
    await expect(httpDepartureControl({ url: 'http://127.0.0.1:9', timeoutMs: 1000 }).seatMap('x')).rejects.toMatchObject({ code: 'DCS_UNAVAILABLE' });
  });
});

describe('the BSM inbox, the token store and the e-gate', () => {
  it('the baggage system refuses a message it cannot parse', async () => {
    const inbox = httpBaggageMessages(opts('/bsm', 'kiosk-secret'));
    await expect(inbox.send('BSM\n.V/1LSGN\nENDBSM')).rejects.toMatchObject({ code: 'BSM_INVALID' });
    await inbox.send('BSM\n.V/1LSGN\n.F/VN0213/15MAR/HAN/Y\n.N/0738000001001\n.W/K/1/12\n.P/1NGUYEN/VANAN\n.L/NVA8QK\nENDBSM');
    expect(sim.bsms.at(-1)).toMatchObject({ licencePlates: ['0738000001'], weightKg: 12 });
  });

  it('keeps tokens per flight until they expire or are deleted', async () => {
    const tokens = httpBiometricTokens(opts('/tokens/v1', 'kiosk-secret'));
    const template = templateToBase64(new Float32Array([0.5, -0.25, 1]));
    const a = await tokens.register({ flightId: 'F1', passengerId: 'P1', modelSet: 'm', template, expiresAt: '2026-03-15T10:00:00+07:00' });
    await tokens.register({ flightId: 'F1', passengerId: 'P2', modelSet: 'm', template, expiresAt: '2026-03-15T08:00:00+07:00' });
    await tokens.register({ flightId: 'F2', passengerId: 'P3', modelSet: 'm', template, expiresAt: '2026-03-15T10:00:00+07:00' });
    expect((await tokens.byFlight('F1')).map((t) => t.passengerId)).toEqual(['P1', 'P2']);
    now = new Date('2026-03-15T01:30:00Z'); // 08:30: P2's token is gone
    expect((await tokens.byFlight('F1')).map((t) => t.passengerId)).toEqual(['P1']);
    await tokens.delete(a.tokenId);
    await tokens.delete('TK-NEVER-ISSUED');
    expect(await tokens.byFlight('F1')).toEqual([]);
    now = T;
    await expect(tokens.register({ flightId: 'F1', passengerId: 'P1', modelSet: 'm', template: 'not base64!', expiresAt: '2026-03-15T10:00:00+07:00' })).rejects.toMatchObject({ code: 'TOKEN_BAD_REQUEST' });
  });

  it('the e-gate records each opening', async () => {
    await httpDoor(opts('/egate/v1', 'kiosk-secret')).open({ flightId: 'F1', passengerId: 'P1' });
    expect(sim.gateOpenings.at(-1)).toMatchObject({ flightId: 'F1', passengerId: 'P1' });
  });
});

describe('the boarding gate end to end', () => {
  const gateAt = (gate: string, role: 'boarding-gate' | 'security-gate' = 'boarding-gate') =>
    gateService({
      boardings, whenSiteOffline: 'closed',
      dcs: httpDepartureControl(opts('/dcs/v1', 'kiosk-secret')),
      door: httpDoor(opts('/egate/v1', 'kiosk-secret')),
      settings: { role, airport: 'SGN', gate, gateClosesMinutesBefore: 20, securityOpensMinutesBefore: 240 },
      clock: () => new Date(Date.parse(sim.airline.boardingList(boardingFlight()).flight.boardingTime) + 5 * 60_000),
      record: () => undefined,
    });
  // VN245 leaves at 07:35 on 15 March, boarding at gate 14 (the simulator's demo airline).
  const boardingFlight = () => 'VN245-SGN-20260315';
  const passOf = async (locator: string) => {
    const entry = sim.airline.boardingList(boardingFlight()).passengers.find((p) => p.locator === locator)!;
    const dcs = httpDepartureControl(opts('/dcs/v1', 'kiosk-secret'));
    const issued = await dcs.issue({ locator, passengerIds: [entry.passengerId], terminalId: 'T' });
    return bcbpString(boardingPassOf(issued.booking, entry.passengerId, issued.issuedAt));
  };

  it('opens once for the right pass, then refuses a second boarding, another gate, and junk', async () => {
    const pass = await passOf('G00007');
    const opened = sim.gateOpenings.length;
    expect(await gateAt('14').byBoardingPass(pass)).toMatchObject({ open: true, passengerId: 'G00007-1', seat: '6B' });
    expect(sim.gateOpenings).toHaveLength(opened + 1);
    expect(await gateAt('14').byBoardingPass(pass)).toEqual({ open: false, code: 'GATE_ALREADY_BOARDED' });
    expect(await gateAt('12').byBoardingPass(await passOf('G00005'))).toEqual({ open: false, code: 'GATE_WRONG_GATE' });
    expect(await gateAt('14').byBoardingPass('M1 not a pass')).toEqual({ open: false, code: 'BCBP_INVALID' });
    expect(sim.gateOpenings).toHaveLength(opened + 1);
    // Security lets a boarded passenger's pass through no more than the gate's rules say; it does not board anyone.
    expect(await gateAt('14', 'security-gate').byBoardingPass(await passOf('G00005'))).toMatchObject({ open: true });
    expect(sim.airline.boardingList(boardingFlight()).passengers.find((p) => p.passengerId === 'G00005-1')?.boarded).toBe(false);
  });
});

describe('the e-gate in the journey: a scanned pass and its face token, and the face search of the flight at the gate', () => {
  it('answers a pass with its passenger’s own token, decides after the face; no token, no face to match', async () => {
    const flight = sim.airline.boardingList('VN245-SGN-20260315').flight;
    const tokens = httpBiometricTokens(opts('/tokens/v1', 'kiosk-secret'));
    const gate = gateService({
      boardings, whenSiteOffline: 'closed',
      dcs: httpDepartureControl(opts('/dcs/v1', 'kiosk-secret')), door: httpDoor(opts('/egate/v1', 'kiosk-secret')), tokens,
      settings: { role: 'boarding-gate', airport: 'SGN', gate: '14', gateClosesMinutesBefore: 20, securityOpensMinutesBefore: 240 },
      clock: () => new Date(Date.parse(flight.boardingTime) + 60_000),
      record: () => undefined,
    });
    const passOf = async (locator: string) => {
      const entry = sim.airline.boardingList(flight.id).passengers.find((p) => p.locator === locator)!;
      const issued = await httpDepartureControl(opts('/dcs/v1', 'kiosk-secret')).issue({ locator, passengerIds: [entry.passengerId], terminalId: 'T' });
      return bcbpString(boardingPassOf(issued.booking, entry.passengerId, issued.issuedAt));
    };
    const face = (seed: number) => templateToBase64(Float32Array.from({ length: 8 }, (_, i) => Math.sin(seed * (i + 1))));
    const expiresAt = '2026-03-15T12:00:00+07:00';
    await tokens.register({ flightId: flight.id, passengerId: 'G00020-1', modelSet: 'arcface-512', template: face(20), expiresAt });
    // Another passenger's token, and the same passenger on another flight: never this pass's reference.
    await tokens.register({ flightId: flight.id, passengerId: 'G00021-1', modelSet: 'arcface-512', template: face(21), expiresAt });
    await tokens.register({ flightId: 'VN213-SGN-20260315', passengerId: 'G00020-1', modelSet: 'arcface-512', template: face(99), expiresAt });

    const known = await gate.identifyPass(await passOf('G00020'));
    if (!known.known) throw new Error(`expected a subject, got ${known.reason}`);
    expect(known.subject.id).toBe(`${flight.id}/G00020-1`);
    expect(known.subject.references.map((r) => [r.model, Array.from(r.template)])).toEqual([['arcface-512', Array.from(templateFromBase64(face(20)))]]);
    expect(await gate.identifyPass(await passOf('G00022'))).toEqual({ known: false, reason: 'GATE_NO_FACE_TOKEN' });
    expect(await gate.identifyPass('M1 not a pass')).toEqual({ known: false, reason: 'BCBP_INVALID' });

    // The face matched: the gate's own rules decide, once.
    const flow = checkedFlow(airport.views, createGateFlow(gate));
    const told = { evidence: { by: 'code' as const, passiveAuth: 'NOT_RUN', chipAuth: 'NOT_RUN', central: 'NOT_RUN' }, language: 'vi' as const };
    expect(await flow.startWithCode!(known.subject.id, told)).toMatchObject({ view: { siteStep: 'gate-open', data: { flight: { number: '245' } } } });
    expect(sim.gateOpenings.at(-1)).toMatchObject({ flightId: flight.id, passengerId: 'G00020-1' });
    expect(await flow.startWithCode!(known.subject.id, told)).toMatchObject({ view: { siteStep: 'gate-refused', data: { code: 'GATE_ALREADY_BOARDED' } } });
    await expect(flow.startWithCode!('VN245-SGN-20260315/G00020-1/x', told)).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });

    // No credential: the gallery is the flight boarding at gate 14, every token of it and none other.
    const boarding = await gate.boardingTokens();
    expect(boarding?.flightId).toBe(flight.id);
    expect(boarding?.tokens.map((t) => t.passengerId).sort()).toEqual(['G00020-1', 'G00021-1']);
    const gallery = boardingGallery(() => gate.boardingTokens(), 'arcface-512', { match: 0.9, margin: 0.02 }, subjectOf);
    const probe = (b64: string) => templateFromBase64(b64).map((v, i) => v + 0.01 * Math.cos(i));
    expect(await gallery.search(probe(face(21)), 1)).toEqual([{ subjectId: `${flight.id}/G00021-1`, score: expect.closeTo(1, 2) }]);
    // G00020's face on another flight is no one at this gate; a gallery of another model searches nothing.
    expect(await gallery.search(probe(face(99)), 1)).toEqual([]);
    expect(await boardingGallery(() => gate.boardingTokens(), 'faceplugin', { match: 0.9, margin: 0.02 }, subjectOf).search(probe(face(21)), 1)).toEqual([]);
    const gate7 = gateService({
      boardings, whenSiteOffline: 'closed',
      dcs: httpDepartureControl(opts('/dcs/v1', 'kiosk-secret')), door: httpDoor(opts('/egate/v1', 'kiosk-secret')), tokens,
      settings: { role: 'boarding-gate', airport: 'SGN', gate: '7', gateClosesMinutesBefore: 20, securityOpensMinutesBefore: 240 },
      clock: () => new Date(Date.parse(flight.boardingTime) + 60_000),
      record: () => undefined,
    });
    expect(await gate7.boardingTokens()).toBeUndefined(); // no flight boards at gate 7
  });
});

describe('the e-gate in the journey: the card holder’s pass found in the DCS', () => {
  it('opens gate 14 for Cường once, then refuses a second boarding; An has no flight boarding here', async () => {
    const flight = sim.airline.boardingList('VN245-SGN-20260315').flight;
    const gate = gateService({
      boardings, whenSiteOffline: 'closed',
      dcs: httpDepartureControl(opts('/dcs/v1', 'kiosk-secret')),
      door: httpDoor(opts('/egate/v1', 'kiosk-secret')),
      settings: { role: 'boarding-gate', airport: 'SGN', gate: '14', gateClosesMinutesBefore: 20, securityOpensMinutesBefore: 240 },
      clock: () => new Date(Date.parse(flight.boardingTime) + 60_000),
      record: () => undefined,
    });
    const ctx = (fullName: string, idNumber: string) => ({
      holder: { fullName, idNumber, dateOfBirth: '1947-11-03', sex: 'M' },
      evidence: { by: 'card' as const, passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', central: 'VERIFIED' },
      language: 'vi' as const,
    });
    const flow = checkedFlow(airport.views, createGateFlow(gate));
    expect(await flow.start(ctx('Lê Văn Cường', '099047000456'))).toMatchObject({ kind: 'view', view: { siteStep: 'gate-open', data: { seat: '4A', flight: { number: '245', gate: '14' } } } });
    expect(sim.gateOpenings.at(-1)).toMatchObject({ flightId: 'VN245-SGN-20260315', passengerId: 'LVC9GA-1' });
    expect(await flow.start(ctx('Lê Văn Cường', '099047000456'))).toMatchObject({ view: { siteStep: 'gate-refused', data: { code: 'GATE_ALREADY_BOARDED' } } });
    expect(await flow.start(ctx('Nguyễn Văn An', '001092012345'))).toMatchObject({ view: { siteStep: 'gate-refused', data: { code: 'GATE_WRONG_GATE' } } });
    expect(await flow.start(ctx('Nguyễn Văn Bình', '099000000001'))).toMatchObject({ view: { siteStep: 'gate-refused', data: { code: 'GATE_NO_BOOKING' } } });
  });
});

describe('the airport site, Node half', () => {
  const dir = mkdtempSync(join(tmpdir(), 'airport-site-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const wiring = (settings: Record<string, unknown>) => {
    const db = openDatabase(join(dir, `k-${Math.random().toString(36).slice(2)}.sqlite`));
    return airportNode.wire({
      settings: { id: 'sgn', name: 'Sân bay', kind: 'airport', ...settings } as never,
      terminalId: 'SGN-CUSS-07', dataDir: dir, personalDataDays: 1, db, siteStore: new SqliteSiteStore(db), audit: new AuditLog(db),
      printing: { paper: PAPER_80, print: async () => ({ previewPng: new Uint8Array([1]), printed: true }) },
      readSecret: () => '', log: () => undefined, embedPicture: async () => { throw new Error('the airport asks for no pictures'); },
    });
  };
  const holder = { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' };
  const ctx = { holder, evidence: { by: 'card' as const, passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', central: 'VERIFIED' }, language: 'vi' as const };

  it('offers dcs-sim as a command', async () => {
    expect(Object.keys(airportNode.commands)).toEqual(['dcs-sim']);
    expect((await airportNode.commands['dcs-sim']!()).default.name).toBe('dcs-sim');
  });

  it('without a DCS shows the placeholder; with `dcs: sim` runs check-in against the embedded simulator', async () => {
    const { airportConfig } = await import('../../app/sites/airport/common/config.ts');
    const plain = await wiring(airportConfig.parse({ iataCode: 'SGN' }));
    expect(await plain.flow().start(ctx)).toMatchObject({ kind: 'view', view: { siteStep: 'identity-confirmed', data: { iataCode: 'SGN' } } });
    await plain.close();
    const wired = await wiring(airportConfig.parse({ iataCode: 'SGN', dcs: { adapter: 'sim' }, scale: { adapter: 'sim' } }));
    try {
      expect(wired.simulators?.dcsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await wired.flow().start(ctx)).toMatchObject({ kind: 'view', view: { siteStep: 'passengers', data: { locator: 'NVA8QK' } } });
    } finally {
      await wired.close();
    }
    await expect(fetch(`${wired.simulators!.dcsUrl}/sim/bsm`)).rejects.toThrow();
  });

  it('refuses a boarding gate without its gate, and a simulated scale without the simulated DCS', async () => {
    const { airportConfig } = await import('../../app/sites/airport/common/config.ts');
    await expect(wiring(airportConfig.parse({ iataCode: 'SGN', role: 'boarding-gate', dcs: { adapter: 'sim' } }))).rejects.toMatchObject({ code: 'AIRPORT_CONFIG_INVALID', message: expect.stringContaining('site.gate') });
    await expect(wiring(airportConfig.parse({ iataCode: 'SGN', scale: { adapter: 'sim' } }))).rejects.toMatchObject({ code: 'AIRPORT_CONFIG_INVALID', message: expect.stringContaining('site.scale') });
  });
});
