/**
 * The symmetric primitives ICAO 9303-11 needs (BAC, PACE, secure messaging, chip authentication):
 * two-key 3DES-CBC, the ISO 9797-1 "retail" MAC, AES-CBC/ECB, AES-CMAC, the key derivation
 * function, ISO 9797-1 padding method 2 and DES parity.
 *
 * Why everything is built on `des-ede`: Node 20's OpenSSL 3 only ships single DES in the legacy
 * provider, so `des-ecb` throws. Single DES with key K equals two-key 3DES with K‖K (E_K D_K E_K = E_K).
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { KioskError } from '../errors.ts';

export class CryptoInputError extends KioskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CRYPTO_BAD_INPUT', message, details);
  }
}

/** Cipher families of ICAO key derivation and secure messaging. */
export type CipherAlg = 'DESede' | 'AES-128' | 'AES-192' | 'AES-256';

const ZERO8 = new Uint8Array(8);

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function xorBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length !== b.length) throw new CryptoInputError('xor of blocks of different length', { a: a.length, b: b.length });
  return a.map((v, i) => v ^ b[i]!);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();
export const fromHex = (s: string): Uint8Array => {
  const clean = s.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new CryptoInputError('not a hex string');
  return new Uint8Array(Buffer.from(clean, 'hex'));
};

/** ISO/IEC 9797-1 padding method 2: append 0x80, then zeros up to a whole block. */
export function pad(data: Uint8Array, blockSize = 8): Uint8Array {
  const out = new Uint8Array((Math.floor(data.length / blockSize) + 1) * blockSize);
  out.set(data);
  out[data.length] = 0x80;
  return out;
}

/** Removes method-2 padding; a block without a proper 0x80 marker is an error, never guessed. */
export function unpad(data: Uint8Array): Uint8Array {
  let i = data.length - 1;
  while (i >= 0 && data[i] === 0x00) i--;
  if (i < 0 || data[i] !== 0x80) throw new CryptoInputError('padding method 2 marker missing');
  return data.slice(0, i);
}

function run(cipher: ReturnType<typeof createCipheriv> | ReturnType<typeof createDecipheriv>, data: Uint8Array): Uint8Array {
  cipher.setAutoPadding(false);
  return new Uint8Array(Buffer.concat([cipher.update(data), cipher.final()]));
}

function checkBlocks(data: Uint8Array, blockSize: number, what: string): void {
  if (data.length % blockSize !== 0) {
    throw new CryptoInputError(`${what}: data is not a whole number of ${blockSize}-byte blocks`, { length: data.length });
  }
}

function tdesKey(key: Uint8Array): Uint8Array {
  if (key.length === 16) return key;
  if (key.length === 24) return key.slice(0, 16); // ICAO keys are two-key 3DES; K3 = K1 by definition
  throw new CryptoInputError('3DES key must be 16 bytes', { length: key.length });
}

export function tdesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO8): Uint8Array {
  checkBlocks(data, 8, '3DES-CBC');
  return run(createCipheriv('des-ede-cbc', tdesKey(key), iv), data);
}

export function tdesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = ZERO8): Uint8Array {
  checkBlocks(data, 8, '3DES-CBC');
  return run(createDecipheriv('des-ede-cbc', tdesKey(key), iv), data);
}

/** Single-DES ECB encryption of whole blocks, as two-key 3DES with K‖K. */
function desEncrypt(key8: Uint8Array, data: Uint8Array): Uint8Array {
  return run(createCipheriv('des-ede-ecb', concatBytes(key8, key8), null), data);
}
function desDecrypt(key8: Uint8Array, data: Uint8Array): Uint8Array {
  return run(createDecipheriv('des-ede-ecb', concatBytes(key8, key8), null), data);
}

/**
 * ISO/IEC 9797-1 MAC algorithm 3 ("retail MAC") with DES: CBC-MAC under Ka, then the final block
 * decrypted with Kb and encrypted again with Ka. `data` must already be padded (method 2).
 */
export function retailMac(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (key.length !== 16) throw new CryptoInputError('retail MAC key must be 16 bytes', { length: key.length });
  checkBlocks(data, 8, 'retail MAC');
  const ka = key.subarray(0, 8);
  const kb = key.subarray(8, 16);
  // CBC-MAC with single DES under Ka = last block of DES-CBC encryption.
  const cbc = run(createCipheriv('des-ede-cbc', concatBytes(ka, ka), ZERO8), data);
  const h = cbc.subarray(cbc.length - 8);
  return desEncrypt(ka, desDecrypt(kb, h));
}

function aesName(key: Uint8Array, mode: 'cbc' | 'ecb'): string {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32) {
    throw new CryptoInputError('AES key must be 16, 24 or 32 bytes', { length: key.length });
  }
  return `aes-${key.length * 8}-${mode}`;
}

export function aesCbcEncrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = new Uint8Array(16)): Uint8Array {
  checkBlocks(data, 16, 'AES-CBC');
  return run(createCipheriv(aesName(key, 'cbc'), key, iv), data);
}

export function aesCbcDecrypt(key: Uint8Array, data: Uint8Array, iv: Uint8Array = new Uint8Array(16)): Uint8Array {
  checkBlocks(data, 16, 'AES-CBC');
  return run(createDecipheriv(aesName(key, 'cbc'), key, iv), data);
}

export function aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array {
  checkBlocks(data, 16, 'AES-ECB');
  return run(createCipheriv(aesName(key, 'ecb'), key, null), data);
}

/** Doubling in GF(2^128) for the CMAC subkeys (RFC 4493 §2.3). */
function dbl(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = ((block[i]! << 1) | (i < 15 ? block[i + 1]! >> 7 : 0)) & 0xff;
  if (block[0]! & 0x80) out[15]! ^= 0x87;
  return out;
}

/** AES-CMAC (NIST SP 800-38B / RFC 4493), full 16 bytes; ICAO truncates it to 8. */
export function aesCmac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const k1 = dbl(aesEcbEncrypt(key, new Uint8Array(16)));
  const k2 = dbl(k1);
  const n = Math.max(1, Math.ceil(data.length / 16));
  const complete = data.length > 0 && data.length % 16 === 0;
  const last = complete ? xorBytes(data.slice((n - 1) * 16), k1) : xorBytes(pad(data.slice((n - 1) * 16), 16), k2);
  const prefix = data.slice(0, (n - 1) * 16);
  const cbc = aesCbcEncrypt(key, concatBytes(prefix, last));
  return cbc.slice(cbc.length - 16);
}

/** Sets the low bit of each byte so that every byte has odd parity (DES key convention). */
export function adjustParity(key: Uint8Array): Uint8Array {
  return key.map((b) => {
    let ones = 0;
    for (let v = b >> 1; v; v >>= 1) ones += v & 1;
    return (b & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  });
}

export const KDF_ENC = 1;
export const KDF_MAC = 2;
export const KDF_PACE = 3;

/** ICAO 9303-11 §9.7.1 key derivation: hash(seed ‖ counter) truncated to the cipher's key length. */
export function kdf(seed: Uint8Array, counter: number, alg: CipherAlg): Uint8Array {
  const c = new Uint8Array(4);
  new DataView(c.buffer).setUint32(0, counter);
  const hashName = alg === 'AES-192' || alg === 'AES-256' ? 'sha256' : 'sha1';
  const digest = new Uint8Array(createHash(hashName).update(seed).update(c).digest());
  switch (alg) {
    case 'DESede':
      return adjustParity(digest.slice(0, 16));
    case 'AES-128':
      return digest.slice(0, 16);
    case 'AES-192':
      return digest.slice(0, 24);
    case 'AES-256':
      return digest.slice(0, 32);
  }
}

export function sha1(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha1').update(data).digest());
}
