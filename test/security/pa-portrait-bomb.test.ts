/**
 * Attack: a decompression bomb in DG2. A 195-byte JPEG 2000 codestream declaring 8000×8000×3 makes
 * OpenJPEG allocate gigabytes and spin for seconds; a JPEG header declaring 16000×16000 is still
 * under libvips' default pixel limit. Two defences: bytes the SOD does not sign never reach a
 * decoder, and a signed image (a forger can sign with their own DSC) is refused on its declared
 * size before anything is allocated.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../app/core/icao/tlv.ts';
import { decodeImage, decodePortrait, MAX_PORTRAIT_PIXELS, portraitAsJpeg } from '../../app/platform/image/decode.ts';
import { jpeg2000DeclaredSize } from '../../app/platform/image/openjpeg.ts';
import { signedPortrait } from '../unit/portrait.fixture.ts';

const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
const marker = (code: number, body: Uint8Array) => concatBytes(u16(code), u16(body.length + 2), body);

/** A well-formed J2K codestream (SOC, SIZ, COD, QCD, one tile of empty packets, EOC) declaring `size`×`size`. */
function j2kBomb(size: number, totalBytes = 195): Uint8Array {
  const siz = marker(0xff51, concatBytes(u16(0), u32(size), u32(size), u32(0), u32(0), u32(size), u32(size), u32(0), u32(0), u16(3), Uint8Array.of(7, 1, 1, 7, 1, 1, 7, 1, 1)));
  const cod = marker(0xff52, Uint8Array.of(0, 0, 0, 1, 1, 5, 4, 4, 0, 1)); // LRCP, 1 layer, MCT, 5 levels, 64×64 blocks, 5/3
  const qcd = marker(0xff5c, Uint8Array.of(0x40, ...new Array<number>(16).fill(0x40))); // no quantisation, 16 subbands
  const head = concatBytes(u16(0xff4f), siz, cod, qcd);
  const packets = new Uint8Array(totalBytes - head.length - 12 - 2 - 2); // empty packet headers (zero bytes)
  const sot = concatBytes(u16(0xff90), u16(10), u16(0), u32(12 + 2 + packets.length), Uint8Array.of(0, 1));
  return concatBytes(head, sot, u16(0xff93), packets, u16(0xffd9));
}

/** A real JPEG whose SOF header is rewritten to declare `w`×`h` (the scan data stays 8×8's). */
async function jpegDeclaring(w: number, h: number): Promise<Uint8Array> {
  const jpeg = new Uint8Array(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).jpeg().toBuffer());
  const sof = jpeg.findIndex((b, i) => b === 0xff && jpeg[i + 1] === 0xc0);
  jpeg.set([...u16(h), ...u16(w)], sof + 5);
  return jpeg;
}

async function timed(p: () => Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const t0 = performance.now();
  try {
    await p();
    return { error: undefined, ms: performance.now() - t0 };
  } catch (error) {
    return { error, ms: performance.now() - t0 };
  }
}

describe('attack: an image bomb in the DG2 portrait', () => {
  it('a 195-byte JPEG 2000 declaring 8000×8000 is refused (PORTRAIT_TOO_LARGE) in milliseconds', async () => {
    const bomb = j2kBomb(8000);
    expect(bomb.length).toBe(195);
    expect(jpeg2000DeclaredSize(bomb)).toEqual({ width: 8000, height: 8000, components: 3, tiles: 1 });
    const portrait = signedPortrait('jpeg2000', bomb, { signer: 'forger' })!; // signed, so it reaches the decoder
    const { error, ms } = await timed(() => decodePortrait(portrait));
    expect(error).toMatchObject({ code: 'PORTRAIT_TOO_LARGE', details: { width: 8000, height: 8000 } });
    expect(ms).toBeLessThan(100);
    await expect(portraitAsJpeg(portrait)).rejects.toMatchObject({ code: 'PORTRAIT_TOO_LARGE' });
  });

  it('the one JPEG 2000 wrapper caps every caller: the face pipeline\'s decoder (face-match, face-eval) refuses the bomb too', async () => {
    const { error, ms } = await timed(() => decodeImage(j2kBomb(8000)));
    expect(error).toMatchObject({ code: 'FACE_IMAGE_UNREADABLE', message: expect.stringContaining('8000×8000') });
    expect(ms).toBeLessThan(100);
  });

  it('a JPEG declaring 16000×16000 (under libvips\' default limit) is refused in milliseconds, also on pass-through', async () => {
    const jpeg = await jpegDeclaring(16000, 16000);
    expect(16000 * 16000).toBeLessThan(268_402_689); // sharp's own default would have let it decode
    const portrait = signedPortrait('jpeg', jpeg, { signer: 'forger' })!;
    for (const run of [() => decodePortrait(portrait), () => portraitAsJpeg(portrait)]) {
      const { error, ms } = await timed(run);
      expect(error).toMatchObject({ code: 'PORTRAIT_TOO_LARGE', details: { width: 16000, height: 16000 } });
      expect(ms).toBeLessThan(500);
    }
  });

  it('a bomb the SOD does not sign never reaches a decoder', async () => {
    expect(signedPortrait('jpeg2000', j2kBomb(8000), { alteredAfterSigning: true })).toBeUndefined();
    expect(signedPortrait('jpeg', await jpegDeclaring(16000, 16000), { alteredAfterSigning: true })).toBeUndefined();
  });

  it('control: a portrait at the cap still decodes', async () => {
    const side = Math.floor(Math.sqrt(MAX_PORTRAIT_PIXELS));
    const jpeg = new Uint8Array(await sharp({ create: { width: side, height: side, channels: 3, background: '#406080' } }).jpeg().toBuffer());
    const rgb = await decodePortrait(signedPortrait('jpeg', jpeg)!);
    expect([rgb.width, rgb.height]).toEqual([side, side]);
  });
});
