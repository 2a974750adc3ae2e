/** Layout and raster details the template tests do not reach: logos, alignment, width limits. */
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { renderReceipt, dither, renderPreviewPng, pngToBitmap } from '../../app/platform/printer/render.ts';
import { blackCount, sliceRows, type Bitmap } from '../../app/core/receipts/bitmap.ts';
import { PAPER_58, PAPER_80, CUT_FEED_DOTS, type Block, type ReceiptDocument } from '../../app/core/receipts/document.ts';
import { queueTicket } from '../../app/core/receipts/templates/queue-ticket.ts';
import { sampleTicket } from '../../app/core/receipts/samples.ts';

const doc = (blocks: Block[], paper = PAPER_58): ReceiptDocument => ({ kind: 't', paper, blocks });

/** Leftmost and rightmost black columns. */
function inkSpan(b: Bitmap): [number, number] {
  let min = b.width;
  let max = -1;
  for (let y = 0; y < b.height; y++)
    for (let x = 0; x < b.width; x++)
      if (b.data[y * b.width + x]) {
        min = Math.min(min, x);
        max = Math.max(max, x);
      }
  return [min, max];
}

describe('renderReceipt', () => {
  it('dithers a grey logo to a mix of dots at the asked width, and the ticket template places it on top', async () => {
    const logo = await sharp({ create: { width: 300, height: 100, channels: 3, background: '#808080' } }).png().toBuffer();
    const { bitmap } = await renderReceipt(doc([{ kind: 'image', image: logo, widthDots: 128, align: 'center' }]));
    expect([bitmap.width, bitmap.height]).toEqual([384, 43]);
    const share = blackCount(bitmap) / (128 * 43);
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
    expect(inkSpan(bitmap)).toEqual([128, 255]);

    const withLogo = await renderReceipt(queueTicket(sampleTicket, { paper: PAPER_80, logo }));
    const without = await renderReceipt(queueTicket(sampleTicket, { paper: PAPER_80 }));
    expect(withLogo.bitmap.height).toBeGreaterThan(without.bitmap.height + 50);
    expect(blackCount(sliceRows(withLogo.bitmap, 0, 50))).toBeGreaterThan(1000);
  });

  it('a picture that is not an image is RECEIPT_BAD_IMAGE', async () => {
    await expect(renderReceipt(doc([{ kind: 'image', image: Uint8Array.of(1, 2, 3), widthDots: 64 }]))).rejects.toMatchObject({
      code: 'RECEIPT_BAD_IMAGE',
    });
  });

  it('aligns text left, centre and right', async () => {
    const span = async (align: 'left' | 'center' | 'right') =>
      inkSpan((await renderReceipt(doc([{ kind: 'text', text: 'Số 12', align }]))).bitmap);
    const [l, c, r] = [await span('left'), await span('center'), await span('right')];
    expect(l[0]).toBeLessThan(4);
    expect(r[1]).toBeGreaterThan(379);
    expect(Math.abs((c[0] + c[1]) / 2 - 192)).toBeLessThan(4);
  });

  it('wraps long text to more lines, and refuses unwrappable text that does not fit', async () => {
    const text = 'Phòng khám Tai Mũi Họng – Khu khám bệnh theo yêu cầu, tầng 3';
    const one = await renderReceipt(doc([{ kind: 'text', text: 'Phòng' }]));
    const many = await renderReceipt(doc([{ kind: 'text', text }]));
    expect(many.bitmap.height).toBeGreaterThanOrEqual(3 * one.bitmap.height);
    await expect(renderReceipt(doc([{ kind: 'text', text, wrap: false }]))).rejects.toMatchObject({ code: 'RECEIPT_TEXT_TOO_WIDE' });
  });

  it('puts a long pair on two lines instead of overlapping', async () => {
    const short = await renderReceipt(doc([{ kind: 'pair', left: 'Họ tên', right: 'An' }]));
    const long = await renderReceipt(doc([{ kind: 'pair', left: 'Họ tên', right: 'Hoàng Phước Nguyên Khôi' }]));
    expect(long.bitmap.height).toBe(2 * short.bitmap.height);
  });

  it('a barcode wider than the paper is RECEIPT_BLOCK_TOO_WIDE, a code it cannot encode RECEIPT_BARCODE_FAILED', async () => {
    await expect(renderReceipt(doc([{ kind: 'pdf417', data: 'X'.repeat(80), columns: 12 }]))).rejects.toMatchObject({
      code: 'RECEIPT_BLOCK_TOO_WIDE',
    });
    await expect(renderReceipt(doc([{ kind: 'qr', data: 'x'.repeat(5000) }]))).rejects.toMatchObject({ code: 'RECEIPT_BARCODE_FAILED' });
  });

  it('feeds past the cutter before each cut and records the cut rows', async () => {
    const r = await renderReceipt(doc([{ kind: 'text', text: 'A' }, { kind: 'cut' }, { kind: 'text', text: 'B' }, { kind: 'cut' }]));
    const line = 30;
    expect(r.cuts).toEqual([line + CUT_FEED_DOTS, 2 * (line + CUT_FEED_DOTS)]);
    expect(r.bitmap.height).toBe(r.cuts[1]);
  });

  it('the preview PNG is the raster, dot for dot', async () => {
    const d = queueTicket(sampleTicket, { paper: PAPER_58 });
    const { bitmap } = await renderReceipt(d);
    const back = await pngToBitmap(await renderPreviewPng(d));
    expect(Buffer.from(back.data).equals(Buffer.from(bitmap.data))).toBe(true);
  });

  it('Floyd–Steinberg keeps the average grey', () => {
    const gray = new Uint8Array(64 * 64).fill(64); // 75% black
    expect(blackCount(dither(gray, 64, 64)) / 4096).toBeCloseTo(0.75, 1);
  });
});
