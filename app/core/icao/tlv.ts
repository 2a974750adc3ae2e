/**
 * BER-TLV as used by ICAO 9303 and ISO 7816-4: multi-byte tags (up to 4 bytes), short and
 * long-form lengths (up to 4 length bytes). Indefinite length is refused: the LDS is DER, and an
 * indefinite length on a chip file means the bytes are not what we think they are.
 *
 * Tags are kept as their raw big-endian byte value (0x5F1F, 0x7F61, 0x30…) because that is how the
 * ICAO tables name them.
 */
import { concatBytes } from './crypto.ts';
import { ParseError } from '../errors.ts';

export interface Tlv {
  readonly tag: number;
  /** Bit 6 of the first tag byte: the value is itself a series of TLVs. */
  readonly constructed: boolean;
  readonly value: Uint8Array;
  /** The whole object (tag, length and value), e.g. for hashing or re-embedding. */
  readonly raw: Uint8Array;
  /** Offset of the tag and of the first byte after the value, relative to the decoded buffer. */
  readonly start: number;
  readonly end: number;
}

const MAX_TAG_BYTES = 4;
const MAX_LENGTH_BYTES = 4;

function fail(code: string, message: string, offset: number): never {
  throw new ParseError(code, `${message} at offset ${offset}`, { offset });
}

/** Decodes the single TLV that starts at `offset`. Trailing bytes after it are left alone. */
export function decodeTlvAt(bytes: Uint8Array, offset = 0): Tlv {
  const start = offset;
  let p = offset;
  if (p >= bytes.length) fail('TLV_TRUNCATED', 'TLV truncated: no tag', p);
  const first = bytes[p++]!;
  if (first === 0x00 || first === 0xff) fail('TLV_INVALID_TAG', `TLV tag byte 0x${first.toString(16)} is not a valid tag`, start);
  let tag = first;
  if ((first & 0x1f) === 0x1f) {
    let n = 1;
    for (;;) {
      if (p >= bytes.length) fail('TLV_TRUNCATED', 'TLV truncated inside a multi-byte tag', p);
      const b = bytes[p++]!;
      if (++n > MAX_TAG_BYTES) fail('TLV_TAG_TOO_LONG', `TLV tag longer than ${MAX_TAG_BYTES} bytes`, start);
      tag = tag * 256 + b;
      if ((b & 0x80) === 0) break;
    }
  }
  if (p >= bytes.length) fail('TLV_TRUNCATED', 'TLV truncated: no length', p);
  const lenByte = bytes[p++]!;
  let length: number;
  if (lenByte < 0x80) {
    length = lenByte;
  } else if (lenByte === 0x80) {
    fail('TLV_INDEFINITE_LENGTH', 'TLV indefinite length is not allowed', p - 1);
  } else {
    const n = lenByte & 0x7f;
    if (n > MAX_LENGTH_BYTES) fail('TLV_LENGTH_TOO_LONG', `TLV length field of ${n} bytes is too long`, p - 1);
    if (p + n > bytes.length) fail('TLV_TRUNCATED', 'TLV truncated inside the length field', p);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p++]!;
  }
  const end = p + length;
  if (end > bytes.length) {
    fail('TLV_TRUNCATED', `TLV value of ${length} bytes runs past the end of the data (${bytes.length - p} available)`, p);
  }
  return {
    tag,
    constructed: (first & 0x20) !== 0,
    value: bytes.subarray(p, end),
    raw: bytes.subarray(start, end),
    start,
    end,
  };
}

/** Decodes exactly one TLV that fills `bytes`; trailing bytes are an error. */
export function decodeTlv(bytes: Uint8Array): Tlv {
  const tlv = decodeTlvAt(bytes, 0);
  if (tlv.end !== bytes.length) fail('TLV_TRAILING_DATA', `${bytes.length - tlv.end} unexpected bytes after the TLV`, tlv.end);
  return tlv;
}

/** Decodes a series of TLVs that fills `bytes` exactly (the value of a constructed object). */
export function decodeTlvList(bytes: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  let p = 0;
  while (p < bytes.length) {
    const tlv = decodeTlvAt(bytes, p);
    out.push(tlv);
    p = tlv.end;
  }
  return out;
}

/** Children of a constructed TLV. */
export function tlvChildren(tlv: Tlv): Tlv[] {
  if (!tlv.constructed) fail('TLV_NOT_CONSTRUCTED', `TLV tag 0x${tlv.tag.toString(16)} is primitive, expected constructed`, tlv.start);
  return decodeTlvList(tlv.value);
}

/** Decodes `bytes` as one TLV with the expected tag; `what` names the structure in the error. */
export function expectTlv(bytes: Uint8Array, tag: number, what: string, code = 'TLV_UNEXPECTED_TAG'): Tlv {
  const tlv = decodeTlvAt(bytes, 0);
  if (tlv.tag !== tag) {
    throw new ParseError(code, `${what}: expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`, { offset: 0 });
  }
  return tlv;
}

/** First child with `tag`, or undefined. */
export function findTlv(list: readonly Tlv[], tag: number): Tlv | undefined {
  return list.find((t) => t.tag === tag);
}

export function encodeTag(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag <= 0 || tag > 0xffffffff) throw new RangeError(`bad tag ${tag}`);
  const out: number[] = [];
  for (let t = tag; t > 0; t = Math.floor(t / 256)) out.unshift(t % 256);
  return Uint8Array.from(out);
}

export function encodeLength(length: number): Uint8Array {
  if (!Number.isInteger(length) || length < 0 || length > 0xffffffff) throw new RangeError(`bad length ${length}`);
  if (length < 0x80) return Uint8Array.of(length);
  const out: number[] = [];
  for (let l = length; l > 0; l = Math.floor(l / 256)) out.unshift(l % 256);
  return Uint8Array.from([0x80 | out.length, ...out]);
}

/** Encodes a TLV; an array value is concatenated (the children of a constructed object). */
export function encodeTlv(tag: number, value: Uint8Array | readonly Uint8Array[]): Uint8Array {
  const body = value instanceof Uint8Array ? value : concatBytes(...value);
  return concatBytes(encodeTag(tag), encodeLength(body.length), body);
}

export { concatBytes } from './crypto.ts';

// ---- DER primitives used by the LDS files (universal tags) ----

export const DER = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  SEQUENCE: 0x30,
  SET: 0x31,
} as const;

/** Dotted OID text from the value of an OBJECT IDENTIFIER. */
export function decodeOid(value: Uint8Array): string {
  if (value.length === 0) throw new ParseError('DER_BAD_OID', 'empty OBJECT IDENTIFIER', {});
  const arcs: number[] = [];
  let acc = 0;
  let bytesInArc = 0;
  for (const b of value) {
    if (++bytesInArc > 7) throw new ParseError('DER_BAD_OID', 'OBJECT IDENTIFIER arc too large', {});
    acc = acc * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = acc < 40 ? 0 : acc < 80 ? 1 : 2;
        arcs.push(first, acc - first * 40);
      } else {
        arcs.push(acc);
      }
      acc = 0;
      bytesInArc = 0;
    }
  }
  if (bytesInArc !== 0) throw new ParseError('DER_BAD_OID', 'OBJECT IDENTIFIER ends inside an arc', {});
  return arcs.join('.');
}

export function encodeOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new RangeError(`bad OID ${oid}`);
  const out: number[] = [];
  const push = (n: number) => {
    const tmp: number[] = [n % 128];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) tmp.unshift((v % 128) | 0x80);
    out.push(...tmp);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return encodeTlv(DER.OID, Uint8Array.from(out));
}

/** Non-negative INTEGER value as a JS number (small integers: versions, field numbers, ids). */
export function decodeSmallInteger(value: Uint8Array): number {
  if (value.length === 0 || value.length > 6) {
    throw new ParseError('DER_BAD_INTEGER', `INTEGER of ${value.length} bytes is not a small integer`, {});
  }
  if (value[0]! & 0x80) throw new ParseError('DER_BAD_INTEGER', 'negative INTEGER where a count was expected', {});
  let n = 0;
  for (const b of value) n = n * 256 + b;
  return n;
}

export function encodeInteger(n: number | bigint): Uint8Array {
  let v = BigInt(n);
  if (v < 0n) throw new RangeError('negative INTEGER not supported');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return encodeTlv(DER.INTEGER, Uint8Array.from(bytes));
}

export const derSequence = (...children: Uint8Array[]): Uint8Array => encodeTlv(DER.SEQUENCE, children);
/** DER SET OF: children sorted by their encoding (X.690 §11.6). */
export const derSet = (...children: Uint8Array[]): Uint8Array => encodeTlv(DER.SET, [...children].sort(compareBytes));
export const derOctetString = (b: Uint8Array): Uint8Array => encodeTlv(DER.OCTET_STRING, b);
export const derUtf8 = (s: string): Uint8Array => encodeTlv(DER.UTF8_STRING, new TextEncoder().encode(s));
export const derPrintable = (s: string): Uint8Array => encodeTlv(DER.PRINTABLE_STRING, new TextEncoder().encode(s));

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decode; invalid sequences are a ParseError, not replacement characters. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new ParseError('TEXT_INVALID_UTF8', `${what} is not valid UTF-8`, {});
  }
}

/** Strict printable-ASCII decode (PrintableString / MRZ text). */
export function decodeAscii(bytes: Uint8Array, what: string): string {
  let s = '';
  for (const b of bytes) {
    if (b < 0x20 || b > 0x7e) throw new ParseError('TEXT_INVALID_ASCII', `${what} contains a non-printable byte 0x${b.toString(16)}`, {});
    s += String.fromCharCode(b);
  }
  return s;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) throw new RangeError('bad hex');
  return new Uint8Array(Buffer.from(clean, 'hex'));
}
