/**
 * Staff at an unattended door, in Debian's Chromium on the shipped door profile: the camera sees a
 * worker all the time, so a journey is always starting; the guard still reaches the staff screen,
 * logs in with their own PIN and sees what a guard may (the board, not the kiosk's insides), and
 * the administrator sees everything. The staff screen waits longer for a touch than the hall's kiosk. Screens saved in portrait and landscape, in both languages.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir, startKioskHost } from '../../app/host/kiosk-host.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { chromiumAvailable, launchBrowser, screenshotsDir } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { LAYOUTS } from './layout-check.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const camera = join(process.cwd(), 'kiosk-config', 'demo-media', 'camera');

describe.skipIf(!chromiumAvailable || !uiBuilt)('staff at an unattended door', { timeout: 240_000 }, () => {
  let browser: Browser;
  const dir = tempDir('e2e-staff-roles');
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    dir.cleanup();
  });

  const login = async (page: Page, pin: string) => {
    for (const d of pin) await page.getByTestId(`pin-${d}`).click();
    await page.getByTestId('pin-ok').click();
    await page.getByTestId('maintenance').waitFor();
  };

  it('a guard in front of the camera still reaches the staff screen, and sees the board but not the kiosk\'s insides', async () => {
    mkdirSync(join(dir.path, 'door'), { recursive: true });
    const profile = tempProfile('factory-gate', join(dir.path, 'door'), (p) => {
      p.site.store = { file: join(dir.path, 'site-store.db') };
      p.site.demoPeople = 40;
      p.devices.camera.path = camera;
      // A hall kiosk gives up on a person after 10 s; the staff screen here waits a minute.
      p.kiosk.idleSeconds = 10;
      p.kiosk.idleCountdownSeconds = 3;
      p.admin.staffIdleMinutes = 1;
    });
    const host = await startKioskHost({ profile: profile.file, port: 0 });
    try {
      for (const layout of LAYOUTS) {
        const page = await browser.newPage({ viewport: layout.viewport });
        try {
          await page.goto(`${host.url}#token=${host.token}`);
          // The face in view starts a journey by itself; the staff button stays and ends it.
          await page.locator('[data-testid^="step-"], [data-testid^="site-door-"]').first().waitFor({ timeout: 90_000 });
          await page.getByTestId('staff-button').click();
          await page.getByTestId('staff-login').waitFor();
          await login(page, '246802');
          await expect(page.getByTestId('staff-who').textContent()).resolves.toBe('Đăng nhập: Bảo vệ ca ngày (bảo vệ)');
          await page.getByTestId('gate-board').waitFor();
          expect(await page.getByTestId('config').count()).toBe(0);
          expect(await page.getByTestId('audit').count()).toBe(0);
          if (layout === LAYOUTS[0]) {
            // Left alone longer than the kiosk's idle time and countdown, the guard is still logged in.
            await page.waitForTimeout(15_000);
            expect(await page.getByTestId('maintenance').count()).toBe(1);
            expect(await page.getByTestId('idle-dialog').count()).toBe(0);
          }
          for (const lang of ['vi', 'en'] as const) {
            await page.screenshot({ path: join(screenshotsDir, `staff-guard-${layout.name}-${lang}.png`), fullPage: false });
            await page.getByTestId('language-toggle').click();
          }
          await page.getByTestId('logout').click();
          await page.getByTestId('staff-button').click();
          await login(page, '1234');
          await expect(page.getByTestId('staff-who').textContent()).resolves.toBe('Đăng nhập: admin (quản trị)');
          await page.getByTestId('config').waitFor();
          await page.getByTestId('gate-board').waitFor();
          await page.getByTestId('logout').click();
        } finally {
          await page.close();
        }
      }
    } finally {
      await host.close();
    }
    // Each login is audited under the name of whoever logged in.
    const db = openDatabase(join(dir.path, 'door', 'data', 'kiosk.db'));
    try {
      const logins = new AuditLog(db).recent(500).filter((r) => r.action === 'admin.login').map((r) => `${r.actor} ${r.detail}`);
      expect(logins).toEqual(expect.arrayContaining(['Bảo vệ ca ngày {"role":"guard"}', 'admin {"role":"administrator"}']));
    } finally {
      db.close();
    }
  });
});
