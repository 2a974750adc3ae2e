/**
 * A printer-neutral receipt: what goes on the paper, top to bottom, in dots. The renderer turns it
 * into one 1-bit raster (the preview PNG and the ESC/POS raster are that same raster), so nothing
 * here depends on a printer's fonts or code pages — Vietnamese text is drawn, never encoded.
 */
import { KioskError } from '../errors.ts';

export type Align = 'left' | 'center' | 'right';

/** Font sizes in dots (em height). At 203 dpi, 24 dots ≈ 3 mm. */
export const TextSize = { small: 20, normal: 24, medium: 30, large: 40, xlarge: 56, huge: 120 } as const;

export interface TextBlock {
  readonly kind: 'text';
  readonly text: string;
  /** Em height in dots; see `TextSize`. */
  readonly size?: number;
  readonly bold?: boolean;
  readonly align?: Align;
  /** Wrap at word boundaries within the printable width (default). If false, too long is an error. */
  readonly wrap?: boolean;
}

/** A label on the left and a value on the right of the same line (receipt lines, key facts). */
export interface PairBlock {
  readonly kind: 'pair';
  readonly left: string;
  readonly right: string;
  readonly size?: number;
  readonly bold?: boolean;
}

export interface RuleBlock {
  readonly kind: 'rule';
  readonly thickness?: number;
  readonly dashed?: boolean;
}

export interface SpaceBlock {
  readonly kind: 'space';
  readonly dots: number;
}

export interface QrBlock {
  readonly kind: 'qr';
  readonly data: string;
  /** Dots per module (default 6). */
  readonly moduleDots?: number;
  readonly ecc?: 'L' | 'M' | 'Q' | 'H';
  readonly align?: Align;
}

export interface Pdf417Block {
  readonly kind: 'pdf417';
  readonly data: string;
  /** Dots per module width (default 2); rows are 3 modules high. */
  readonly moduleDots?: number;
  /** Data columns (default 4). */
  readonly columns?: number;
  readonly align?: Align;
}

export interface LinearBarcodeBlock {
  readonly kind: 'barcode';
  readonly symbology: 'interleaved2of5' | 'code128';
  readonly data: string;
  readonly heightDots: number;
  /** Dots per narrow bar (default 2). */
  readonly moduleDots?: number;
  readonly align?: Align;
}

/** A picture (a logo), as an encoded PNG/JPEG/SVG; the renderer scales and dithers it. */
export interface ImageBlock {
  readonly kind: 'image';
  readonly image: Uint8Array;
  readonly widthDots: number;
  readonly align?: Align;
}

/** Cut the paper here (the renderer feeds past the cutter first). */
export interface CutBlock {
  readonly kind: 'cut';
}

export type Block =
  | TextBlock
  | PairBlock
  | RuleBlock
  | SpaceBlock
  | QrBlock
  | Pdf417Block
  | LinearBarcodeBlock
  | ImageBlock
  | CutBlock;

export interface Paper {
  readonly widthMm: 58 | 80;
  /** Printable dots per line (a multiple of 8). */
  readonly dotsPerLine: number;
}

export interface ReceiptDocument {
  /** Template name, for the job list and the audit trail (never personal data). */
  readonly kind: string;
  /** What staff look for in the job list, never personal data: the queue number, a booking code. */
  readonly reference?: string;
  readonly paper: Paper;
  readonly blocks: readonly Block[];
}

export class ReceiptError extends KioskError {}

/** The paper every template defaults to: 80 mm at 203 dpi. */
export const PAPER_80: Paper = { widthMm: 80, dotsPerLine: 576 };
export const PAPER_58: Paper = { widthMm: 58, dotsPerLine: 384 };

/** Dots kept blank after the last line so it clears the cutter before the cut. */
export const CUT_FEED_DOTS = 96;

/**
 * Breaks text into lines no wider than `widthDots`, at spaces; a single word wider than the line is
 * split by characters (long codes). `measure` is the renderer's font metric, in dots.
 * Explicit newlines are kept.
 */
export function wrapText(text: string, widthDots: number, measure: (s: string) => number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (measure(candidate) <= widthDots) {
        line = candidate;
        continue;
      }
      if (line) lines.push(line);
      line = '';
      // A word that alone does not fit is cut into pieces that do.
      let piece = '';
      for (const ch of word) {
        if (piece && measure(piece + ch) > widthDots) {
          lines.push(piece);
          piece = '';
        }
        piece += ch;
      }
      line = piece;
    }
    lines.push(line);
  }
  return lines;
}

/** Checks what a renderer cannot fix by itself; templates call it so bad input fails early and typed. */
export function validateDocument(doc: ReceiptDocument): void {
  const { dotsPerLine } = doc.paper;
  if (!Number.isInteger(dotsPerLine) || dotsPerLine % 8 !== 0 || dotsPerLine < 128) {
    throw new ReceiptError('RECEIPT_BAD_PAPER', `dots per line must be a multiple of 8 and at least 128, got ${dotsPerLine}`);
  }
  doc.blocks.forEach((b, i) => {
    const bad = (why: string) => new ReceiptError('RECEIPT_BAD_BLOCK', `block ${i} (${b.kind}): ${why}`, { index: i, kind: b.kind });
    switch (b.kind) {
      case 'text':
        if (b.size !== undefined && !(b.size >= 8 && b.size <= 400)) throw bad('size must be 8..400 dots');
        break;
      case 'space':
        if (!Number.isInteger(b.dots) || b.dots < 0 || b.dots > 2000) throw bad('dots must be 0..2000');
        break;
      case 'qr':
      case 'pdf417':
        if (b.data.length === 0) throw bad('no data to encode');
        break;
      case 'barcode':
        if (b.symbology === 'interleaved2of5' && !/^(\d\d)+$/.test(b.data)) {
          throw bad('Interleaved 2 of 5 needs an even number of digits');
        }
        if (b.symbology === 'code128' && !/^[\x20-\x7e]+$/.test(b.data)) throw bad('Code 128 needs printable ASCII');
        if (!Number.isInteger(b.heightDots) || b.heightDots < 16 || b.heightDots > 800) throw bad('heightDots must be 16..800');
        break;
      case 'image':
        if (b.widthDots < 8 || b.widthDots > dotsPerLine) throw bad(`widthDots must be 8..${dotsPerLine}`);
        break;
      default:
        break;
    }
  });
}
