import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { startKioskHost } from '../../host/kiosk-host.ts';
import { findBrowser, openChromiumShell, writeLaunchPage } from '../../shell/chromium/launch.ts';

const usage = `Usage: cccd-kiosk start [--profile NAME|PATH] [--shell=electron|chromium|none] [--port N] [--dev]

Starts the kiosk host and opens the kiosk window.
  --profile   site profile: demo (default), hospital, airport, factory-gate, or a path to a YAML file
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
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got "${values.port}"`);
    const requested = values.shell;
    if (requested !== undefined && !['electron', 'chromium', 'none'].includes(requested)) {
      throw new UsageError(`--shell must be electron, chromium or none, got "${requested}"`);
    }
    const electron = electronBinary();
    const shell = requested ?? (electron ? 'electron' : 'chromium');
    // Whatever the service manager set, everything the kiosk writes is for its own user only.
    process.umask(0o077);

    if (shell === 'electron') {
      if (!electron) throw new UsageError('Electron is not installed here (its binary could not be downloaded); use --shell=chromium or --shell=none', 1);
      const main = fileURLToPath(new URL('../../../dist/shell/electron/main.cjs', import.meta.url));
      if (!existsSync(main)) throw new UsageError('the Electron main is not built: run `npm run build:electron`', 1);
      const child = spawn(electron, [main, `--profile=${values.profile}`, `--port=${port}`, ...(values.dev ? ['--dev'] : [])], { stdio: 'inherit' });
      return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
    }

    const host = await startKioskHost({ profile: values.profile, port });
    console.log(`cccd-kiosk ${host.profile.name}: host on ${host.url} (status: ${host.url}api/status)`);

    // Stopping closes everything the host opened and then returns: the process ends by itself,
    // so a handle left open by a device adapter shows up as a kiosk that does not stop.
    let finish: (code: number) => void = () => undefined;
    const finished = new Promise<number>((resolve) => (finish = resolve));
    let stopping = false;
    let window: ChildProcess | undefined;
    const stop = async (code: number) => {
      if (stopping) return;
      stopping = true;
      // A kiosk window without its host is useless (and its process would keep this one waiting).
      if (window && window.exitCode === null && window.signalCode === null) window.kill('SIGTERM');
      await host.close();
      finish(code);
    };
    process.once('SIGINT', () => void stop(0));
    process.once('SIGTERM', () => void stop(0));

    if (shell === 'chromium') {
      const browser = findBrowser();
      const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY || process.platform !== 'linux';
      if (browser && display) {
        const child = window = openChromiumShell(browser, host, { mode: values.dev ? 'app' : 'kiosk', runningAsRoot: process.getuid?.() === 0 });
        console.log(`cccd-kiosk: kiosk window opened in ${browser}`);
        child.on('exit', (code) => {
          console.log(`cccd-kiosk: browser closed (${code ?? 'signal'}); stopping`);
          void stop(code === 0 ? 0 : 1);
        });
        return finished;
      }
      console.log(browser
        ? 'cccd-kiosk: no display (DISPLAY/WAYLAND_DISPLAY unset); running without a window.'
        : 'cccd-kiosk: no Chromium or Chrome found; running without a window.');
    }
    // The page holds a one-time ticket and only this user can read it; the token itself is never shown.
    console.log(`cccd-kiosk: open the kiosk UI once, from this machine and user, at ${writeLaunchPage(host).url}`);
    return finished;
  },
};
export default command;
