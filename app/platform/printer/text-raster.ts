/**
 * Vietnamese text to dots without system fonts: glyph outlines come from the DejaVu Sans files
 * shipped in ./fonts (read by opentype.js), become SVG paths, and sharp (librsvg) fills them. There
 * is no <text> element, so fontconfig and whatever fonts the machine has never take part.
 */
import { readFileSync } from 'node:fs';
import opentype, { type Font, type Glyph } from 'opentype.js';
import sharp from 'sharp';
import { ReceiptError } from '../../core/receipts/document.ts';

const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
const fonts = new Map<keyof typeof FONT_FILES, Font>();

export function fontFor(bold: boolean): Font {
  const key = bold ? 'bold' : 'regular';
  let font = fonts.get(key);
  if (!font) {
    const buf = readFileSync(new URL(`./fonts/${FONT_FILES[key]}`, import.meta.url));
    // lowMemory: glyphs are parsed when first drawn, four times faster to open than all 6,000 at once.
    font = opentype.parse(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), { lowMemory: true });
    fonts.set(key, font);
  }
  return font;
}

/**
 * Parses both fonts now (about a second on a slow kiosk CPU) instead of during the first print:
 * the host calls it once at start-up.
 */
export function preloadReceiptFonts(): void {
  fontFor(false);
  fontFor(true);
}

/** NFC puts Vietnamese letters in their precomposed form, which the font draws as one glyph. */
export function normalizeText(text: string): string {
  return text.normalize('NFC');
}

/** Refuses a character the font has no glyph for, instead of printing an empty box. */
export function assertGlyphs(font: Font, text: string): void {
  for (const ch of text) {
    if (/\s/.test(ch)) continue;
    if (font.charToGlyphIndex(ch) === 0) {
      const codePoint = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
      throw new ReceiptError('RECEIPT_GLYPH_MISSING', `the receipt font has no glyph for ${codePoint}`, { codePoint });
    }
  }
}

/**
 * Glyphs one after another with the font's advances and kerning. opentype.js's own shaper is
 * bypassed on purpose: its ccmp step throws on DejaVu's lookup tables, and NFC Vietnamese needs
 * no shaping (every letter is one precomposed glyph).
 */
function layout(font: Font, text: string, size: number): { glyph: Glyph; x: number }[] {
  const scale = size / font.unitsPerEm;
  const out: { glyph: Glyph; x: number }[] = [];
  let x = 0;
  let prev: Glyph | undefined;
  for (const ch of text) {
    const glyph = font.charToGlyph(ch);
    if (prev) x += font.getKerningValue(prev, glyph) * scale;
    out.push({ glyph, x });
    x += (glyph.advanceWidth ?? 0) * scale;
    prev = glyph;
  }
  out.push({ glyph: prev ?? font.charToGlyph(' '), x }); // sentinel: x is the total advance
  return out;
}

export function measureText(text: string, size: number, bold: boolean): number {
  const placed = layout(fontFor(bold), text, size);
  return placed[placed.length - 1]!.x;
}

export interface PlacedText {
  readonly text: string;
  readonly x: number;
  /** Top of the line box, in dots. */
  readonly top: number;
  readonly size: number;
  readonly bold: boolean;
}

/** Line box height for a font size: a little air between lines on the paper. */
export function lineHeight(size: number): number {
  return Math.round(size * 1.25);
}

// Outline of a glyph at a size, drawn at the origin: computed once, then only translated.
const outlines = new Map<string, string>();
function outline(glyph: Glyph, size: number, bold: boolean): string {
  const key = `${bold ? 'b' : 'r'}${glyph.index}@${size}`;
  let d = outlines.get(key);
  if (d === undefined) {
    d = glyph.getPath(0, 0, size).toPathData(2);
    outlines.set(key, d);
  }
  return d;
}

/** SVG elements for one line placed on the page. */
export function textSvg(t: PlacedText): string {
  const font = fontFor(t.bold);
  // Baseline one em under the top of the line box: room for a capital with two stacked marks (Ệ).
  const baseline = t.top + Math.round(t.size * 0.98);
  return layout(font, t.text, t.size)
    .slice(0, -1)
    .map((g) => {
      const d = outline(g.glyph, t.size, t.bold);
      return d ? `<path transform="translate(${(t.x + g.x).toFixed(2)} ${baseline})" d="${d}"/>` : '';
    })
    .join('');
}

/**
 * Fills the text (SVG elements from `textSvg`) and rectangles of a page into 1-bit dots, ORed into
 * `dots` (width × height, 1 = black). Anti-aliased edges darker than `threshold` become black.
 */
export async function rasterizeSvg(
  width: number,
  height: number,
  elements: readonly string[],
  rects: readonly { x: number; y: number; w: number; h: number }[],
  dots: Uint8Array,
  threshold = 150,
): Promise<void> {
  if (elements.length === 0 && rects.length === 0) return;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    rects.map((r) => `<rect x="${r.x}" y="${r.y}" width="${r.w}" height="${r.h}" fill="#000"/>`).join('') +
    `<g fill="#000">${elements.join('')}</g>` +
    `</svg>`;
  const { data, info } = await sharp(Buffer.from(svg), { limitInputPixels: false })
    .greyscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.width !== width || info.height !== height || info.channels !== 1) {
    throw new ReceiptError('RECEIPT_RENDER_FAILED', `text raster came out ${info.width}x${info.height}x${info.channels}`);
  }
  for (let i = 0; i < dots.length; i++) if (data[i]! < threshold) dots[i] = 1;
}
