import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir, startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { chromiumAvailable, launchBrowser, screenshotsDir } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
if (!uiBuilt) console.warn('[e2e] SKIPPED: UI not built (npm test builds it; run `npm run build:ui`)');

describe.skipIf(!chromiumAvailable || !uiBuilt)('kiosk UI in Chromium (demo profile)', () => {
  let host: KioskHost;
  let browser: Browser;
  let page: Page;
  const data = tempDir('e2e');

  beforeAll(async () => {
    host = await startKioskHost({ profile: 'demo', port: 0, dataDir: data.path });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(`${host.url}#token=${host.token}`);
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    data.cleanup();
  });

  it('greets in Vietnamese first, with intact diacritics', async () => {
    await expect(page.getByTestId('welcome-lead').textContent()).resolves.toBe('Làm thủ tục bằng thẻ Căn cước gắn chip');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('vi');
    await page.getByTestId('status-banner').waitFor();
    await page.screenshot({ path: join(screenshotsDir, 'welcome-vi.png') });
  });

  it('switches to English and back', async () => {
    await page.getByTestId('language-toggle').click();
    await expect(page.getByTestId('welcome-lead').textContent()).resolves.toBe('Check in with your chip citizen ID card');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await page.screenshot({ path: join(screenshotsDir, 'welcome-en.png') });
    await page.getByTestId('language-toggle').click();
    await expect(page.getByTestId('welcome-title').textContent()).resolves.toBe('Xin chào!');
  });

  it('keeps every button at least 48 px and text at least 24 px', async () => {
    const sizes = await page.$$eval('button', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
    expect(sizes.length).toBeGreaterThan(0);
    for (const [w, h] of sizes) expect(Math.min(w!, h!)).toBeGreaterThanOrEqual(48);
    const fontSizes = await page.$$eval('p, h1, h2, button, li, td, th, div', (els) =>
      els.filter((e) => (e.textContent ?? '').trim() && e.children.length === 0).map((e) => parseFloat(getComputedStyle(e).fontSize)),
    );
    expect(Math.min(...fontSizes)).toBeGreaterThanOrEqual(24);
  });

  it('shows the maintenance screen only after the right PIN, and audits the login', async () => {
    await page.getByTestId('staff-button').click();
    for (const d of '9999') await page.getByTestId(`pin-${d}`).click();
    await page.getByTestId('pin-ok').click();
    await expect(page.getByTestId('pin-problem').textContent()).resolves.toContain('Mã PIN không đúng');
    for (const d of '1234') await page.getByTestId(`pin-${d}`).click();
    await page.getByTestId('pin-ok').click();
    await page.getByTestId('maintenance').waitFor();
    await expect(page.getByTestId('audit-chain').textContent()).resolves.toMatch(/Chuỗi nhật ký nguyên vẹn/);
    await page.screenshot({ path: join(screenshotsDir, 'maintenance-vi.png'), fullPage: true });
    const actions = host.audit.recent(10).map((r) => r.action);
    expect(actions).toContain('admin.login-failed');
    expect(actions).toContain('admin.login');
    await page.getByTestId('logout').click();
    await page.getByTestId('welcome').waitFor();
  });
});
