import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LAUNCH_TICKET_TTL_MS } from '../../host/page-sessions.ts';
import { makePrivateDir } from '../../platform/store/private-files.ts';
import { windowCommand, windowEnv, type KioskDisplay } from '../display.ts';
import { spawnWindow, type WindowProcess } from '../window-process.ts';
import { BROWSER_LOCALE, browserLocaleEnv } from '../browser-locale.ts';

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
  /** What the browser opens first: the launch page's file URL, never a URL carrying a secret. */
  readonly url: string;
  readonly userDataDir: string;
  /** Full-screen kiosk (default), a normal app window for development, or no window at all (smoke tests). */
  readonly mode: 'kiosk' | 'app' | 'headless';
  /** Chromium's sandbox cannot run as root; only then is it switched off. */
  readonly runningAsRoot: boolean;
  /**
   * `x11` inside cage: Chromium then draws through cage's Xwayland, because its own Wayland client
   * crashes on Debian 12's cage (wlroots 0.15) while the X11 one fills the screen. Unset: Chromium picks.
   */
  readonly ozonePlatform?: 'x11';
}

/**
 * Flags for a locked-down kiosk window: no first-run UI, no pinch-zoom or swipe navigation,
 * no background calls to outside services (the network is closed at most sites), camera allowed
 * without a prompt because nobody is there to click it.
 */
export function chromiumArgs(o: ChromiumLaunchOptions): string[] {
  const window = {
    kiosk: ['--kiosk', '--start-fullscreen', '--window-position=0,0', `--app=${o.url}`],
    app: ['--window-size=1080,1920', `--app=${o.url}`],
    headless: ['--headless', '--disable-gpu'],
  }[o.mode];
  return [
    ...window,
    `--user-data-dir=${o.userDataDir}`,
    `--lang=${BROWSER_LOCALE}`,
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
    ...(o.ozonePlatform ? [`--ozone-platform=${o.ozonePlatform}`] : []),
    ...(o.runningAsRoot ? ['--no-sandbox'] : []),
    ...(o.mode === 'headless' ? [o.url] : []),
  ];
}

/** What the Chromium shell needs of the kiosk host. */
export interface LaunchableHost {
  readonly url: string;
  readonly dataDir: string;
  issueLaunchTicket(onSpent?: () => void): string;
}

export interface LaunchPage {
  /** file:// URL of the page; naming it reveals nothing. */
  readonly url: string;
  remove(): void;
}

/**
 * The hand-over of a browser session without a secret on any command line or console: a page that
 * only the kiosk's user can read (0600 in a 0700 folder of the data folder) forwards the browser to
 * the kiosk with a fresh one-time ticket in the address fragment. The page is deleted as soon as
 * the ticket is spent, or when it expires.
 */
export function writeLaunchPage(host: LaunchableHost): LaunchPage {
  const dir = join(host.dataDir, 'launch');
  rmSync(dir, { recursive: true, force: true }); // one page per start; pages of an earlier run hold dead tickets
  makePrivateDir(dir);
  const file = join(dir, `${randomBytes(8).toString('hex')}.html`);
  const remove = () => rmSync(file, { force: true });
  const ticket = host.issueLaunchTicket(remove);
  const target = `${host.url}#ticket=${ticket}`;
  writeFileSync(
    file,
    `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><title>cccd-kiosk</title><meta http-equiv="refresh" content="0;url=${target}">\n`,
    { mode: 0o600, flag: 'wx' },
  );
  const timer = setTimeout(remove, LAUNCH_TICKET_TTL_MS);
  timer.unref();
  return {
    url: pathToFileURL(file).href,
    remove() {
      clearTimeout(timer);
      remove();
    },
  };
}

/**
 * Opens the kiosk in Chromium through a launch page, on the given display (inside cage on a bare
 * machine); the page goes when the browser exits, if not before. `stop()` closes the window.
 */
export function openChromiumShell(
  browser: string,
  host: LaunchableHost,
  o: { mode: ChromiumLaunchOptions['mode']; runningAsRoot: boolean; display?: KioskDisplay },
): WindowProcess {
  // Without a display named (headless smoke tests), the browser runs as it is.
  const display: KioskDisplay = o.display ?? { kind: 'session', display: 'current', windowManager: 'unknown' };
  const page = writeLaunchPage(host);
  const args = chromiumArgs({
    url: page.url, userDataDir: join(host.dataDir, 'browser-profile'), mode: o.mode, runningAsRoot: o.runningAsRoot,
    ...(display.kind === 'cage' ? { ozonePlatform: 'x11' as const } : {}),
  });
  const { command, args: argv } = windowCommand(display, browser, args);
  const window = spawnWindow(command, argv, { env: { ...windowEnv(display), ...browserLocaleEnv } });
  window.child.once('exit', () => page.remove());
  return window;
}
