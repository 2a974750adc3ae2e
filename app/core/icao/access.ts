/**
 * Access control: turn a card session plus what the holder gave us (MRZ data, later the CAN)
 * into a secure-messaging channel inside the eMRTD application. The read flow calls only this.
 */
import { KioskError } from '../errors.ts';
import { SW, swName, type CommandApdu } from './apdu.ts';
import { performBac, type BacRandom } from './bac.ts';
import { EMRTD_AID } from './lds/files.ts';
import { SecureChannel } from './secure-messaging.ts';
import { plainChannel, type ApduChannel, type CardTransport } from './transport.ts';

/** What opens the chip. MRZ_information is document number, DOB and DOE with check digits. */
export type AccessKey = { readonly kind: 'mrz'; readonly mrzInformation: string };

export type AccessMethod = 'BAC';

export interface AccessSession {
  readonly channel: ApduChannel;
  readonly method: AccessMethod;
  /** Time spent selecting the application and running access control. */
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

export interface AccessOptions {
  readonly random?: BacRandom;
  /** Monotonic clock in ms (injectable for tests). */
  readonly now?: () => number;
}

/** Selects the application and authenticates; returns the SM channel for reading files. */
export async function openChip(transport: CardTransport, key: AccessKey, opts: AccessOptions = {}): Promise<AccessSession> {
  const now = opts.now ?? (() => performance.now());
  const plain = plainChannel(transport);
  const t0 = now();
  await selectApplication(plain);
  const t1 = now();
  const sm = await performBac((cmd) => plain.send(cmd), key.mrzInformation, opts.random);
  return { channel: new SecureChannel(transport, sm), method: 'BAC', timingsMs: { select: t1 - t0, access: now() - t1 } };
}
