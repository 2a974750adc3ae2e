import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Browsers that can host the kiosk UI when Electron is absent, most specific first. */
export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
];

export function findBrowser(candidates = BROWSER_CANDIDATES, exists: (p: string) => boolean = existsSync): string | undefined {
  const fromEnv = process.env.CCCD_KIOSK_BROWSER;
  if (fromEnv) return exists(fromEnv) ? fromEnv : undefined;
  return candidates.find((p) => exists(p));
}

export interface ChromiumLaunchOptions {
  readonly url: string;
  readonly userDataDir: string;
  /** Full-screen kiosk (default) or a normal app window for development. */
  readonly mode: 'kiosk' | 'app';
  /** Chromium's sandbox cannot run as root; only then is it switched off. */
  readonly runningAsRoot: boolean;
}

/**
 * Flags for a locked-down kiosk window: no first-run UI, no pinch-zoom or swipe navigation,
 * no background calls to outside services (the network is closed at most sites), camera allowed
 * without a prompt because nobody is there to click it.
 */
export function chromiumArgs(o: ChromiumLaunchOptions): string[] {
  return [
    ...(o.mode === 'kiosk' ? ['--kiosk', '--start-fullscreen', '--window-position=0,0'] : ['--window-size=1080,1920']),
    `--app=${o.url}`,
    `--user-data-dir=${o.userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--noerrdialogs',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-translate',
    '--disable-features=Translate,TranslateUI,MediaRouter',
    '--autoplay-policy=no-user-gesture-required',
    '--use-fake-ui-for-media-stream',
    '--incognito',
    ...(o.runningAsRoot ? ['--no-sandbox'] : []),
  ];
}

export function launchChromium(browser: string, o: ChromiumLaunchOptions): ChildProcess {
  return spawn(browser, chromiumArgs(o), { stdio: 'ignore' });
}
