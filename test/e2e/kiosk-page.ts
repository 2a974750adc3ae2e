import type { Browser } from 'playwright-core';
import { join } from 'node:path';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { screenshotsDir } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { LAYOUTS } from './layout-check.ts';

export interface KioskPage {
  readonly host: KioskHost;
  readonly page: import('playwright-core').Page;
  readonly printerFile: string;
  /** Saves a screenshot as `<prefix>-<name>-<step>.png`. */
  shot(step: string): Promise<unknown>;
  /** The same screen in Vietnamese and in English (and back), for a person reading either. */
  shotBoth(step: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * A kiosk host on a temp copy of a shipped profile (its simulators embedded, its state in a temp
 * folder), with a Chromium page on its start screen at a kiosk's screen size.
 */
export async function openKiosk(
  browser: Browser,
  o: { prefix: string; name: string; base?: string; mutate?: (p: any) => void; screen?: 'portrait' | 'landscape'; timezoneId?: string },
): Promise<KioskPage> {
  const dir = tempDir(`e2e-${o.name}`);
  const profile = tempProfile(o.base ?? 'hospital', dir.path, o.mutate);
  const host = await startKioskHost({ profile: profile.file, port: 0 });
  const layout = LAYOUTS.find((l) => l.name === (o.screen ?? 'portrait'))!;
  const page = await browser.newPage({ viewport: layout.viewport, ...(o.timezoneId ? { timezoneId: o.timezoneId } : {}) });
  // A script error in the kiosk page is a test failure worth seeing in the log.
  page.on('pageerror', (e) => console.error(`[e2e ${o.name}] page error: ${e.message}`));
  await page.goto(`${host.url}#token=${host.token}`);
  await page.getByTestId('welcome').waitFor();
  const shot = (step: string) => page.screenshot({ path: join(screenshotsDir, `${o.prefix}-${o.name}-${step}.png`) });
  return {
    host,
    page,
    printerFile: profile.printerFile,
    shot,
    async shotBoth(step) {
      await shot(`${step}-vi`);
      await page.getByTestId('language-toggle').click();
      await shot(`${step}-en`);
      await page.getByTestId('language-toggle').click();
    },
    async close() {
      await page.close();
      await host.close();
      dir.cleanup();
    },
  };
}
