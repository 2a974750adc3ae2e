/**
 * PC/SC card readers through the `pcsclite` module (libpcsclite + pcscd).
 *
 * - Readers come and go at run time (USB plug/unplug) and cards are inserted and removed; both
 *   surface as CardReaderEvents.
 * - A missing library or service is a DeviceState 'missing' with a reason, never a crash:
 *   pcsclite's constructor throws "Service not available" when pcscd is not running. The port
 *   retries in the background, so starting pcscd later brings the readers back.
 * - Extended length: the reader's dwMaxAPDUDataSize comes from the PC/SC v2 part 10 TLV properties
 *   (FEATURE_GET_TLV_PROPERTIES); 0 means short APDUs only. When the reader does not report it, the
 *   read flow probes (see reader.ts). Whether the card accepts extended APDUs is decided from its ATR
 *   or by that probe.
 */
import { createRequire } from 'node:module';
import type { DeviceState } from '../../core/device-state.ts';
import {
  CardIoError, CardRemovedError, NoCardError, NoReaderError,
  type CardReaderEvent, type CardReaderPort, type CardTransport, type ReaderInfo, type TransportCapabilities,
} from '../../core/icao/transport.ts';

// ------------------------------------------------------------------ the slice of pcsclite we use

interface PcscStatus { readonly state: number; readonly atr?: Buffer }
type Cb<T> = (err: unknown, value: T) => void;

export interface PcscReader {
  readonly name: string;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_LEAVE_CARD: number;
  on(ev: 'status', l: (s: PcscStatus) => void): unknown;
  on(ev: 'end', l: () => void): unknown;
  on(ev: 'error', l: (e: unknown) => void): unknown;
  connect(opts: { share_mode: number; protocol: number }, cb: Cb<number>): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: Cb<Buffer>): void;
  control(data: Buffer, code: number, resLen: number, cb: Cb<Buffer>): void;
  SCARD_CTL_CODE(code: number): number;
  close(): void;
}

export interface PcscContext {
  on(ev: 'reader', l: (r: PcscReader) => void): unknown;
  on(ev: 'error', l: (e: unknown) => void): unknown;
  close(): void;
}

/** Creates a PC/SC context; throws when the library or the service is missing. Injectable for tests. */
export type PcscFactory = () => PcscContext;

function defaultFactory(): PcscContext {
  const require = createRequire(import.meta.url);
  const pcsc = require('pcsclite') as () => PcscContext;
  return pcsc();
}

// ------------------------------------------------------------------ error mapping

/** PC/SC return codes that mean "the card is gone or was reset under us". */
const REMOVED_CODES = ['0x80100069', '0x80100068', '0x8010000c', '0x80100067', '0x80100066'];

function toKioskError(e: unknown, what: string): Error {
  const msg = e instanceof Error ? e.message : String(e);
  const lower = msg.toLowerCase();
  if (REMOVED_CODES.some((c) => lower.includes(c)) || /card was removed|card was reset|no smart ?card/.test(lower)) {
    return new CardRemovedError(`${what}: the card was removed`, { pcsc: msg });
  }
  return new CardIoError(`${what} failed: ${msg}`, { pcsc: msg });
}

function missingReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/cannot find module|bindings|\.node|libpcsclite/i.test(msg)) return 'PC/SC library (libpcsclite / pcsclite module) is not installed';
  if (/service not available|no service|0x8010001d/i.test(msg)) return 'PC/SC service (pcscd) is not running';
  return `PC/SC unavailable: ${msg}`;
}

/** Reader-name match as the profile defines it: case-insensitive substring, or `/regex/`. */
export function readerMatches(name: string, pattern: string | undefined): boolean {
  if (!pattern) return true;
  const re = /^\/(.+)\/([a-z]*)$/.exec(pattern);
  if (re) {
    try {
      return new RegExp(re[1]!, re[2]!.includes('i') ? re[2] : `${re[2]}i`).test(name);
    } catch {
      return false;
    }
  }
  return name.toLowerCase().includes(pattern.toLowerCase());
}

// ------------------------------------------------------------------ extended-length probe

const CM_IOCTL_GET_FEATURE_REQUEST = 3400;
const FEATURE_GET_TLV_PROPERTIES = 0x12;
const PROPERTY_dwMaxAPDUDataSize = 0x0a;

function control(r: PcscReader, data: Buffer, code: number): Promise<Buffer> {
  return new Promise((resolve, reject) => r.control(data, code, 1024, (err, out) => (err ? reject(err) : resolve(out))));
}

/**
 * Reads dwMaxAPDUDataSize from the reader's PC/SC v2 part 10 TLV properties: > 0 means extended
 * APDUs up to that size, 0 short only. Undefined when the driver does not expose it.
 */
export async function readerMaxApduDataSize(r: PcscReader): Promise<number | undefined> {
  try {
    const features = await control(r, Buffer.alloc(0), r.SCARD_CTL_CODE(CM_IOCTL_GET_FEATURE_REQUEST));
    let code: number | undefined;
    for (let i = 0; i + 6 <= features.length; i += 6) {
      if (features[i] === FEATURE_GET_TLV_PROPERTIES && features[i + 1] === 4) code = features.readUInt32BE(i + 2);
    }
    if (code === undefined) return undefined;
    const props = await control(r, Buffer.alloc(0), code);
    for (let i = 0; i + 2 <= props.length; i += 2 + props[i + 1]!) {
      const len = props[i + 1]!;
      if (props[i] === PROPERTY_dwMaxAPDUDataSize && i + 2 + len <= props.length) {
        return len === 4 ? props.readUInt32LE(i + 2) : len === 2 ? props.readUInt16LE(i + 2) : props[i + 2];
      }
    }
    return undefined;
  } catch {
    return undefined;
  }
}

/** Contactless readers present the card with a PC/SC part 3 ATR (3B 8n 80 01 …). */
function isContactless(name: string, atr: Uint8Array | undefined): boolean {
  if (atr && atr[0] === 0x3b && (atr[1]! & 0xf0) === 0x80 && atr[2] === 0x80 && atr[3] === 0x01) return true;
  return /picc|contactless|\bcl\b|nfc/i.test(name);
}

// ------------------------------------------------------------------ the port

interface ReaderState {
  readonly reader: PcscReader;
  present: boolean;
  atr?: Uint8Array;
}

export interface PcscPortOptions {
  /** Only readers whose name matches (case-insensitive substring or /regex/) are used. */
  readonly readerPattern?: string;
  /** Retry interval when PC/SC is unavailable or fails (ms). */
  readonly retryMs?: number;
  readonly factory?: PcscFactory;
}

const MAX_RESPONSE = 65538; // 65536 data bytes + SW1 SW2: the largest extended response

export class PcscCardReaderPort implements CardReaderPort {
  readonly adapter = 'pcsc';
  private context: PcscContext | undefined;
  private problem: string | undefined;
  private readonly readers = new Map<string, ReaderState>();
  private readonly listeners = new Set<(e: CardReaderEvent) => void>();
  private readonly waiters = new Set<() => void>();
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: PcscPortOptions = {}) {
    this.start();
  }

  private start(): void {
    if (this.closed) return;
    try {
      const ctx = (this.options.factory ?? defaultFactory)();
      this.context = ctx;
      this.problem = undefined;
      ctx.on('error', (e) => this.fail(e));
      ctx.on('reader', (r) => this.addReader(r));
    } catch (e) {
      this.fail(e);
    }
  }

  /** PC/SC went away (or never came): report it and try again later. */
  private fail(e: unknown): void {
    this.problem = missingReason(e);
    const ctx = this.context;
    this.context = undefined;
    for (const name of [...this.readers.keys()]) this.dropReader(name);
    try {
      ctx?.close();
    } catch {
      // already closed by the library
    }
    if (!this.closed && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.start();
      }, this.options.retryMs ?? 2000);
      this.retry.unref();
    }
  }

  private addReader(r: PcscReader): void {
    // pcsclite emits 'error' on every reader (e.g. when pcscd stops); an EventEmitter without a
    // listener would throw it at the process, so even readers we ignore get a (silent) handler.
    r.on('error', () => undefined);
    if (!readerMatches(r.name, this.options.readerPattern)) {
      // Not ours: stop watching it, so it cannot keep the process alive.
      r.close();
      return;
    }
    const state: ReaderState = { reader: r, present: false };
    this.readers.set(r.name, state);
    this.emit({ type: 'reader-added', reader: r.name });
    r.on('end', () => this.dropReader(r.name));
    r.on('status', (s) => {
      const present = (s.state & r.SCARD_STATE_PRESENT) !== 0 && (s.state & r.SCARD_STATE_MUTE) === 0;
      if (s.atr && s.atr.length > 0) state.atr = new Uint8Array(s.atr);
      if (present === state.present) return;
      state.present = present;
      if (!present) state.atr = undefined;
      this.emit({ type: present ? 'card-inserted' : 'card-removed', reader: r.name });
      if (present) for (const w of [...this.waiters]) w();
    });
  }

  private dropReader(name: string): void {
    const s = this.readers.get(name);
    if (!s) return;
    this.readers.delete(name);
    if (s.present) this.emit({ type: 'card-removed', reader: name });
    this.emit({ type: 'reader-removed', reader: name });
  }

  status(): DeviceState {
    if (this.closed) return { device: 'cardReader', state: 'missing', adapter: this.adapter, reason: 'card reader port closed' };
    if (this.problem) return { device: 'cardReader', state: 'missing', adapter: this.adapter, reason: this.problem };
    if (this.readers.size === 0) {
      return {
        device: 'cardReader', state: 'missing', adapter: this.adapter,
        reason: this.options.readerPattern ? 'no PC/SC reader matches the configured name' : 'no PC/SC reader connected',
      };
    }
    return { device: 'cardReader', state: 'ok', adapter: this.adapter };
  }

  async listReaders(): Promise<ReaderInfo[]> {
    return [...this.readers.values()].map((s) => ({ name: s.reader.name, cardPresent: s.present }));
  }

  private findWithCard(pattern: string | undefined): ReaderInfo | undefined {
    for (const s of this.readers.values()) {
      if (s.present && readerMatches(s.reader.name, pattern)) return { name: s.reader.name, cardPresent: true };
    }
    return undefined;
  }

  waitForCard(opts: { reader?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ReaderInfo> {
    const found = this.findWithCard(opts.reader);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const check = () => {
        const f = this.findWithCard(opts.reader);
        if (f) {
          cleanup();
          resolve(f);
        }
      };
      const fail = () => {
        cleanup();
        const anyReader = [...this.readers.values()].some((s) => readerMatches(s.reader.name, opts.reader));
        reject(anyReader || !this.problem
          ? (anyReader ? new NoCardError('no card presented in time', { timeoutMs: opts.timeoutMs }) : new NoReaderError(this.status().reason ?? 'no reader'))
          : new NoReaderError(this.problem));
      };
      const timer = opts.timeoutMs !== undefined ? setTimeout(fail, opts.timeoutMs) : undefined;
      const cleanup = () => {
        this.waiters.delete(check);
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', fail);
      };
      this.waiters.add(check);
      opts.signal?.addEventListener('abort', fail);
    });
  }

  async connect(name: string): Promise<CardTransport> {
    const s = this.readers.get(name);
    if (!s) throw new NoReaderError('no such PC/SC reader', { reader: name });
    if (!s.present) throw new NoCardError('no card on the reader', { reader: name });
    const r = s.reader;
    // Exclusive: the kiosk owns the card for the read; T=1 preferred (contactless is always T=1).
    const protocol = await new Promise<number>((resolve, reject) =>
      r.connect({ share_mode: r.SCARD_SHARE_EXCLUSIVE, protocol: r.SCARD_PROTOCOL_T1 | r.SCARD_PROTOCOL_T0 },
        (err, p) => (err ? reject(toKioskError(err, 'connect')) : resolve(p))));
    const maxData = await readerMaxApduDataSize(r);
    const capabilities: TransportCapabilities = {
      // Unknown (undefined) counts as possible: the read flow probes and falls back.
      extendedLength: maxData === undefined ? true : maxData > 255,
      maxResponseLength: maxData && maxData > 255 ? Math.min(MAX_RESPONSE, maxData + 2) : maxData === 0 ? 258 : MAX_RESPONSE,
      interface: isContactless(name, s.atr) ? 'contactless' : 'contact',
      ...(s.atr ? { atr: s.atr } : {}),
    };
    let open = true;
    return {
      capabilities,
      transmit: (apdu: Uint8Array) => new Promise<Uint8Array>((resolve, reject) => {
        if (!open) return reject(new CardIoError('transport already closed'));
        if (!this.readers.has(name) || !s.present) return reject(new CardRemovedError());
        r.transmit(Buffer.from(apdu), capabilities.maxResponseLength, protocol, (err, out) => {
          if (err) {
            const e = toKioskError(err, 'transmit');
            if (e instanceof CardRemovedError) return reject(e);
            // A card that left between two APDUs often fails the next one with SCARD_E_NOT_TRANSACTED
            // (0x80100016) before pcscd's presence poll has noticed: let the poll decide.
            return void this.cardLeft(name, s).then((left) => reject(left ? new CardRemovedError(undefined, (e as CardIoError).details) : e));
          }
          // No status word at all: the card stopped answering mid-exchange (left the field).
          if (out.length < 2) return reject(new CardRemovedError('the card stopped answering (removed from the reader?)'));
          resolve(new Uint8Array(out));
        });
      }),
      close: () => new Promise<void>((resolve) => {
        if (!open) return resolve();
        open = false;
        // Reset: the card forgets its secure-messaging keys when the kiosk is done with it.
        r.disconnect(r.SCARD_RESET_CARD, () => resolve());
      }),
    };
  }

  /** Whether PC/SC reports the card gone within its presence-poll interval (400 ms) plus margin. */
  private async cardLeft(name: string, s: ReaderState, withinMs = 1000): Promise<boolean> {
    const end = Date.now() + withinMs;
    while (Date.now() < end) {
      if (!this.readers.has(name) || !s.present) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }

  onEvent(listener: (e: CardReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    for (const s of this.readers.values()) {
      try {
        s.reader.close();
      } catch {
        // reader already gone
      }
    }
    this.readers.clear();
    try {
      this.context?.close();
    } catch {
      // context already gone
    }
    this.context = undefined;
    this.listeners.clear();
  }

  private emit(e: CardReaderEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}
