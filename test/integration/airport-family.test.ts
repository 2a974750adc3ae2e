/**
 * A family at one kiosk against dcs-sim over HTTP: An finds the booking with his card, chooses to
 * check in Ngọc too; the flow asks the journey for the next person, and only the adult booked may
 * join (verified with her own card and face). Each adult answers the face-token question while at
 * the kiosk, and each token holds that adult's own face.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Holder } from '../../app/core/journey/ports.ts';
import type { SiteContext, SiteFlow, SiteResult, VerifiedFace } from '../../app/core/journey/site-flow.ts';
import { PAPER_80 } from '../../app/core/receipts/index.ts';
import { checkedFlow } from '../../app/core/sites/site-module.ts';
import { createCheckInFlow } from '../../app/sites/airport/common/checkin-flow.ts';
import { airportConfig } from '../../app/sites/airport/common/config.ts';
import { templateFromBase64 } from '../../app/sites/airport/common/gate.ts';
import { airport } from '../../app/sites/airport/common/site.ts';
import { createAirportBackend, type AirportBackend } from '../../app/sites/airport/node/airport-backend.ts';
import { startDcsSim, type DcsSim } from '../../app/sites/airport/sim/dcs-sim.ts';

const T = new Date('2026-03-14T23:00:00Z'); // 06:00 in Vietnam, 15 March
let sim: DcsSim;
let backend: AirportBackend;
const settings = airportConfig.parse({ iataCode: 'SGN', dcs: { adapter: 'sim' }, scale: { adapter: 'sim' } });
const audit: { action: string; detail: Record<string, unknown> }[] = [];

beforeAll(async () => {
  backend = await createAirportBackend(settings, { readSecret: () => '', simulators: { startDcsSim: async (o) => (sim = await startDcsSim({ ...o, clock: () => T })) } });
});
afterAll(async () => backend.close());

const face = (seed: number): VerifiedFace => ({ model: 'clean', live: Float32Array.from({ length: 16 }, (_, i) => Math.sin(seed * (i + 1))) });
const person = (fullName: string, idNumber: string, seed: number): SiteContext => ({
  holder: { fullName, idNumber, dateOfBirth: '1990-01-01', sex: 'M' } satisfies Holder,
  evidence: { by: 'card', passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', central: 'VERIFIED' },
  language: 'vi',
  face: face(seed),
});
const AN = person('Nguyễn Văn An', '001092012345', 1);
const NGOC = person('Trần Thị Bích Ngọc', '079301000123', 2);
const CUONG = person('Lê Văn Cường', '099047000456', 3);

function newFlow(): SiteFlow {
  return checkedFlow(airport.views, createCheckInFlow({
    dcs: backend.dcs!, scale: backend.scale!, baggage: backend.baggage!, tokens: backend.tokens!, settings, terminalId: 'SGN-CUSS-07', paper: PAPER_80, clock: () => T,
    record: (action, detail) => void audit.push({ action, detail }),
    print: async () => ({ previewPng: new Uint8Array([1]), printed: true }),
  }));
}

const step = (r: SiteResult) => (r.kind === 'view' ? r.view.siteStep : r.kind);
const data = (r: SiteResult) => (r.kind === 'view' ? r.view.data : {}) as Record<string, any>;

describe('a family checks in at one kiosk, each adult with their own card', () => {
  it('a stranger cannot join in the booked adult’s place', async () => {
    const flow = newFlow();
    await flow.start(AN);
    const asked = await flow.act({ choose: 'passengers', include: ['NVA8QK-3'] });
    expect(data(asked)).toMatchObject({ name: 'NGUYEN/VAN AN MR', nextPerson: true });
    expect(step(await flow.act({ choose: 'token', consent: false }))).toBe('next-person');
    const refused = await flow.addPerson!(CUONG);
    expect(refused).toMatchObject({ view: { siteStep: 'counter', data: { reason: 'NAME_MISMATCH' } } });
    // Nobody was checked in.
    const list = sim.airline.boardingList(sim.airline.findBookings({ by: 'locator', locator: 'NVA8QK', surname: 'NGUYEN' })[0]!.segments[0]!.flight.id);
    expect(list.passengers.filter((p) => p.locator === 'NVA8QK' && p.checkedIn)).toEqual([]);
  });

  it('An, his infant and Ngọc: two verified adults, two answers, three passes, and each token the right face', async () => {
    const flow = newFlow();
    const listed = data(await flow.start(AN));
    expect(listed.passengers.map((p: any) => [p.id, p.status, p.optional, p.infantOf])).toEqual([
      ['NVA8QK-1', 'you', false, null], ['NVA8QK-2', 'with-you', false, 'NVA8QK-1'], ['NVA8QK-3', 'own-card', true, null],
    ]);
    // An's face question while he is here, then the journey asks for the next card.
    expect(step(await flow.act({ choose: 'passengers', include: ['NVA8QK-3'] }))).toBe('token-consent');
    await expect(flow.addPerson!(NGOC)).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' }); // out of turn: An has not answered
    expect(step(await flow.act({ choose: 'token', consent: true }))).toBe('next-person');
    // Ngọc verified: the party's steps go on, and her question comes at the end.
    expect(step(await flow.addPerson!(NGOC))).toBe('dangerous-goods');
    const seats = data(await flow.act({ choose: 'dangerous-goods', accepted: true }));
    expect(seats.passengers.map((p: any) => [p.id, p.mayUseExitRow])).toEqual([['NVA8QK-1', false], ['NVA8QK-3', true]]);
    await flow.act({ choose: 'seats-done' });
    const last = await flow.act({ choose: 'bags', count: 0 });
    expect(data(last)).toMatchObject({ name: 'TRAN/THI BICH NGOC MS', nextPerson: false });
    const issued = data(await flow.act({ choose: 'token', consent: true }));
    expect(issued.passes.map((p: any) => [p.name, p.infant])).toEqual([['Nguyễn Văn An', false], ['NGUYEN BAO ANH', true], ['Trần Thị Bích Ngọc', false]]);
    expect(issued.token).toBe(true);

    const tokens = [...sim.tokens.values()].filter((t) => t.passengerId.startsWith('NVA8QK'));
    expect(tokens.map((t) => t.passengerId).sort()).toEqual(['NVA8QK-1', 'NVA8QK-3']);
    for (const [id, ctx] of [['NVA8QK-1', AN], ['NVA8QK-3', NGOC]] as const) {
      expect(Array.from(templateFromBase64(tokens.find((t) => t.passengerId === id)!.template))).toEqual(Array.from(ctx.face!.live!));
    }
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['airport.person-added', 'airport.checked-in']));
    expect(JSON.stringify(audit)).not.toMatch(/NGUYEN|TRAN|079301000123/);
  });
});
