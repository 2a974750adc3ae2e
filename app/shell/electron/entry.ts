// Electron's main entry (loaded by dist/shell/electron/main.cjs): start the host, open the window.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { startKioskHost } from '../../host/kiosk-host.ts';
import { openKioskWindow, type ElectronLike } from './main.ts';
import { BROWSER_LOCALE } from '../browser-locale.ts';

// The electron package is optional at install time, so it is imported by name without its types.
const electronModule = 'electron';
const electron = ((await import(electronModule)) as { default: ElectronLike }).default;
const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a.startsWith('--')),
  options: { profile: { type: 'string', default: 'demo' }, port: { type: 'string', default: '0' }, dev: { type: 'boolean', default: false } },
  strict: false,
});

// A packaged kiosk is started by Electron directly, not by `cccd-kiosk start`: keep its files private here too.
process.umask(0o077);
electron.app.commandLine.appendSwitch('disable-pinch');
electron.app.commandLine.appendSwitch('overscroll-history-navigation', '0');
// Date fields in Vietnam's day/month/year order, whatever the machine's locale.
electron.app.commandLine.appendSwitch('lang', BROWSER_LOCALE);
await electron.app.whenReady();
const host = await startKioskHost({ profile: String(values.profile), port: Number(values.port) });
await openKioskWindow(electron, {
  url: host.url,
  preloadPath: fileURLToPath(new URL('../../../dist/shell/electron/preload.cjs', import.meta.url)),
  dev: values.dev === true,
  dispatch: host.dispatch,
  events: host.events,
});
console.log(`cccd-kiosk: Electron kiosk on ${host.url} (profile ${host.profile.name})`);
electron.app.on('window-all-closed', () => void host.close().then(() => electron.app.quit()));
