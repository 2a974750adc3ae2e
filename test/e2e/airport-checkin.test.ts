import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { decode as decodeBcbp } from 'bcbp';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import type { ParsedBsm } from '../../app/sites/airport/sim/bsm-parser.ts';
import type { DemoAirline } from '../../app/sites/airport/sim/demo-airline.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { airportKiosk, expectScreen, readOnPaper, readOnScreen, simControl, throughIdentity } from './airport-support.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));

/** The demo airline with the first adult of `locator` travelling alone, in `seat` (the family stays home). */
const alone = (locator: string, seat: string) => (d: DemoAirline): DemoAirline => ({
  ...d,
  bookings: d.bookings.map((b) => (b.locator === locator ? { ...b, people: [{ ...b.people[0]!, seat }] } : b)),
});

/**
 * Self check-in at the airport as passengers live it, in Debian's Chromium against the
 * airport-checkin profile: the shared identity steps on the virtual card, then the airline's DCS,
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

      await expectScreen(page, 'site-boarding-pass');
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
    } finally {
      await k.close();
    }
  });
});
