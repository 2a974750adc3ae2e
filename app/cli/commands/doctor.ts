import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import type { DeviceState } from '../../core/device-state.ts';
import { ConfigError, loadProfile, profileRelative, readSecret } from '../../host/config-loader.ts';
import { configuredDevices, probePcsc } from '../../host/device-probes.ts';
import { findBrowser } from '../../shell/chromium/launch.ts';
import { electronBinary } from './start.ts';

const usage = `Usage: cccd-kiosk doctor [--profile NAME|PATH] [--json]

Checks what a kiosk needs and gives each a plain verdict: the profile, PC/SC readers, the camera
source, the printer, the scanner, and a window to show the kiosk in. Exit 0 when nothing is broken.`;

interface Check {
  readonly name: string;
  readonly verdict: 'ok' | 'warn' | 'fail';
  readonly detail: string;
}

const fromDevice = (d: DeviceState): Check => ({
  name: d.device,
  verdict: d.state === 'ok' ? 'ok' : d.state === 'missing' ? 'warn' : 'fail',
  detail: `${d.adapter}${d.reason ? `: ${d.reason}` : ''}`,
});

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
      for (const device of configuredDevices(profile.config, (p) => profileRelative(profile, p))) checks.push(fromDevice(await device.status()));
      if (profile.config.devices.cardReader.adapter !== 'pcsc') {
        // Even on a virtual profile, say whether a real reader would work here.
        const pcsc = await probePcsc();
        checks.push({ ...fromDevice(pcsc), name: 'pc/sc', verdict: pcsc.state === 'ok' ? 'ok' : 'warn' });
      }
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      checks.push({ name: 'profile', verdict: 'fail', detail: e.message });
    }
    const electron = electronBinary();
    const browser = findBrowser();
    checks.push({
      name: 'window',
      verdict: electron || browser ? 'ok' : 'warn',
      detail: electron ? `Electron at ${electron}` : browser ? `Chromium at ${browser} (Electron not installed)` : 'neither Electron nor Chromium found: the kiosk can only run headless (--shell=none)',
    });

    if (values.json) console.log(JSON.stringify({ checks }, null, 2));
    else {
      const mark = { ok: 'OK  ', warn: 'WARN', fail: 'FAIL' } as const;
      for (const c of checks) console.log(`${mark[c.verdict]}  ${c.name.padEnd(11)} ${c.detail}`);
    }
    return checks.some((c) => c.verdict === 'fail') ? 1 : 0;
  },
};
export default command;
