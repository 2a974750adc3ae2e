/**
 * Turns a DG2 portrait (JPEG or JPEG 2000) into RGB pixels for the face matcher, and into a JPEG
 * for `read --out` and the UI. JPEG goes through sharp (libvips); JPEG 2000 through OpenJPEG/WASM.
 */
import sharp from 'sharp';
import { KioskError } from '../../core/errors.ts';
import type { ImageFormat } from '../../core/icao/lds/dg2.ts';
import { decodeJpeg2000, type RawImage } from './openjpeg.ts';

export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** Interleaved 8-bit RGB, width*height*3 bytes. */
  readonly rgb: Uint8Array;
}

/** Decodes a portrait to 8-bit RGB. */
export async function decodePortrait(format: ImageFormat, bytes: Uint8Array): Promise<RgbImage> {
  if (format === 'jpeg2000') return toRgb(await decodeJpeg2000(bytes));
  try {
    const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    return toRgb({ width: info.width, height: info.height, channels: info.channels, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  } catch (e) {
    if (e instanceof KioskError) throw e;
    throw new KioskError('IMAGE_DECODE_FAILED', 'JPEG image cannot be decoded');
  }
}

function toRgb(img: RawImage): RgbImage {
  const n = img.width * img.height;
  if (img.channels === 3) return { width: img.width, height: img.height, rgb: img.data.subarray(0, n * 3) };
  if (img.channels !== 1 && img.channels !== 4) throw new KioskError('IMAGE_UNSUPPORTED', `image with ${img.channels} channels is not supported`);
  const rgb = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const s = img.channels === 1 ? i : i * 4;
    rgb[i * 3] = img.data[s]!;
    rgb[i * 3 + 1] = img.data[img.channels === 1 ? s : s + 1]!;
    rgb[i * 3 + 2] = img.data[img.channels === 1 ? s : s + 2]!;
  }
  return { width: img.width, height: img.height, rgb };
}

/** Encodes RGB pixels as a JPEG (for `--out` and the UI). */
export async function encodeJpeg(image: RgbImage, quality = 90): Promise<Uint8Array> {
  const out = await sharp(image.rgb, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({ quality }).toBuffer();
  return new Uint8Array(out);
}

/** A portrait as JPEG bytes whatever its chip format (JPEG passes through unchanged). */
export async function portraitAsJpeg(format: ImageFormat, bytes: Uint8Array): Promise<Uint8Array> {
  if (format === 'jpeg') return bytes;
  return encodeJpeg(await decodePortrait(format, bytes));
}
