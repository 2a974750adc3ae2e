/**
 * The few ESC/POS commands the kiosk needs, encoded by hand (see docs/receipts/README.md for why
 * not @node-escpos/core): initialise, raster bit image (GS v 0), feed (ESC J), cut (GS V), and the
 * real-time status requests (DLE EOT) and buffer clear (DLE DC4 8) that printers answer even while
 * offline. A job is a list of bands so the sender can check the paper between them.
 */
import { isBlankRow, packRows, type Bitmap } from '../../core/receipts/bitmap.ts';

export const ESC = 0x1b;
export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;
export const DC4 = 0x14;

/** ESC @: forget modes left by a previous job. */
export const INIT = Uint8Array.of(ESC, 0x40);

/** DLE EOT n, n = 1 printer, 2 offline cause, 3 error cause, 4 roll paper sensor. */
export function statusRequest(n: 1 | 2 | 3 | 4): Uint8Array {
  return Uint8Array.of(DLE, EOT, n);
}

/** All four status requests in one write; the printer answers with four bytes in this order. */
export const STATUS_QUERY = Uint8Array.of(DLE, EOT, 1, DLE, EOT, 2, DLE, EOT, 3, DLE, EOT, 4);

/**
 * DLE DC4 fn=8: clear the receive and print buffers, so data a printer holds while out of paper is
 * not printed when paper comes back (the duplicate we must avoid). Answered by 37h 25h 00h.
 */
export const CLEAR_BUFFERS = Uint8Array.of(DLE, DC4, 8, 1, 3, 20, 1, 6, 2, 8);
export const CLEAR_BUFFERS_REPLY = Uint8Array.of(0x37, 0x25, 0x00);

/** ESC J n: feed n dots (n ≤ 255). */
export function feed(dots: number): Uint8Array {
  const out: number[] = [];
  for (let left = dots; left > 0; left -= 255) out.push(ESC, 0x4a, Math.min(255, left));
  return Uint8Array.from(out);
}

/** GS V 66 0: feed to the cutter and cut, leaving a hinge (partial cut). */
export const CUT = Uint8Array.of(GS, 0x56, 66, 0);

/** GS v 0 m=0: a raster bit image of the given rows. */
export function rasterImage(b: Bitmap, from: number, to: number): Uint8Array {
  const bytesPerRow = Math.ceil(b.width / 8);
  const rows = to - from;
  const head = Uint8Array.of(GS, 0x76, 0x30, 0, bytesPerRow & 0xff, bytesPerRow >> 8, rows & 0xff, rows >> 8);
  const body = packRows(b, from, to);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

const concat = (parts: readonly Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

/** Blank runs shorter than this stay in the raster; longer ones become ESC J feeds (fewer bytes). */
const MIN_FEED_RUN = 16;

/**
 * Encodes a rendered receipt into bands of at most `bandRows` printed rows each. Blank runs become
 * feeds, each cut row a cut. The first band starts with ESC @. Concatenated, the bands are the job.
 */
export function encodeJob(bitmap: Bitmap, cuts: readonly number[], bandRows: number): Uint8Array[] {
  const bands: Uint8Array[] = [];
  let parts: Uint8Array[] = [INIT];
  let partRows = 0;
  const flush = () => {
    if (parts.length) bands.push(concat(parts));
    parts = [];
    partRows = 0;
  };
  const cutSet = new Set(cuts);
  let y = 0;
  while (y < bitmap.height) {
    const nextCut = [...cutSet].filter((c) => c > y).sort((a, b) => a - b)[0] ?? bitmap.height;
    // Blank run?
    let blank = y;
    while (blank < nextCut && isBlankRow(bitmap, blank)) blank++;
    if (blank - y >= MIN_FEED_RUN || (blank > y && blank === nextCut)) {
      parts.push(feed(blank - y));
      y = blank;
    } else {
      const to = Math.min(nextCut, y + Math.max(1, bandRows - partRows));
      parts.push(rasterImage(bitmap, y, to));
      partRows += to - y;
      y = to;
    }
    if (cutSet.has(y)) {
      parts.push(CUT);
      cutSet.delete(y);
    }
    if (partRows >= bandRows) flush();
  }
  flush();
  return bands;
}

/** What the four DLE EOT replies say, decoded bit by bit (Epson's documented meaning). */
export interface PrinterStatus {
  readonly online: boolean;
  readonly coverOpen: boolean;
  readonly paperNearEnd: boolean;
  readonly paperOut: boolean;
  /** Printing stopped because the paper ran out (n=2 bit 5). */
  readonly stoppedByPaperEnd: boolean;
  readonly cutterError: boolean;
  readonly unrecoverableError: boolean;
  readonly autoRecoverableError: boolean;
}

/** Status replies always have bit 4 set and bit 7 clear; anything else is not a status byte. */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12;
}

export function parseStatus(reply: Uint8Array): PrinterStatus | undefined {
  if (reply.length !== 4 || !reply.every(isStatusByte)) return undefined;
  const [printer, offline, error, paper] = reply as unknown as [number, number, number, number];
  return {
    online: (printer & 0x08) === 0,
    coverOpen: (offline & 0x04) !== 0,
    stoppedByPaperEnd: (offline & 0x20) !== 0,
    cutterError: (error & 0x08) !== 0,
    unrecoverableError: (error & 0x20) !== 0,
    autoRecoverableError: (error & 0x40) !== 0,
    paperNearEnd: (paper & 0x0c) !== 0,
    paperOut: (paper & 0x60) !== 0,
  };
}

/** Ready to print a job: online, cover closed, paper in, no error. */
export function isReady(s: PrinterStatus): boolean {
  return s.online && !s.coverOpen && !s.paperOut && !s.cutterError && !s.unrecoverableError && !s.autoRecoverableError;
}

/** The one stable code for why a printer is not ready (for the UI and the audit trail). */
export function notReadyCode(s: PrinterStatus): string | undefined {
  if (s.paperOut || s.stoppedByPaperEnd) return 'PRINTER_PAPER_OUT';
  if (s.coverOpen) return 'PRINTER_COVER_OPEN';
  if (s.cutterError) return 'PRINTER_CUTTER_ERROR';
  if (s.unrecoverableError || s.autoRecoverableError) return 'PRINTER_ERROR';
  if (!s.online) return 'PRINTER_OFFLINE';
  return undefined;
}
