/**
 * Image decoding, all of it: a DG2 portrait (JPEG or JPEG 2000) into RGB pixels for the face step,
 * and into a JPEG for `read --out`; a camera frame or an evaluation photo into RGB pixels. JPEG, PNG
 * and WebP go through sharp (libvips); JPEG 2000 through OpenJPEG/WASM (openjpeg.ts).
 *
 * For a portrait only a VerifiedPortrait is accepted (DG2 matched the signed SOD; see app/core/icao/portrait.ts), and
 * its declared dimensions are capped before any decoder allocates pixels: a hostile image that a
 * forger signed with their own DSC is refused in milliseconds (PORTRAIT_TOO_LARGE).
 */
import sharp from 'sharp';
import { KioskError } from '../../core/errors.ts';
import { rgbFromRaw, type RgbImage } from '../../core/face/rgb-image.ts';
import type { VerifiedPortrait } from '../../core/icao/portrait.ts';
import { decodeJpeg2000, isJpeg2000 } from './openjpeg.ts';

/** Largest portrait decoded: 2048×2048. ICAO portraits are a few hundred pixels a side. */
export const MAX_PORTRAIT_PIXELS = 2048 * 2048;

/** A JPEG's declared size from its header, refused above the cap (sharp reads only the header here). */
async function checkJpegSize(bytes: Uint8Array): Promise<void> {
  let meta;
  try {
    // Header only (no pixels are decoded here), so no pixel limit: we want the declared size, to refuse it.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new KioskError('IMAGE_DECODE_FAILED', 'JPEG image cannot be decoded');
  }
  if (meta.format !== 'jpeg') throw new KioskError('IMAGE_DECODE_FAILED', `portrait declared JPEG is ${meta.format ?? 'unknown'}`);
  const [w, h] = [meta.width ?? 0, meta.height ?? 0];
  if (w * h > MAX_PORTRAIT_PIXELS) {
    throw new KioskError('PORTRAIT_TOO_LARGE', `JPEG declares ${w}×${h} (at most ${MAX_PORTRAIT_PIXELS} pixels)`, { width: w, height: h });
  }
}

/** Decodes a verified portrait to 8-bit RGB. */
export async function decodePortrait(portrait: VerifiedPortrait): Promise<RgbImage> {
  if (portrait.format === 'jpeg2000') return decodeJpeg2000(portrait.bytes, MAX_PORTRAIT_PIXELS);
  await checkJpegSize(portrait.bytes);
  try {
    return await rgbOf(sharp(portrait.bytes, { limitInputPixels: MAX_PORTRAIT_PIXELS }));
  } catch (e) {
    if (e instanceof KioskError) throw e;
    throw new KioskError('IMAGE_DECODE_FAILED', 'JPEG image cannot be decoded');
  }
}

/**
 * Decodes a camera frame or a photo: JPEG, PNG, WebP (honouring EXIF orientation) or JPEG 2000
 * (chip portraits, capped as every JPEG 2000 decode is). Any failure is FACE_IMAGE_UNREADABLE.
 */
export async function decodeImage(bytes: Uint8Array): Promise<RgbImage> {
  try {
    if (isJpeg2000(bytes)) return await decodeJpeg2000(bytes, MAX_PORTRAIT_PIXELS);
    return await rgbOf(sharp(bytes, { failOn: 'error' }).rotate());
  } catch (e) {
    throw new KioskError('FACE_IMAGE_UNREADABLE', `image could not be decoded: ${e instanceof Error ? e.message : e}`);
  }
}

/** What sharp decodes, as 8-bit RGB (alpha dropped, grey spread). */
async function rgbOf(image: sharp.Sharp): Promise<RgbImage> {
  const { data, info } = await image.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  return rgbFromRaw({ width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

/** Encodes RGB pixels as a JPEG (for `read --out`). */
export async function encodeJpeg(image: RgbImage, quality = 90): Promise<Uint8Array> {
  const out = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({ quality }).toBuffer();
  return new Uint8Array(out);
}

/**
 * A verified portrait as JPEG bytes whatever its chip format. A JPEG passes through unchanged once
 * its declared size is within the cap (whoever decodes it next gets no bomb).
 */
export async function portraitAsJpeg(portrait: VerifiedPortrait): Promise<Uint8Array> {
  if (portrait.format === 'jpeg') {
    await checkJpegSize(portrait.bytes);
    return portrait.bytes;
  }
  return encodeJpeg(await decodePortrait(portrait));
}
