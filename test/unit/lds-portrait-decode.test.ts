import { describe, expect, it } from 'vitest';
import { KioskError } from '../../app/core/errors.ts';
import { concatBytes } from '../../app/core/icao/tlv.ts';
import { decodePortrait, MAX_PORTRAIT_PIXELS } from '../../app/platform/image/decode.ts';
import { decodeJpeg2000, jpeg2000Codestream } from '../../app/platform/image/openjpeg.ts';
import { personaPortrait } from '../../app/sim/personas/portraits.ts';
import { signedPortrait } from './portrait.fixture.ts';

const box = (type: string, body: Uint8Array) => {
  const head = new Uint8Array(8);
  new DataView(head.buffer).setUint32(0, 8 + body.length);
  head.set(new TextEncoder().encode(type), 4);
  return concatBytes(head, body);
};

describe('portrait decoding', () => {
  it('decodes a JP2 file (box structure) as well as a bare codestream', async () => {
    const j2k = (await personaPortrait('jpeg2000')).image;
    const jp2 = concatBytes(
      Uint8Array.of(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a),
      box('ftyp', new TextEncoder().encode('jp2 \0\0\0\0jp2 ')),
      box('jp2h', box('ihdr', new Uint8Array(14))),
      box('jp2c', j2k),
    );
    expect(Buffer.from(jpeg2000Codestream(jp2)).equals(Buffer.from(j2k))).toBe(true);
    const a = await decodeJpeg2000(jp2, MAX_PORTRAIT_PIXELS);
    const b = await decodePortrait(signedPortrait('jpeg2000', j2k)!);
    expect([a.width, a.height]).toEqual([120, 160]);
    expect(Buffer.from(a.data).equals(Buffer.from(b.data))).toBe(true);
  });

  it('fails with typed errors on broken images', async () => {
    const truncated = Uint8Array.of(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 0, 0, 0, 99, 0x6a);
    expect(() => jpeg2000Codestream(truncated)).toThrow(KioskError);
    await expect(decodePortrait(signedPortrait('jpeg', Uint8Array.of(0xff, 0xd8, 0xff, 0x00))!)).rejects.toBeInstanceOf(KioskError);
    await expect(decodePortrait(signedPortrait('jpeg2000', Uint8Array.of(0xff, 0x4f, 0xff, 0x51, 0, 1, 2))!)).rejects.toBeInstanceOf(KioskError);
  });

  it('only a portrait whose DG2 matches a verifying SOD signature reaches the decoders', async () => {
    const j2k = (await personaPortrait('jpeg2000')).image;
    expect(signedPortrait('jpeg2000', j2k)).toBeDefined();
    expect(signedPortrait('jpeg2000', j2k, { signer: 'forger' })).toBeDefined(); // signed, just not by anyone trusted
    expect(signedPortrait('jpeg2000', j2k, { alteredAfterSigning: true })).toBeUndefined();
  });
});
