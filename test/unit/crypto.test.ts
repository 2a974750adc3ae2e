import { describe, expect, it } from 'vitest';
import {
  adjustParity, aesCbcDecrypt, aesCbcEncrypt, aesCmac, fromHex, hex, kdf, pad, retailMac, sha1,
  tdesCbcDecrypt, tdesCbcEncrypt, unpad, CryptoInputError, KDF_ENC, KDF_MAC, KDF_PACE,
} from '../../app/core/icao/crypto.ts';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('ICAO 9303-11 Appendix D.2 key derivation', () => {
  const kseed = sha1(ascii('L898902C<369080619406236')).slice(0, 16);
  it('derives Kseed from MRZ_information', () => {
    expect(hex(sha1(ascii('L898902C<369080619406236')))).toBe('239AB9CB282DAF66231DC5A4DF6BFBAEDF477565');
    expect(hex(kseed)).toBe('239AB9CB282DAF66231DC5A4DF6BFBAE');
  });
  it('derives Kenc and Kmac with parity adjusted', () => {
    expect(hex(kdf(kseed, KDF_ENC, 'DESede'))).toBe('AB94FDECF2674FDFB9B391F85D7F76F2');
    expect(hex(kdf(kseed, KDF_MAC, 'DESede'))).toBe('7962D9ECE03D1ACD4C76089DCE131543');
  });
  it('parity adjustment turns the raw hash into the key', () => {
    expect(hex(adjustParity(fromHex('AB94FCEDF2664EDFB9B291F85D7F77F2')))).toBe('AB94FDECF2674FDFB9B391F85D7F76F2');
  });
  it('derives session keys from KSseed', () => {
    const ksSeed = fromHex('0036D272F5C350ACAC50C3F572D23600');
    expect(hex(kdf(ksSeed, KDF_ENC, 'DESede'))).toBe('979EC13B1CBFE9DCD01AB0FED307EAE5');
    expect(hex(kdf(ksSeed, KDF_MAC, 'DESede'))).toBe('F1CB1F1FB5ADF208806B89DC579DC1F8');
  });
  it('derives the PACE password key Kπ (Appendix G, AES-128, SHA-1)', () => {
    const k = sha1(ascii('T22000129364081251010318'));
    expect(hex(k)).toBe('7E2D2A41C74EA0B38CD36F863939BFA8E9032AAD');
    expect(hex(kdf(k, KDF_PACE, 'AES-128'))).toBe('89DED1B26624EC1E634C1989302849DD');
  });
  it('uses SHA-256 for AES-192/256 keys', () => {
    const a = kdf(fromHex('00'), 1, 'AES-256');
    const b = kdf(fromHex('00'), 1, 'AES-192');
    expect(a.length).toBe(32);
    expect(b.length).toBe(24);
    expect(hex(b)).toBe(hex(a.slice(0, 24)));
    expect(hex(kdf(fromHex('00'), 1, 'AES-128'))).not.toBe(hex(a.slice(0, 16)));
  });
});

describe('3DES-CBC and retail MAC (Appendix D.3)', () => {
  const kEnc = fromHex('AB94FDECF2674FDFB9B391F85D7F76F2');
  const kMac = fromHex('7962D9ECE03D1ACD4C76089DCE131543');
  const s = fromHex('781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B');
  const eIfd = '72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2';
  it('encrypts S to E.IFD and back', () => {
    expect(hex(tdesCbcEncrypt(kEnc, s))).toBe(eIfd);
    expect(hex(tdesCbcDecrypt(kEnc, fromHex(eIfd)))).toBe(hex(s));
  });
  it('computes M.IFD with the retail MAC over the padded cryptogram', () => {
    expect(hex(retailMac(kMac, pad(fromHex(eIfd))))).toBe('5F1448EEA8AD90A7');
  });
  it('a single changed bit changes the MAC', () => {
    const tampered = fromHex(eIfd);
    tampered[3]! ^= 1;
    expect(hex(retailMac(kMac, pad(tampered)))).not.toBe('5F1448EEA8AD90A7');
  });
  it('refuses data that is not whole blocks and wrong key sizes', () => {
    expect(() => retailMac(kMac, fromHex('0102'))).toThrow(CryptoInputError);
    expect(() => tdesCbcEncrypt(fromHex('01'), new Uint8Array(8))).toThrow(CryptoInputError);
  });
});

describe('padding method 2', () => {
  it('always adds a marker, even on a whole block', () => {
    expect(hex(pad(fromHex('0102')))).toBe('0102800000000000');
    expect(hex(pad(new Uint8Array(8)))).toBe('00000000000000008000000000000000');
    expect(pad(new Uint8Array(3), 16).length).toBe(16);
  });
  it('unpads and rejects a missing marker', () => {
    expect(hex(unpad(fromHex('0102800000000000')))).toBe('0102');
    expect(() => unpad(fromHex('0102000000000000'))).toThrow(CryptoInputError);
    expect(() => unpad(new Uint8Array(0))).toThrow(CryptoInputError);
  });
});

describe('AES', () => {
  // NIST SP 800-38B / RFC 4493 examples.
  const msg = fromHex('6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e5130c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710');
  it('AES-128 CMAC examples 1-4', () => {
    const k = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
    expect(hex(aesCmac(k, new Uint8Array(0)))).toBe('BB1D6929E95937287FA37D129B756746');
    expect(hex(aesCmac(k, msg.slice(0, 16)))).toBe('070A16B46B4D4144F79BDD9DD04A287C');
    expect(hex(aesCmac(k, msg.slice(0, 40)))).toBe('DFA66747DE9AE63030CA32611497C827');
    expect(hex(aesCmac(k, msg))).toBe('51F0BEBF7E3B9D92FC49741779363CFE');
  });
  it('AES-192 and AES-256 CMAC', () => {
    expect(hex(aesCmac(fromHex('8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b'), new Uint8Array(0)))).toBe('D17DDF46ADAACDE531CAC483DE7A9367');
    expect(hex(aesCmac(fromHex('603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4'), msg))).toBe('E1992190549F6ED5696A2C056C315410');
  });
  it('AES-CBC round trip (SP 800-38A F.2.1)', () => {
    const k = fromHex('2b7e151628aed2a6abf7158809cf4f3c');
    const iv = fromHex('000102030405060708090a0b0c0d0e0f');
    const ct = aesCbcEncrypt(k, msg.slice(0, 16), iv);
    expect(hex(ct)).toBe('7649ABAC8119B246CEE98E9B12E9197D');
    expect(hex(aesCbcDecrypt(k, ct, iv))).toBe(hex(msg.slice(0, 16)));
  });
});
