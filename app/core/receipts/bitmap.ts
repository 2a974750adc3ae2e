/**
 * A 1-bit image as the print head sees it: one byte per dot (1 = black) for easy drawing, packed to
 * 8 dots per byte, most significant bit first, only at the ESC/POS boundary.
 */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  /** `width * height` bytes, row by row; 1 = black dot, 0 = paper. */
  readonly data: Uint8Array;
}

export function createBitmap(width: number, height: number): Bitmap {
  return { width, height, data: new Uint8Array(width * height) };
}

/** Packs rows [from, to) into ESC/POS raster bytes (8 dots per byte, MSB = leftmost dot). */
export function packRows(b: Bitmap, from: number, to: number): Uint8Array {
  const bytesPerRow = Math.ceil(b.width / 8);
  const out = new Uint8Array(bytesPerRow * (to - from));
  for (let y = from; y < to; y++) {
    const rowOut = (y - from) * bytesPerRow;
    const rowIn = y * b.width;
    for (let x = 0; x < b.width; x++) {
      if (b.data[rowIn + x]) out[rowOut + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return out;
}

export function isBlankRow(b: Bitmap, y: number): boolean {
  const row = b.data.subarray(y * b.width, (y + 1) * b.width);
  return row.every((v) => v === 0);
}

/** Number of dots that differ; Infinity when the sizes differ. */
export function diffCount(a: Bitmap, b: Bitmap): number {
  if (a.width !== b.width || a.height !== b.height) return Infinity;
  let n = 0;
  for (let i = 0; i < a.data.length; i++) if (a.data[i] !== b.data[i]) n++;
  return n;
}

export function blackCount(b: Bitmap): number {
  let n = 0;
  for (const v of b.data) n += v;
  return n;
}

/** Rows [from, to) as a new bitmap. */
export function sliceRows(b: Bitmap, from: number, to: number): Bitmap {
  return { width: b.width, height: to - from, data: b.data.slice(from * b.width, to * b.width) };
}
