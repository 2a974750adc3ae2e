/**
 * One card read as the kiosk needs it: the chip read (access control, files), the CCCD document
 * parsed from DG1/DG13/DG2, and passive authentication of every data group read.
 * The CLI and the host both call this; nothing partial is returned (a failure throws).
 */
import { parseCccdDocument, type CccdDocument, type Portrait } from '../cccd/document.ts';
import { verifyPassive, type PassiveAuthResult, type TrustStore } from './passive-auth.ts';
import { readChip, ChipReadError, type ChipReadResult, type ReadOptions } from './reader.ts';
import type { CardTransport } from './transport.ts';

export interface DocumentReadOptions extends ReadOptions {
  /** CSCAs and CRLs; without them PA can only say PA_NO_TRUST_ANCHOR. */
  readonly trust?: TrustStore;
  /** "Today" for date interpretation and certificate validity (injectable for tests). */
  readonly today?: Date;
}

export interface DocumentReadResult {
  readonly document: CccdDocument;
  readonly passiveAuth: PassiveAuthResult;
  readonly chip: ChipReadResult;
  readonly timingsMs: ChipReadResult['timingsMs'] & { readonly parse: number; readonly passiveAuth: number };
}

/** Data-group number → bytes, for passive authentication. */
export function dataGroupsOf(files: ReadonlyMap<string, Uint8Array>): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const [name, bytes] of files) {
    const m = /^DG(\d+)$/.exec(name);
    if (m) out.set(Number(m[1]), bytes);
  }
  return out;
}

export async function readDocument(transport: CardTransport, opts: DocumentReadOptions): Promise<DocumentReadResult> {
  const now = opts.now ?? (() => performance.now());
  const today = opts.today ?? new Date();
  const chip = await readChip(transport, opts);
  const dg1 = chip.files.get('DG1');
  const sod = chip.files.get('EF.SOD');
  if (!dg1 || !sod) throw new ChipReadError('CHIP_FILE_MISSING', 'the chip did not provide DG1 and EF.SOD');
  const t0 = now();
  const dg13 = chip.files.get('DG13');
  const dg2 = chip.files.get('DG2');
  const document = parseCccdDocument({ dg1, ...(dg13 ? { dg13 } : {}), ...(dg2 ? { dg2 } : {}) }, today);
  const t1 = now();
  const passiveAuth = verifyPassive({ sod, dataGroups: dataGroupsOf(chip.files), ...(opts.trust ? { trust: opts.trust } : {}), now: today });
  const t2 = now();
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return { document, passiveAuth, chip, timingsMs: { ...chip.timingsMs, parse: round(t1 - t0), passiveAuth: round(t2 - t1) } };
}

declare const VERIFIED: unique symbol;

/** A portrait whose DG2 hashes to the value a verifying SOD signature covers: the only kind the platform decodes. */
export type VerifiedPortrait = Portrait & { readonly [VERIFIED]: true };

/**
 * The portrait, once passive authentication found DG2 equal to what the SOD signs (and the SOD
 * signature itself verified); undefined otherwise. Image decoders are attack surface: bytes that
 * nobody signed never reach them. (A forger with a DSC of their own can still sign a hostile
 * image; the decoders cap the declared dimensions for that.)
 */
export function verifiedPortrait(r: { readonly document: { readonly portrait?: Portrait }; readonly passiveAuth: PassiveAuthResult }): VerifiedPortrait | undefined {
  const dg2 = r.passiveAuth.dataGroups.find((d) => d.dg === 2);
  if (!r.document.portrait || dg2?.status !== 'ok' || r.passiveAuth.verdict === 'PA_SIGNATURE_INVALID') return undefined;
  return r.document.portrait as VerifiedPortrait;
}
