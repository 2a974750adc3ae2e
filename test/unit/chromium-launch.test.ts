import { describe, expect, it } from 'vitest';
import { chromiumArgs, findBrowser } from '../../app/shell/chromium/launch.ts';

describe('Chromium kiosk launch', () => {
  it('opens the launch page full-screen with pinch, swipe-back and outside calls off', () => {
    const args = chromiumArgs({ url: 'file:///var/lib/k/launch/ab.html', userDataDir: '/var/lib/k', mode: 'kiosk', runningAsRoot: false });
    expect(args).toEqual(expect.arrayContaining(['--kiosk', '--app=file:///var/lib/k/launch/ab.html', '--user-data-dir=/var/lib/k', '--disable-pinch', '--overscroll-history-navigation=0', '--disable-background-networking', '--noerrdialogs']));
    expect(args).not.toContain('--no-sandbox');
    expect(args).not.toContain('--headless');
  });

  it('runs without a window only when asked (smoke tests), the page then given as the last argument', () => {
    const args = chromiumArgs({ url: 'file:///k/l.html', userDataDir: 'd', mode: 'headless', runningAsRoot: false });
    expect(args).toContain('--headless');
    expect(args.at(-1)).toBe('file:///k/l.html');
    expect(args.some((a) => a.startsWith('--app=') || a === '--kiosk')).toBe(false);
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
