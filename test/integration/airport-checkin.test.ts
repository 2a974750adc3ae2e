/**
 * The airport's check-in against dcs-sim over real HTTP: the kiosk's adapters, the simulated
 * airline's rules, its BSM inbox (which parses what the kiosk sends) and its scale over TCP. The
 * printed boarding pass and bag tags are rendered, encoded to ESC/POS, read back as paper, and their
 * barcodes decoded: the BCBP with the `bcbp` package, the licence plate as Interleaved 2 of 5.
 */
import { decode as decodeBcbp } from 'bcbp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Holder } from '../../app/core/journey/ports.ts';
import type { SiteContext, SiteFlow, SiteResult, VerifiedFace } from '../../app/core/journey/site-flow.ts';
import { parseVietQr } from '../../app/core/payments/vietqr.ts';
import { PAPER_80, type ReceiptDocument } from '../../app/core/receipts/index.ts';
import { checkedFlow } from '../../app/core/sites/site-module.ts';
import { encodeJob } from '../../app/platform/printer/escpos.ts';
import { renderReceipt } from '../../app/platform/printer/render.ts';
import { createCheckInFlow } from '../../app/sites/airport/common/checkin-flow.ts';
import { airportConfig } from '../../app/sites/airport/common/config.ts';
import { airport } from '../../app/sites/airport/common/site.ts';
import { templateFromBase64 } from '../../app/sites/airport/common/gate.ts';
import { createAirportBackend, type AirportBackend } from '../../app/sites/airport/node/airport-backend.ts';
import { startDcsSim, type DcsSim } from '../../app/sites/airport/sim/dcs-sim.ts';
import { decodeEscPos } from '../../app/sim/printer/escpos-reader.ts';
import { decodeBarcodes } from './print-helpers.ts';

const T = new Date('2026-03-14T23:00:00Z'); // 06:00 in Vietnam, 15 March
const clock = () => T;
let sim: DcsSim;
let backend: AirportBackend;
const settings = airportConfig.parse({ iataCode: 'SGN', dcs: { adapter: 'sim' }, scale: { adapter: 'sim' } });
const audit: { action: string; detail: Record<string, unknown> }[] = [];

beforeAll(async () => {
  backend = await createAirportBackend(settings, {
    readSecret: () => '',
    simulators: {
      startDcsSim: async (o) => {
        sim = await startDcsSim({ ...o, clock });
        return sim;
      },
    },
  });
});
afterAll(async () => backend.close());

const holder = (fullName: string, idNumber: string): Holder => ({ fullName, idNumber, dateOfBirth: '1990-01-01', sex: 'M' });
const ctx = (h: Holder, face?: VerifiedFace): SiteContext => ({
  holder: h, evidence: { by: 'card', passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', central: 'VERIFIED' }, language: 'vi', ...(face ? { face } : {}),
});

function newFlow() {
  const printed: ReceiptDocument[] = [];
  const flow = checkedFlow(airport.views, createCheckInFlow({
    dcs: backend.dcs!, scale: backend.scale!, baggage: backend.baggage!, tokens: backend.tokens!, settings, terminalId: 'SGN-CUSS-07', paper: PAPER_80, clock,
    record: (action, detail) => void audit.push({ action, detail }),
    print: async (docs) => {
      printed.push(...docs);
      return { previewPng: new Uint8Array([1]), printed: true };
    },
  }));
  return { flow, printed };
}

function viewOf(r: SiteResult, step: string): Record<string, unknown> {
  if (r.kind !== 'view') throw new Error(`expected the ${step} view, got ${JSON.stringify(r).slice(0, 200)}`);
  expect(r.view.siteStep).toBe(step);
  return r.view.data;
}

/** The passes shown on screen, then printed: the done result's summary. */
async function done(flow: SiteFlow, r: SiteResult) {
  const shown = viewOf(r, 'boarding-pass');
  const printing = await flow.act({ choose: 'print' });
  if (printing.kind !== 'done') throw new Error(`expected done, got ${JSON.stringify(printing).slice(0, 300)}`);
  await printing.receipt.print();
  // The screen shows the very barcode the paper carries.
  expect((shown.passes as { bcbp: string }[])[0]!.bcbp).toBe(printing.receipt.summary.bcbp);
  return printing.receipt.summary;
}

/** The document as paper: rendered, encoded to ESC/POS, read back; its barcodes decoded. */
async function barcodesOnPaper(doc: ReceiptDocument, format: 'PDF417' | 'ITF'): Promise<string[]> {
  const { bitmap, cuts } = await renderReceipt(doc);
  const bytes = Buffer.concat(encodeJob(bitmap, cuts, 128));
  const paper = decodeEscPos(bytes, 576);
  return (await decodeBarcodes(paper.pages[0]!, [format])).map((r) => r.text);
}

const AN = holder('Nguyễn Văn An', '001092012345');

describe('check-in at the kiosk against dcs-sim', () => {
  it('the family: An with his infant, a paid seat and a bag over the allowance paid by VietQR', async () => {
    const { flow, printed } = newFlow();
    const passengers = viewOf(await flow.start(ctx(AN)), 'passengers');
    expect(passengers).toMatchObject({ locator: 'NVA8QK', alreadyCheckedIn: false, flight: { carrier: 'VN', number: '213', from: 'SGN', to: 'HAN', gate: '12' } });
    expect((passengers.passengers as { name: string; status: string }[]).map((p) => [p.name, p.status])).toEqual([
      ['NGUYEN/VAN AN MR', 'you'], ['NGUYEN/BAO ANH INF', 'with-you'], ['TRAN/THI BICH NGOC MS', 'own-card'],
    ]);
    viewOf(await flow.act({ choose: 'passengers', include: [] }), 'dangerous-goods');
    const seats = viewOf(await flow.act({ choose: 'dangerous-goods', accepted: true }), 'seats');
    expect(seats.passengers).toEqual([{ id: 'NVA8QK-1', name: 'NGUYEN/VAN AN MR', seat: null, changed: false, mayUseExitRow: false }]);
    // An travels with an infant: no exit row. 12C is Ngọc's. 2B costs.
    expect(viewOf(await flow.act({ choose: 'seat', passengerId: 'NVA8QK-1', seat: '10B' }), 'seats').problem).toBe('SEAT_EXIT_ROW_RESTRICTED');
    expect(viewOf(await flow.act({ choose: 'seat', passengerId: 'NVA8QK-1', seat: '12C' }), 'seats').problem).toBe('SEAT_TAKEN');
    const chosen = viewOf(await flow.act({ choose: 'seat', passengerId: 'NVA8QK-1', seat: '2B' }), 'seats');
    expect(chosen).toMatchObject({ problem: null, passengers: [{ seat: '2B', changed: true }] });
    viewOf(await flow.act({ choose: 'seats-done' }), 'bags');
    viewOf(await flow.act({ choose: 'bags', count: 1 }), 'weigh');
    sim.scale.setKg(27.3);
    const pay = viewOf(await flow.act({ choose: 'weigh' }), 'payment');
    expect(pay).toMatchObject({ status: 'unpaid', totalVnd: 150_000 + 5 * 60_000 });
    expect((pay.lines as { kind: string; item: string }[]).map((l) => [l.kind, l.item])).toEqual([['seat', '2B'], ['overweight', '4.3kg']]);
    expect(parseVietQr(pay.vietQr as string)).toMatchObject({ bankBin: '970436', accountNumber: '0071000738738', amountVnd: 450_000, billNumber: pay.billNumber });
    // Not paid yet: the airline has accepted nothing.
    viewOf(await flow.act({ choose: 'payment-check' }), 'payment');
    expect(sim.airline.boardingList(flightId()).passengers.find((p) => p.passengerId === 'NVA8QK-1')?.checkedIn).toBe(false);
    // The bank tells the airline the bill on the QR was paid.
    sim.airline.markPaid(pay.billNumber as string);
    const summary = await done(flow, await flow.act({ choose: 'payment-check' }));
    expect(summary).toMatchObject({ flight: 'VN 213', route: 'SGN → HAN', gate: '12', seat: '2B', passengers: '2', bags: '1', token: 'none' });

    // Paper: An's pass, the infant's pass, one bag tag, the bag receipt.
    expect(printed.map((d) => d.kind)).toEqual(['boarding-pass', 'boarding-pass', 'bag-tag', 'receipt']);
    const [bcbpText] = await barcodesOnPaper(printed[0]!, 'PDF417');
    expect(bcbpText).toBe(summary.bcbp);
    const pass = decodeBcbp(bcbpText!, 2026);
    expect(pass.data).toMatchObject({ passengerName: 'NGUYEN/VANAN', passengerDescription: '6', checkInSource: 'K' });
    expect(pass.data!.legs![0]).toMatchObject({ operatingCarrierPNR: 'NVA8QK', departureAirport: 'SGN', arrivalAirport: 'HAN', flightNumber: '0213', seatNumber: '002B', airlineNumericCode: '738' });
    expect(pass.data!.legs![0]!.flightDate!.toISOString().slice(0, 10)).toBe('2026-03-15');
    const infant = decodeBcbp((await barcodesOnPaper(printed[1]!, 'PDF417'))[0]!, 2026);
    expect(infant.data).toMatchObject({ passengerName: 'NGUYEN/BAOANH', passengerDescription: '4' });
    expect(infant.data!.legs![0]!.seatNumber).toBe('INF');
    const [plate] = await barcodesOnPaper(printed[2]!, 'ITF');
    expect(plate).toMatch(/^0738\d{6}$/);

    // The baggage system got the bag, under the flight, with the plate on the tag.
    const bsm = sim.bsms.at(-1)!;
    expect(bsm).toMatchObject({ airport: 'SGN', outbound: { flight: 'VN0213', destination: 'HAN', compartment: 'Y' }, licencePlates: [plate], pieces: 1, weightKg: 27, locator: 'NVA8QK', passengerNames: ['NGUYEN/VANAN'] });
    expect(sim.airline.acknowledgements.at(-1)).toMatchObject({ locator: 'NVA8QK', passengers: 2 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['airport.dangerous-goods-acknowledged', 'airport.payment-paid', 'airport.checked-in', 'airport.bsm-sent']));
    expect(JSON.stringify(audit)).not.toMatch(/NGUYEN|001092012345/);
  });

  it('Ngọc checks in after An with her own card, keeps her seat, no bags, nothing to pay', async () => {
    const { flow, printed } = newFlow();
    const passengers = viewOf(await flow.start(ctx(holder('Trần Thị Bích Ngọc', '079301000123'))), 'passengers');
    expect((passengers.passengers as { status: string }[]).map((p) => p.status)).toEqual(['checked-in', 'checked-in', 'you']);
    await flow.act({ choose: 'passengers', include: [] });
    await flow.act({ choose: 'dangerous-goods', accepted: true });
    viewOf(await flow.act({ choose: 'seats-done' }), 'bags');
    const summary = await done(flow, await flow.act({ choose: 'bags', count: 0 }));
    expect(summary).toMatchObject({ seat: '12C', passengers: '1', bags: '0' });
    expect(printed.map((d) => d.kind)).toEqual(['boarding-pass']);
    // Sequence numbers go on: An 1, the infant 2, Ngọc 3.
    expect(decodeBcbp(summary.bcbp!, 2026).data!.legs![0]!.checkInSequenceNumber).toBe('0003');
  });

  it('An again: already checked in, the kiosk prints the pass again', async () => {
    const { flow, printed } = newFlow();
    expect(viewOf(await flow.start(ctx(AN)), 'passengers').alreadyCheckedIn).toBe(true);
    const summary = await done(flow, await flow.act({ choose: 'reprint' }));
    expect(summary).toMatchObject({ seat: '2B', passengers: '2' });
    expect(printed.map((d) => d.kind)).toEqual(['boarding-pass', 'boarding-pass']);
  });

  it.each([
    ['a mistyped name', holder('Lê Văn Cường', '099047000456'), 'NAME_MISMATCH', 'NAME_GIVEN_NAMES_DIFFER'],
    ['check-in closed', holder('Võ Thị Mai', '099195000888'), 'CHECKIN_CLOSED', null],
    ['check-in not open yet', holder('Phạm Hữu Quang', '099090000777'), 'CHECKIN_NOT_OPEN', null],
    ['a wheelchair to the aircraft door', holder('Hồ Văn Sơn', '099070000555'), 'SPECIAL_SERVICE', null],
  ])('sends %s to the counter with the reason', async (_what, h, reason, detail) => {
    const { flow } = newFlow();
    const counter = viewOf(await flow.start(ctx(h)), 'counter');
    expect(counter).toMatchObject({ reason, detail });
    if (reason === 'CHECKIN_CLOSED') expect(Date.parse(counter.at as string)).toBeLessThanOrEqual(T.getTime());
    if (reason === 'CHECKIN_NOT_OPEN') expect(Date.parse(counter.at as string)).toBeGreaterThan(T.getTime());
  });

  it('not found by the ID number: found by booking code and surname; a through journey with a child, two bags and a face token', async () => {
    // The journey hands over the chip portrait's and the live capture's templates: the live one goes to the store.
    const live = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i));
    const face: VerifiedFace = { model: 'arcface-512', chip: Float32Array.from({ length: 512 }, (_, i) => Math.cos(i)), live };
    const { flow, printed } = newFlow();
    const hong = holder('Đặng Thị Hồng', '099186000999'); // a new card: the airline has the old number
    expect(viewOf(await flow.start(ctx(hong, face)), 'find-booking')).toEqual({ problem: 'NOT_FOUND_BY_ID', airport: 'SGN' });
    expect(viewOf(await flow.act({ choose: 'find', locator: 'dth5rz', surname: 'Trần' }), 'find-booking').problem).toBe('NOT_FOUND');
    const passengers = viewOf(await flow.act({ choose: 'find', locator: 'DTH5RZ', surname: 'Hong' }), 'passengers');
    expect(passengers.connections).toMatchObject([{ number: '1567', from: 'HAN', to: 'DIN' }]);
    expect((passengers.passengers as { status: string; optional: boolean }[]).map((p) => [p.status, p.optional])).toEqual([['you', false], ['with-you', true]]);
    await flow.act({ choose: 'passengers', include: ['DTH5RZ-2'] });
    await flow.act({ choose: 'dangerous-goods', accepted: true });
    await flow.act({ choose: 'seats-done' });
    await flow.act({ choose: 'bags', count: 2 });
    sim.scale.setKg(18.2);
    const second = viewOf(await flow.act({ choose: 'weigh' }), 'weigh');
    expect(second).toMatchObject({ bag: 2, count: 2, extraPieces: 0, problem: null });
    sim.scale.setKg(35);
    expect(viewOf(await flow.act({ choose: 'weigh' }), 'weigh').problem).toBe('BAG_TOO_HEAVY');
    sim.scale.setKg(21);
    const consent = viewOf(await flow.act({ choose: 'weigh' }), 'token-consent');
    expect(Date.parse(consent.deleteAt as string) - Date.parse((consent.flight as { departure: string }).departure)).toBe(3 * 3_600_000);
    const summary = await done(flow, await flow.act({ choose: 'token', consent: true }));
    expect(summary).toMatchObject({ route: 'SGN → DIN', passengers: '2', bags: '2', token: 'registered' });

    const legs = decodeBcbp(summary.bcbp!, 2026).data!.legs!;
    expect(legs.map((l) => [l.departureAirport, l.arrivalAirport, l.flightNumber])).toEqual([['SGN', 'HAN', '0213'], ['HAN', 'DIN', '1567']]);
    // Name printed as booked (given name first), since the chip's order differs.
    expect(decodeBcbp(summary.bcbp!, 2026).data!.passengerName).toBe('HONG/DANGTHI');
    // Hồng's fare has two pieces: both bags are hers, in one BSM, tagged through to DIN.
    const bsms = sim.bsms.filter((b) => b.locator === 'DTH5RZ');
    expect(bsms).toEqual([expect.objectContaining({ outbound: expect.objectContaining({ flight: 'VN0213' }), onward: [expect.objectContaining({ flight: 'VN1567', destination: 'DIN' })], pieces: 2, weightKg: 39 })]);
    const tags = printed.filter((d) => d.kind === 'bag-tag');
    expect(tags).toHaveLength(2);
    expect(await Promise.all(tags.map(async (t) => (await barcodesOnPaper(t, 'ITF'))[0]))).toEqual(bsms[0]!.licencePlates);
    const token = [...sim.tokens.values()].find((t) => t.passengerId === 'DTH5RZ-1')!;
    expect(token).toMatchObject({ modelSet: 'arcface-512' });
    expect(Array.from(templateFromBase64(token.template))).toEqual(Array.from(live));

    // Back at a kiosk, Hồng asks for her face to be deleted before the store would.
    const again = newFlow().flow;
    await again.start(ctx(hong, face));
    const back = viewOf(await again.act({ choose: 'find', locator: 'DTH5RZ', surname: 'HONG' }), 'passengers');
    expect(back).toMatchObject({ alreadyCheckedIn: true, faceToken: 'registered' });
    expect(viewOf(await again.act({ choose: 'token-delete' }), 'passengers').faceToken).toBe('deleted');
    expect([...sim.tokens.values()].filter((t) => t.passengerId === 'DTH5RZ-1')).toEqual([]);
    await expect(again.act({ choose: 'token-delete' })).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });
  });

  it('refuses a scan that is not a boarding pass, and finds a booking by one', async () => {
    const { flow } = newFlow();
    const hong = holder('Đặng Thị Hồng', '099186000998');
    await flow.start(ctx(hong));
    expect(viewOf(await flow.act({ choose: 'scan', text: 'hello' }), 'find-booking').problem).toBe('BCBP_INVALID');
    const issued = await backend.dcs!.issue({ locator: 'DTH5RZ', passengerIds: ['DTH5RZ-1'], terminalId: 'T' });
    const { boardingPassOf } = await import('../../app/sites/airport/common/boarding-pass.ts');
    const { bcbpString } = await import('../../app/core/receipts/index.ts');
    const scanned = bcbpString(boardingPassOf(issued.booking, 'DTH5RZ-1', issued.issuedAt));
    expect(viewOf(await flow.act({ choose: 'scan', text: scanned }), 'passengers').alreadyCheckedIn).toBe(true);
  });
});

function flightId(): string {
  return sim.airline.findBookings({ by: 'locator', locator: 'NVA8QK', surname: 'NGUYEN' })[0]!.segments[0]!.flight.id;
}
