/**
 * The gate's end-to-end helpers: stations of one demo site (the shipped gate profiles on their
 * simulators, a small demo factory) sharing the site store's file, as the demo's stations do on one
 * machine; screenshots in both languages; and what the site store recorded.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser } from 'playwright-core';
import { startKioskHost } from '../../app/host/kiosk-host.ts';
import { screenshotsDir } from '../support/browser.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { LAYOUTS } from './layout-check.ts';

export type GateStation = Awaited<ReturnType<ReturnType<typeof gateSite>['station']>>;

export function gateSite(browser: () => Browser, dir: string, prefix = 'gate') {
  const storeFile = join(dir, 'site', 'site-store.db');

  /** A station of the demo site: its profile, its own data folder, the site's shared store. */
  async function station(name: string, base: string, mutate: (p: any) => void = () => undefined) {
    mkdirSync(join(dir, name), { recursive: true });
    const profile = tempProfile(base, join(dir, name), (p) => {
      p.site.store = { file: storeFile };
      p.site.demoPeople = 40;
      mutate(p);
    });
    const host = await startKioskHost({ profile: profile.file, port: 0 });
    const page = await browser().newPage({ viewport: LAYOUTS[0]!.viewport });
    page.on('pageerror', (e) => console.error(`[e2e ${prefix} ${name}] page error: ${e.message}`));
    await page.goto(`${host.url}#token=${host.token}`);
    /** The screen as it stands, in Vietnamese and in English (in the layouts asked, portrait by default). */
    const shotBoth = async (step: string, layouts: readonly (typeof LAYOUTS)[number][] = [LAYOUTS[0]!]) => {
      for (const layout of layouts) {
        const suffix = layouts.length > 1 ? `-${layout.name}` : '';
        await page.setViewportSize(layout.viewport);
        await page.screenshot({ path: join(screenshotsDir, `${prefix}-${name}-${step}${suffix}-vi.png`) });
        await page.getByTestId('language-toggle').click();
        await page.screenshot({ path: join(screenshotsDir, `${prefix}-${name}-${step}${suffix}-en.png`) });
        await page.getByTestId('language-toggle').click();
      }
      await page.setViewportSize(LAYOUTS[0]!.viewport);
    };
    const devices = async <T,>(what: 'commands' | 'notices') => (await (await fetch(`${host.simulators.devicesUrl}/${what}`)).json()) as T[];
    const commands = () => devices<{ door: string }>('commands');
    /** Logs in on the staff screen with a PIN. */
    const login = async (pin: string) => {
      await page.getByTestId('staff-button').click();
      for (const d of pin) await page.getByTestId(`pin-${d}`).click();
      await page.getByTestId('pin-ok').click();
    };
    return { host, page, shotBoth, commands, devices, login, printerFile: profile.printerFile, close: async () => (await page.close(), await host.close()) };
  }

  /** What the site store recorded (read-only; the stations keep writing). */
  const siteRows = <T,>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(storeFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };

  return { storeFile, station, siteRows };
}
