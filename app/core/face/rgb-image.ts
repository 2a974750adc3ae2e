/**
 * Pixels as the face pipeline takes them: a decoded chip portrait or camera frame. One type for
 * every decoder (sharp, OpenJPEG) and every consumer (the face engine, the journey's face step).
 */
import { KioskError } from '../errors.ts';

/** Interleaved 8-bit RGB, width × height × 3 bytes. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Decoded samples as a decoder gives them: 1 (grey), 3 (RGB) or 4 (RGBA) interleaved 8-bit channels. */
export interface RawImage {
  readonly width: number;
  readonly height: number;
  readonly channels: number;
  readonly data: Uint8Array;
}

/** Grey, RGB or RGBA samples → RGB (IMAGE_UNSUPPORTED for any other channel count). */
export function rgbFromRaw(img: RawImage): RgbImage {
  const n = img.width * img.height;
  if (img.channels === 3) return { width: img.width, height: img.height, data: img.data.subarray(0, n * 3) };
  if (img.channels !== 1 && img.channels !== 4) throw new KioskError('IMAGE_UNSUPPORTED', `image with ${img.channels} channels is not supported`);
  const data = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const s = img.channels === 1 ? i : i * 4;
    data[i * 3] = img.data[s]!;
    data[i * 3 + 1] = img.data[img.channels === 1 ? s : s + 1]!;
    data[i * 3 + 2] = img.data[img.channels === 1 ? s : s + 2]!;
  }
  return { width: img.width, height: img.height, data };
}
