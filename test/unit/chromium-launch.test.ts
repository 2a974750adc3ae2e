import { describe, expect, it } from 'vitest';
import { chromiumArgs, findBrowser } from '../../app/shell/chromium/launch.ts';

describe('Chromium kiosk launch', () => {
  it('opens the kiosk URL full-screen with pinch, swipe-back and outside calls off', () => {
    const args = chromiumArgs({ url: 'http://127.0.0.1:1/#token=t', userDataDir: '/var/lib/k', mode: 'kiosk', runningAsRoot: false });
    expect(args).toEqual(expect.arrayContaining(['--kiosk', '--app=http://127.0.0.1:1/#token=t', '--user-data-dir=/var/lib/k', '--disable-pinch', '--overscroll-history-navigation=0', '--disable-background-networking', '--noerrdialogs']));
    expect(args).not.toContain('--no-sandbox');
  });

  it('drops the sandbox only when it must (running as root)', () => {
    expect(chromiumArgs({ url: 'u', userDataDir: 'd', mode: 'app', runningAsRoot: true })).toContain('--no-sandbox');
  });

  it('finds the first installed browser', () => {
    const installed = new Set(['/usr/bin/google-chrome']);
    expect(findBrowser(['/usr/bin/chromium', '/usr/bin/google-chrome'], (p) => installed.has(p))).toBe('/usr/bin/google-chrome');
    expect(findBrowser(['/usr/bin/chromium'], () => false)).toBeUndefined();
  });
});
