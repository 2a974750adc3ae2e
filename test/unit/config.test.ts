import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadProfile, readSecret } from '../../app/host/config-loader.ts';
import { tempDir } from '../support/temp-dir.ts';

const dir = tempDir('config');
afterAll(() => dir.cleanup());

const good = loadProfile('demo');

/** Writes a variant of the demo profile with `mutate` applied to its YAML text. */
function variant(name: string, mutate: (yaml: string) => string): string {
  const path = join(dir.path, `${name}.yaml`);
  writeFileSync(path, mutate(readFileSync(good.file, 'utf8')).replace('secrets/demo-admin-pin.hash', good.file.replace(/demo\.yaml$/, 'secrets/demo-admin-pin.hash')));
  return path;
}

function problem(path: string): ConfigError {
  try {
    loadProfile(path);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error(`${path} unexpectedly loaded`);
}

describe('site profiles', () => {
  it.each([
    ['demo', 'hospital'],
    ['hospital', 'hospital'],
    ['airport', 'airport'],
    ['factory-gate', 'gate'],
    ['factory-enrolment', 'gate'],
    ['factory-reception', 'gate'],
  ])('ships a valid %s profile (a %s site) whose secrets resolve', (name, kind) => {
    const profile = loadProfile(name);
    expect(profile.config.site.kind).toBe(kind);
    expect(readSecret(profile, profile.config.admin.pinHash, 'admin.pinHash')).toMatch(/^scrypt\$/);
  });

  it('rejects an unknown key, naming its path', () => {
    const e = problem(variant('unknown-key', (y) => y.replace('    paperWidthMm: 80', '    paperWidthMm: 80\n    papperColour: white')));
    expect(e.keyPath).toBe('devices.printer.papperColour');
    expect(e.message).toMatch(/unknown-key\.yaml: devices\.printer\.papperColour: unknown key/);
  });

  it('rejects a wrong type, naming its path', () => {
    const e = problem(variant('wrong-type', (y) => y.replace('idleSeconds: 90', 'idleSeconds: "ninety"')));
    expect(e.keyPath).toBe('kiosk.idleSeconds');
    expect(e.message).toMatch(/expected number/);
  });

  it('rejects a value out of its allowed set', () => {
    const e = problem(variant('bad-enum', (y) => y.replace('adapter: virtual', 'adapter: bluetooth')));
    expect(e.keyPath).toBe('devices.cardReader.adapter');
  });

  it('rejects a missing required key', () => {
    const e = problem(variant('missing-key', (y) => y.replace(/  terminalId: .*\n/, '')));
    expect(e.keyPath).toBe('kiosk.terminalId');
  });

  it('rejects a site kind no module registers, naming the kinds there are', () => {
    const e = problem(variant('bad-kind', (y) => y.replace(/  kind: hospital .*\n/, '  kind: clinic\n')));
    expect(e.keyPath).toBe('site.kind');
    expect(e.problem).toBe('must be one of "hospital", "airport", "gate"');
  });

  it('checks the site section with the schema of the module its kind names', () => {
    const wrongType = problem(variant('site-type', (y) => y.replace('serviceFeeVnd: 150000', 'serviceFeeVnd: free')));
    expect(wrongType.keyPath).toBe('site.serviceFeeVnd');
    // The hospital's keys are unknown to an airport.
    const otherKind = problem(variant('site-kind-keys', (y) => y.replace(/  kind: hospital .*\n/, '  kind: airport\n  iataCode: SGN\n')));
    expect(otherKind.keyPath).toBe('site.hospitalName');
    expect(otherKind.problem).toMatch(/^unknown key/);
  });

  it('takes the site time zone, Vietnam by default, and rejects one that does not exist', () => {
    expect(good.config.kiosk.timeZone).toBe('Asia/Ho_Chi_Minh');
    const e = problem(variant('bad-zone', (y) => y.replace('idleSeconds: 90', 'idleSeconds: 90\n  timeZone: Asia/Hanoi_City')));
    expect(e.keyPath).toBe('kiosk.timeZone');
    expect(e.message).toMatch(/IANA time zone/);
  });

  it('rejects a missing file', () => {
    const e = problem(join(dir.path, 'nope.yaml'));
    expect(e.message).toMatch(/nope\.yaml: profile file not found/);
  });

  it('rejects malformed YAML with its line', () => {
    const e = problem(variant('bad-yaml', (y) => y.replace('site:', 'site: [unclosed')));
    expect(e.message).toMatch(/not valid YAML/);
    expect(e.keyPath).toMatch(/^line \d+, column \d+$/);
  });

  it('refuses a secret written inline instead of referenced', () => {
    const e = problem(variant('inline-secret', (y) => y.replace(/pinHash: \{ file: [^}]+\}/, 'pinHash: "scrypt$16384$8$1$abc$def"')));
    expect(e.keyPath).toBe('admin.pinHash');
  });

  it('names the key that refers to a missing secret', () => {
    const profile = loadProfile(variant('env-secret', (y) => y.replace(/pinHash: \{ file: [^}]+\}/, 'pinHash: { env: CCCD_TEST_UNSET_SECRET }')));
    expect(() => readSecret(profile, profile.config.admin.pinHash, 'admin.pinHash')).toThrow(/admin\.pinHash: environment variable CCCD_TEST_UNSET_SECRET is not set/);
  });

  it('stops `cccd-kiosk start` with exit 2 and one line naming file and key, no stack trace', () => {
    const path = variant('cli-broken', (y) => y.replace('paperWidthMm: 80', 'paperWidthMm: 81'));
    const run = spawnSync(process.execPath, ['app/cli/bin.mjs', 'start', '--shell=none', '--profile', path], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/cli-broken\.yaml: devices\.printer\.paperWidthMm: must be one of 58, 80/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
