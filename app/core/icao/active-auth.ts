/**
 * Active Authentication (ICAO 9303-11 §6.1): the chip signs a fresh random challenge with the
 * private key behind DG15. RSA keys use ISO/IEC 9796-2 digital signature scheme 1 (message
 * recovery; trailer BC = SHA-1 or xxCC naming the hash); EC keys use plain ECDSA (r‖s) with the
 * hash named by DG14's ActiveAuthenticationInfo, or the one matching the key size when absent.
 */
import { createHash, randomBytes, verify, type KeyObject } from 'node:crypto';
import { KioskError } from '../errors.ts';
import { SW, swName } from './apdu.ts';
import { concatBytes, equalBytes } from './crypto.ts';
import { parseDg15 } from './lds/dg15.ts';
import { bytesToBigInt, bigIntToBytes } from './pace-groups.ts';
import type { ApduChannel } from './transport.ts';

export class ActiveAuthError extends KioskError {}

/** ISO/IEC 10118-3 hash identifiers used in the 9796-2 trailer `xx CC`. */
const TRAILER_HASH: Record<number, string> = { 0x33: 'sha1', 0x34: 'sha256', 0x35: 'sha512', 0x36: 'sha384', 0x38: 'sha224' };

/** BSI TR-03111 ecdsa-plain-* OIDs (DG14 ActiveAuthenticationInfo) → hash. */
const ECDSA_PLAIN: Record<string, string> = {
  '0.4.0.127.0.7.1.1.4.1.1': 'sha1', '0.4.0.127.0.7.1.1.4.1.2': 'sha224', '0.4.0.127.0.7.1.1.4.1.3': 'sha256',
  '0.4.0.127.0.7.1.1.4.1.4': 'sha384', '0.4.0.127.0.7.1.1.4.1.5': 'sha512',
};

export function ecdsaHashFor(signatureAlgorithmOid: string | undefined, fieldBytes: number): string {
  if (signatureAlgorithmOid && ECDSA_PLAIN[signatureAlgorithmOid]) return ECDSA_PLAIN[signatureAlgorithmOid]!;
  // No ActiveAuthenticationInfo: pick the hash matching the key size (common practice, e.g. JMRTD).
  return fieldBytes <= 32 ? 'sha256' : fieldBytes <= 48 ? 'sha384' : 'sha512';
}

function rsaRecover(key: KeyObject, signature: Uint8Array): Uint8Array {
  const jwk = key.export({ format: 'jwk' });
  const n = bytesToBigInt(Buffer.from(jwk.n!, 'base64url'));
  const e = bytesToBigInt(Buffer.from(jwk.e!, 'base64url'));
  const k = Math.ceil(n.toString(16).length / 2);
  let m = 1n;
  let b = bytesToBigInt(signature) % n;
  for (let x = e; x > 0n; x >>= 1n) {
    if (x & 1n) m = (m * b) % n;
    b = (b * b) % n;
  }
  // ISO 9796-2 allows the signer to send min(s, n - s): the recovered value then ends in ...6 not ...C.
  if ((m & 0xfn) !== 0xcn) m = n - m;
  return bigIntToBytes(m, k);
}

/** Verifies an ISO/IEC 9796-2 scheme 1 signature over the challenge (message recovery, partial). */
export function verifyIso9796Scheme1(key: KeyObject, challenge: Uint8Array, signature: Uint8Array): boolean {
  let f: Uint8Array;
  try {
    f = rsaRecover(key, signature);
  } catch {
    return false;
  }
  const last = f[f.length - 1]!;
  let hashName: string;
  let trailerLen: number;
  if (last === 0xbc) { hashName = 'sha1'; trailerLen = 1; }
  else if (last === 0xcc && TRAILER_HASH[f[f.length - 2]!]) { hashName = TRAILER_HASH[f[f.length - 2]!]!; trailerLen = 2; }
  else return false;
  // Header 6A = partial recovery (the challenge is the non-recoverable part M2); leading zero byte allowed.
  const start = f[0] === 0x6a ? 0 : f[0] === 0x00 && f[1] === 0x6a ? 1 : -1;
  if (start < 0) return false;
  const hashLen = createHash(hashName).digest().length;
  const body = f.subarray(start + 1, f.length - trailerLen);
  if (body.length < hashLen) return false;
  const m1 = body.subarray(0, body.length - hashLen);
  const digest = body.subarray(body.length - hashLen);
  return equalBytes(new Uint8Array(createHash(hashName).update(concatBytes(m1, challenge)).digest()), digest);
}

export interface ActiveAuthOptions {
  /** DG14 ActiveAuthenticationInfo signature algorithm (ECDSA keys). */
  readonly signatureAlgorithm?: string;
  readonly challenge?: Uint8Array;
}

/**
 * Sends INTERNAL AUTHENTICATE with a fresh 8-byte challenge and verifies the answer with the DG15
 * key. Throws ActiveAuthError: AA_REFUSED (status word) or AA_SIGNATURE_INVALID.
 */
export async function performActiveAuthentication(channel: ApduChannel, dg15: Uint8Array, opts: ActiveAuthOptions = {}): Promise<void> {
  const { publicKey, keyType } = parseDg15(dg15);
  const challenge = opts.challenge ?? new Uint8Array(randomBytes(8));
  const r = await channel.send({ cla: 0, ins: 0x88, p1: 0, p2: 0, data: challenge, ne: 256 });
  if (r.sw !== SW.OK || r.data.length === 0) {
    throw new ActiveAuthError('AA_REFUSED', `INTERNAL AUTHENTICATE failed: ${swName(r.sw)}`, { sw: r.sw });
  }
  let ok: boolean;
  if (keyType === 'rsa') {
    ok = verifyIso9796Scheme1(publicKey, challenge, r.data);
  } else {
    const fieldBytes = r.data.length / 2;
    ok = r.data.length % 2 === 0 && verify(ecdsaHashFor(opts.signatureAlgorithm, fieldBytes), challenge, { key: publicKey, dsaEncoding: 'ieee-p1363' }, r.data);
  }
  if (!ok) throw new ActiveAuthError('AA_SIGNATURE_INVALID', 'the chip signature does not verify with the DG15 key (cloned chip?)');
}
