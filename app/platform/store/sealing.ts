import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { KioskError } from '../../core/errors.ts';

/**
 * Personal data at rest: AES-256-GCM with a 32-byte key that never enters the database. The
 * additional data names the row a ciphertext belongs to, so a ciphertext copied into another row
 * does not open. Face templates keep the parts in their own columns; other tables store one packed
 * blob (`seal`/`open`).
 */

/** Parses a key from its secret text: 32 bytes as 64 hex digits or base64. */
export function parseSealingKey(text: string, code = 'STORE_KEY_INVALID', what = 'the store key'): Buffer {
  const t = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (key.length !== 32) throw new KioskError(code, `${what} must be 32 bytes (64 hex digits or base64)`);
  return key;
}

export interface SealedParts {
  readonly nonce: Buffer;
  readonly ciphertext: Buffer;
  readonly tag: Buffer;
}

const VERSION = 1;
const KEY_ID_BYTES = 8;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const HEADER_BYTES = 1 + KEY_ID_BYTES + NONCE_BYTES + TAG_BYTES;

export class Sealer {
  /** Names the key without revealing it (first 8 bytes of its SHA-256), so rows sealed under another key are told apart. */
  readonly keyId: Buffer;

  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new KioskError('STORE_KEY_INVALID', 'a sealing key must be 32 bytes');
    this.keyId = createHash('sha256').update(key).digest().subarray(0, KEY_ID_BYTES);
  }

  sealParts(plain: Buffer, aad: Buffer): SealedParts {
    const nonce = randomBytes(NONCE_BYTES);
    const c = createCipheriv('aes-256-gcm', this.key, nonce);
    c.setAAD(aad);
    const ciphertext = Buffer.concat([c.update(plain), c.final()]);
    return { nonce, ciphertext, tag: c.getAuthTag() };
  }

  /** The plaintext, or undefined when the parts fail authentication (altered, moved, or another key). */
  openParts(p: SealedParts, aad: Buffer): Buffer | undefined {
    try {
      const d = createDecipheriv('aes-256-gcm', this.key, p.nonce);
      d.setAAD(aad);
      d.setAuthTag(p.tag);
      return Buffer.concat([d.update(p.ciphertext), d.final()]);
    } catch {
      return undefined;
    }
  }

  /** One blob: version, key id, nonce, tag, ciphertext. */
  seal(plain: Buffer, aad: Buffer): Buffer {
    const p = this.sealParts(plain, aad);
    return Buffer.concat([Buffer.of(VERSION), this.keyId, p.nonce, p.tag, p.ciphertext]);
  }

  /** Opens a blob made by `seal`; undefined when it is not one, was sealed under another key, or fails authentication. */
  open(blob: Buffer, aad: Buffer): Buffer | undefined {
    if (blob.length < HEADER_BYTES || blob[0] !== VERSION) return undefined;
    if (!blob.subarray(1, 1 + KEY_ID_BYTES).equals(this.keyId)) return undefined;
    const nonceAt = 1 + KEY_ID_BYTES;
    const tagAt = nonceAt + NONCE_BYTES;
    return this.openParts(
      { nonce: blob.subarray(nonceAt, tagAt), tag: blob.subarray(tagAt, HEADER_BYTES), ciphertext: blob.subarray(HEADER_BYTES) },
      aad,
    );
  }
}
