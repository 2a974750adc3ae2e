import { describe, expect, it } from 'vitest';
import { ApduError, decodeCommand, encodeCommand, encodeResponse, parseResponse, swName } from '../../app/core/icao/apdu.ts';
import { fromHex, hex } from '../../app/core/icao/crypto.ts';

describe('command APDU encoding', () => {
  it('case 1, 2S, 3S, 4S', () => {
    expect(hex(encodeCommand({ cla: 0, ins: 0xa4, p1: 0, p2: 0x0c }))).toBe('00A4000C');
    expect(hex(encodeCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }))).toBe('0084000008');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 256 }))).toBe('00B0000000');
    expect(hex(encodeCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') }))).toBe('00A4020C02011E');
    expect(hex(encodeCommand({ cla: 0, ins: 0x82, p1: 0, p2: 0, data: new Uint8Array(2), ne: 40 }))).toBe('00820000020000' + '28');
  });
  it('extended forms when needed or forced', () => {
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 1000 }))).toBe('00B000000003E8');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 65536 }))).toBe('00B00000000000');
    expect(hex(encodeCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }, true))).toBe('00B00000000004');
    const big = encodeCommand({ cla: 0, ins: 0xd6, p1: 0, p2: 0, data: new Uint8Array(300), ne: 65536 });
    expect(hex(big.subarray(0, 7))).toBe('00D6000000012C');
    expect(hex(big.subarray(big.length - 2))).toBe('0000');
  });
  it('rejects bad fields', () => {
    expect(() => encodeCommand({ cla: 256, ins: 0, p1: 0, p2: 0 })).toThrow(ApduError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, ne: 0 })).toThrow(ApduError);
    expect(() => encodeCommand({ cla: 0, ins: 0, p1: 0, p2: 0, ne: 70000 })).toThrow(ApduError);
  });
  it('decodes what it encodes, in every case', () => {
    const cases = [
      { cla: 0, ins: 0xa4, p1: 0, p2: 0x0c },
      { cla: 0x0c, ins: 0xb0, p1: 0x81, p2: 0x10, ne: 256 },
      { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: fromHex('A0000002471001') },
      { cla: 0, ins: 0x82, p1: 0, p2: 0, data: new Uint8Array(40).fill(7), ne: 40 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 65536 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(400).fill(1), ne: 3000 },
      { cla: 0, ins: 0xb0, p1: 0, p2: 0, data: new Uint8Array(400).fill(1) },
    ];
    for (const c of cases) {
      const d = decodeCommand(encodeCommand(c));
      expect(hex(encodeCommand(d))).toBe(hex(encodeCommand(c)));
      expect(d.ne).toBe(c.ne);
    }
  });
  it('refuses inconsistent lengths', () => {
    expect(() => decodeCommand(fromHex('00A4'))).toThrow(ApduError);
    expect(() => decodeCommand(fromHex('00A4020C05011E'))).toThrow(ApduError);
    expect(() => decodeCommand(fromHex('00A4020C0000'))).toThrow(ApduError);
    expect(() => decodeCommand(fromHex('00A4020C000005011E'))).toThrow(ApduError);
  });
});

describe('responses and status words', () => {
  it('splits data and SW', () => {
    const r = parseResponse(fromHex('01029000'));
    expect(hex(r.data)).toBe('0102');
    expect(r.sw).toBe(0x9000);
    expect(hex(encodeResponse(r))).toBe('01029000');
    expect(() => parseResponse(fromHex('90'))).toThrow(ApduError);
  });
  it('names status words', () => {
    expect(swName(0x6a82)).toBe('6A82 file or application not found');
    expect(swName(0x6d00)).toMatch(/instruction not supported/);
    expect(swName(0x63c2)).toMatch(/2 tries left/);
    expect(swName(0x6c10)).toMatch(/exact length 16/);
    expect(swName(0x1234)).toBe('1234 unknown status');
  });
});

describe('decodeCommand on arbitrary bytes', async () => {
  const fc = (await import('fast-check')).default;
  it('returns a command that re-encodes to the same bytes, or throws APDU_MALFORMED', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
      try {
        const c = decodeCommand(bytes);
        expect(hex(encodeCommand(c, c.extended))).toBe(hex(bytes));
      } catch (e) {
        expect(e).toBeInstanceOf(ApduError);
      }
    }), { numRuns: 5000 });
  });
});
