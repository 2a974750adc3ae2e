/**
 * Access control: turn a card session plus what the holder gave us (the CAN, the MRZ data) into a
 * secure-messaging channel inside the eMRTD application. The read flow calls only this.
 *
 * Order (ICAO 9303-11 §4.2, reference §8): read EF.CardAccess without SELECT MF (CCCD chips answer
 * 6D00 to it); if it offers PACE, run PACE with the CAN (or the MRZ); if the chip refuses PACE
 * (6982 is seen in the field) or offers none, use BAC when the MRZ is known.
 */
import { KioskError } from '../errors.ts';
import { SW, swName, type CommandApdu } from './apdu.ts';
import { performBac, type BacRandom } from './bac.ts';
import { EMRTD_AID, LDS_FILES } from './lds/files.ts';
import { parseCardAccess } from './lds/security-infos.ts';
import { PaceError, performPace, type PaceInfo, type PaceOptions } from './pace.ts';
import { ChipReadError, DEFAULT_SHORT_LE, FileReader } from './reader-files.ts';
import { SecureChannel } from './secure-messaging.ts';
import { plainChannel, type ApduChannel, type CardTransport } from './transport.ts';

/** What opens the chip. MRZ_information is document number, DOB and DOE with check digits. */
export type AccessKey =
  | { readonly kind: 'mrz'; readonly mrzInformation: string }
  | { readonly kind: 'can'; readonly can: string; readonly mrzInformation?: string };

export type AccessMethod = 'BAC' | 'PACE-CAN' | 'PACE-MRZ';

export interface AccessSession {
  readonly channel: ApduChannel;
  readonly method: AccessMethod;
  /** EF.CardAccess as read (absent on BAC-only chips). */
  readonly cardAccess?: Uint8Array;
  /** Why PACE was not used although offered (e.g. PACE_REFUSED), for the read summary. */
  readonly paceFallback?: string;
  /** Time spent reading EF.CardAccess and selecting the application, and on access control. */
  readonly timingsMs: { readonly select: number; readonly access: number };
}

export class ChipAccessError extends KioskError {}

/** SELECT the eMRTD application by AID (never via SELECT MF: CCCD chips answer 6D00). */
export const SELECT_EMRTD: CommandApdu = { cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: EMRTD_AID };

export async function selectApplication(channel: ApduChannel): Promise<void> {
  let r = await channel.send(SELECT_EMRTD);
  // A chip still in an earlier SM session ends it on the first plain command (6987/6988); ask again.
  if (r.sw === SW.SM_DATA_OBJECTS_MISSING || r.sw === SW.SM_DATA_OBJECTS_INCORRECT) r = await channel.send(SELECT_EMRTD);
  if (r.sw !== SW.OK) {
    throw new ChipAccessError('CHIP_NOT_EMRTD', `the card has no eMRTD application: ${swName(r.sw)}`, { sw: r.sw });
  }
}

/** EF.CardAccess by direct SELECT 011C (no SELECT MF); undefined when the chip has none. */
export async function readCardAccess(channel: ApduChannel): Promise<Uint8Array | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new FileReader(channel, false, 0, DEFAULT_SHORT_LE).read(LDS_FILES.CardAccess, 'fid', () => undefined);
    } catch (e) {
      if (!(e instanceof ChipReadError) || e.code !== 'CHIP_FILE_UNAVAILABLE') throw e;
      // 6987/6988: the chip just ended an earlier SM session because of this plain command; ask again.
      const sw = e.details.sw;
      if (attempt === 0 && (sw === SW.SM_DATA_OBJECTS_MISSING || sw === SW.SM_DATA_OBJECTS_INCORRECT)) continue;
      return undefined;
    }
  }
}

/**
 * What EF.CardAccess offers: the PACEInfo to use (generic mapping with a standardized parameter
 * set, ECDH preferred), or the reason PACE cannot be used although the
 * file exists (CARD_ACCESS_INVALID, PACE_UNSUPPORTED), or undefined when it offers no PACE at all.
 */
function paceChoice(cardAccess: Uint8Array): { info: PaceInfo } | { fallback: string } | undefined {
  let infos: PaceInfo[];
  try {
    infos = parseCardAccess(cardAccess).filter((i): i is PaceInfo => i.kind === 'PACEInfo');
  } catch {
    return { fallback: 'CARD_ACCESS_INVALID' }; // no usable PACE, not a failed read; but say so
  }
  if (infos.length === 0) return undefined;
  const usable = infos.filter((i) => i.mapping === 'GM' && i.parameterId !== undefined);
  const info = usable.find((i) => i.agreement === 'ECDH') ?? usable[0];
  return info ? { info } : { fallback: 'PACE_UNSUPPORTED' };
}

export interface AccessOptions extends PaceOptions {
  readonly random?: BacRandom;
  /** 'never' forces BAC (BAC-only kiosks, benchmarks). */
  readonly pace?: 'auto' | 'never';
  /** Monotonic clock in ms (injectable for tests). */
  readonly now?: () => number;
}

/** Selects the application and authenticates; returns the SM channel for reading files. */
export async function openChip(transport: CardTransport, key: AccessKey, opts: AccessOptions = {}): Promise<AccessSession> {
  const now = opts.now ?? (() => performance.now());
  const plain = plainChannel(transport);
  const t0 = now();
  const cardAccess = opts.pace === 'never' ? undefined : await readCardAccess(plain);
  const choice = cardAccess ? paceChoice(cardAccess) : undefined;
  const paceInfo = choice && 'info' in choice ? choice.info : undefined;
  const extra = cardAccess ? { cardAccess } : {};
  const cardAccessMs = now() - t0;
  // Every way of not using PACE that EF.CardAccess offered is recorded: never a silent BAC.
  let paceFallback = choice && 'fallback' in choice ? choice.fallback : undefined;
  let failedPaceMs = 0;

  if (paceInfo) {
    const t1 = now();
    const password = key.kind === 'can' ? { kind: 'CAN', can: key.can } as const : { kind: 'MRZ', mrzInformation: key.mrzInformation } as const;
    try {
      const { sm } = await performPace((cmd) => plain.send(cmd), paceInfo, password, opts);
      const t2 = now();
      const channel = new SecureChannel(transport, sm);
      await selectApplication(channel);
      return { channel, method: key.kind === 'can' ? 'PACE-CAN' : 'PACE-MRZ', ...extra, timingsMs: { select: cardAccessMs + (now() - t2), access: t2 - t1 } };
    } catch (e) {
      failedPaceMs = now() - t1;
      const refused = e instanceof PaceError && (e.code === 'PACE_REFUSED' || e.code === 'PACE_UNSUPPORTED');
      if (!refused) throw e;
      paceFallback = e.code;
    }
  }

  const mrzInformation = key.mrzInformation;
  if (mrzInformation === undefined) {
    throw new ChipAccessError('ACCESS_NEEDS_MRZ', paceFallback
      ? 'the chip refused PACE and BAC needs the MRZ (document number, birth and expiry dates)'
      : 'the chip offers only BAC, which needs the MRZ (document number, birth and expiry dates)');
  }
  const t1 = now();
  await selectApplication(plain);
  const t2 = now();
  const sm = await performBac((cmd) => plain.send(cmd), mrzInformation, opts.random);
  return {
    channel: new SecureChannel(transport, sm), method: 'BAC', ...extra, ...(paceFallback ? { paceFallback } : {}),
    timingsMs: { select: cardAccessMs + (t2 - t1), access: failedPaceMs + (now() - t2) },
  };
}
