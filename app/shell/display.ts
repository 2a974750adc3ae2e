import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/**
 * Where the kiosk window can go on this machine. A kiosk window is full screen only when something
 * makes it so: a desktop's window manager honours Chromium's and Electron's full-screen request, and
 * on a bare kiosk machine (no desktop, no window manager) the kiosk compositor cage takes the screen
 * and gives all of it to the one window it runs.
 */
export type KioskDisplay =
  /** A graphical session is running: its window manager or compositor makes the window full screen. */
  | { readonly kind: 'session'; readonly display: string; readonly windowManager: 'yes' | 'no' | 'unknown' }
  /** No graphical session: the window runs inside cage, which takes the screen (DRM) by itself. */
  | { readonly kind: 'cage'; readonly cage: string }
  | { readonly kind: 'none'; readonly reason: string };

/** Debian's cage; elsewhere a locally built one. */
export const CAGE_CANDIDATES = ['/usr/bin/cage', '/usr/local/bin/cage'];
/** Debian's cage will not start without Xwayland, and Chromium runs through it (see chromiumArgs). */
export const XWAYLAND = '/usr/bin/Xwayland';

/** What the decision needs to know of the machine; injectable so the rules can be tested anywhere. */
export interface DisplayProbe {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly runningAsRoot: boolean;
  exists(path: string): boolean;
  /** DRM devices (e.g. `card0`) a compositor can drive. */
  drmCards(): string[];
  /** Whether a window manager manages the X display; `unknown` when it cannot be asked (no xprop). */
  xWindowManager(display: string): 'yes' | 'no' | 'unknown';
}

export function findKioskDisplay(probe: DisplayProbe = systemProbe()): KioskDisplay {
  const { env } = probe;
  if (probe.platform !== 'linux') return { kind: 'session', display: 'desktop', windowManager: 'yes' };
  if (env.WAYLAND_DISPLAY) return { kind: 'session', display: `wayland ${env.WAYLAND_DISPLAY}`, windowManager: 'yes' };
  if (env.DISPLAY) return { kind: 'session', display: `X ${env.DISPLAY}`, windowManager: probe.xWindowManager(env.DISPLAY) };
  const cage = CAGE_CANDIDATES.find((p) => probe.exists(p));
  const none = (why: string): KioskDisplay => ({ kind: 'none', reason: `no graphical session (DISPLAY and WAYLAND_DISPLAY unset) and ${why}` });
  if (!cage) return none('no kiosk compositor to take the screen (apt-get install cage xwayland)');
  if (!probe.exists(XWAYLAND)) return none('cage cannot start without Xwayland (apt-get install xwayland)');
  if (probe.runningAsRoot) return none('cage does not run as root: run the kiosk as its own user (native/README.md)');
  // WLR_BACKENDS names another backend than the screen (headless, nested); otherwise cage needs a DRM device.
  if (!env.WLR_BACKENDS && probe.drmCards().length === 0) return none('no screen for cage to drive (no /dev/dri/card*)');
  return { kind: 'cage', cage };
}

export function systemProbe(): DisplayProbe {
  return {
    env: process.env,
    platform: process.platform,
    runningAsRoot: process.getuid?.() === 0,
    exists: existsSync,
    drmCards: () => {
      try {
        return readdirSync('/dev/dri').filter((f) => /^card\d+$/.test(f));
      } catch {
        return [];
      }
    },
    xWindowManager: (display) => {
      // An EWMH window manager announces itself on the root window (every current one does).
      const r = spawnSync('xprop', ['-root', '_NET_SUPPORTING_WM_CHECK'], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8', timeout: 3000 });
      if (r.error || r.status !== 0) return 'unknown';
      return /window id #/.test(r.stdout) ? 'yes' : 'no';
    },
  };
}

/** A plain sentence for start-up and `doctor`: where the window goes and whether it fills the screen. */
export function describeDisplay(d: KioskDisplay): { fullScreen: boolean; text: string } {
  if (d.kind === 'none') return { fullScreen: false, text: d.reason };
  if (d.kind === 'cage') return { fullScreen: true, text: `no graphical session: the window runs in ${d.cage}, which takes the whole screen` };
  if (d.windowManager === 'no') {
    return { fullScreen: false, text: `${d.display} has no window manager, so the kiosk window cannot be made full screen: run the kiosk session under cage (native/README.md) or a window manager` };
  }
  return { fullScreen: true, text: `${d.display}${d.windowManager === 'unknown' ? ' (window manager not checked: xprop missing)' : ''}` };
}

/** The command line that opens `command` as the kiosk window here: inside cage on a bare machine. */
export function windowCommand(d: KioskDisplay, command: string, args: readonly string[]): { command: string; args: string[] } {
  return d.kind === 'cage' ? { command: d.cage, args: ['--', command, ...args] } : { command, args: [...args] };
}

/**
 * Environment for the window process. Under cage: a kiosk whose touch screen is unplugged must still
 * show its screen, so a machine without input devices is not an error.
 */
export function windowEnv(d: KioskDisplay, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return d.kind === 'cage' ? { WLR_LIBINPUT_NO_DEVICES: '1', ...env } : env;
}
