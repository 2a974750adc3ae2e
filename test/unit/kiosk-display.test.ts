import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeDisplay, findKioskDisplay, windowCommand, windowEnv, type DisplayProbe } from '../../app/shell/display.ts';
import { spawnWindow } from '../../app/shell/window-process.ts';

/** A Debian kiosk machine as the probe sees it; each test changes what it is about. */
function machine(o: Partial<Omit<DisplayProbe, 'exists'>> & { installed?: string[] } = {}): DisplayProbe {
  const installed = new Set(o.installed ?? ['/usr/bin/cage', '/usr/bin/Xwayland']);
  return {
    env: o.env ?? {},
    platform: o.platform ?? 'linux',
    runningAsRoot: o.runningAsRoot ?? false,
    exists: (p) => installed.has(p),
    drmCards: o.drmCards ?? (() => ['card0']),
    xWindowManager: o.xWindowManager ?? (() => 'yes'),
  };
}

describe('where the kiosk window goes', () => {
  it('a bare machine (no graphical session, a screen, cage installed): inside cage, which fills the screen', () => {
    const d = findKioskDisplay(machine());
    expect(d).toEqual({ kind: 'cage', cage: '/usr/bin/cage' });
    expect(describeDisplay(d).fullScreen).toBe(true);
    expect(windowCommand(d, '/usr/bin/chromium', ['--kiosk', '--app=file:///x.html'])).toEqual({ command: '/usr/bin/cage', args: ['--', '/usr/bin/chromium', '--kiosk', '--app=file:///x.html'] });
    // A kiosk whose touch screen is unplugged still shows its screen; what the environment says wins.
    expect(windowEnv(d, { A: '1' })).toEqual({ WLR_LIBINPUT_NO_DEVICES: '1', A: '1' });
  });

  it('a desktop session: the session\'s window manager makes the window full screen, nothing wraps it', () => {
    const x = findKioskDisplay(machine({ env: { DISPLAY: ':0' } }));
    expect(x).toEqual({ kind: 'session', display: 'X :0', windowManager: 'yes' });
    expect(windowCommand(x, 'chromium', ['--kiosk'])).toEqual({ command: 'chromium', args: ['--kiosk'] });
    expect(windowEnv(x, { A: '1' })).toEqual({ A: '1' });
    expect(findKioskDisplay(machine({ env: { WAYLAND_DISPLAY: 'wayland-0', DISPLAY: ':0' } }))).toMatchObject({ kind: 'session', display: 'wayland wayland-0' });
    expect(findKioskDisplay(machine({ platform: 'win32' })).kind).toBe('session');
  });

  it('a plain X display without a window manager is not reported as full screen', () => {
    const d = findKioskDisplay(machine({ env: { DISPLAY: ':1' }, xWindowManager: () => 'no' }));
    expect(describeDisplay(d)).toEqual({ fullScreen: false, text: expect.stringMatching(/^X :1 has no window manager.*cage/) });
    // Cannot ask (no xprop): said so, not guessed.
    expect(describeDisplay(findKioskDisplay(machine({ env: { DISPLAY: ':1' }, xWindowManager: () => 'unknown' }))).text).toMatch(/not checked: xprop missing/);
  });

  it('no window at all, with the reason, when nothing can show one', () => {
    const reason = (p: DisplayProbe) => {
      const d = findKioskDisplay(p);
      expect(describeDisplay(d).fullScreen).toBe(false);
      return d.kind === 'none' ? d.reason : `not none: ${d.kind}`;
    };
    expect(reason(machine({ installed: [] }))).toMatch(/no kiosk compositor.*apt-get install cage xwayland/);
    expect(reason(machine({ installed: ['/usr/bin/cage'] }))).toMatch(/cage cannot start without Xwayland/);
    expect(reason(machine({ runningAsRoot: true }))).toMatch(/cage does not run as root/);
    expect(reason(machine({ drmCards: () => [] }))).toMatch(/no screen for cage to drive/);
    // An explicit wlroots backend (nested, headless) needs no DRM device.
    expect(findKioskDisplay(machine({ drmCards: () => [], env: { WLR_BACKENDS: 'headless' } })).kind).toBe('cage');
  });
});

describe('the window process group', () => {
  it('stop() ends the leader and the helpers it started, even those that ignore SIGTERM', async () => {
    // A leader that starts a helper deaf to SIGTERM, as a stuck renderer would be.
    const w = spawnWindow('/bin/sh', ['-c', 'sh -c \'trap "" TERM; while :; do sleep 0.1; done\' & echo $!; wait'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const helper = await new Promise<number>((resolve) => w.child.stdout!.once('data', (c: Buffer) => resolve(Number(c.toString().trim()))));
    expect(existsSync(`/proc/${helper}`)).toBe(true);
    const t0 = Date.now();
    await w.stop(500);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(w.child.exitCode !== null || w.child.signalCode !== null).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    const state = existsSync(`/proc/${helper}/stat`) ? /\) (\w) /.exec(readFileSync(`/proc/${helper}/stat`, 'latin1'))?.[1] : 'gone';
    expect(['gone', 'Z']).toContain(state);
  });
});
