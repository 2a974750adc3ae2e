/**
 * PACE with generic mapping (ICAO 9303-11 §4.4), terminal side, over ECDH or DH, with 3DES or AES:
 *   MSE:Set AT → GA1 encrypted nonce → GA2 mapping (G~ = s·G + H) → GA3 key agreement → GA4 tokens,
 * then secure messaging with the new keys and SSC = 0. Passwords: CAN (ref 02) or MRZ (ref 01).
 * The token, key and nonce helpers are shared with the virtual chip, which runs the other half.
 */
import { KioskError } from '../errors.ts';
import { isWrongKeyStatus, SW, swName, type CommandApdu, type ResponseApdu } from './apdu.ts';
import {
  aesCbcDecrypt, aesCbcEncrypt, aesCmac, concatBytes, equalBytes, kdf, KDF_ENC, KDF_MAC, KDF_PACE, pad, retailMac, sha1,
  tdesCbcDecrypt, tdesCbcEncrypt, type CipherAlg,
} from './crypto.ts';
import type { SecurityInfo } from './lds/security-infos.ts';
import { bytesToBigInt, standardGroup, type Group } from './pace-groups.ts';
import { SecureMessaging, type SmKeys } from './secure-messaging.ts';
import { decodeTlvAt, encodeOid, encodeTlv } from './tlv.ts';

export type PaceErrorCode =
  | 'PACE_REFUSED' // the chip will not start PACE (e.g. 6982): fall back to BAC if we can
  | 'PACE_UNSUPPORTED' // a mapping or parameter set this kiosk does not implement
  | 'PACE_RESPONSE_INVALID'
  | 'ACCESS_DENIED_WRONG_KEY';

export class PaceError extends KioskError {
  constructor(code: PaceErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

export type PaceInfo = Extract<SecurityInfo, { kind: 'PACEInfo' }>;

export type PacePassword =
  | { readonly kind: 'CAN'; readonly can: string }
  | { readonly kind: 'MRZ'; readonly mrzInformation: string };

export const PASSWORD_REF = { MRZ: 0x01, CAN: 0x02 } as const;

export function cipherAlg(c: PaceInfo['cipher']): CipherAlg {
  return c === '3DES' ? 'DESede' : c;
}

/** K from the password: SHA-1(MRZ_information) for MRZ, the CAN's characters for CAN (§9.7.3). */
export function passwordKey(pw: PacePassword): Uint8Array {
  if (pw.kind === 'CAN') {
    if (!/^\d{6,12}$/.test(pw.can)) throw new PaceError('ACCESS_DENIED_WRONG_KEY', 'CAN must be digits (6 on a CCCD)');
    return new TextEncoder().encode(pw.can);
  }
  return sha1(new TextEncoder().encode(pw.mrzInformation));
}

export const passwordPi = (pw: PacePassword, alg: CipherAlg): Uint8Array => kdf(passwordKey(pw), KDF_PACE, alg);

/** Nonce encryption with Kπ: CBC with a zero IV (3DES or AES). */
export function encryptNonce(kPi: Uint8Array, alg: CipherAlg, s: Uint8Array): Uint8Array {
  return alg === 'DESede' ? tdesCbcEncrypt(kPi, s) : aesCbcEncrypt(kPi, s);
}
export function decryptNonce(kPi: Uint8Array, alg: CipherAlg, z: Uint8Array): Uint8Array {
  const block = alg === 'DESede' ? 8 : 16;
  if (z.length === 0 || z.length % block !== 0) throw new PaceError('PACE_RESPONSE_INVALID', 'encrypted nonce has a bad length', { length: z.length });
  return alg === 'DESede' ? tdesCbcDecrypt(kPi, z) : aesCbcDecrypt(kPi, z);
}

export function sessionKeys(secret: Uint8Array, alg: CipherAlg): SmKeys {
  return { alg, kEnc: kdf(secret, KDF_ENC, alg), kMac: kdf(secret, KDF_MAC, alg) };
}

/** SM after PACE or CA starts with a zero SSC of one block. */
export const freshSession = (keys: SmKeys): SecureMessaging => new SecureMessaging(keys, new Uint8Array(keys.alg === 'DESede' ? 8 : 16));

/** Public key data object 7F49 { 06 protocol OID, 86 point | 84 Y } used in the tokens. */
export function publicKeyObject(protocolOid: string, kind: 'ECDH' | 'DH', key: Uint8Array): Uint8Array {
  return encodeTlv(0x7f49, [encodeOid(protocolOid), encodeTlv(kind === 'ECDH' ? 0x86 : 0x84, key)]);
}

/** Authentication token: MAC over the peer's public key object, 8 bytes. */
export function authToken(keys: SmKeys, protocolOid: string, kind: 'ECDH' | 'DH', peerKey: Uint8Array): Uint8Array {
  const data = publicKeyObject(protocolOid, kind, peerKey);
  return keys.alg === 'DESede' ? retailMac(keys.kMac, pad(data, 8)) : aesCmac(keys.kMac, data).slice(0, 8);
}

// ------------------------------------------------------------------------------ APDUs

export function mseSetAtPace(oid: string, ref: number, parameterId?: number): CommandApdu {
  const parts = [encodeTlv(0x80, encodeOid(oid).subarray(2)), encodeTlv(0x83, Uint8Array.of(ref))];
  if (parameterId !== undefined) parts.push(encodeTlv(0x84, Uint8Array.of(parameterId)));
  return { cla: 0x00, ins: 0x22, p1: 0xc1, p2: 0xa4, data: concatBytes(...parts) };
}

/** GENERAL AUTHENTICATE with dynamic authentication data 7C; all but the last step are chained (CLA 10). */
export function generalAuthenticate(tag: number | undefined, value: Uint8Array | undefined, last: boolean): CommandApdu {
  const inner = tag === undefined ? new Uint8Array(0) : encodeTlv(tag, value ?? new Uint8Array(0));
  return { cla: last ? 0x00 : 0x10, ins: 0x86, p1: 0x00, p2: 0x00, data: encodeTlv(0x7c, inner), ne: 256 };
}

/** The value of `tag` inside a 7C dynamic authentication data response. */
export function dynamicData(data: Uint8Array, tag: number, what: string): Uint8Array {
  try {
    const outer = decodeTlvAt(data, 0);
    if (outer.tag !== 0x7c) throw new Error('not 7C');
    for (let at = 0; at < outer.value.length;) {
      const t = decodeTlvAt(outer.value, at);
      if (t.tag === tag) return t.value;
      at = t.end;
    }
  } catch {
    // fall through to the typed error
  }
  throw new PaceError('PACE_RESPONSE_INVALID', `${what}: response lacks data object ${tag.toString(16)}`);
}

// ------------------------------------------------------------------------------ the protocol

export interface PaceOptions {
  /** Send the parameter ID (84) in MSE:Set AT; ICAO makes it conditional, some chips want it. */
  readonly sendParameterId?: boolean;
  /** Private keys for the mapping and the agreement (tests replay Appendix G with fixed ones). */
  readonly scalars?: () => bigint;
}

export interface PaceResult {
  readonly sm: SecureMessaging;
  readonly parameterId: number;
}

function check(r: ResponseApdu, step: string): void {
  if (r.sw === SW.OK) return;
  // Only the token exchange can tell a wrong password: before it, any nonce decrypts to some point.
  if (step === 'GA4' && isWrongKeyStatus(r.sw)) throw new PaceError('ACCESS_DENIED_WRONG_KEY', 'the card refused the PACE password (wrong CAN or MRZ?)', { sw: r.sw });
  if (step === 'MSE:Set AT') throw new PaceError('PACE_REFUSED', `the card refused to start PACE: ${swName(r.sw)}`, { sw: r.sw });
  throw new PaceError('PACE_RESPONSE_INVALID', `PACE ${step} failed: ${swName(r.sw)}`, { sw: r.sw });
}

/**
 * Runs PACE-GM over `send` (plain APDUs; the chip is at MF level, no application selected).
 * Returns the new SM session. A refusal to start is PACE_REFUSED (the caller may use BAC).
 */
export async function performPace(
  send: (cmd: CommandApdu) => Promise<ResponseApdu>,
  info: PaceInfo,
  password: PacePassword,
  opts: PaceOptions = {},
): Promise<PaceResult> {
  if (info.mapping !== 'GM') throw new PaceError('PACE_UNSUPPORTED', `PACE ${info.mapping} mapping is not implemented (generic mapping only)`);
  const parameterId = info.parameterId;
  if (parameterId === undefined) throw new PaceError('PACE_UNSUPPORTED', 'PACEInfo without a standardized parameter ID');
  const base = standardGroup(parameterId) as Group<unknown>;
  if (base.kind !== info.agreement) throw new PaceError('PACE_UNSUPPORTED', `parameter ${parameterId} does not fit ${info.agreement}`);
  const alg = cipherAlg(info.cipher);
  const scalar = opts.scalars ?? (() => base.randomScalar());

  check(await send(mseSetAtPace(info.protocol, PASSWORD_REF[password.kind], opts.sendParameterId ? parameterId : undefined)), 'MSE:Set AT');

  const r1 = await send(generalAuthenticate(undefined, undefined, false));
  check(r1, 'GA1');
  const s = bytesToBigInt(decryptNonce(passwordPi(password, alg), alg, dynamicData(r1.data, 0x80, 'GA1')));

  const skMap = scalar();
  const r2 = await send(generalAuthenticate(0x81, base.encode(base.mul(base.generator, skMap)), false));
  check(r2, 'GA2');
  const pkMapIc = base.decode(dynamicData(r2.data, 0x82, 'GA2'));
  const mapped = base.withGenerator(base.add(base.mul(base.generator, s), base.mul(pkMapIc, skMap)));

  const sk = scalar();
  const pkIfd = mapped.encode(mapped.mul(mapped.generator, sk));
  const r3 = await send(generalAuthenticate(0x83, pkIfd, false));
  check(r3, 'GA3');
  const pkIcBytes = dynamicData(r3.data, 0x84, 'GA3');
  if (equalBytes(pkIcBytes, pkIfd)) throw new PaceError('PACE_RESPONSE_INVALID', 'the chip echoed our ephemeral key');
  const pkIc = mapped.decode(pkIcBytes);
  const keys = sessionKeys(mapped.secret(mapped.mul(pkIc, sk)), alg);

  const r4 = await send(generalAuthenticate(0x85, authToken(keys, info.protocol, info.agreement, pkIcBytes), true));
  check(r4, 'GA4');
  const tIc = dynamicData(r4.data, 0x86, 'GA4');
  if (!equalBytes(tIc, authToken(keys, info.protocol, info.agreement, pkIfd))) {
    throw new PaceError('PACE_RESPONSE_INVALID', 'the chip authentication token does not verify');
  }
  return { sm: freshSession(keys), parameterId };
}
