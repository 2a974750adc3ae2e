/** ESC/POS encoding against the independent reader, status bytes, and the streaming reader. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBitmap, diffCount, type Bitmap } from '../../app/core/receipts/bitmap.ts';
import {
  encodeJob,
  isReady,
  notReadyCode,
  parseStatus,
  rasterImage,
  STATUS_QUERY,
} from '../../app/platform/printer/escpos.ts';
import { decodeEscPos, EscPosReader, type EscPosEvent } from '../../app/sim/printer/escpos-reader.ts';

/** A bitmap with black stripes and blank gaps of varied lengths, so feeds and rasters both occur. */
function striped(width: number, height: number, seed: number): Bitmap {
  const b = createBitmap(width, height);
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let y = 0;
  while (y < height) {
    const run = 1 + Math.floor(rnd() * 40);
    const ink = rnd() < 0.5;
    for (let r = y; r < Math.min(height, y + run); r++) {
      if (ink) for (let x = 0; x < width; x++) b.data[r * width + x] = rnd() < 0.3 ? 1 : 0;
    }
    y += run;
  }
  return b;
}

describe('encodeJob', () => {
  it('decodes back to the same dots, for any bitmap, cut position and band size', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom(128, 384, 576),
        fc.integer({ min: 8, max: 200 }),
        fc.integer({ min: 0, max: 1e9 }),
        (height, width, bandRows, seed) => {
          const b = striped(width, height, seed);
          const bands = encodeJob(b, [height], bandRows);
          const job = decodeEscPos(Buffer.concat(bands), width);
          expect(job.unknown).toEqual([]);
          expect(job.inits).toBe(1);
          expect(job.pages).toHaveLength(1);
          expect(job.uncut.height).toBe(0);
          expect(diffCount(job.pages[0]!, b)).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never puts more than bandRows printed rows in one band, and turns blank runs into feeds', () => {
    const b = striped(576, 1000, 7);
    const bands = encodeJob(b, [1000], 128);
    for (const band of bands) {
      const rows = new EscPosReader()
        .push(band)
        .filter((e): e is Extract<EscPosEvent, { type: 'raster' }> => e.type === 'raster')
        .reduce((n, e) => n + e.rows, 0);
      expect(rows).toBeLessThanOrEqual(128);
    }
    const blank = createBitmap(576, 300);
    const [only] = encodeJob(blank, [300], 128);
    // ESC @, then 300 dots of feed as ESC J 255 + ESC J 45, then GS V 66 0.
    expect(Buffer.from(only!).toString('hex')).toBe('1b40' + '1b4aff' + '1b4a2d' + '1d564200');
  });

  it('cuts at each cut row, giving one page per cut', () => {
    const b = striped(384, 400, 3);
    const job = decodeEscPos(Buffer.concat(encodeJob(b, [150, 400], 64)), 384);
    expect(job.pages.map((p) => p.height)).toEqual([150, 250]);
  });

  it('writes GS v 0 with little-endian width in bytes and height in rows', () => {
    const b = createBitmap(16, 2);
    b.data[0] = 1;
    b.data[31] = 1;
    expect(Buffer.from(rasterImage(b, 0, 2)).toString('hex')).toBe('1d7630000200' + '0200' + '8000' + '0001');
  });
});

describe('DLE EOT status', () => {
  it('reads the Epson bits: online and ready', () => {
    const s = parseStatus(Uint8Array.of(0x12, 0x12, 0x12, 0x12))!;
    expect(isReady(s)).toBe(true);
    expect(notReadyCode(s)).toBeUndefined();
  });
  it('paper out, near end, cover open, cutter error, offline', () => {
    expect(notReadyCode(parseStatus(Uint8Array.of(0x1a, 0x32, 0x12, 0x7e))!)).toBe('PRINTER_PAPER_OUT');
    const near = parseStatus(Uint8Array.of(0x12, 0x12, 0x12, 0x1e))!;
    expect([near.paperNearEnd, isReady(near)]).toEqual([true, true]);
    expect(notReadyCode(parseStatus(Uint8Array.of(0x1a, 0x16, 0x12, 0x12))!)).toBe('PRINTER_COVER_OPEN');
    expect(notReadyCode(parseStatus(Uint8Array.of(0x1a, 0x52, 0x1a, 0x12))!)).toBe('PRINTER_CUTTER_ERROR');
    expect(notReadyCode(parseStatus(Uint8Array.of(0x1a, 0x12, 0x12, 0x12))!)).toBe('PRINTER_OFFLINE');
  });
  it('rejects bytes that are not status replies', () => {
    expect(parseStatus(Uint8Array.of(0x12, 0x12, 0x12))).toBeUndefined();
    expect(parseStatus(Uint8Array.of(0x12, 0x12, 0x12, 0x41))).toBeUndefined();
  });
  it('asks all four in one write', () => {
    expect(Buffer.from(STATUS_QUERY).toString('hex')).toBe('100401100402100403100404');
  });
});

describe('EscPosReader', () => {
  it('gives the same events whatever the chunking (a socket may split any command)', () => {
    const stream = Buffer.concat([...encodeJob(striped(128, 60, 5), [60], 16), Buffer.from(STATUS_QUERY)]);
    const whole = new EscPosReader().push(stream);
    for (const size of [1, 2, 3, 7, 100]) {
      const r = new EscPosReader();
      const events: EscPosEvent[] = [];
      for (let i = 0; i < stream.length; i += size) events.push(...r.push(stream.subarray(i, i + size)));
      expect(events).toEqual(whole);
      expect(r.pendingBytes).toBe(0);
    }
  });
  it('reports bytes it does not know, with their offset, and text it would not print', () => {
    const job = decodeEscPos(Uint8Array.of(0x1b, 0x40, 0x41, 0x1b, 0x74, 0x34), 384);
    expect(job.unknown).toEqual([
      { byte: 0x41, offset: 2 },
      { byte: 0x1b, offset: 3 },
      { byte: 0x74, offset: 4 },
      { byte: 0x34, offset: 5 },
    ]);
  });
  it('an incomplete command at the end of a stream is reported', () => {
    expect(decodeEscPos(Uint8Array.of(0x1d, 0x76, 0x30, 0, 1, 0, 5, 0, 0xff), 8).unknown).toEqual([{ byte: -1, offset: 0 }]);
  });
});
