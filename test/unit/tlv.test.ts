import { describe, expect, it } from 'vitest';
import {
  decodeOid, decodeTlv, decodeTlvAt, decodeTlvList, encodeInteger, encodeLength, encodeOid, encodeTlv, fromHex, hex, tlvChildren,
} from '../../app/core/icao/tlv.ts';
import { ParseError } from '../../app/core/errors.ts';
import { code } from '../support/error-code.ts';


describe('BER-TLV', () => {
  it('decodes the EF.COM example with a two-byte tag inside', () => {
    const com = fromHex('60145F0104303130365F36063034303030305C026175');
    const t = decodeTlv(com);
    expect(t.tag).toBe(0x60);
    expect(t.constructed).toBe(true);
    const kids = tlvChildren(t);
    expect(kids.map((k) => k.tag)).toEqual([0x5f01, 0x5f36, 0x5c]);
    expect(hex(kids[2]!.value)).toBe('6175');
  });

  it('decodes three-byte tags and long-form lengths', () => {
    const value = new Uint8Array(300).fill(7);
    const enc = encodeTlv(0x7f2e, value);
    expect(hex(enc.subarray(0, 5))).toBe('7F2E82012C');
    const t = decodeTlv(enc);
    expect(t.tag).toBe(0x7f2e);
    expect(t.value.length).toBe(300);
    const three = fromHex('BF8101020A0B');
    expect(decodeTlv(three).tag).toBe(0xbf8101);
  });

  it('encodes lengths in the shortest form', () => {
    expect(hex(encodeLength(0x7f))).toBe('7F');
    expect(hex(encodeLength(0x80))).toBe('8180');
    expect(hex(encodeLength(0x100))).toBe('820100');
    expect(hex(encodeLength(0x10000))).toBe('83010000');
  });

  it('round-trips a nested structure', () => {
    const inner = [encodeTlv(0x02, Uint8Array.of(1)), encodeTlv(0x5f1f, new TextEncoder().encode('X'.repeat(200)))];
    const outer = encodeTlv(0x30, inner);
    const kids = tlvChildren(decodeTlv(outer));
    expect(kids.length).toBe(2);
    expect(kids[1]!.value.length).toBe(200);
    expect(hex(kids[1]!.raw)).toBe(hex(inner[1]!));
  });

  it('refuses indefinite length, truncation, trailing data, and oversized length fields with offsets', () => {
    expect(code(() => decodeTlv(fromHex('308000000000')))).toBe('TLV_INDEFINITE_LENGTH');
    expect(code(() => decodeTlv(fromHex('3005020101')))).toBe('TLV_TRUNCATED');
    expect(code(() => decodeTlv(fromHex('5F')))).toBe('TLV_TRUNCATED');
    expect(code(() => decodeTlv(fromHex('3082')))).toBe('TLV_TRUNCATED');
    expect(code(() => decodeTlv(fromHex('020101FF')))).toBe('TLV_TRAILING_DATA');
    expect(code(() => decodeTlv(fromHex('3085FFFFFFFFFF')))).toBe('TLV_LENGTH_TOO_LONG');
    expect(code(() => decodeTlv(fromHex('5FFFFFFFFF0100')))).toBe('TLV_TAG_TOO_LONG');
    expect(code(() => decodeTlv(fromHex('')))).toBe('TLV_TRUNCATED');
    try {
      decodeTlvList(fromHex('020101' + '0405AABB'));
    } catch (e) {
      expect((e as ParseError).details.offset).toBe(5);
      expect((e as ParseError).message).toMatch(/offset 5/);
    }
    expect(code(() => tlvChildren(decodeTlvAt(fromHex('020101'))))).toBe('TLV_NOT_CONSTRUCTED');
  });

  it('encodes and decodes OIDs and integers', () => {
    expect(hex(encodeOid('1.0.10646.1.0.8'))).toBe('060628D316010008');
    expect(decodeOid(fromHex('28D316010008'))).toBe('1.0.10646.1.0.8');
    expect(decodeOid(encodeOid('0.4.0.127.0.7.2.2.4.2.2').subarray(2))).toBe('0.4.0.127.0.7.2.2.4.2.2');
    expect(decodeOid(encodeOid('2.23.136.1.1.1').subarray(2))).toBe('2.23.136.1.1.1');
    expect(hex(encodeInteger(128))).toBe('02020080');
    expect(hex(encodeInteger(1))).toBe('020101');
    expect(code(() => decodeOid(fromHex('2B80')))).toBe('DER_BAD_OID');
  });
});
