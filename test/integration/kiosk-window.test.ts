import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';

/**
 * The supported kiosk session on a bare machine (native/README.md): no desktop, so `cccd-kiosk start`
 * runs Chromium inside the kiosk compositor cage. cage's headless backend stands in for the screen
 * (DRM) here: the same compositor and window management, without a monitor. Chromium draws through
 * cage's Xwayland, so the window and the screen are measured there with xwininfo.
 */
const TOOLS = { chromium: '/usr/bin/chromium', cage: '/usr/bin/cage', Xwayland: '/usr/bin/Xwayland', xwininfo: '/usr/bin/xwininfo' };

// cage refuses to run as root, as a kiosk should; as root, the kiosk runs as nobody here.
const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};

// Absolute paths: the kiosk resolves its files from the root, through every parent folder.
const canRead = (dir: string) =>
  spawnSync(process.execPath, ['-e', 'for (const f of process.argv.slice(1)) require("fs").accessSync(f)', join(dir, 'app/cli/bin.mjs'), join(dir, 'node_modules/tsx/package.json')], { cwd: '/', ...asUser }).status === 0;

/**
 * This checkout, as a folder user nobody can read. A checkout under a private folder (root's home,
 * a CI workspace) is bind-mounted (as root) under /tmp for the test's duration: same files, a path
 * whose parents nobody may enter.
 */
function readableCheckout(): { path: string; unmount?: () => void } | string {
  if (canRead(process.cwd())) return { path: process.cwd() };
  if (asUser.uid === undefined) return 'this user cannot read its own checkout';
  const mountPoint = mkdtempSync(join(tmpdir(), 'cccd-kiosk-checkout-'));
  chmodSync(mountPoint, 0o755);
  const mounted = spawnSync('mount', ['--bind', process.cwd(), mountPoint], { encoding: 'utf8' });
  const unmount = () => {
    spawnSync('umount', [mountPoint]);
    rmdirSync(mountPoint);
  };
  if (mounted.status !== 0) {
    rmdirSync(mountPoint);
    return `user nobody (who runs the kiosk here, as cage will not run as root) cannot read this checkout, and it cannot be bind-mounted where nobody can (${(mounted.stderr || '').trim()})`;
  }
  if (!canRead(mountPoint)) {
    unmount();
    return 'user nobody cannot read this checkout\'s files even through a bind mount (check their modes)';
  }
  return { path: mountPoint, unmount };
}

function whyNot(): string | { path: string; unmount?: () => void } {
  const missing = Object.entries(TOOLS).filter(([, path]) => !existsSync(path)).map(([name]) => name);
  if (missing.length > 0) return `${missing.join(', ')} not installed (apt-get install chromium cage xwayland x11-utils)`;
  return readableCheckout();
}
const checkout = whyNot();
const skip = typeof checkout === 'string' ? checkout : undefined;
if (skip) console.warn(`[kiosk window] SKIPPED: ${skip}`);
if (typeof checkout !== 'string' && checkout.unmount) process.once('exit', checkout.unmount);

/** Every process started for this kiosk session (they all inherit its private runtime folder). */
function sessionProcesses(runtimeDir: string): number[] {
  const marker = `XDG_RUNTIME_DIR=${runtimeDir}\0`;
  return readdirSync('/proc').filter((f) => /^\d+$/.test(f)).map(Number).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'latin1').includes(marker);
    } catch {
      return false; // gone meanwhile
    }
  });
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));

/** The X display cage's Xwayland opened for the browser, read from the browser's environment. */
function browserDisplay(pids: number[]): string | undefined {
  for (const pid of pids) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('chromium')) continue;
      const display = /(?:^|\0)DISPLAY=([^\0]+)/.exec(readFileSync(`/proc/${pid}/environ`, 'latin1'));
      if (display) return display[1];
    } catch {
      /* gone meanwhile */
    }
  }
  return undefined;
}

interface Geometry { width: number; height: number; x: number; y: number }

/** The screen (root window) and Chromium's visible top-level windows, as the X server sees them. */
function windows(display: string): { screen: Geometry; chromium: Geometry[] } | undefined {
  const run = (args: string[]) => spawnSync(TOOLS.xwininfo, ['-display', display, ...args], { encoding: 'utf8', timeout: 10_000, ...asUser });
  const root = run(['-root']);
  const tree = run(['-root', '-tree']);
  if (root.status !== 0 || tree.status !== 0) return undefined;
  const num = (re: RegExp) => Number(re.exec(root.stdout)?.[1]);
  const screen = { width: num(/Width: (\d+)/), height: num(/Height: (\d+)/), x: 0, y: 0 };
  const chromium = [...tree.stdout.matchAll(/"Chromium"\)\s+(\d+)x(\d+)\+(-?\d+)\+(-?\d+)/g)]
    .map((m) => ({ width: Number(m[1]), height: Number(m[2]), x: Number(m[3]), y: Number(m[4]) }))
    .filter((w) => w.width > 10 && w.height > 10); // leaders and clipboard windows are 10x10, off screen
  return { screen, chromium };
}

async function until<T>(what: string, check: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(skip !== undefined)('the kiosk session on a bare machine: cccd-kiosk start → cage → Chromium', () => {
  const dir = tempDir('kiosk-window');
  const runtimeDir = join(dir.path, 'runtime');
  let start: ChildProcess;
  let output = '';
  let exitCode: Promise<number | null>;

  beforeAll(async () => {
    mkdirSync(runtimeDir, { mode: 0o700 });
    const { file } = tempProfile('demo', dir.path);
    // The profile's files (PIN hash, trust store, demo media) are read through the mount too.
    if (typeof checkout !== 'string' && checkout.path !== process.cwd()) {
      writeFileSync(file, readFileSync(file, 'utf8').replaceAll(`${process.cwd()}/`, `${checkout.path}/`));
    }
    mkdirSync(join(dir.path, 'data'), { mode: 0o700 });
    if (asUser.uid !== undefined) for (const p of [dir.path, runtimeDir, file, join(dir.path, 'data')]) chownSync(p, asUser.uid, asUser.gid!);
    start = spawn(process.execPath, ['app/cli/bin.mjs', 'start', '--shell=chromium', '--profile', file], {
      cwd: typeof checkout === 'string' ? undefined : checkout.path,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...asUser,
      // No DISPLAY, no WAYLAND_DISPLAY: nothing but the kiosk on this "machine".
      env: { PATH: process.env.PATH, HOME: dir.path, XDG_RUNTIME_DIR: runtimeDir, WLR_BACKENDS: 'headless', WLR_RENDERER: 'pixman' },
    });
    start.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    start.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    exitCode = new Promise((resolve) => start.once('exit', (code) => resolve(code)));
    await until('the kiosk window to open', () => (/kiosk window opened in \S+ inside \S*cage/.test(output) ? true : undefined), 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}; start said:\n${output}`);
    });
  }, 90_000);

  afterAll(async () => {
    for (const pid of sessionProcesses(runtimeDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    dir.cleanup();
    if (typeof checkout !== 'string') {
      checkout.unmount?.();
      process.removeListener('exit', checkout.unmount ?? (() => undefined));
    }
  });

  it('shows one Chromium window exactly as large as the screen, at its top-left corner', async () => {
    // Chromium maps its window at a size of its own choosing; cage then makes it fill the screen.
    let last: ReturnType<typeof windows>;
    await until('Chromium\'s window to fill cage\'s screen', () => {
      const display = browserDisplay(sessionProcesses(runtimeDir));
      last = display ? windows(display) : undefined;
      return last && last.chromium.length > 0 && last.chromium.every((w) => JSON.stringify(w) === JSON.stringify(last!.screen)) ? true : undefined;
    }, 45_000).catch(() => undefined);
    expect(last?.screen.width).toBeGreaterThan(0);
    expect(last?.chromium).toEqual([last?.screen]);
  }, 60_000);

  it('closes the browser, cage and Xwayland within 5 s of SIGTERM to `cccd-kiosk start`, which exits 0', async () => {
    const window = sessionProcesses(runtimeDir).filter((pid) => pid !== start.pid);
    const commands = window.map((pid) => readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')[0] ?? '');
    expect(commands.some((c) => c.endsWith('cage'))).toBe(true);
    expect(commands.some((c) => c.includes('chromium'))).toBe(true);
    expect(commands.some((c) => c.endsWith('Xwayland'))).toBe(true);

    const sent = Date.now();
    start.kill('SIGTERM');
    await until('every window process to end', () => (window.every((pid) => !alive(pid)) ? true : undefined), 10_000);
    expect(Date.now() - sent).toBeLessThan(5000);
    expect(await exitCode).toBe(0);
    expect(sessionProcesses(runtimeDir)).toEqual([]);
  }, 30_000);
});
