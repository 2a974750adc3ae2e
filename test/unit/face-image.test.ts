import { describe, expect, it } from 'vitest';
import { letterbox } from '../../app/core/face/letterbox.ts';
import type { RgbImage } from '../../app/core/face/rgb-image.ts';
import { encodeJpeg2000, isJpeg2000 } from '../../app/platform/image/openjpeg.ts';
import { decodeImage } from '../../app/platform/image/decode.ts';
import { letterboxPixels, pyramidLevel, warpToPlanar } from '../../app/platform/models/image.ts';

function gradient(width: number, height: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const i = (y * width + x) * 3;
    data[i] = (x * 255) / (width - 1);
    data[i + 1] = (y * 255) / (height - 1);
    data[i + 2] = 128;
  }
  return { width, height, data };
}

describe('image helpers', () => {
  it('JPEG 2000 (chip portraits) round-trips through the OpenJPEG codec', async () => {
    const img = gradient(48, 64);
    const j2k = await encodeJpeg2000(img);
    expect(isJpeg2000(j2k)).toBe(true);
    const back = await decodeImage(j2k);
    expect([back.width, back.height]).toEqual([48, 64]);
    const mae = back.data.reduce((s, v, i) => s + Math.abs(v - img.data[i]!), 0) / img.data.length;
    expect(mae).toBeLessThan(3);
  });

  it('letterboxes without stretching: padding is grey, content keeps its aspect', async () => {
    const img = gradient(100, 200);
    const lb = letterbox(100, 200, 320, 240);
    const px = await letterboxPixels(img, lb);
    expect(px.length).toBe(320 * 240 * 3);
    expect(lb.width).toBe(120);
    expect(Array.from(px.subarray(0, 3))).toEqual([127, 127, 127]); // top-left is padding
    const mid = (120 * 320 + 160) * 3;
    expect(px[mid + 2]).toBeGreaterThan(120); // blue channel 128 inside the content
  });

  it('an identity warp reproduces the pixels; a 4× shrink samples a pyramid level', () => {
    const img = gradient(16, 16);
    const out = warpToPlanar(img, [1, 0, 0, 0, 1, 0], 16);
    expect(out[5 * 16 + 7]).toBeCloseTo(img.data[(5 * 16 + 7) * 3]!, 3);
    expect(out[256 + 5 * 16 + 7]).toBeCloseTo(img.data[(5 * 16 + 7) * 3 + 1]!, 3);
    const big = gradient(64, 64);
    const level = pyramidLevel(big, 4);
    expect(level.factor).toBe(0.5);
    expect(pyramidLevel(big, 4).img).toBe(level.img); // built once, reused
  });

  it('names undecodable bytes', async () => {
    await expect(decodeImage(Uint8Array.from([0, 1, 2, 3]))).rejects.toMatchObject({ code: 'FACE_IMAGE_UNREADABLE' });
  });
});
