/**
 * `cccd-kiosk read --profile` on the virtual reader: the site's whole trust policy applied to the
 * card, through the kiosk's own wiring and decision function. Each run's JSON is held to the row
 * of docs/security.md's decision table that its verdicts select, so the page, the command and the
 * kiosk cannot drift apart. The central service is a reference server run by this test.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../app/cli/main.ts';
import type { RunningRarServer } from '../../app/sim/rar-server/server.ts';
import { decisionTable, firstRow, rowOutcome } from '../support/decision-table.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { answered, ID_NUMBER, nationalServices, remoteSection } from './trust-kiosk.ts';

async function read(args: string[]): Promise<{ code: number; out: string }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    return { code: await main(['read', ...args]), out: out.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

interface Report {
  policy: { acceptUnanchoredSigner: boolean; requireChipGenuine: string[]; central: string };
  read: { passiveAuth: string; chipAuth: string; documentType: string; passiveAuthReasons: string[] };
  central: { verdict: string };
  decision: { accepted: boolean; code: string; action: string; retryable: boolean };
}

/** The docs row this report's verdicts select, and what it says. */
function docsSay(r: Report) {
  const c = {
    'passive auth': r.read.passiveAuth, 'clone check': r.read.chipAuth, document: r.read.documentType,
    'chip must be genuine': r.policy.requireChipGenuine.includes('cccd') ? 'yes' : 'no',
    'unanchored accepted': r.policy.acceptUnanchoredSigner ? 'yes' : 'no',
    'central service': r.policy.central, 'central answer': r.central.verdict,
  };
  const row = firstRow(decisionTable(), c);
  if (!row) throw new Error(`no row of docs/security.md matches ${JSON.stringify(c)}`);
  return rowOutcome(row, c);
}

describe('cccd-kiosk read --profile', { timeout: 120_000 }, () => {
  const services = nationalServices('trust-read-profile');
  const { national, knowing } = services;

  let n = 0;
  /** A hospital profile whose central service is `central` (remote, mutual TLS), or none. */
  async function profile(central: RunningRarServer | undefined, journey: Record<string, unknown> = {}): Promise<string> {
    const at = `${services.dir}/p${++n}`;
    mkdirSync(at);
    const service = central ? await remoteSection(central, at) : undefined;
    return tempProfile('hospital', at, (p) => {
      p.journey = { ...p.journey, ...journey };
      if (service) p.verification = { ...p.verification, service, retry: { attempts: 1 } };
      else delete p.verification;
    }).file;
  }

  async function check(file: string, simulate: string): Promise<{ code: number; report: Report }> {
    const { code, out } = await read(['--profile', file, '--simulate', simulate, '--id', ID_NUMBER, '--json']);
    const report = JSON.parse(out) as Report;
    // No personal data in the report: verdicts, codes and the policy only.
    expect(out).not.toMatch(/Nguyễn|NGUYEN|001092012345|1992/);
    expect(report.decision).toEqual(docsSay(report));
    expect(code).toBe(report.decision.accepted ? 0 : 5);
    return { code, report };
  }

  it('the self-signed forgery under the default policy: staff, PA_NO_TRUST_ANCHOR, the central service not asked', async () => {
    const before = answered(national());
    const { report } = await check(await profile(national()), 'self-signed-signer');
    expect(report.read).toMatchObject({ passiveAuth: 'PA_NO_TRUST_ANCHOR', passiveAuthReasons: ['NO_CSCA_FOR_DSC_ISSUER'], documentType: 'cccd' });
    expect(report.central.verdict).toBe('NOT_ASKED');
    expect(report.decision).toMatchObject({ accepted: false, action: 'staff', code: 'PA_NO_TRUST_ANCHOR' });
    expect(answered(national())).toBe(before);
  });

  it('the forgery where unanchored signers may be vouched for, central unreachable: staff, never accepted', async () => {
    national().setFault({ kind: 'status', status: 503 });
    try {
      const { report } = await check(await profile(national(), { acceptUnanchoredSigner: true }), 'self-signed-signer');
      expect(report.central.verdict).toBe('PENDING');
      expect(report.decision).toMatchObject({ accepted: false, action: 'staff', code: 'UNANCHORED_CENTRAL_OFFLINE' });
    } finally {
      national().setFault(undefined);
    }
  });

  it('the forgery online: the central service refuses it (VERIFY_MISMATCH)', async () => {
    const { report } = await check(await profile(national(), { acceptUnanchoredSigner: true }), 'self-signed-signer');
    expect(report.decision).toMatchObject({ accepted: false, action: 'refuse', code: 'VERIFY_MISMATCH' });
  });

  it('an unanchored signer the central service vouches for online: accepted (TRUSTED_BY_CENTRAL)', async () => {
    const { report } = await check(await profile(knowing(), { acceptUnanchoredSigner: true }), 'self-signed-signer');
    expect(report.decision).toMatchObject({ accepted: true, action: 'go-on', code: 'TRUSTED_BY_CENTRAL' });
  });

  it('a genuine card, central unreachable under allow-offline: accepted, pending the central verdict', async () => {
    national().setFault({ kind: 'status', status: 503 });
    try {
      const { report } = await check(await profile(national()), 'genuine');
      expect(report.read.passiveAuth).toBe('PA_OK');
      expect(report.decision).toMatchObject({ accepted: true, code: 'TRUSTED_PENDING_CENTRAL' });
    } finally {
      national().setFault(undefined);
    }
  });

  it('a cloned chip: refused without asking anyone; the text report says why', async () => {
    const { report } = await check(await profile(undefined), 'cloned');
    expect(report.decision).toMatchObject({ action: 'refuse', code: 'CHIP_CLONE_SUSPECTED' });
    const { code, out } = await read(['--profile', await profile(undefined), '--simulate', 'cloned', '--id', ID_NUMBER]);
    expect(code).toBe(5);
    expect(out).toMatch(/Decision\s+not accepted: refuse CHIP_CLONE_SUSPECTED/);
  });

  it('takes only the keys the kiosk takes', async () => {
    const { code, out } = await read(['--profile', await profile(undefined), '--can', '012345']);
    expect(code).toBe(64);
    expect(out).toContain('with --profile give one of --id, --qr or --mrz');
  });
});
