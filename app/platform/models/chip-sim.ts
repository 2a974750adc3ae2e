import type { RgbImage } from '../../core/face/rgb-image.ts';
import { encodeJpeg2000 } from '../image/openjpeg.ts';
import { rgbToSharp } from './image.ts';

/**
 * Makes a chip-like portrait from a photo, to measure what chip compression costs: downscale to fit
 * 240×320 (a CCCD DG2 image's size) and compress to about 10 KB.
 */
export async function chipSized(img: RgbImage): Promise<RgbImage> {
  const { data, info } = await rgbToSharp(img).resize(240, 320, { fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/** Highest JPEG quality whose output fits `maxBytes` (binary search over quality 5…95). */
export async function chipJpeg(img: RgbImage, maxBytes = 10_000): Promise<Uint8Array> {
  const small = await chipSized(img);
  let lo = 5, hi = 95;
  let best = await rgbToSharp(small).jpeg({ quality: lo }).toBuffer();
  while (lo <= hi) {
    const q = (lo + hi) >> 1;
    const out = await rgbToSharp(small).jpeg({ quality: q }).toBuffer();
    if (out.length <= maxBytes) {
      best = out;
      lo = q + 1;
    } else hi = q - 1;
  }
  return new Uint8Array(best.buffer, best.byteOffset, best.length);
}

/**
 * JPEG 2000 version at 240×320. The bundled OpenJPEG build ignores rate targets (see app/platform/image/openjpeg.ts), so
 * this cannot be made ~10 KB: it is the encoder's lossy 9/7 output at chip size, and callers report the
 * size actually produced. (Shrinking until it fits would test resolution, not compression.)
 */
export async function chipJpeg2000(img: RgbImage): Promise<Uint8Array> {
  return encodeJpeg2000(await chipSized(img));
}
