/**
 * Basic Access Control (ICAO 9303-11 §4.3): keys from the MRZ, GET CHALLENGE, mutual
 * EXTERNAL AUTHENTICATE with 3DES cryptograms, then 3DES secure messaging with fresh session keys.
 * The cryptogram helpers are shared with the virtual chip, which runs the other half.
 */
import { randomBytes } from 'node:crypto';
import { KioskError } from '../errors.ts';
import { isWrongKeyStatus, SW, swName, type ResponseApdu, type CommandApdu } from './apdu.ts';
import {
  concatBytes, equalBytes, kdf, KDF_ENC, KDF_MAC, pad, retailMac, sha1, tdesCbcDecrypt, tdesCbcEncrypt, xorBytes,
} from './crypto.ts';
import { SecureMessaging, type SmKeys } from './secure-messaging.ts';

export type BacErrorCode = 'ACCESS_DENIED_WRONG_KEY' | 'BAC_RESPONSE_INVALID' | 'BAC_NOT_SUPPORTED';

export class BacError extends KioskError {
  constructor(code: BacErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** Kenc/Kmac from the document basic access keys: Kseed = SHA-1(MRZ_information)[0..16]. */
export function bacKeys(mrzInformation: string): SmKeys {
  if (!/^[0-9A-Z<]{24,}$/.test(mrzInformation)) {
    throw new BacError('ACCESS_DENIED_WRONG_KEY', 'MRZ information must be document number, DOB and DOE with check digits');
  }
  const kSeed = sha1(new TextEncoder().encode(mrzInformation)).slice(0, 16);
  return bacKeysFromSeed(kSeed);
}

export function bacKeysFromSeed(kSeed: Uint8Array): SmKeys {
  return { alg: 'DESede', kEnc: kdf(kSeed, KDF_ENC, 'DESede'), kMac: kdf(kSeed, KDF_MAC, 'DESede') };
}

/** E = 3DES(Kenc, S) followed by M = MAC(Kmac, E): the 40-byte body of both authenticate messages. */
export function sealCryptogram(keys: SmKeys, s: Uint8Array): Uint8Array {
  const e = tdesCbcEncrypt(keys.kEnc, s);
  return concatBytes(e, retailMac(keys.kMac, pad(e)));
}

/** Verifies M before decrypting E; returns S or throws. */
export function openCryptogram(keys: SmKeys, data: Uint8Array): Uint8Array {
  if (data.length !== 40) throw new BacError('BAC_RESPONSE_INVALID', 'authentication cryptogram must be 40 bytes', { length: data.length });
  const e = data.subarray(0, 32);
  if (!equalBytes(retailMac(keys.kMac, pad(e)), data.subarray(32))) {
    throw new BacError('BAC_RESPONSE_INVALID', 'authentication cryptogram MAC does not verify');
  }
  return tdesCbcDecrypt(keys.kEnc, e);
}

/** Session keys and SSC from both key halves and both nonces (§4.3.3). */
export function bacSession(kIfd: Uint8Array, kIc: Uint8Array, rndIc: Uint8Array, rndIfd: Uint8Array): SecureMessaging {
  const seed = xorBytes(kIfd, kIc);
  const keys: SmKeys = { alg: 'DESede', kEnc: kdf(seed, KDF_ENC, 'DESede'), kMac: kdf(seed, KDF_MAC, 'DESede') };
  return new SecureMessaging(keys, concatBytes(rndIc.subarray(4, 8), rndIfd.subarray(4, 8)));
}

export const GET_CHALLENGE: CommandApdu = { cla: 0x00, ins: 0x84, p1: 0x00, p2: 0x00, ne: 8 };

export function externalAuthenticate(data: Uint8Array): CommandApdu {
  return { cla: 0x00, ins: 0x82, p1: 0x00, p2: 0x00, data, ne: 40 };
}

/** Randomness is injected so tests can replay the Appendix D values. */
export interface BacRandom {
  (n: number): Uint8Array;
}
const defaultRandom: BacRandom = (n) => new Uint8Array(randomBytes(n));

/**
 * Runs BAC over `send` (plain APDUs) and returns the secure messaging session.
 * A wrong MRZ shows as 6300, 63Cx, 6982 or 6988 from EXTERNAL AUTHENTICATE (by chip OS):
 * ACCESS_DENIED_WRONG_KEY.
 */
export async function performBac(
  send: (cmd: CommandApdu) => Promise<ResponseApdu>,
  mrzInformation: string,
  random: BacRandom = defaultRandom,
): Promise<SecureMessaging> {
  const keys = bacKeys(mrzInformation);
  const challenge = await send(GET_CHALLENGE);
  if (challenge.sw !== SW.OK || challenge.data.length !== 8) {
    const code = challenge.sw === SW.INS_NOT_SUPPORTED || challenge.sw === SW.CLA_NOT_SUPPORTED ? 'BAC_NOT_SUPPORTED' : 'BAC_RESPONSE_INVALID';
    throw new BacError(code, `GET CHALLENGE failed: ${swName(challenge.sw)}`, { sw: challenge.sw });
  }
  const rndIc = challenge.data;
  const rndIfd = random(8);
  const kIfd = random(16);
  const answer = await send(externalAuthenticate(sealCryptogram(keys, concatBytes(rndIfd, rndIc, kIfd))));
  if (answer.sw !== SW.OK) {
    const wrongKey = isWrongKeyStatus(answer.sw);
    throw new BacError(wrongKey ? 'ACCESS_DENIED_WRONG_KEY' : 'BAC_RESPONSE_INVALID',
      wrongKey ? 'the card refused the access key (wrong MRZ data?)' : `EXTERNAL AUTHENTICATE failed: ${swName(answer.sw)}`,
      { sw: answer.sw });
  }
  const r = openCryptogram(keys, answer.data);
  if (!equalBytes(r.subarray(0, 8), rndIc) || !equalBytes(r.subarray(8, 16), rndIfd)) {
    throw new BacError('BAC_RESPONSE_INVALID', 'the card did not echo our nonces');
  }
  return bacSession(kIfd, r.subarray(16, 32), rndIc, rndIfd);
}
