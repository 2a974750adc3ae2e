import { constants, createHash, generateKeyPairSync, privateEncrypt, randomBytes, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeTlv } from '../../app/core/icao/tlv.ts';
import { ecdsaHashFor, performActiveAuthentication, verifyIso9796Scheme1 } from '../../app/core/icao/active-auth.ts';
import { bytesToBigInt, bigIntToBytes } from '../../app/core/icao/pace-groups.ts';
import type { ApduChannel } from '../../app/core/icao/transport.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const challenge = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8]);

/** ISO/IEC 9796-2 scheme 1, partial recovery, as a chip computes it (trailer BC or 34CC for SHA-256). */
function sign9796(m2: Uint8Array, hash: 'sha1' | 'sha256' = 'sha1', alternative = false): Uint8Array {
  const k = 128;
  const hLen = hash === 'sha1' ? 20 : 32;
  const trailer = hash === 'sha1' ? [0xbc] : [0x34, 0xcc];
  const m1 = new Uint8Array(randomBytes(k - 1 - hLen - trailer.length));
  const h = createHash(hash).update(m1).update(m2).digest();
  const f = Uint8Array.from([0x6a, ...m1, ...h, ...trailer]);
  const s = new Uint8Array(privateEncrypt({ key: rsa.privateKey, padding: constants.RSA_NO_PADDING }, f));
  if (!alternative) return s;
  const n = bytesToBigInt(Buffer.from(rsa.publicKey.export({ format: 'jwk' }).n!, 'base64url'));
  return bigIntToBytes(n - bytesToBigInt(s), k);
}

describe('ISO/IEC 9796-2 scheme 1 verification', () => {
  it('accepts SHA-1 (BC), SHA-256 (34CC) and the min(s, n-s) form', () => {
    expect(verifyIso9796Scheme1(rsa.publicKey, challenge, sign9796(challenge))).toBe(true);
    expect(verifyIso9796Scheme1(rsa.publicKey, challenge, sign9796(challenge, 'sha256'))).toBe(true);
    expect(verifyIso9796Scheme1(rsa.publicKey, challenge, sign9796(challenge, 'sha1', true))).toBe(true);
  });
  it('refuses another challenge, a flipped bit and another key', () => {
    const sig = sign9796(challenge);
    expect(verifyIso9796Scheme1(rsa.publicKey, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 9]), sig)).toBe(false);
    const bad = sig.slice();
    bad[10]! ^= 1;
    expect(verifyIso9796Scheme1(rsa.publicKey, challenge, bad)).toBe(false);
    expect(verifyIso9796Scheme1(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey, challenge, sig)).toBe(false);
  });
});

function dg15Of(publicKey: import('node:crypto').KeyObject): Uint8Array {
  return encodeTlv(0x6f, new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
}
const channelAnswering = (answer: (c: Uint8Array) => Uint8Array, sw = 0x9000): ApduChannel => ({
  transport: undefined as never,
  send: async (cmd) => {
    expect(cmd.ins).toBe(0x88);
    expect(cmd.data?.length).toBe(8);
    return { data: sw === 0x9000 ? answer(cmd.data!) : new Uint8Array(0), sw };
  },
});

describe('performActiveAuthentication', () => {
  it('RSA: a fresh challenge each time, verified with DG15', async () => {
    const seen: string[] = [];
    const ch = channelAnswering((c) => { seen.push(Buffer.from(c).toString('hex')); return sign9796(c); });
    await performActiveAuthentication(ch, dg15Of(rsa.publicKey));
    await performActiveAuthentication(ch, dg15Of(rsa.publicKey));
    expect(seen[0]).not.toBe(seen[1]);
  });
  it('ECDSA plain signatures, hash from DG14 or by key size', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
    const ok = channelAnswering((c) => new Uint8Array(sign('sha256', c, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' })));
    await performActiveAuthentication(ok, dg15Of(ec.publicKey));
    await performActiveAuthentication(ok, dg15Of(ec.publicKey), { signatureAlgorithm: '0.4.0.127.0.7.1.1.4.1.3' });
    await expect(performActiveAuthentication(ok, dg15Of(ec.publicKey), { signatureAlgorithm: '0.4.0.127.0.7.1.1.4.1.5' }))
      .rejects.toMatchObject({ code: 'AA_SIGNATURE_INVALID' });
    expect(ecdsaHashFor(undefined, 48)).toBe('sha384');
  });
  it('a clone signing with another key, or refusing, fails', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const clone = channelAnswering((c) => {
      const f = Uint8Array.from([0x6a, ...randomBytes(106), ...createHash('sha1').update(c).digest(), 0xbc]);
      return new Uint8Array(privateEncrypt({ key: other.privateKey, padding: constants.RSA_NO_PADDING }, f));
    });
    await expect(performActiveAuthentication(clone, dg15Of(rsa.publicKey))).rejects.toMatchObject({ code: 'AA_SIGNATURE_INVALID' });
    await expect(performActiveAuthentication(channelAnswering(() => new Uint8Array(0), 0x6d00), dg15Of(rsa.publicKey))).rejects.toMatchObject({ code: 'AA_REFUSED' });
  });
});
