import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { browserLocaleEnv } from '../../app/shell/browser-locale.ts';

/** Debian's Chromium (installed by .ci/run); never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CCCD_KIOSK_BROWSER ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(CHROMIUM_PATH);
export const screenshotsDir = join(process.cwd(), 'test-results', 'screenshots');

if (!chromiumAvailable) {
  console.warn(`[e2e] SKIPPED: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CCCD_KIOSK_BROWSER)`);
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(screenshotsDir, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // As the kiosk's own shell starts it: the browser's widgets (date fields) in Vietnam's locale.
    env: { ...process.env, ...browserLocaleEnv },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
