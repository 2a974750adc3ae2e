import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { choiceOption, portOption } from '../options.ts';
import { startKioskHost } from '../../host/kiosk-host.ts';
import { findBrowser, openChromiumShell, writeLaunchPage } from '../../shell/chromium/launch.ts';
import { describeDisplay, findKioskDisplay, windowCommand, windowEnv } from '../../shell/display.ts';
import { spawnWindow, type WindowProcess } from '../../shell/window-process.ts';

const usage = `Usage: cccd-kiosk start [--profile NAME|PATH] [--shell=electron|chromium|none] [--port N] [--dev]

Starts the kiosk host and opens the kiosk window. In a graphical session the window manager makes
the window full screen; on a bare kiosk machine (no DISPLAY or WAYLAND_DISPLAY) the window runs
inside the kiosk compositor cage, which gives it the whole screen (native/README.md). Stopping the
host (SIGTERM, SIGINT) closes the window; closing the window stops the host.
  --profile   site profile: demo (default), hospital, airport, factory-gate, factory-enrolment, factory-reception, or a path to a YAML file
  --shell     electron: the Electron kiosk window (default when Electron is installed)
              chromium: Chromium/Chrome in kiosk mode (default otherwise)
              none:     no window; prints a one-time launch page for a browser on this machine
                        (headless servers, tests, monitoring)
  --port      port on 127.0.0.1 (default: a free port)
  --dev       a normal window instead of full-screen kiosk; devtools allowed (Electron)`;

const require = createRequire(import.meta.url);

/** The Electron binary's path when the optional `electron` package installed its binary. */
export function electronBinary(): string | undefined {
  try {
    const path = require('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

const command: Command = {
  name: 'start',
  summary: 'Start the kiosk (host + window) for a site profile',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        profile: { type: 'string', default: 'demo' },
        shell: { type: 'string' },
        port: { type: 'string', default: '0' },
        dev: { type: 'boolean', default: false },
      },
      strict: true,
    });
    const port = portOption(values.port)!;
    const requested = values.shell === undefined ? undefined : choiceOption(values.shell, '--shell', ['electron', 'chromium', 'none']);
    const electron = electronBinary();
    const shell = requested ?? (electron ? 'electron' : 'chromium');
    // Whatever the service manager set, everything the kiosk writes is for its own user only.
    process.umask(0o077);
    const display = findKioskDisplay();
    const place = describeDisplay(display);
    const runningAsRoot = process.getuid?.() === 0;

    if (shell === 'electron') {
      if (!electron) throw new UsageError('Electron is not installed here (its binary could not be downloaded); use --shell=chromium or --shell=none', 1);
      const main = fileURLToPath(new URL('../../../dist/shell/electron/main.cjs', import.meta.url));
      if (!existsSync(main)) throw new UsageError('the Electron main is not built: run `npm run build:electron`', 1);
      if (display.kind === 'none') throw new UsageError(`no screen for the Electron window: ${display.reason}; use --shell=none`, 1);
      if (!place.fullScreen) console.log(`cccd-kiosk: warning: ${place.text}`);
      // Electron hosts the kiosk itself; it draws through cage's Xwayland like Chromium (see chromiumArgs).
      const args = [...(display.kind === 'cage' ? ['--ozone-platform=x11'] : []), main, `--profile=${values.profile}`, `--port=${port}`, ...(values.dev ? ['--dev'] : [])];
      const { command, args: argv } = windowCommand(display, electron, args);
      const window = spawnWindow(command, argv, { env: windowEnv(display), stdio: 'inherit' });
      stopOnSignals(window, async () => undefined);
      return new Promise((resolve) => window.child.on('exit', (code) => resolve(code ?? 1)));
    }

    const host = await startKioskHost({ profile: values.profile, port });
    console.log(`cccd-kiosk ${host.profile.name}: host on ${host.url} (status: ${host.url}api/status)`);

    if (shell === 'chromium') {
      const browser = findBrowser();
      if (browser && display.kind !== 'none') {
        if (!place.fullScreen) console.log(`cccd-kiosk: warning: ${place.text}`);
        const window = openChromiumShell(browser, host, { mode: values.dev ? 'app' : 'kiosk', runningAsRoot, display });
        console.log(`cccd-kiosk: kiosk window opened in ${browser}${display.kind === 'cage' ? ` inside ${display.cage}` : ''}`);
        const kiosk = stopOnSignals(window, () => host.close());
        window.child.on('exit', (code) => {
          if (kiosk.stopping()) return;
          console.log(`cccd-kiosk: browser closed (${code ?? 'signal'}); stopping`);
          void kiosk.stop(code === 0 ? 0 : 1);
        });
        return kiosk.finished;
      }
      console.log(browser ? `cccd-kiosk: ${place.text}; running without a window.` : 'cccd-kiosk: no Chromium or Chrome found; running without a window.');
    }
    const kiosk = stopOnSignals(undefined, () => host.close());
    // The page holds a one-time ticket and only this user can read it; the token itself is never shown.
    console.log(`cccd-kiosk: open the kiosk UI once, from this machine and user, at ${writeLaunchPage(host).url}`);
    return kiosk.finished;
  },
};
export default command;

/**
 * SIGTERM and SIGINT stop the kiosk: the window first (every process of it, so nothing keeps showing
 * a kiosk that is gone), then the host. `stop` is also for when the window closes by itself.
 * `finished` gives the exit code once all is closed, and the process then ends by itself: a handle
 * left open by a device adapter shows up as a kiosk that does not stop.
 */
function stopOnSignals(window: WindowProcess | undefined, closeHost: () => Promise<void>): { stop(code: number): Promise<void>; stopping(): boolean; finished: Promise<number> } {
  let finish: (code: number) => void = () => undefined;
  const finished = new Promise<number>((resolve) => (finish = resolve));
  let stopping: Promise<void> | undefined;
  const stop = (code: number) =>
    (stopping ??= (async () => {
      await window?.stop();
      await closeHost();
      finish(code);
    })());
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  return { stop, stopping: () => stopping !== undefined, finished };
}
