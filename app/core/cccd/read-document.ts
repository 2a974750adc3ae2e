/**
 * One card read as the kiosk needs it. The steps: the chip read (app/core/icao/reader.ts: access,
 * EF.COM, EF.SOD, chip authentication, data groups, active authentication), the document merged
 * from DG1, DG13 and DG2 (each parsed once), and passive authentication of every data group read.
 * The CLI and the host both call this; nothing partial is returned (a failure throws).
 */
import { dataGroupsOf, verifyPassive, type PassiveAuthResult, type TrustStore } from '../icao/passive-auth.ts';
import { readChip, ChipReadError, type ChipReadResult, type ReadOptions } from '../icao/reader.ts';
import type { CardTransport } from '../icao/transport.ts';
import { parseCccdDocument, type CccdDocument } from './document.ts';

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
