import sharp from 'sharp';
import type { Affine } from '../../core/face/geometry.ts';
import type { Letterbox } from '../../core/face/letterbox.ts';
import type { RgbImage } from '../../core/face/rgb-image.ts';

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
 * layout every model here takes. Shrinking warps read from a box-filtered pyramid level (see
 * `pyramidLevel`) so bilinear sampling does not alias.
 */
export function warpToPlanar(img: RgbImage, outToSrc: Affine, size: number, fill = 0): Float32Array {
  const out = new Float32Array(3 * size * size);
  const plane = size * size;
  const { width: w, height: h, data } = img;
  const [a, b, tx, c, d, ty] = outToSrc;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Output pixel centre (x+½, y+½) → source centre coordinates, minus ½ for array indices.
      const sx = a * (x + 0.5) + b * (y + 0.5) + tx - 0.5;
      const sy = c * (x + 0.5) + d * (y + 0.5) + ty - 0.5;
      const x0 = Math.floor(sx), y0 = Math.floor(sy);
      const fx = sx - x0, fy = sy - y0;
      const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
      const o = y * size + x;
      const inside = x0 >= 0 && y0 >= 0 && x0 + 1 < w && y0 + 1 < h;
      for (let ch = 0; ch < 3; ch++) {
        let v: number;
        if (inside) {
          const i = (y0 * w + x0) * 3 + ch;
          v = data[i]! * w00 + data[i + 3]! * w10 + data[i + w * 3]! * w01 + data[i + w * 3 + 3]! * w11;
        } else {
          const at = (xx: number, yy: number) => (xx < 0 || yy < 0 || xx >= w || yy >= h ? fill : data[(yy * w + xx) * 3 + ch]!);
          v = at(x0, y0) * w00 + at(x0 + 1, y0) * w10 + at(x0, y0 + 1) * w01 + at(x0 + 1, y0 + 1) * w11;
        }
        out[ch * plane + o] = v;
      }
    }
  }
  return out;
}

/** 2×2 box-filter halving. */
function halve(img: RgbImage): RgbImage {
  const width = img.width >> 1, height = img.height >> 1;
  const data = new Uint8Array(width * height * 3);
  const src = img.data, sw = img.width * 3;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = 2 * y * sw + 6 * x;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) data[o + c] = (src[i + c]! + src[i + 3 + c]! + src[i + sw + c]! + src[i + sw + 3 + c]! + 2) >> 2;
    }
  }
  return { width, height, data };
}

const pyramids = new WeakMap<RgbImage, RgbImage[]>();

/**
 * The pyramid level to sample from when one output pixel spans `srcPerOut` source pixels: halve until
 * at most 2 source pixels fall under one output pixel. Levels are built once per image and reused.
 */
export function pyramidLevel(img: RgbImage, srcPerOut: number): { img: RgbImage; factor: number } {
  let levels = pyramids.get(img);
  if (!levels) pyramids.set(img, (levels = [img]));
  let k = 0;
  while (srcPerOut / 2 ** k > 2 && levels[k]!.width >= 8 && levels[k]!.height >= 8) {
    k++;
    levels[k] ??= halve(levels[k - 1]!);
  }
  const level = levels[k]!;
  return { img: level, factor: level.width / img.width };
}

/** Luma (BT.601) of a planar RGB crop. */
export function planarLuma(planar: Float32Array, size: number): Float32Array {
  const n = size * size;
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) y[i] = 0.299 * planar[i]! + 0.587 * planar[n + i]! + 0.114 * planar[2 * n + i]!;
  return y;
}
