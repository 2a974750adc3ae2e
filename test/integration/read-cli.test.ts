/**
 * `cccd-kiosk read` end to end: argv → reader → chip → document → PA → output and exit code.
 * In-process runs share the test PKI with the virtual card (the PKI is generated per process), so
 * a trust folder written here is the card's real CSCA; one subprocess run checks the bin script.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../app/cli/main.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';
import { personaIds } from '../../app/host/demo-wiring.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); });
  try {
    const code = await main(['read', ...args]);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

let trustDir: string;
let wrongTrustDir: string;
const MRZ = ['IDVNM0920123452001092012345<<3', '9203170M3203178VNM<<<<<<<<<<<4', 'NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<'];

beforeAll(async () => {
  const card = await buildCardFiles('nguyen-van-an');
  trustDir = mkdtempSync(join(tmpdir(), 'trust-'));
  writeFileSync(join(trustDir, 'csca.der'), card.trust.anchors[0]!);
  wrongTrustDir = mkdtempSync(join(tmpdir(), 'trust-other-'));
  // Same name as the card's CSCA, another key: the chain must fail on the signature, not the name.
  writeFileSync(join(wrongTrustDir, 'csca.der'), getTestPki(card.persona.pki).rogueCsca.certificate);
});
afterEach(() => vi.restoreAllMocks());

describe('cccd-kiosk read --reader virtual', () => {
  it('--json with --id: PACE-CAN, the stable shape, PA_OK against the card CSCA, exit 0; no MRZ or CAN in the output', async () => {
    const { code, out } = await run(['--reader', 'virtual', '--id', '001092012345', '--trust', trustDir, '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(out) as Record<string, any>;
    expect(Object.keys(j)).toEqual(expect.arrayContaining(['document', 'passiveAuth', 'apduCount', 'bytesRead', 'timingsMs', 'accessMethod']));
    expect(j.document).toMatchObject({
      idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M', nationality: 'Việt Nam',
      ethnicity: 'Kinh', religion: 'Không', placeOfOrigin: 'Xã A, Huyện B, Tỉnh C', dateOfIssue: '2021-04-15', dateOfExpiry: '2032-03-17',
      mrz: { documentNumber: '092012345', dateOfBirth: '1992-03-17' },
    });
    expect(j.document.portrait).toMatchObject({ format: 'jpeg', width: 240, height: 320 });
    expect(j.passiveAuth.verdict).toBe('PA_OK');
    expect(j.accessMethod).toBe('PACE-CAN');
    expect(j.chipAuthenticity).toEqual({ verdict: 'CHIP_GENUINE', chipAuthentication: 'passed', activeAuthentication: 'passed', reasons: [] });
    expect(j.apduCount).toBeGreaterThan(5);
    expect(j.bytesRead).toBeGreaterThan(10_000);
    for (const k of ['select', 'access', 'com', 'sod', 'dataGroups', 'chipAuthentication', 'activeAuthentication', 'parse', 'passiveAuth', 'total']) expect(typeof j.timingsMs[k]).toBe('number');
    expect(out).not.toContain(MRZ[0]);
    expect(out).not.toContain('9203170M3203178');
    expect(out).not.toContain('"012345"');
  });

  it('--mrz (lines run together) opens the card with the MRZ; text output with --out saves the portrait', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'read-out-'));
    const { code, out } = await run(['--reader', 'virtual', '--mrz', MRZ.join(''), '--out', outDir]);
    expect(code).toBe(0);
    expect(out).toMatch(/Full name\s+Nguyễn Văn An/);
    // No --trust: the virtual card is checked against the demo's own CSCA, as the demo kiosk checks it.
    expect(out).toMatch(/Passive auth\s+PA_OK/);
    expect(out).toMatch(/Trust store\s+the demo's own CSCA/);
    expect(out).toMatch(/Access\s+PACE-MRZ/);
    expect(out).toMatch(/Chip genuine\?\s+CHIP_GENUINE/);
    expect(out).not.toContain(MRZ[1]);
    const jpg = readFileSync(join(outDir, 'portrait.jpg'));
    expect(jpg.subarray(0, 2).toString('hex')).toBe('ffd8');
  });

  it('--doc/--dob/--doe on a BAC-only passport persona', async () => {
    const { code, out } = await run(['--persona', 'le-minh-chau-passport', '--doc', 'C1234567', '--dob', '850704', '--doe', '330704', '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(out) as Record<string, any>;
    expect(j.accessMethod).toBe('BAC');
    expect(j.document.kind).toBe('passport');
  });

  it('a JPEG 2000 portrait is saved as JPEG with --out', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'read-j2k-'));
    const { code, out } = await run(['--persona', 'tran-thi-bich-ngoc', '--id', '079301000123', '--out', outDir, '--json']);
    expect(code).toBe(0);
    const j = JSON.parse(out) as { document: { portrait: { format: string; file: string } } };
    expect(j.document.portrait.format).toBe('jpeg2000');
    expect(j.document.portrait.file).toBe(join(outDir, 'portrait.jpg'));
    expect(readFileSync(join(outDir, 'portrait.jpg')).subarray(0, 3).toString('hex')).toBe('ffd8ff');
  });

  it('--qr with the front QR text gives the ID and the CAN', async () => {
    const qr = '001092012345|123456789|Nguyễn Văn An|17031992|Nam|Số 1, Phường D, Quận E, Thành phố F|15042021';
    const { code, out } = await run(['--reader', 'virtual', '--qr', qr, '--json']);
    expect(code).toBe(0);
    expect((JSON.parse(out) as { accessMethod: string }).accessMethod).toBe('PACE-CAN');
  });

  it('exit 3 for a wrong key, 4 for a CSCA that did not sign the card, 64 for no key', async () => {
    const wrong = await run(['--reader', 'virtual', '--can', '999999', '--json']);
    expect(wrong.code).toBe(3);
    expect(JSON.parse(wrong.out)).toEqual({ error: { code: 'ACCESS_DENIED_WRONG_KEY', message: expect.any(String) } });
    const untrusted = await run(['--reader', 'virtual', '--id', '001092012345', '--trust', wrongTrustDir, '--json']);
    expect(untrusted.code).toBe(4);
    expect((JSON.parse(untrusted.out) as { passiveAuth: { verdict: string } }).passiveAuth.verdict).toBe('PA_DSC_UNTRUSTED');
    expect((await run(['--reader', 'virtual'])).code).toBe(64);
    const badMrz = await run(['--reader', 'virtual', '--mrz', 'IDVNM0920123452001092012345<<3']);
    expect(badMrz.code).toBe(64);
    expect(badMrz.err).not.toContain('0920123452');
  });

  it('exit 2 when no PC/SC reader matches', async () => {
    const r = await run(['--reader', 'no-such-reader-xyz', '--can', '123456', '--timeout', '1', '--json']);
    expect(r.code).toBe(2);
    expect((JSON.parse(r.out) as { error: { code: string } }).error.code).toMatch(/^NO_(READER|CARD)$/);
  });
});

describe('the installed command', () => {
  it('read --help names every demo persona with the key that opens its card, and each key does', async () => {
    const { stdout } = await new Promise<{ stdout: string }>((resolve) => {
      execFile(process.execPath, ['app/cli/bin.mjs', 'read', '--help'], { timeout: 60_000 }, (_err, stdout) => resolve({ stdout }));
    });
    const listed = [...stdout.matchAll(/^\s+([a-z-]+)\s+(--(?:id|doc) .+)$/gm)].map((m) => ({ persona: m[1]!, key: m[2]!.split(' ') }));
    expect(listed.map((l) => l.persona).sort()).toEqual([...personaIds].sort());
    for (const { persona, key } of listed) {
      const { code, out } = await run(['--persona', persona, ...key, '--json']);
      expect(code, persona).toBe(0);
      expect((JSON.parse(out) as { passiveAuth: { verdict: string } }).passiveAuth.verdict, persona).toBe('PA_OK');
    }
  }, 90_000);

  it('bin/cccd-kiosk read --reader virtual --json exits 0 with PA_OK against the demo\'s own trust store', async () => {
    expect(existsSync('app/cli/bin.mjs')).toBe(true);
    const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
      execFile(process.execPath, ['app/cli/bin.mjs', 'read', '--reader', 'virtual', '--id', '001092012345', '--json'], { timeout: 60_000 },
        (err, stdout) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout }));
    });
    expect(code).toBe(0);
    const j = JSON.parse(stdout) as { passiveAuth: { verdict: string }; document: { idNumber: string } };
    expect(j.passiveAuth.verdict).toBe('PA_OK');
    expect(j.document.idNumber).toBe('001092012345');
  });
});
