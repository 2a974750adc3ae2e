/**
 * Barcodes as exact dot patterns. bwip-js (a maintained port of BWIPP) encodes; we take its raw
 * module matrix or bar widths and draw whole dots, so nothing is scaled or anti-aliased and a
 * scanner (or zxing in the tests) reads exactly what was encoded.
 */
import bwipjs from 'bwip-js';
import { ReceiptError, type LinearBarcodeBlock, type Pdf417Block, type QrBlock } from '../../core/receipts/document.ts';
import { createBitmap, type Bitmap } from '../../core/receipts/bitmap.ts';

type Matrix = { pixs: number[]; pixx: number; pixy: number };
type Bars = { sbs: number[] };

function encode(bcid: string, text: string, opts: Record<string, string | number | boolean>): Matrix | Bars {
  try {
    const out = bwipjs.raw({ bcid, text, ...opts } as Parameters<typeof bwipjs.raw>[0]);
    const first = out[0];
    if (!first) throw new Error('no symbol produced');
    return first as Matrix | Bars;
  } catch (e) {
    throw new ReceiptError('RECEIPT_BARCODE_FAILED', `${bcid} could not encode the data: ${(e as Error).message}`, { bcid });
  }
}

function fromMatrix(m: Matrix, moduleW: number, moduleH: number, quiet: number): Bitmap {
  // bwip's `pixy` counts PDF417 rows times its row multiplier; `pixs` holds each row once.
  const rows = m.pixs.length / m.pixx;
  const bmp = createBitmap((m.pixx + 2 * quiet) * moduleW, (rows + 2 * quiet) * moduleH);
  for (let my = 0; my < rows; my++) {
    for (let mx = 0; mx < m.pixx; mx++) {
      if (!m.pixs[my * m.pixx + mx]) continue;
      for (let dy = 0; dy < moduleH; dy++) {
        const row = ((my + quiet) * moduleH + dy) * bmp.width;
        bmp.data.fill(1, row + (mx + quiet) * moduleW, row + (mx + quiet + 1) * moduleW);
      }
    }
  }
  return bmp;
}

/** QR with its 4-module quiet zone. */
export function qrBitmap(b: QrBlock): Bitmap {
  const m = encode('qrcode', b.data, { eclevel: b.ecc ?? 'M' }) as Matrix;
  const s = b.moduleDots ?? 6;
  return fromMatrix(m, s, s, 4);
}

/** PDF417 with rows 3 modules high and a 2-module quiet zone. */
export function pdf417Bitmap(b: Pdf417Block): Bitmap {
  const m = encode('pdf417', b.data, { columns: b.columns ?? 4 }) as Matrix;
  const s = b.moduleDots ?? 2;
  return fromMatrix(m, s, s * 3, 2);
}

/**
 * Interleaved 2 of 5 or Code 128 with a 10-module quiet zone each side. bwip gives I2of5 wide
 * elements as 2 narrow; we draw them 2.5 wide (rounded), inside the 2.2–3.0 the standard asks
 * for narrow bars under 0.5 mm.
 */
export function linearBitmap(b: LinearBarcodeBlock): Bitmap {
  const bcid = b.symbology === 'interleaved2of5' ? 'interleaved2of5' : 'code128';
  const { sbs } = encode(bcid, b.data, { includecheck: false }) as Bars;
  const narrow = b.moduleDots ?? 2;
  const wide = Math.round(narrow * 2.5);
  const widths = sbs.map((w) => (bcid === 'interleaved2of5' ? (w > 1 ? wide : narrow) : w * narrow));
  const quiet = 10 * narrow;
  const width = widths.reduce((a, w) => a + w, 0) + 2 * quiet;
  const bmp = createBitmap(width, b.heightDots);
  // Elements alternate bar, space, bar…, starting with a bar.
  let x = quiet;
  widths.forEach((w, i) => {
    if (i % 2 === 0) for (let y = 0; y < b.heightDots; y++) bmp.data.fill(1, y * width + x, y * width + x + w);
    x += w;
  });
  return bmp;
}
