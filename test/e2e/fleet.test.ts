/**
 * The fleet page in Chromium: staff log in with the PIN at a gate kiosk of a hub site (a real hub
 * on a private PostgreSQL), open "Các ki-ốt của điểm", and see a kiosk that fell silent and one
 * with a broken printer raised on top in words, and every kiosk's facts below; in portrait and
 * landscape, in Vietnamese and English (test-results/screenshots/fleet-*.png).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import { chromiumAvailable, launchBrowser, screenshotsDir } from '../support/browser.ts';
import { startFleetSite, type FleetSite } from '../support/fleet-site.ts';
import { postgresMissing } from '../support/postgres.ts';
import { eventually } from '../contract/site-store.contract.ts';
import { everyLayout, LAYOUTS, useLanguage } from './layout-check.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const missing = !chromiumAvailable ? 'no Chromium' : !uiBuilt ? 'the UI is not built (npm run build:ui)' : postgresMissing();
if (missing) console.warn(`fleet e2e skipped: ${missing}`);

describe.skipIf(missing !== undefined)('the fleet page in Chromium', { timeout: 240_000 }, () => {
  let fleet: FleetSite;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The guard's desk (an attended station of the gate site: staff log in there).
    fleet = await startFleetSite({ staleAfterMs: 3000, base: 'factory-enrolment', terminalId: 'GATE-DESK-01' });
    // GATE-B-01 heartbeats, then falls silent; GATE-C-01 keeps beating with a broken printer, low paper.
    const gateB = await fleet.kiosk('GATE-B-01', { softwareVersion: '1.4.2', profile: 'factory-gate', devices: { cardReader: 'ok', camera: 'ok', face: 'ok', siteHub: 'ok' } });
    await fleet.kiosk('GATE-C-01', { softwareVersion: '1.4.2', profile: 'factory-enrolment', devices: { cardReader: 'ok', printer: 'error', scanner: 'ok' }, paperLow: true });
    await eventually(async () => (await fleet.site.admin.pool.query('SELECT 1 FROM hub_kiosks')).rowCount === 3, 15_000);
    await gateB.close();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: LAYOUTS[0].viewport });
    page.on('pageerror', (e) => console.error(`[e2e fleet] page error: ${e.message}`));
    await page.goto(`${fleet.host.url}#token=${fleet.host.token}`);
    await page.getByTestId('welcome').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await fleet?.close();
  });

  it('raises the silent and the failing kiosk on top, in words, and lists every kiosk', async () => {
    await page.getByTestId('staff-button').click();
    for (const d of '1234') await page.getByTestId(`pin-${d}`).click();
    await page.getByTestId('pin-ok').click();
    await page.getByTestId('maintenance').waitFor();
    await page.getByTestId('audit-chain').waitFor();
    await everyLayout(page, 'fleet', 'maintenance');
    await page.getByTestId('fleet-open').click();
    await page.getByTestId('fleet').waitFor();
    await useLanguage(page, 'vi');
    // The page reads the hub again every 15 s; GATE-B-01 is stale 3 s after its last heartbeat.
    await expect.poll(() => page.getByTestId('fleet-attention-GATE-B-01').getAttribute('data-state').catch(() => null), { timeout: 40_000, interval: 1000 }).toBe('stale');
    const attention = page.getByTestId('fleet-attention');
    await expect(attention.textContent()).resolves.toContain('Không báo tin đã');
    await expect(page.getByTestId('fleet-attention-GATE-C-01').textContent()).resolves.toContain('Máy in: lỗi. Máy in sắp hết giấy.');
    // Stale first, then failing.
    const order = await page.locator('[data-testid^="fleet-attention-GATE"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(order.indexOf('fleet-attention-GATE-B-01')).toBe(0);
    // Every kiosk, this one marked.
    const cards = await page.locator('[data-testid^="fleet-kiosk-"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    expect(cards.sort()).toEqual(['fleet-kiosk-GATE-B-01', 'fleet-kiosk-GATE-C-01', 'fleet-kiosk-GATE-DESK-01']);
    const self = page.getByTestId('fleet-kiosk-GATE-DESK-01');
    await expect(self.textContent()).resolves.toContain('ki-ốt này');
    await expect(self.getByTestId('fleet-audit').textContent()).resolves.toMatch(/^đến dòng \d+, khớp$/);
    await expect(page.getByTestId('fleet-kiosk-GATE-C-01').getByTestId('fleet-paper').textContent()).resolves.toBe('sắp hết');
    await everyLayout(page, 'fleet', 'page');
    // The end of the list too (the page scrolls): this kiosk's own card.
    await self.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(screenshotsDir, 'fleet-page-portrait-vi-end.png') });

    await useLanguage(page, 'en');
    await expect(page.getByTestId('fleet-attention-GATE-B-01').textContent()).resolves.toMatch(/No heartbeat for \d+ seconds?: it may be switched off/);
    await useLanguage(page, 'vi');
    await page.getByTestId('fleet-back').click();
    await page.getByTestId('maintenance').waitFor();
  });
});
