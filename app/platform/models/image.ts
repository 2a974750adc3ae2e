import sharp from 'sharp';
import { KioskError } from '../../core/errors.ts';
import { applyAffine, type Affine } from '../../core/face/geometry.ts';
import type { Letterbox } from '../../core/face/letterbox.ts';
import { decodeJpeg2000, isJpeg2000 } from './jpeg2000.ts';

/** Interleaved 8-bit RGB pixels. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Decodes JPEG, PNG, WebP (sharp, honouring EXIF orientation) or JPEG 2000 (chip portraits) to RGB. */
export async function decodeImage(bytes: Uint8Array): Promise<RgbImage> {
  if (isJpeg2000(bytes)) return decodeJpeg2000(bytes);
  try {
    const { data, info } = await sharp(bytes, { failOn: 'error' })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    throw new KioskError('FACE_IMAGE_UNREADABLE', `image could not be decoded: ${e instanceof Error ? e.message : e}`);
  }
}

export function rgbToSharp(img: RgbImage): sharp.Sharp {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } });
}

/** Resizes into a letterboxed model input (area-averaging downscale, grey padding) as RGB bytes. */
export async function letterboxPixels(img: RgbImage, lb: Letterbox, pad = 127): Promise<Uint8Array> {
  const right = lb.inputWidth - lb.width - lb.padX;
  const bottom = lb.inputHeight - lb.height - lb.padY;
  const buf = await rgbToSharp(img)
    .resize(lb.width, lb.height, { fit: 'fill', kernel: 'linear' })
    .extend({ left: lb.padX, top: lb.padY, right, bottom, background: { r: pad, g: pad, b: pad } })
    .raw()
    .toBuffer();
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
}

/**
 * Samples `size`×`size` output pixels through `outToSrc` (output → source affine) with bilinear
 * interpolation; outside the source reads as `fill`. Returns planar float RGB (C×H×W) in 0…255, the
 * layout every model here takes. When the warp shrinks the face a lot, pass a pre-shrunk source
 * (see `shrinkFor`) so bilinear sampling does not alias.
 */
export function warpToPlanar(img: RgbImage, outToSrc: Affine, size: number, fill = 0): Float32Array {
  const out = new Float32Array(3 * size * size);
  const plane = size * size;
  const { width: w, height: h, data } = img;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const p = applyAffine(outToSrc, { x: x + 0.5, y: y + 0.5 });
      const sx = p.x - 0.5, sy = p.y - 0.5;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      const o = y * size + x;
      for (let c = 0; c < 3; c++) {
        const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= w || yy >= h ? fill : data[(yy * w + xx) * 3 + c]!);
        const v = (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy) + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
        out[c * plane + o] = v;
      }
    }
  }
  return out;
}

/** A smaller copy of `img` when a warp would shrink it by more than 2×, and the factor used. */
export async function shrinkFor(img: RgbImage, warpScale: number): Promise<{ img: RgbImage; factor: number }> {
  if (warpScale >= 0.5) return { img, factor: 1 };
  const factor = Math.min(1, warpScale * 1.5);
  const width = Math.max(1, Math.round(img.width * factor));
  const height = Math.max(1, Math.round(img.height * factor));
  const buf = await rgbToSharp(img).resize(width, height, { fit: 'fill' }).raw().toBuffer();
  return { img: { width, height, data: new Uint8Array(buf.buffer, buf.byteOffset, buf.length) }, factor: width / img.width };
}

/** Luma (BT.601) of a planar RGB crop. */
export function planarLuma(planar: Float32Array, size: number): Float32Array {
  const n = size * size;
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.299 * planar[i]! + 0.587 * planar[n + i]! + 0.114 * planar[2 * n + i]!;
  return y;
}
