/**
 * Lays a ReceiptDocument out top to bottom and draws it into one 1-bit raster. That raster is the
 * single truth: the preview PNG is it, and the ESC/POS job is it cut into bands.
 */
import sharp from 'sharp';
import {
  CUT_FEED_DOTS,
  ReceiptError,
  validateDocument,
  wrapText,
  type Align,
  type ReceiptDocument,
  TextSize,
} from '../../core/receipts/document.ts';
import { createBitmap, type Bitmap } from '../../core/receipts/bitmap.ts';
import { linearBitmap, pdf417Bitmap, qrBitmap } from './barcodes.ts';
import {
  assertGlyphs,
  fontFor,
  lineHeight,
  measureText,
  normalizeText,
  rasterizeSvg,
  textSvg,
  type PlacedText,
} from './text-raster.ts';

export interface RenderedReceipt {
  readonly kind: string;
  readonly bitmap: Bitmap;
  /** Rows after which the paper is cut (each preceded by the cutter feed). */
  readonly cuts: readonly number[];
}

interface Placed {
  readonly bmp: Bitmap;
  readonly left: number;
  readonly top: number;
}

function xFor(align: Align | undefined, contentWidth: number, lineWidth: number): number {
  if (align === 'center') return Math.floor((lineWidth - contentWidth) / 2);
  if (align === 'right') return lineWidth - contentWidth;
  return 0;
}

/** Floyd–Steinberg to 1 bit: keeps a logo's greys readable on a printer that has only black. */
export function dither(gray: Uint8Array, width: number, height: number): Bitmap {
  const err = Float32Array.from(gray);
  const out = createBitmap(width, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const old = err[i]!;
      const black = old < 128;
      out.data[i] = black ? 1 : 0;
      const e = old - (black ? 0 : 255);
      if (x + 1 < width) err[i + 1]! += (e * 7) / 16;
      if (y + 1 < height) {
        if (x > 0) err[i + width - 1]! += (e * 3) / 16;
        err[i + width]! += (e * 5) / 16;
        if (x + 1 < width) err[i + width + 1]! += e / 16;
      }
    }
  }
  return out;
}

async function imageBitmap(image: Uint8Array, widthDots: number): Promise<Bitmap> {
  try {
    const { data, info } = await sharp(image)
      .resize({ width: widthDots })
      .flatten({ background: '#ffffff' })
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return dither(data, info.width, info.height);
  } catch (e) {
    throw new ReceiptError('RECEIPT_BAD_IMAGE', `the image could not be decoded: ${(e as Error).message}`);
  }
}

export async function renderReceipt(doc: ReceiptDocument): Promise<RenderedReceipt> {
  validateDocument(doc);
  const W = doc.paper.dotsPerLine;
  const texts: PlacedText[] = [];
  const rects: { x: number; y: number; w: number; h: number }[] = [];
  const placed: Placed[] = [];
  const cuts: number[] = [];
  let y = 0;

  const place = (bmp: Bitmap, align: Align | undefined, index: number) => {
    if (bmp.width > W) {
      throw new ReceiptError('RECEIPT_BLOCK_TOO_WIDE', `block ${index} is ${bmp.width} dots wide; the paper has ${W}`, {
        index,
        width: bmp.width,
      });
    }
    placed.push({ bmp, left: xFor(align, bmp.width, W), top: y });
    y += bmp.height;
  };
  const prepare = (text: string, bold: boolean) => {
    const t = normalizeText(text);
    assertGlyphs(fontFor(bold), t);
    return t;
  };

  for (const [index, b] of doc.blocks.entries()) {
    switch (b.kind) {
      case 'text': {
        const size = b.size ?? TextSize.normal;
        const bold = b.bold ?? false;
        const text = prepare(b.text, bold);
        const measure = (s: string) => measureText(s, size, bold);
        let lines: string[];
        if (b.wrap === false) {
          if (measure(text) > W) {
            throw new ReceiptError('RECEIPT_TEXT_TOO_WIDE', `block ${index}: text does not fit one line`, { index });
          }
          lines = [text];
        } else {
          lines = wrapText(text, W, measure);
        }
        for (const line of lines) {
          texts.push({ text: line, x: xFor(b.align, Math.ceil(measure(line)), W), top: y, size, bold });
          y += lineHeight(size);
        }
        break;
      }
      case 'pair': {
        const size = b.size ?? TextSize.normal;
        const bold = b.bold ?? false;
        const left = prepare(b.left, false);
        const right = prepare(b.right, bold);
        const wl = measureText(left, size, false);
        const wr = measureText(right, size, bold);
        const gap = size;
        if (wl + gap + wr <= W) {
          texts.push({ text: left, x: 0, top: y, size, bold: false });
          texts.push({ text: right, x: W - Math.ceil(wr), top: y, size, bold });
          y += lineHeight(size);
        } else {
          // Too long for one line: the label, then the value right-aligned beneath it.
          for (const line of wrapText(left, W, (s) => measureText(s, size, false))) {
            texts.push({ text: line, x: 0, top: y, size, bold: false });
            y += lineHeight(size);
          }
          for (const line of wrapText(right, W, (s) => measureText(s, size, bold))) {
            texts.push({ text: line, x: W - Math.ceil(measureText(line, size, bold)), top: y, size, bold });
            y += lineHeight(size);
          }
        }
        break;
      }
      case 'rule': {
        const h = b.thickness ?? 2;
        y += 6;
        if (b.dashed) for (let x = 0; x < W; x += 16) rects.push({ x, y, w: Math.min(10, W - x), h });
        else rects.push({ x: 0, y, w: W, h });
        y += h + 6;
        break;
      }
      case 'space':
        y += b.dots;
        break;
      case 'qr':
        place(qrBitmap(b), b.align, index);
        break;
      case 'pdf417':
        place(pdf417Bitmap(b), b.align, index);
        break;
      case 'barcode':
        place(linearBitmap(b), b.align, index);
        break;
      case 'image':
        place(await imageBitmap(b.image, b.widthDots), b.align, index);
        break;
      case 'cut':
        y += CUT_FEED_DOTS;
        cuts.push(y);
        break;
    }
  }

  const height = Math.max(1, y);
  const bitmap = createBitmap(W, height);
  await rasterizeSvg(W, height, texts.map(textSvg), rects, bitmap.data);
  for (const p of placed) {
    for (let row = 0; row < p.bmp.height; row++) {
      const src = p.bmp.data.subarray(row * p.bmp.width, (row + 1) * p.bmp.width);
      const dst = (p.top + row) * W + p.left;
      for (let x = 0; x < src.length; x++) if (src[x]) bitmap.data[dst + x] = 1;
    }
  }
  return { kind: doc.kind, bitmap, cuts };
}

/** The raster as a greyscale PNG: what the paper will look like, for the UI and the tests. */
export async function bitmapToPng(b: Bitmap): Promise<Buffer> {
  const gray = Buffer.alloc(b.data.length);
  for (let i = 0; i < gray.length; i++) gray[i] = b.data[i] ? 0 : 255;
  return sharp(gray, { raw: { width: b.width, height: b.height, channels: 1 } })
    .png({ compressionLevel: 6 })
    .toBuffer();
}

/** Reads a PNG back into dots (dark = black), e.g. a committed preview or a golden image. */
export async function pngToBitmap(png: Uint8Array): Promise<Bitmap> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const b = createBitmap(info.width, info.height);
  for (let i = 0; i < b.data.length; i++) b.data[i] = data[i]! < 128 ? 1 : 0;
  return b;
}

/** Document → preview PNG in one call (what the host's UI shows on screen). */
export async function renderPreviewPng(doc: ReceiptDocument): Promise<Buffer> {
  return bitmapToPng((await renderReceipt(doc)).bitmap);
}
