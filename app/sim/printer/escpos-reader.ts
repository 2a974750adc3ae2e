/**
 * Reads an ESC/POS byte stream back into what a printer would do with it: raster rows, feeds,
 * cuts, status requests. Written from the command reference, independently of the kiosk's encoder,
 * so the tests "read the paper" rather than re-run the code that wrote it. Streaming: feed it
 * chunks as they arrive on a socket; a command split across chunks waits for its tail.
 * Strict: a byte it does not understand is reported, never skipped silently.
 */
export type EscPosEvent =
  | { readonly type: 'init' }
  | { readonly type: 'raster'; readonly widthDots: number; readonly rows: number; readonly data: Uint8Array }
  | { readonly type: 'feed'; readonly dots: number }
  | { readonly type: 'cut'; readonly partial: boolean; readonly feedDots: number }
  | { readonly type: 'status'; readonly n: number }
  | { readonly type: 'clear-buffers' }
  | { readonly type: 'ignored'; readonly command: string }
  | { readonly type: 'unknown'; readonly byte: number; readonly offset: number };

/** Dots fed by LF at the power-on line spacing (ESC 2): 1/6 inch at 180 motion units ≈ 30 dots. */
const DEFAULT_LINE_SPACING = 30;

export class EscPosReader {
  private pending = new Uint8Array(0);
  private consumed = 0;
  private lineSpacing = DEFAULT_LINE_SPACING;

  /** Adds bytes; returns the events of every command now complete. */
  push(chunk: Uint8Array): EscPosEvent[] {
    const buf = new Uint8Array(this.pending.length + chunk.length);
    buf.set(this.pending);
    buf.set(chunk, this.pending.length);
    const events: EscPosEvent[] = [];
    let i = 0;
    for (;;) {
      const step = this.one(buf, i);
      if (!step) break;
      if (step.event) events.push(step.event);
      i += step.length;
    }
    this.consumed += i;
    this.pending = buf.slice(i);
    return events;
  }

  /** Bytes waiting for the rest of a command. */
  get pendingBytes(): number {
    return this.pending.length;
  }

  /** Decodes the command at `i`, or undefined if it is incomplete. */
  private one(b: Uint8Array, i: number): { event?: EscPosEvent; length: number } | undefined {
    const left = b.length - i;
    if (left <= 0) return undefined;
    const c = b[i]!;
    const at = (k: number) => b[i + k]!;
    if (c === 0x0a) return { event: { type: 'feed', dots: this.lineSpacing }, length: 1 };
    if (c === 0x1b) {
      if (left < 2) return undefined;
      switch (at(1)) {
        case 0x40:
          this.lineSpacing = DEFAULT_LINE_SPACING;
          return { event: { type: 'init' }, length: 2 };
        case 0x32:
          this.lineSpacing = DEFAULT_LINE_SPACING;
          return { event: { type: 'ignored', command: 'ESC 2' }, length: 2 };
        case 0x33:
          if (left < 3) return undefined;
          this.lineSpacing = at(2);
          return { event: { type: 'ignored', command: 'ESC 3' }, length: 3 };
        case 0x4a:
          if (left < 3) return undefined;
          return { event: { type: 'feed', dots: at(2) }, length: 3 };
        case 0x61: // ESC a: justification — no effect on raster images
          if (left < 3) return undefined;
          return { event: { type: 'ignored', command: 'ESC a' }, length: 3 };
        default:
          return { event: { type: 'unknown', byte: c, offset: this.consumed + i }, length: 1 };
      }
    }
    if (c === 0x1d) {
      if (left < 2) return undefined;
      if (at(1) === 0x76) {
        // GS v 0 m xL xH yL yH d1…dk
        if (left < 8) return undefined;
        if (at(2) !== 0x30) return { event: { type: 'unknown', byte: c, offset: this.consumed + i }, length: 1 };
        const bytesPerRow = at(4) | (at(5) << 8);
        const rows = at(6) | (at(7) << 8);
        const size = bytesPerRow * rows;
        if (left < 8 + size) return undefined;
        const data = b.slice(i + 8, i + 8 + size);
        return { event: { type: 'raster', widthDots: bytesPerRow * 8, rows, data }, length: 8 + size };
      }
      if (at(1) === 0x56) {
        // GS V m (m = 0,1,48,49) or GS V m n (m = 65,66: feed n then cut)
        if (left < 3) return undefined;
        const m = at(2);
        if (m === 0 || m === 48) return { event: { type: 'cut', partial: false, feedDots: 0 }, length: 3 };
        if (m === 1 || m === 49) return { event: { type: 'cut', partial: true, feedDots: 0 }, length: 3 };
        if (m === 65 || m === 66) {
          if (left < 4) return undefined;
          return { event: { type: 'cut', partial: m === 66, feedDots: at(3) }, length: 4 };
        }
      }
      return { event: { type: 'unknown', byte: c, offset: this.consumed + i }, length: 1 };
    }
    if (c === 0x10) {
      if (left < 3) return undefined;
      if (at(1) === 0x04) return { event: { type: 'status', n: at(2) }, length: 3 };
      if (at(1) === 0x14 && at(2) === 0x08) {
        // DLE DC4 8 1 3 20 1 6 2 8
        if (left < 10) return undefined;
        const tail = [1, 3, 20, 1, 6, 2, 8];
        if (tail.every((v, k) => at(3 + k) === v)) return { event: { type: 'clear-buffers' }, length: 10 };
      }
      return { event: { type: 'unknown', byte: c, offset: this.consumed + i }, length: 1 };
    }
    return { event: { type: 'unknown', byte: c, offset: this.consumed + i }, length: 1 };
  }
}

/** Unpacks GS v 0 bytes into one byte per dot (1 = black). */
export function unpackRaster(e: Extract<EscPosEvent, { type: 'raster' }>): Uint8Array {
  const out = new Uint8Array(e.widthDots * e.rows);
  const bytesPerRow = e.widthDots / 8;
  for (let y = 0; y < e.rows; y++) {
    for (let x = 0; x < e.widthDots; x++) {
      if (e.data[y * bytesPerRow + (x >> 3)]! & (0x80 >> (x & 7))) out[y * e.widthDots + x] = 1;
    }
  }
  return out;
}

export interface PaperImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** A strip of paper being printed: rows appended by raster and feeds, closed by a cut. */
export class PaperStrip {
  private rows: Uint8Array[] = [];
  constructor(readonly width: number) {}

  addRaster(e: Extract<EscPosEvent, { type: 'raster' }>, fromRow = 0, toRow = e.rows): void {
    const dots = unpackRaster(e);
    for (let y = fromRow; y < toRow; y++) {
      const row = new Uint8Array(this.width);
      row.set(dots.subarray(y * e.widthDots, y * e.widthDots + Math.min(e.widthDots, this.width)));
      this.rows.push(row);
    }
  }

  addBlank(n: number): void {
    for (let k = 0; k < n; k++) this.rows.push(new Uint8Array(this.width));
  }

  get height(): number {
    return this.rows.length;
  }

  /** The strip so far as an image, and a fresh strip started. */
  take(): PaperImage {
    const data = new Uint8Array(this.width * this.rows.length);
    this.rows.forEach((r, y) => data.set(r, y * this.width));
    const img = { width: this.width, height: this.rows.length, data };
    this.rows = [];
    return img;
  }
}

export interface DecodedJob {
  /** One image per cut, in order. */
  readonly pages: PaperImage[];
  /** Rows printed after the last cut (normally none). */
  readonly uncut: PaperImage;
  readonly statusRequests: number[];
  readonly unknown: { byte: number; offset: number }[];
  readonly inits: number;
}

/** Decodes a whole ESC/POS stream (e.g. a `file:` printer's output) into paper. */
export function decodeEscPos(bytes: Uint8Array, widthDots: number): DecodedJob {
  const reader = new EscPosReader();
  const strip = new PaperStrip(widthDots);
  const pages: PaperImage[] = [];
  const statusRequests: number[] = [];
  const unknown: { byte: number; offset: number }[] = [];
  let inits = 0;
  for (const e of reader.push(bytes)) {
    switch (e.type) {
      case 'raster':
        strip.addRaster(e);
        break;
      case 'feed':
        strip.addBlank(e.dots);
        break;
      case 'cut':
        strip.addBlank(e.feedDots);
        pages.push(strip.take());
        break;
      case 'status':
        statusRequests.push(e.n);
        break;
      case 'unknown':
        unknown.push({ byte: e.byte, offset: e.offset });
        break;
      case 'init':
        inits++;
        break;
      default:
        break;
    }
  }
  if (reader.pendingBytes > 0) unknown.push({ byte: -1, offset: bytes.length - reader.pendingBytes });
  return { pages, uncut: strip.take(), statusRequests, unknown, inits };
}
