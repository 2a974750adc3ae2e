import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import type { DeviceState } from '../../core/device-state.ts';
import { ConfigError, loadProfile, profileRelative, readSecret, type LoadedProfile } from '../../host/config-loader.ts';
import { wireChipReading } from '../../host/wiring/chip-reading.ts';
import { wireFace } from '../../host/wiring/face.ts';
import { wireScanner } from '../../host/wiring/scanner.ts';
import { hubEndpoint } from '../../host/wiring/site-store.ts';
import { probeHubs } from '../../platform/store/site-store/hub-client.ts';
import { PcscCardReaderPort } from '../../platform/cardreader/pcsc.ts';
import { createPrinter } from '../../platform/printer/index.ts';
import { AuditLog } from '../../platform/store/audit-log.ts';
import { openDatabase } from '../../platform/store/db.ts';
import { exposureWarning } from '../../platform/store/private-files.ts';
import { storeKeySource } from '../../platform/store/store-key.ts';
import { uiState } from '../../host/http-server.ts';
import { defaultUiDir } from '../../host/kiosk-host.ts';
import { findBrowser } from '../../shell/chromium/launch.ts';
import { describeDisplay, findKioskDisplay } from '../../shell/display.ts';
import { electronBinary } from './start.ts';

const usage = `Usage: cccd-kiosk doctor [--profile NAME|PATH] [--json]

Checks what a kiosk needs and gives each a plain verdict: the profile, the data folder (private to the
kiosk's user), the card reader and the PC/SC readers present, the camera source and face models, the
printer (DLE EOT status), the scanner, the site hub when the profile names one (each hub answers
this terminal, and its database answers), the kiosk screens (built UI), and a window that fills the
screen: a desktop session with a window manager, or on a bare machine the kiosk compositor cage.
Exit 0 when nothing is broken.`;

interface Check {
  readonly name: string;
  readonly verdict: 'ok' | 'warn' | 'fail';
  readonly detail: string;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Each device through the very adapter the kiosk would use (so doctor and `/api/status` cannot
 * disagree), opened, asked, and closed again. A scratch in-memory database keeps the real one untouched.
 */
async function deviceChecks(profile: LoadedProfile): Promise<Check[]> {
  const { devices } = profile.config;
  const checks: Check[] = [];
  const db = openDatabase(':memory:');
  try {
    const chip = await wireChipReading(profile);
    if (devices.cardReader.adapter === 'pcsc') await settle(READER_SETTLE_MS); // the PC/SC monitor announces readers asynchronously
    checks.push(fromDevice(chip.status()));
    await chip.close();
    // Even on a virtual profile, say which real readers this machine has.
    const pcsc = new PcscCardReaderPort();
    await settle(READER_SETTLE_MS);
    const names = (await pcsc.listReaders()).map((r) => r.name);
    const state = pcsc.status();
    await pcsc.close();
    checks.push({ name: 'pc/sc', verdict: names.length > 0 ? 'ok' : 'warn', detail: names.length > 0 ? names.join('; ') : state.reason ?? 'no reader' });

    const face = await wireFace(profile, db);
    checks.push(fromDevice(face.cameraStatus()), fromDevice(face.faceStatus()));
    face.close();

    const printer = createPrinter(devices.printer, db, new AuditLog(db), { resolvePath: (p) => profileRelative(profile, p) });
    checks.push(fromDevice(await printer.status()));
    await printer.close();

    const scanner = wireScanner(devices.scanner, () => undefined);
    checks.push(fromDevice(scanner.status()));
    scanner.close();
  } finally {
    db.close();
  }
  return checks;
}

const READER_SETTLE_MS = 1500;

/** The state folder holds personal data: only the kiosk's user may open it. Also says where the store key is. */
function dataCheck(profile: LoadedProfile): Check {
  const dir = profileRelative(profile, profile.config.storage.dataDir);
  const warning = exposureWarning(dir);
  if (warning) return { name: 'data', verdict: 'warn', detail: warning };
  const key = storeKeySource(join(dir, 'kiosk.db')).kind === 'credential'
    ? 'store key from a systemd credential'
    : 'store key kept beside the database (a systemd credential keeps it off the data disk)';
  return { name: 'data', verdict: 'ok', detail: `${dir} ${existsSync(dir) ? 'is private to the kiosk user' : 'will be made private (0700) at first start'}; ${key}` };
}

const fromDevice = (d: DeviceState): Check => ({
  name: d.device,
  verdict: d.state === 'ok' ? 'ok' : d.state === 'missing' ? 'warn' : 'fail',
  detail: `${d.adapter}${d.reason ? `: ${d.reason}` : ''}`,
});

/** With a site hub: each hub answers this terminal (enrolled certificate, pinned server) and its database answers. */
async function hubChecks(profile: LoadedProfile): Promise<Check[]> {
  const endpoint = hubEndpoint(profile);
  if (!endpoint) return [];
  return (await probeHubs(endpoint)).map((p) => ({ name: 'site hub', verdict: p.ok ? 'ok' : 'fail', detail: p.detail }));
}

/** A browser to show the kiosk in, and somewhere for its window to fill the screen (as `start` would place it). */
function windowCheck(): Check {
  const electron = electronBinary();
  const browser = findBrowser();
  if (!electron && !browser) return { name: 'window', verdict: 'warn', detail: 'neither Electron nor Chromium found: the kiosk can only run headless (--shell=none)' };
  const shell = electron ? `Electron at ${electron}` : `Chromium at ${browser} (Electron not installed)`;
  const place = describeDisplay(findKioskDisplay());
  return { name: 'window', verdict: place.fullScreen ? 'ok' : 'warn', detail: `${shell}; ${place.text}` };
}

const command: Command = {
  name: 'doctor',
  summary: 'Check the profile, card readers, camera, printer and display, with a plain verdict each',
  usage,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { profile: { type: 'string', default: 'demo' }, json: { type: 'boolean', default: false } }, strict: true });
    const checks: Check[] = [];
    try {
      const profile = loadProfile(values.profile);
      readSecret(profile, profile.config.admin.pinHash, 'admin.pinHash');
      checks.push({ name: 'profile', verdict: 'ok', detail: `${profile.name} (${profile.config.site.kind}) is valid` });
      checks.push(dataCheck(profile));
      checks.push(...(await deviceChecks(profile)));
      checks.push(...(await hubChecks(profile)));
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      checks.push({ name: 'profile', verdict: 'fail', detail: e.message });
    }
    checks.push(fromDevice(uiState(defaultUiDir)), windowCheck());

    if (values.json) console.log(JSON.stringify({ checks }, null, 2));
    else {
      const mark = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL' } as const;
      for (const c of checks) console.log(`${mark[c.verdict]}  ${c.name.padEnd(11)} ${c.detail}`);
    }
    return checks.some((c) => c.verdict === 'fail') ? 1 : 0;
  },
};
export default command;
