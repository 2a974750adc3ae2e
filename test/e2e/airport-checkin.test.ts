import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decode as decodeBcbp } from 'bcbp';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import { parseVietQr } from '../../app/core/payments/vietqr.ts';
import type { ParsedBsm } from '../../app/sites/airport/sim/bsm-parser.ts';
import type { DemoAirline } from '../../app/sites/airport/sim/demo-airline.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { expectKitLayout, LAYOUTS } from './layout-check.ts';
import { airportKiosk, expectScreen, readOnPaper, readOnScreen, simControl, staffScreen, throughIdentity, toSeatMap, wedgeScan } from './airport-support.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));

/** The id of VN213 (the family's flight) as the airline names it. */
async function flightIdOf(dcsUrl: string): Promise<string> {
  const r = await fetch(`${dcsUrl}/dcs/v1/bookings/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: 'locator', locator: 'NVA8QK', surname: 'NGUYEN' }) });
  return ((await r.json()) as { bookings: { segments: { flight: { id: string } }[] }[] }).bookings[0]!.segments[0]!.flight.id;
}

/** The demo airline without `idNumber` on file: the airline has the passenger's old card, or none. */
const withoutDocument = (idNumber: string) => (d: DemoAirline): DemoAirline => ({
  ...d,
  bookings: d.bookings.map((b) => ({ ...b, people: b.people.map(({ idNumber: id, ...p }) => (id === idNumber ? p : { ...p, ...(id ? { idNumber: id } : {}) })) })),
});

/** The demo airline with the first adult of `locator` travelling alone, in `seat` (the family stays home). */
const alone = (locator: string, seat: string) => (d: DemoAirline): DemoAirline => ({
  ...d,
  bookings: d.bookings.map((b) => (b.locator === locator ? { ...b, people: [{ ...b.people[0]!, seat }] } : b)),
});

/**
 * Self check-in at the airport as passengers live it, in Debian's Chromium against the
 * airport profile: the shared identity steps on the virtual card, then the airline's DCS,
 * the BSM inbox and the bag scale of the embedded dcs-sim, over their real HTTP and TCP contracts.
 * Every screen is checked against the kit's rules and saved in portrait and landscape, Vietnamese
 * and English (test-results/screenshots/airport-*.png); the paper is read back from the ESC/POS
 * bytes the printer received.
 */
describe.skipIf(!chromiumAvailable || !uiBuilt)('airport check-in in Chromium', { timeout: 300_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('one passenger without bags: An, flying alone this time, keeps his seat, sees his pass on screen, and the printed one decodes with bcbp', async () => {
    const k = await airportKiosk(browser, 'one-passenger', { airline: alone('NVA8QK', '14D') });
    const { page } = k;
    try {
      await throughIdentity(page);
      await expectScreen(page, 'site-passengers');
      await expect(page.locator('[data-testid^="passenger-"]').count()).resolves.toBe(1);
      await expect(page.getByTestId('passenger-NVA8QK-1').getAttribute('data-status')).resolves.toBe('you');
      await expect(page.getByTestId('flight-card-flight').textContent()).resolves.toBe('VN 213');
      await k.screens('passengers');
      await page.getByTestId('check-in').click();

      await expectScreen(page, 'site-dangerous-goods');
      await k.screens('dangerous-goods');
      await page.getByTestId('dg-accept').click();

      await expectScreen(page, 'site-seats');
      await expect(page.getByTestId('seat-14D').getAttribute('data-status')).resolves.toBe('ours');
      await k.screens('seats');
      await page.getByTestId('seats-done').click();

      await expectScreen(page, 'site-bags');
      await k.screens('bags');
      await page.getByTestId('bags-0').click();

      // The journey verified his face: the kiosk asks before it gives it to the airport's gates.
      await expectScreen(page, 'site-token-consent');
      await expect(page.getByTestId('token-delete-at').textContent()).resolves.toMatch(/\d\d:\d\d/);
      await k.screens('token-consent');
      await page.getByTestId('token-no').click();

      await expectScreen(page, 'site-boarding-pass');
      await expect(page.getByTestId('token-registered').count()).resolves.toBe(0);
      await page.getByTestId('pass-1-pdf417').waitFor();
      await expect(page.getByTestId('pass-1-name').textContent()).resolves.toBe('Nguyễn Văn An');
      await expect(page.getByTestId('pass-1-seat').textContent()).resolves.toBe('14D');
      await k.screens('boarding-pass');
      // The pass on screen: its PDF417 and its QR both carry the BCBP the flow issued.
      const bcbp = await page.getByTestId('pass-1-qr').getAttribute('data-payload');
      expect(await readOnScreen(page.getByTestId('pass-1-pdf417'), 'PDF417')).toBe(bcbp);
      expect(await readOnScreen(page.getByTestId('pass-1-qr'), 'QRCode')).toBe(bcbp);
      await page.getByTestId('print').click();

      await page.getByTestId('step-done').waitFor({ timeout: 30_000 });
      await page.getByTestId('ticket-qr').waitFor();
      await k.screens('done');

      // The paper: one boarding pass, whose PDF417 the `bcbp` package decodes.
      const pages = k.paper();
      expect(pages).toHaveLength(1);
      const [printed] = await readOnPaper(pages, 'PDF417');
      expect(printed).toBe(bcbp);
      const pass = decodeBcbp(printed!);
      expect(pass.data).toMatchObject({ passengerName: 'NGUYEN/VANAN', passengerDescription: '0', checkInSource: 'K' });
      expect(pass.data!.legs![0]).toMatchObject({ operatingCarrierPNR: 'NVA8QK', departureAirport: 'SGN', arrivalAirport: 'HAN', operatingCarrierDesignator: 'VN', flightNumber: '0213', seatNumber: '014D' });
      const bsms = await simControl<{ bsms: ParsedBsm[] }>(k.dcsUrl, 'bsm');
      expect(bsms.bsms).toEqual([]);
      // He said no: nothing went to the token store.
      expect(k.host.audit.recent(60).find((r) => r.action === 'airport.token-consent')?.detail).toBe('{"consent":false}');
      expect(k.host.audit.recent(60).map((r) => r.action)).not.toContain('airport.token-registered');

      // Staff: today's check-ins at this kiosk by flight, initials only.
      await page.getByTestId('done').click();
      await staffScreen(page);
      await expect(page.getByTestId('check-ins').textContent()).resolves.toContain('VN 213');
      await expect(page.getByTestId('check-in-initials').textContent()).resolves.toBe('N.V.A.');
      await expect(page.getByTestId('maintenance').textContent()).resolves.not.toMatch(/NGUYEN|Nguyễn/);
      await k.screens('maintenance');
    } finally {
      await k.close();
    }
  });
  it('a bag over the allowance, paid by VietQR: An and his infant, 27.3 kg on the scale, the tag and the BSM read back', async () => {
    const k = await airportKiosk(browser, 'bag-paid');
    const { page } = k;
    try {
      await throughIdentity(page);
      await expectScreen(page, 'site-passengers');
      await expect(page.getByTestId('passenger-NVA8QK-2').getAttribute('data-status')).resolves.toBe('with-you');
      await expect(page.getByTestId('check-in').textContent()).resolves.toContain('2');
      await toSeatMap(page);
      await page.getByTestId('seats-done').click();
      await expectScreen(page, 'site-bags');
      await page.getByTestId('bags-1').click();
      await expectScreen(page, 'site-weigh');
      await k.screens('weigh');
      // Too heavy to drop here: said in words, and the bag may be lightened and weighed again.
      await simControl(k.dcsUrl, 'scale', { method: 'PUT', body: { kg: 35 } });
      await page.getByTestId('weigh').click();
      await page.getByTestId('weigh-problem').waitFor({ timeout: 30_000 });
      await expect(page.getByTestId('site-weigh').getAttribute('data-problem')).resolves.toBe('BAG_TOO_HEAVY');
      await k.screens('weigh-too-heavy');
      await simControl(k.dcsUrl, 'scale', { method: 'PUT', body: { kg: 27.3 } });
      await page.getByTestId('weigh').click();

      // 23 kg included: 4.3 kg over, priced by the airline, paid before anything is issued.
      await expectScreen(page, 'site-payment');
      await page.getByTestId('vietqr').waitFor();
      await expect(page.getByTestId('pay-lines').textContent()).resolves.toContain('4.3kg');
      await expect(page.getByTestId('payment-status').getAttribute('data-status')).resolves.toBe('unpaid');
      await k.screens('payment');
      const qr = parseVietQr((await page.getByTestId('vietqr').getAttribute('data-payload'))!);
      expect(qr).toMatchObject({ bankBin: '970436', accountNumber: '0071000738738' });
      await expect(page.getByTestId('pay-total').textContent()).resolves.toBe(`${qr.amountVnd!.toLocaleString('vi-VN')} đ`);
      // The bank tells the airline; the screen moves on by itself.
      await simControl(k.dcsUrl, `payments/${qr.billNumber}/paid`, { method: 'POST' });
      await expectScreen(page, 'site-token-consent');
      await page.getByTestId('token-no').click();
      await expectScreen(page, 'site-boarding-pass');
      await page.getByTestId('pass-2-pdf417').waitFor();
      await expect(page.getByTestId('pass-2-seat').textContent()).resolves.toBe('—');
      const plateOnScreen = (await page.getByTestId('bag-1').textContent())!.match(/\d{10}/)![0];
      await k.screens('boarding-pass');
      await page.getByTestId('print').click();
      await expectScreen(page, 'step-done');

      // Paper: An's pass, the infant's, the bag tag and the bag receipt.
      const pages = k.paper();
      expect(pages).toHaveLength(4);
      const passes = (await readOnPaper(pages, 'PDF417')).map((text) => decodeBcbp(text).data!);
      expect(passes.map((p) => [p.passengerName, p.passengerDescription, p.legs![0]!.seatNumber?.startsWith('INF')])).toEqual([
        ['NGUYEN/VANAN', '6', false], ['NGUYEN/BAOANH', '4', true],
      ]);
      const plates = await readOnPaper(pages, 'ITF');
      expect(plates).toEqual([plateOnScreen]);
      expect(plateOnScreen).toMatch(/^0738\d{6}$/);
      // The baggage system's inbox parsed the BSM: the same plate, 27 kg, under An's name and booking.
      const { bsms } = await simControl<{ bsms: ParsedBsm[] }>(k.dcsUrl, 'bsm');
      expect(bsms).toEqual([expect.objectContaining({ airport: 'SGN', licencePlates: [plateOnScreen], pieces: 1, weightKg: 27, locator: 'NVA8QK', passengerNames: ['NGUYEN/VANAN'] })]);
      expect(bsms[0]!.outbound).toMatchObject({ flight: 'VN0213', destination: 'HAN' });
      const actions = k.host.audit.recent(60).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['airport.payment-opened', 'airport.payment-paid', 'airport.checked-in', 'airport.bsm-sent']));
    } finally {
      await k.close();
    }
  });

  it('check-in closed: the kiosk says when it closed, shows the flight and sends the passenger to the counter', async () => {
    // This airline closes kiosk check-in four hours before departure; VN213 leaves in three.
    const k = await airportKiosk(browser, 'closed', { mutate: (p) => void (p.site.checkInWindows.domestic.closesMinutesBefore = 240) });
    const { page } = k;
    try {
      await throughIdentity(page);
      await expectScreen(page, 'site-counter');
      await expect(page.getByTestId('site-counter').getAttribute('data-reason')).resolves.toBe('CHECKIN_CLOSED');
      await expect(page.getByTestId('failed-message').textContent()).resolves.toMatch(/^Đã hết giờ làm thủ tục tại ki-ốt cho chuyến bay này \(đóng lúc \d\d:\d\d\)/);
      await expect(page.getByTestId('flight-card-flight').textContent()).resolves.toBe('VN 213');
      await k.screens('counter-closed');
      expect(k.host.audit.recent(20).find((r) => r.action === 'airport.counter')?.detail).toBe('{"reason":"CHECKIN_CLOSED"}');
      await page.getByTestId('counter-done').click();
      await page.getByTestId('welcome').waitFor();
    } finally {
      await k.close();
    }
  });

  it('name mismatch: Cường booked as LE/VAN CHUONG goes to the counter with the reason in words', async () => {
    const k = await airportKiosk(browser, 'name-mismatch', { persona: 'le-van-cuong' });
    const { page } = k;
    try {
      await throughIdentity(page);
      await expectScreen(page, 'site-counter');
      await expect(page.getByTestId('site-counter').getAttribute('data-reason')).resolves.toBe('NAME_MISMATCH');
      await expect(page.getByTestId('failed-message').textContent()).resolves.toBe(
        'Tên trên thẻ Căn cước của bạn không khớp với tên trong chỗ đã đặt. Tên đệm hoặc tên trong chỗ đã đặt khác trên thẻ.',
      );
      // The code is for staff, small.
      await expect(page.getByTestId('staff-code').textContent()).resolves.toContain('NAME_GIVEN_NAMES_DIFFER');
      await k.screens('counter-name-mismatch');
    } finally {
      await k.close();
    }
  });

  it('booking not found by the ID number: a bad scan, a wrong code, then the booking code and surname find it; and the passenger may go to the counter', async () => {
    const k = await airportKiosk(browser, 'not-found', { airline: withoutDocument('001092012345') });
    const { page } = k;
    const problem = () => page.getByTestId('site-find-booking').getAttribute('data-problem');
    const type = async (field: 'locator' | 'surname', text: string) => {
      await page.getByTestId(`field-${field}`).click();
      for (const c of text) await page.getByTestId(c === ' ' ? 'key-space' : `key-${c}`).click();
    };
    try {
      await throughIdentity(page);
      await expectScreen(page, 'site-find-booking');
      await expect(problem()).resolves.toBe('NOT_FOUND_BY_ID');
      await k.screens('find-booking');
      // A keyboard-wedge scanner types a code that is no boarding pass.
      await wedgeScan(page, 'HELLO-WORLD-1234');
      await expect.poll(problem).toBe('BCBP_INVALID');
      await expect(page.getByTestId('find-problem').textContent()).resolves.toContain('không đọc được mã vừa quét');
      await type('locator', 'NVA8QX');
      await type('surname', 'NGUYEN');
      await expect(page.getByTestId('field-locator-value').textContent()).resolves.toBe('NVA8QX');
      await k.screens('find-booking-typed');
      await page.getByTestId('find').click();
      await expect.poll(problem).toBe('NOT_FOUND');
      await page.getByTestId('find-problem').waitFor();
      await page.getByTestId('field-locator').click();
      await page.getByTestId('key-backspace').click();
      await page.getByTestId('key-K').click();
      await page.getByTestId('find').click();
      await expectScreen(page, 'site-passengers');
      await expect(page.getByTestId('locator').textContent()).resolves.toContain('NVA8QK');
      // Changed his mind: the counter, from any step.
      await page.getByTestId('to-counter').click();
      await expectScreen(page, 'site-counter');
      await expect(page.getByTestId('site-counter').getAttribute('data-reason')).resolves.toBe('ASKED');
      await k.screens('counter-asked');
      const lookups = k.host.audit.recent(40).filter((r) => r.action === 'airport.booking-lookup').map((r) => r.detail);
      expect(lookups.reverse()).toEqual(['{"by":"id-number","found":false}', '{"by":"locator","found":false}', '{"by":"locator","found":true}']);
      // The ID number never reaches the audit trail or the airline's URLs.
      expect(JSON.stringify(k.host.audit.recent(60))).not.toContain('001092012345');
    } finally {
      await k.close();
    }
  });

  it('seat change: an exit row refused for a parent with an infant, a paid seat shown with its price, then a free seat kept and printed', async () => {
    const k = await airportKiosk(browser, 'seat-change');
    const { page } = k;
    const seatProblem = page.getByTestId('seat-problem');
    try {
      await throughIdentity(page);
      await toSeatMap(page);
      await expect(page.getByTestId('seat-of-NVA8QK-1').textContent()).resolves.toBe('hãng bay xếp ghế');
      await page.getByTestId('seat-10B').click();
      await seatProblem.waitFor();
      await expect(seatProblem.textContent()).resolves.toContain('lối thoát hiểm');
      await k.screens('seats-exit-refused');
      await page.getByTestId('seat-2B').click();
      await expect.poll(() => page.getByTestId('seat-2B').getAttribute('data-status')).toBe('ours');
      await expect(page.getByTestId('seat-of-NVA8QK-1').textContent()).resolves.toBe('2B · 150.000 đ');
      await k.screens('seats-paid');
      // The accessible mode: larger text and high contrast on the seat map too, still within the kit's rules.
      await page.getByTestId('view-toggle').click();
      await expect.poll(() => page.locator('html').getAttribute('data-view')).toBe('clear');
      for (const layout of LAYOUTS) {
        await page.setViewportSize(layout.viewport);
        await expectKitLayout(page, layout, `accessible seats (${layout.name})`);
        await k.shot(`seats-accessible-${layout.name}-vi`);
      }
      await page.setViewportSize(LAYOUTS[0].viewport);
      await page.getByTestId('view-toggle').click();
      // A free seat instead: nothing to pay.
      const free = page.locator('.cabin-row:not(.exit) .seat.free:not(.paid)').first();
      const seat = (await free.getAttribute('data-testid'))!.replace('seat-', '');
      await free.click();
      await expect.poll(() => page.getByTestId(`seat-${seat}`).getAttribute('data-status')).toBe('ours');
      await expect(page.getByTestId('seat-2B').getAttribute('data-status')).resolves.toBe('free');
      await page.getByTestId('seats-done').click();
      await page.getByTestId('bags-0').click();
      await expectScreen(page, 'site-token-consent');
      await page.getByTestId('token-no').click();
      await expectScreen(page, 'site-boarding-pass');
      await expect(page.getByTestId('pass-1-seat').textContent()).resolves.toBe(seat);
      await page.getByTestId('print').click();
      await expectScreen(page, 'step-done');
      const [an] = (await readOnPaper(k.paper(), 'PDF417')).map((text) => decodeBcbp(text).data!);
      expect(an!.legs![0]!.seatNumber).toBe(seat.padStart(4, '0'));
    } finally {
      await k.close();
    }
  });
  it('a family: An, his infant and Cường, each adult verified with his own card and face, each answering for his own face token', async () => {
    // The booking's second adult is Cường here; his card lies beside the reader until he gives its QR.
    const k = await airportKiosk(browser, 'family', {
      airline: (d) => ({
        ...d,
        bookings: d.bookings.map((b) => (b.locator === 'NVA8QK' ? { ...b, people: [b.people[0]!, b.people[1]!, { fullName: 'Lê Văn Cường', sex: 'M', type: 'adult', idNumber: '099047000456' }] } : b)),
      }),
      mutate: (p) => void (p.devices.cardReader.companions = ['le-van-cuong']),
    });
    const { page } = k;
    try {
      await throughIdentity(page);
      await expectScreen(page, 'site-passengers');
      await expect(page.getByTestId('passenger-NVA8QK-3').getAttribute('data-status')).resolves.toBe('own-card');
      await page.getByTestId('include-NVA8QK-3').click();
      await page.getByTestId('others-next').waitFor();
      await expect(page.getByTestId('check-in').textContent()).resolves.toContain('3');
      await k.screens('passengers');
      await page.getByTestId('check-in').click();
      // An answers for his own face, while he is here.
      await expectScreen(page, 'site-token-consent');
      await expect(page.getByTestId('token-for').textContent()).resolves.toContain('NGUYEN VAN AN');
      await page.getByTestId('token-next').waitFor();
      await k.screens('token-consent-first');
      await page.getByTestId('token-yes').click();

      // The next person: his own consent, then Cường's own card (its QR on the scanner), his own face.
      await expectScreen(page, 'step-consent');
      await page.getByTestId('next-person').waitFor();
      await k.screens('next-person-consent');
      await page.getByTestId('consent-accept').click();
      await expectScreen(page, 'step-present-card');
      await page.getByTestId('next-person').waitFor();
      await k.screens('next-person');
      const { virtualCard } = await import('../../app/host/demo-wiring.ts');
      await wedgeScan(page, (await virtualCard('le-van-cuong')).frontQr!);
      await expectScreen(page, 'site-dangerous-goods', 90_000);
      await page.getByTestId('dg-accept').click();
      await expectScreen(page, 'site-seats');
      await expect(page.locator('[data-testid^="seat-owner-"]').count()).resolves.toBe(2);
      await page.getByTestId('seats-done').click();
      await page.getByTestId('bags-0').click();
      await expectScreen(page, 'site-token-consent');
      await expect(page.getByTestId('token-for').textContent()).resolves.toContain('LE VAN CUONG');
      await page.getByTestId('token-yes').click();

      await expectScreen(page, 'site-boarding-pass');
      await page.getByTestId('pass-3-pdf417').waitFor();
      await expect(page.getByTestId('pass-1-name').textContent()).resolves.toBe('Nguyễn Văn An');
      await expect(page.getByTestId('pass-3-name').textContent()).resolves.toBe('Lê Văn Cường');
      await k.screens('boarding-pass');
      await page.getByTestId('print').click();
      await expectScreen(page, 'step-done');

      const printed = (await readOnPaper(k.paper(), 'PDF417')).map((text) => decodeBcbp(text).data!);
      expect(printed.map((p) => [p.passengerName, p.passengerDescription])).toEqual([['NGUYEN/VANAN', '6'], ['NGUYEN/BAOANH', '4'], ['LE/VANCUONG', '0']]);
      // Two tokens, one per adult who said yes; the infant has none.
      const tokens = await fetch(`${k.dcsUrl}/tokens/v1/flights/${encodeURIComponent(await flightIdOf(k.dcsUrl))}/tokens`).then((r) => r.json() as Promise<{ tokens: { passengerId: string }[] }>);
      expect(tokens.tokens.map((t) => t.passengerId).sort()).toEqual(['NVA8QK-1', 'NVA8QK-3']);
      const actions = k.host.audit.recent(120).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['journey.next-person', 'airport.person-added', 'airport.token-registered']));
      expect(actions.filter((a) => a === 'journey.verify')).toHaveLength(2);
    } finally {
      await k.close();
    }
  });
});
