/**
 * A network receipt printer on loopback, for tests and the demo: it takes ESC/POS on TCP like a
 * real printer's port 9100, prints raster images onto a simulated paper roll, answers DLE EOT
 * status requests in real time, and can run out of paper (or have its cover opened) mid-job.
 *
 * Like a real printer, data that arrives while it cannot print is held in its buffer and printed
 * once paper is loaded — unless the host clears the buffer (DLE DC4 8). A job cut short by the end
 * of the roll leaves its remaining rows in that buffer too.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { EscPosReader, PaperStrip, type EscPosEvent, type PaperImage } from './escpos-reader.ts';

export interface PrintedPage {
  readonly image: PaperImage;
  /** `cut`: ended by the cutter; `end-of-roll`: the roll ran out under it. */
  readonly end: 'cut' | 'end-of-roll';
}

export interface PrinterSimulatorOptions {
  readonly dotsPerLine?: number;
  /** Paper left on the roll, in dot rows (Infinity: never runs out). */
  readonly paperRows?: number;
  /** Rows left under which the near-end sensor trips. */
  readonly nearEndRows?: number;
}

type RasterEvent = Extract<EscPosEvent, { type: 'raster' }>;
type Held = { kind: 'raster'; e: RasterEvent; from: number } | { kind: 'blank'; rows: number } | { kind: 'cut' };

export class PrinterSimulator {
  readonly dotsPerLine: number;
  readonly pages: PrintedPage[] = [];
  /** Every byte the printer could not interpret, with its offset on its connection. */
  readonly unknownBytes: { byte: number; offset: number }[] = [];
  statusRequests = 0;
  bytesReceived = 0;
  connections = 0;

  private paperRows: number;
  private readonly nearEndRows: number;
  private coverOpen = false;
  private held: Held[] = [];
  private readonly strip: PaperStrip;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(opts: PrinterSimulatorOptions = {}) {
    this.dotsPerLine = opts.dotsPerLine ?? 576;
    this.paperRows = opts.paperRows ?? Infinity;
    this.nearEndRows = opts.nearEndRows ?? 0;
    this.strip = new PaperStrip(this.dotsPerLine);
  }

  /** Starts listening on 127.0.0.1; returns the port (0 picks a free one). */
  listen(port = 0): Promise<number> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        const addr = server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  get paperOut(): boolean {
    return this.paperRows <= 0;
  }

  /** Rows printed since the last cut (a job in progress or a torn-off remainder). */
  get uncutRows(): number {
    return this.strip.height;
  }

  /** Data waiting in the buffer for paper (rows of raster and feed). */
  get heldRows(): number {
    return this.held.reduce((n, h) => n + (h.kind === 'raster' ? h.e.rows - h.from : h.kind === 'blank' ? h.rows : 0), 0);
  }

  /** Puts a new roll in; held data then prints, as on a real printer. */
  loadPaper(rows = Infinity): void {
    this.paperRows = rows;
    this.drainHeld();
  }

  setCoverOpen(open: boolean): void {
    this.coverOpen = open;
    if (!open) this.drainHeld();
  }

  /** The four DLE EOT reply bytes for the current state. */
  statusByte(n: number): number {
    const base = 0x12;
    const offline = this.paperOut || this.coverOpen;
    switch (n) {
      case 1:
        return base | (offline ? 0x08 : 0);
      case 2:
        return base | (this.coverOpen ? 0x04 : 0) | (this.paperOut ? 0x20 : 0);
      case 3:
        return base;
      case 4: {
        const nearEnd = this.paperRows < this.nearEndRows;
        return base | (nearEnd || this.paperOut ? 0x0c : 0) | (this.paperOut ? 0x60 : 0);
      }
      default:
        return base;
    }
  }

  private accept(socket: Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.setNoDelay(true); // status replies go out at once, as a printer's do
    const reader = new EscPosReader();
    socket.on('data', (chunk) => {
      this.bytesReceived += chunk.length;
      for (const e of reader.push(chunk)) this.handle(e, socket);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private handle(e: EscPosEvent, socket: Socket): void {
    switch (e.type) {
      case 'status':
        this.statusRequests++;
        socket.write(Uint8Array.of(this.statusByte(e.n)));
        return;
      case 'clear-buffers':
        this.held = [];
        socket.write(Uint8Array.of(0x37, 0x25, 0x00));
        return;
      case 'raster':
        this.enqueue({ kind: 'raster', e, from: 0 });
        return;
      case 'feed':
        this.enqueue({ kind: 'blank', rows: e.dots });
        return;
      case 'cut':
        if (e.feedDots) this.enqueue({ kind: 'blank', rows: e.feedDots });
        this.enqueue({ kind: 'cut' });
        return;
      case 'unknown':
        this.unknownBytes.push({ byte: e.byte, offset: e.offset });
        return;
      default:
        return;
    }
  }

  private enqueue(h: Held): void {
    this.held.push(h);
    this.drainHeld();
  }

  /** Prints held data while the printer can. */
  private drainHeld(): void {
    while (this.held.length && !this.paperOut && !this.coverOpen) {
      const h = this.held[0]!;
      if (h.kind === 'cut') {
        this.pages.push({ image: this.strip.take(), end: 'cut' });
        this.held.shift();
        continue;
      }
      const want = h.kind === 'raster' ? h.e.rows - h.from : h.rows;
      const can = Math.min(want, this.paperRows);
      if (h.kind === 'raster') this.strip.addRaster(h.e, h.from, h.from + can);
      else this.strip.addBlank(can);
      this.paperRows -= can;
      if (can === want) {
        this.held.shift();
      } else {
        // The roll ended under this command: the rest stays in the buffer.
        this.held[0] = h.kind === 'raster' ? { ...h, from: h.from + can } : { kind: 'blank', rows: want - can };
      }
      if (this.paperOut) this.pages.push({ image: this.strip.take(), end: 'end-of-roll' });
    }
  }
}
