import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand, encodeResponse, parseResponse } from '../../app/core/icao/apdu.ts';
import { fromHex, hex } from '../../app/core/icao/crypto.ts';
import { SecureMessaging, SmError, responseOverhead, type SmKeys } from '../../app/core/icao/secure-messaging.ts';

// ICAO 9303-11 Appendix D.4, reference §3.3.
const TDES: SmKeys = { alg: 'DESede', kEnc: fromHex('979EC13B1CBFE9DCD01AB0FED307EAE5'), kMac: fromHex('F1CB1F1FB5ADF208806B89DC579DC1F8') };
const SSC0 = fromHex('887022120C06C226');

describe('3DES secure messaging, Appendix D.4', () => {
  it('protects SELECT, READ BINARY ×2 and opens each response, SSC step by step', () => {
    const sm = new SecureMessaging(TDES, SSC0);

    const select = sm.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') });
    expect(hex(sm.ssc)).toBe('887022120C06C227');
    expect(hex(encodeCommand(select))).toBe('0CA4020C158709016375432908C044F68E08BF8B92D635FF24F800');
    const r1 = sm.openResponse(parseResponse(fromHex('990290008E08FA855A5D4C50A8ED9000')));
    expect(hex(sm.ssc)).toBe('887022120C06C228');
    expect(r1.sw).toBe(0x9000);
    expect(r1.data.length).toBe(0);

    const read1 = sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    expect(hex(sm.ssc)).toBe('887022120C06C229');
    expect(hex(encodeCommand(read1))).toBe('0CB000000D9701048E08ED6705417E96BA5500');
    const r2 = sm.openResponse(parseResponse(fromHex('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000')));
    expect(hex(sm.ssc)).toBe('887022120C06C22A');
    expect(hex(r2.data)).toBe('60145F01');

    const read2 = sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 4, ne: 0x12 });
    expect(hex(sm.ssc)).toBe('887022120C06C22B');
    expect(hex(encodeCommand(read2))).toBe('0CB000040D9701128E082EA28A70F3C7B53500');
    const r3 = sm.openResponse(parseResponse(fromHex('871901FB9235F4E4037F2327DCC8964F1F9B8C30F42C8E2FFF224A990290008E08C8B2787EAEA07D749000')));
    expect(hex(sm.ssc)).toBe('887022120C06C22C');
    expect(hex(r3.data)).toBe('04303130365F36063034303030305C026175');
  });

  it('the chip side reproduces the same responses (mirror image)', () => {
    // Both sides start where D.4's first READ BINARY starts (after the SELECT exchange).
    const t2 = new SecureMessaging(TDES, fromHex('887022120C06C228'));
    const c2 = new SecureMessaging(TDES, fromHex('887022120C06C228'));
    const plain = c2.openCommand(decodeCommand(encodeCommand(t2.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }))));
    expect(plain).toMatchObject({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 });
    const resp = c2.protectResponse({ data: fromHex('60145F01'), sw: 0x9000 });
    expect(hex(encodeResponse(resp))).toBe('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000');
    expect(hex(t2.openResponse(resp).data)).toBe('60145F01');
  });

  it('checks the response MAC before using anything', () => {
    const sm = new SecureMessaging(TDES, fromHex('887022120C06C229'));
    const tampered = fromHex('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000');
    tampered[4]! ^= 1; // ciphertext byte
    expect(() => sm.openResponse(parseResponse(tampered))).toThrow(expect.objectContaining({ code: 'SM_MAC_INVALID' }) as Error);
    const tamperedSw = fromHex('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000');
    tamperedSw[13] = 0x6a; // DO99 status
    const sm2 = new SecureMessaging(TDES, fromHex('887022120C06C229'));
    expect(() => sm2.openResponse(parseResponse(tamperedSw))).toThrow(SmError);
  });

  it('a replayed response (wrong SSC) fails', () => {
    const sm = new SecureMessaging(TDES, fromHex('887022120C06C22A'));
    expect(() => sm.openResponse(parseResponse(fromHex('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000'))))
      .toThrow(expect.objectContaining({ code: 'SM_MAC_INVALID' }) as Error);
  });

  it('typed errors for malformed, unprotected and aborted responses', () => {
    const sm = () => new SecureMessaging(TDES, SSC0);
    expect(() => sm().openResponse({ data: new Uint8Array(0), sw: 0x9000 })).toThrow(expect.objectContaining({ code: 'SM_RESPONSE_UNPROTECTED' }) as Error);
    expect(() => sm().openResponse({ data: new Uint8Array(0), sw: 0x6988 })).toThrow(expect.objectContaining({ code: 'SM_SESSION_ABORTED' }) as Error);
    expect(sm().openResponse({ data: new Uint8Array(0), sw: 0x6a82 }).sw).toBe(0x6a82);
    expect(() => sm().openResponse({ data: fromHex('9902'), sw: 0x9000 })).toThrow(expect.objectContaining({ code: 'SM_RESPONSE_MALFORMED' }) as Error);
    expect(() => sm().openResponse({ data: fromHex('99029000'), sw: 0x9000 })).toThrow(expect.objectContaining({ code: 'SM_RESPONSE_MALFORMED' }) as Error);
  });

  it('the chip refuses a command with a bad MAC', () => {
    const t = new SecureMessaging(TDES, SSC0);
    const c = new SecureMessaging(TDES, SSC0);
    const cmd = t.protectCommand({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') });
    const bad = { ...cmd, p2: 0x00 };
    expect(() => c.openCommand(bad)).toThrow(expect.objectContaining({ code: 'SM_MAC_INVALID' }) as Error);
  });
});

describe('AES secure messaging (gmrtd vector)', () => {
  const AES: SmKeys = { alg: 'AES-128', kEnc: fromHex('cc86415f2ed7e8fd663b754265695ae1'), kMac: fromHex('581e84b8ee06c4d3eee30461498d7fb3') };
  it('protects MSE:Set AT, opens its response, then a GENERAL AUTHENTICATE round', () => {
    const sm = new SecureMessaging(AES, fromHex('000000000000000000000000000000ba'));
    const mse = sm.protectCommand({ cla: 0, ins: 0x22, p1: 0x41, p2: 0xa4, data: fromHex('800a04007f000702020302028401c3') });
    expect(hex(sm.ssc)).toBe('000000000000000000000000000000BB');
    expect(hex(encodeCommand(mse))).toBe('0C2241A41D871101980953D37F67558690045D78A853B18A8E08929767A2CEF172E200');
    expect(sm.openResponse(parseResponse(fromHex('990290008E08FC873EBB62219C8A9000'))).sw).toBe(0x9000);
    // Response of the following GENERAL AUTHENTICATE (SSC ...BE): MAC verifies, data decrypts.
    sm.protectCommand({ cla: 0, ins: 0x86, p1: 0, p2: 0, data: new Uint8Array(4), ne: 256 });
    const ga = sm.openResponse(parseResponse(fromHex('87110123E7159AC9B0EF92CE1F6755B89697E3990290008E088972F1595E1508C29000')));
    expect(ga.sw).toBe(0x9000);
    expect(ga.data.length).toBeGreaterThan(0);
    expect(ga.data.length).toBeLessThan(16);
  });
  it('AES chip and terminal agree on a long extended response', () => {
    const t = new SecureMessaging(AES, new Uint8Array(16));
    const c = new SecureMessaging(AES, new Uint8Array(16));
    const cmd = decodeCommand(encodeCommand(t.protectCommand({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4000 })));
    expect(cmd.extended).toBe(true);
    expect(c.openCommand(cmd).ne).toBe(4000);
    const data = new Uint8Array(4000).map((_, i) => i & 0xff);
    const resp = c.protectResponse({ data, sw: 0x9000 });
    expect(resp.data.length + 2).toBe(4000 + responseOverhead(4000, 16));
    expect(hex(t.openResponse(resp).data)).toBe(hex(data));
  });
});

describe('SM sizing', () => {
  it('0xDF is the largest AES read that fits a short response, 0xE7 for 3DES', () => {
    expect(0xdf + responseOverhead(0xdf, 16)).toBeLessThanOrEqual(258);
    expect(0xe0 + responseOverhead(0xe0, 16)).toBeGreaterThan(258);
    expect(0xe7 + responseOverhead(0xe7, 8)).toBeLessThanOrEqual(258);
    expect(0xe8 + responseOverhead(0xe8, 8)).toBeGreaterThan(258);
  });
});

describe('robustness (property tests)', async () => {
  const fc = (await import('fast-check')).default;
  const { KioskError } = await import('../../app/core/errors.ts');
  const typed = (f: () => unknown) => {
    try { f(); } catch (e) { if (!(e instanceof KioskError)) throw e; }
  };
  it('opening random or mutated responses only ever throws typed errors', () => {
    const good = fromHex('8709019FF0EC34F9922651990290008E08AD55CC17140B2DED9000');
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffff }), (data, sw) => {
      typed(() => new SecureMessaging(TDES, SSC0).openResponse({ data, sw }));
    }), { numRuns: 3000 });
    fc.assert(fc.property(fc.integer({ min: 0, max: good.length - 3 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
      const m = good.slice();
      m[at]! ^= x;
      const sm = new SecureMessaging(TDES, fromHex('887022120C06C229'));
      // A mutated response must never open successfully with other data.
      try {
        const r = sm.openResponse(parseResponse(m));
        expect(hex(r.data)).toBe('60145F01');
      } catch (e) { expect(e).toBeInstanceOf(KioskError); }
    }), { numRuns: 2000 });
  });
  it('the chip side opening random commands only ever throws typed errors', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 300 }), (bytes) => {
      typed(() => new SecureMessaging(TDES, SSC0).openCommand(decodeCommand(bytes)));
    }), { numRuns: 3000 });
  });
});
