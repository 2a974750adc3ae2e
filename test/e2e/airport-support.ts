/**
 * The airport's end-to-end tests share this: a kiosk on an airport profile with its simulated airline
 * (embedded dcs-sim, or one the test runs itself), the way through the shared identity steps, the
 * simulator's controls over HTTP, and barcodes read back from the screen and from the paper.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { expect } from 'vitest';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { demoAirline, type DemoAirline } from '../../app/sites/airport/sim/demo-airline.ts';
import { startDcsSim, type DcsSim } from '../../app/sites/airport/sim/dcs-sim.ts';
import { decodeEscPos } from '../../app/sim/printer/escpos-reader.ts';
import { decodeBarcodes } from '../integration/print-helpers.ts';
import { screenshotsDir } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { everyLayout, LAYOUTS } from './layout-check.ts';

export interface AirportKiosk {
  readonly host: KioskHost;
  readonly page: Page;
  /** The simulated airline's base URL (its contract and its /sim controls). */
  readonly dcsUrl: string;
  /** Checks the screen against the kit's rules in both orientations and languages, and saves it. */
  screens(name: string): Promise<void>;
  shot(name: string): Promise<void>;
  /** Every page the printer received so far, as 1-bit paper. */
  paper(): ReturnType<typeof decodeEscPos>['pages'];
  close(): Promise<void>;
}

export interface KioskOptions {
  readonly profile?: 'airport' | 'airport-gate';
  /** The camera's frames (the demo's face, or another person's). */
  readonly camera?: string;
  readonly persona?: string;
  readonly mutate?: (p: any) => void;
  /**
   * The test's own airline: the demo airline changed for the case, served by a dcs-sim the test
   * runs, which the kiosk reaches through its real HTTP adapters and TCP scale, as it would an airline's.
   */
  readonly airline?: (demo: DemoAirline) => DemoAirline;
  /** A dcs-sim the test runs for several kiosks (check-in, then the gates); the test closes it. */
  readonly sim?: DcsSim;
}

export async function airportKiosk(browser: Browser, name: string, o: KioskOptions = {}): Promise<AirportKiosk> {
  const dir = tempDir(`e2e-airport-${name}`);
  const started = o.airline ? await startDcsSim({ data: o.airline(demoAirline(new Date())) }) : undefined;
  const own = started ?? o.sim;
  const profile = tempProfile(o.profile ?? 'airport', dir.path, (p) => {
    if (o.persona) p.devices.cardReader.persona = o.persona;
    if (o.camera) p.devices.camera.path = o.camera;
    // Payments are the test's to make (the bank's notification), not the demo's timer.
    if (p.site.dcs?.adapter === 'sim') delete p.site.dcs.autoPayAfterSeconds;
    if (own) {
      p.site.dcs = { adapter: 'http', url: `${own.url}/dcs/v1` };
      p.site.baggageMessages = { url: `${own.url}/bsm` };
      p.site.biometricTokens = { url: `${own.url}/tokens/v1` };
      p.site.door = { url: `${own.url}/egate/v1` };
      if (p.site.scale) p.site.scale = { adapter: 'tcp', host: own.scale.host, port: own.scale.port };
    }
    o.mutate?.(p);
  });
  const host = await startKioskHost({ profile: profile.file, port: 0 }).catch(async (e: unknown) => {
    await started?.close();
    throw e;
  });
  const page = await browser.newPage({ viewport: LAYOUTS[0].viewport });
  page.on('pageerror', (e) => console.error(`[e2e airport ${name}] page error: ${e.message}`));
  await page.goto(`${host.url}#token=${host.token}`);
  // An unattended gate may already be past its start screen, watching a face.
  await page.getByTestId('content').waitFor();
  const dcsUrl = own?.url ?? host.simulators.dcsUrl ?? '';
  return {
    host, page, dcsUrl,
    screens: (screen) => everyLayout(page, `airport-${name}`, screen),
    shot: async (screen) => void (await page.screenshot({ path: join(screenshotsDir, `airport-${name}-${screen}.png`) })),
    paper: () => decodeEscPos(readFileSync(profile.printerFile), 576).pages,
    async close() {
      await page.close();
      await host.close();
      await started?.close();
      dir.cleanup();
    },
  };
}

/** From the passengers screen, as booked, through the dangerous goods, to the seat map. */
export async function toSeatMap(page: Page): Promise<void> {
  await expectScreen(page, 'site-passengers');
  await page.getByTestId('check-in').click();
  await expectScreen(page, 'site-dangerous-goods');
  await page.getByTestId('dg-accept').click();
  await expectScreen(page, 'site-seats');
}

/** Staff log in with the demo PIN and open the maintenance screen. */
export async function staffScreen(page: Page): Promise<void> {
  await page.getByTestId('staff-button').click();
  for (const d of '1234') await page.getByTestId(`pin-${d}`).click();
  await page.getByTestId('pin-ok').click();
  await page.getByTestId('maintenance').waitFor();
}

/** Start, consent, the demo card's QR, then the card read, face and central verification: until the airport's first screen. */
export async function throughIdentity(page: Page): Promise<void> {
  await page.getByTestId('welcome').waitFor();
  await page.getByTestId('start').click();
  await page.getByTestId('consent-accept').click();
  await page.getByTestId('demo-scan').click();
  const site = page.locator('[data-testid^="site-"]');
  await site.or(page.getByTestId('step-failed')).first().waitFor({ timeout: 90_000 });
  if ((await site.count()) === 0) throw new Error(`the identity steps failed: ${await page.getByTestId('step-failed').getAttribute('data-code')}`);
}

/**
 * A keyboard-wedge scanner "typing" `text` and Enter, as fast as one does (a few milliseconds for a
 * whole pass): key events dispatched in the page in one go. Typing through the browser's input
 * pipeline instead leaves gaps between keys on a busy machine, which the kiosk rightly takes for a
 * person typing.
 */
export async function wedgeScan(page: Page, text: string): Promise<void> {
  await page.evaluate((keys) => {
    for (const key of [...keys, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
  }, text);
}

/** Waits for the screen `testId`; a failure screen instead stops the test with its code. */
export async function expectScreen(page: Page, testId: string, timeout = 30_000): Promise<void> {
  const failed = page.getByTestId('step-failed');
  await page.getByTestId(testId).or(failed).first().waitFor({ timeout });
  if ((await failed.count()) > 0) throw new Error(`expected ${testId}, the kiosk failed with ${await failed.getAttribute('data-code')}`);
}

/** A control of the simulator (not part of the airline's contract), answered as JSON. */
export async function simControl<T = unknown>(dcsUrl: string, path: string, init?: { method: string; body?: unknown }): Promise<T> {
  const r = await fetch(`${dcsUrl}/sim/${path}`, {
    method: init?.method ?? 'GET',
    ...(init?.body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) }),
  });
  expect(r.status, `sim ${path}`).toBeLessThan(300);
  return (await r.json()) as T;
}

/** What a barcode on screen says: the element photographed as the page draws it, thresholded, decoded. */
export async function readOnScreen(element: Locator, format: 'PDF417' | 'QRCode'): Promise<string | undefined> {
  await element.scrollIntoViewIfNeeded();
  const png = await element.screenshot();
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const dots = Uint8Array.from(data, (v) => (v < 128 ? 1 : 0));
  const [found] = await decodeBarcodes({ width: info.width, height: info.height, data: dots }, [format]);
  return found?.text;
}

/** Every barcode of `format` on the printed pages. */
export async function readOnPaper(pages: ReturnType<AirportKiosk['paper']>, format: 'PDF417' | 'ITF'): Promise<string[]> {
  const all = await Promise.all(pages.map((p) => decodeBarcodes(p, [format])));
  return all.flat().map((r) => r.text);
}
