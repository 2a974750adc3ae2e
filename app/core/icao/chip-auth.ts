/**
 * Chip Authentication (ICAO 9303-11 §6.2): an ephemeral key agreement with the chip's static key
 * from DG14, then secure messaging restarts under keys only the genuine chip can derive. A clone
 * that copied the data but not the private key fails on the first command under the new keys.
 *
 * Also the one clone verdict shown next to the PA verdict: CHIP_GENUINE (CA or AA succeeded),
 * CHIP_CLONE_SUSPECTED (a protocol the chip advertises failed), CHIP_NOT_CHECKED (neither offered).
 */
import { KioskError } from '../errors.ts';
import { SW, swName } from './apdu.ts';
import { SELECT_EMRTD } from './access.ts';
import { concatBytes } from './crypto.ts';
import { parseDg14 } from './lds/dg14.ts';
import type { SecurityInfo } from './lds/security-infos.ts';
import { cipherAlg, freshSession, sessionKeys } from './pace.ts';
import { keyFromSpki, type Group } from './pace-groups.ts';
import { SecureChannel } from './secure-messaging.ts';
import { encodeOid, encodeTlv } from './tlv.ts';
import type { ApduChannel } from './transport.ts';

export type CloneVerdict = 'CHIP_GENUINE' | 'CHIP_CLONE_SUSPECTED' | 'CHIP_NOT_CHECKED';
export type ProtocolOutcome = 'passed' | 'failed' | 'not-offered';

export interface ChipAuthenticity {
  readonly verdict: CloneVerdict;
  readonly chipAuthentication: ProtocolOutcome;
  readonly activeAuthentication: ProtocolOutcome;
  /** Stable codes explaining a failure (e.g. CA_KEY_MISMATCH, AA_SIGNATURE_INVALID). */
  readonly reasons: readonly string[];
}

export function cloneVerdict(ca: ProtocolOutcome, aa: ProtocolOutcome, reasons: readonly string[] = []): ChipAuthenticity {
  const verdict: CloneVerdict = ca === 'failed' || aa === 'failed' ? 'CHIP_CLONE_SUSPECTED'
    : ca === 'passed' || aa === 'passed' ? 'CHIP_GENUINE' : 'CHIP_NOT_CHECKED';
  return { verdict, chipAuthentication: ca, activeAuthentication: aa, reasons };
}

export class ChipAuthError extends KioskError {}

type CaInfo = Extract<SecurityInfo, { kind: 'ChipAuthenticationInfo' }>;
type CaKeyInfo = Extract<SecurityInfo, { kind: 'ChipAuthenticationPublicKeyInfo' }>;

export interface ChipAuthPlan {
  readonly info: CaInfo;
  readonly key: CaKeyInfo;
}

/** What DG14 offers for CA; undefined when it offers none (keyId pairs info and key when several). */
export function chipAuthPlan(dg14: Uint8Array): ChipAuthPlan | undefined {
  const infos = parseDg14(dg14).securityInfos;
  const keys = infos.filter((i): i is CaKeyInfo => i.kind === 'ChipAuthenticationPublicKeyInfo');
  const cas = infos.filter((i): i is CaInfo => i.kind === 'ChipAuthenticationInfo');
  for (const key of keys) {
    const info = cas.find((c) => c.agreement === key.agreement && (c.keyId === undefined || c.keyId === key.keyId));
    if (info) return { info, key };
  }
  // CA v1 with 3DES may omit ChipAuthenticationInfo: the key alone implies DESede.
  const key = keys[0];
  if (!key) return undefined;
  return { key, info: { kind: 'ChipAuthenticationInfo', protocol: key.agreement === 'ECDH' ? '0.4.0.127.0.7.2.2.3.2.1' : '0.4.0.127.0.7.2.2.3.1.1', version: 1, agreement: key.agreement, cipher: '3DES', raw: new Uint8Array(0) } };
}

export interface ChipAuthOptions {
  /** Ephemeral private key (tests); random otherwise. */
  readonly ephemeral?: bigint;
}

/**
 * Runs CA over the current SM channel and returns the channel under the new keys, confirmed by a
 * command the chip must answer under them. Throws ChipAuthError (CA_FAILED / CA_KEY_MISMATCH).
 */
export async function performChipAuthentication(channel: ApduChannel, plan: ChipAuthPlan, opts: ChipAuthOptions = {}): Promise<ApduChannel> {
  const { group, publicKey } = keyFromSpki(plan.key.publicKey) as { group: Group<unknown>; publicKey: unknown };
  const sk = opts.ephemeral ?? group.randomScalar();
  const pkEph = group.encode(group.mul(group.generator, sk));
  const keyId = plan.key.keyId === undefined ? [] : [encodeTlv(0x84, Uint8Array.of(plan.key.keyId))];
  const alg = cipherAlg(plan.info.cipher);

  if (plan.info.raw.length === 0) {
    // CA v1 without ChipAuthenticationInfo (implied 3DES): MSE:Set KAT carries the ephemeral key.
    const r = await channel.send({ cla: 0, ins: 0x22, p1: 0x41, p2: 0xa6, data: concatBytes(encodeTlv(0x91, pkEph), ...keyId) });
    if (r.sw !== SW.OK) throw new ChipAuthError('CA_FAILED', `MSE:Set KAT failed: ${swName(r.sw)}`, { sw: r.sw });
  } else {
    // With a ChipAuthenticationInfo (AES, and 3DES on current chips): MSE:Set AT + GENERAL AUTHENTICATE.
    const oid = encodeOid(plan.info.protocol).subarray(2);
    const r1 = await channel.send({ cla: 0, ins: 0x22, p1: 0x41, p2: 0xa4, data: concatBytes(encodeTlv(0x80, oid), ...keyId) });
    if (r1.sw !== SW.OK) throw new ChipAuthError('CA_FAILED', `MSE:Set AT for CA failed: ${swName(r1.sw)}`, { sw: r1.sw });
    const r2 = await channel.send({ cla: 0, ins: 0x86, p1: 0, p2: 0, data: encodeTlv(0x7c, encodeTlv(0x80, pkEph)), ne: 256 });
    if (r2.sw !== SW.OK) throw new ChipAuthError('CA_FAILED', `GENERAL AUTHENTICATE for CA failed: ${swName(r2.sw)}`, { sw: r2.sw });
  }
  const secret = group.secret(group.mul(publicKey, sk));
  const next = new SecureChannel(channel.transport, freshSession(sessionKeys(secret, alg)));
  try {
    const confirm = await next.send(SELECT_EMRTD);
    if (confirm.sw !== SW.OK) throw new ChipAuthError('CA_FAILED', `no answer under the new keys: ${swName(confirm.sw)}`, { sw: confirm.sw });
  } catch (e) {
    if (e instanceof KioskError && e.code.startsWith('SM_')) {
      throw new ChipAuthError('CA_KEY_MISMATCH', 'the chip cannot use the keys agreed with its DG14 key (cloned chip?)', { cause: e.code });
    }
    throw e;
  }
  return next;
}
