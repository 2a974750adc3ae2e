/**
 * PC/SC card readers through the `smartcard` module (N-API bindings over libpcsclite + pcscd).
 *
 * - Readers come and go at run time (USB plug/unplug) and cards are inserted and removed; both
 *   surface as CardReaderEvents. One native monitor thread watches every reader; its wait is
 *   bounded (1 s) and stop() cancels it, so closing the port always lets the process exit.
 *   (The former `pcsclite` binding leaked a referenced libuv handle per reader closed before its
 *   status thread reached its wait loop: `cccd-kiosk read --reader X` never exited when another
 *   reader did not match X. See docs/chip-reading.md.)
 * - A missing library or service is a DeviceState 'missing' with a reason, never a crash: the
 *   monitor cannot start without pcscd ("PC/SC service not running"). The port retries in the
 *   background, so starting pcscd later brings the readers back; pcscd dying is the same path.
 * - Extended length: the reader's dwMaxAPDUDataSize comes from the PC/SC v2 part 10 TLV properties
 *   (FEATURE_GET_TLV_PROPERTIES); 0 means short APDUs only. When the reader does not report it, the
 *   read flow probes (see reader.ts). Whether the card accepts extended APDUs is decided from its ATR
 *   or by that probe.
 */
import { createRequire } from 'node:module';
import type { DeviceState } from '../../core/device-state.ts';
import { CardHandle } from './pcsc-handle.ts';
import {
  CardIoError, CardRemovedError, NoCardError, NoReaderError,
  type CardReaderEvent, type CardReaderPort, type CardTransport, type ReaderInfo, type TransportCapabilities,
} from '../../core/icao/transport.ts';

// ------------------------------------------------------------------ the slice of `smartcard` we use

/** What the native monitor reports; for 'error' the message is in `reader`. */
export interface PcscMonitorEvent {
  readonly type: 'reader-attached' | 'reader-detached' | 'card-inserted' | 'card-removed' | 'error';
  readonly reader: string;
  readonly state: number;
  readonly atr: Buffer | null;
}

export interface PcscCard {
  readonly protocol: number;
  transmit(command: Buffer, options: { maxRecvLength: number }): Promise<Buffer>;
  control(code: number, data?: Buffer): Promise<Buffer>;
  /** Synchronous: only when no call is pending on the card's context (see pcsc-handle.ts). */
  disconnect(disposition: number): void;
  reconnect(shareMode: number, protocols: number, initialization: number): Promise<number>;
}

export interface PcscReaderHandle {
  readonly name: string;
  connect(shareMode: number, protocols: number): Promise<PcscCard>;
}

/** A PC/SC context for connecting to cards (the monitor has its own). */
export interface PcscContext {
  listReaders(): PcscReaderHandle[];
  close(): void;
}

export interface PcscMonitor {
  /** Throws when pcscd is not reachable. */
  start(onEvent: (e: PcscMonitorEvent) => void): void;
  /** Cancels the monitor's wait and joins its thread; events already queued may still arrive. */
  stop(): void;
}

export interface PcscLibrary {
  readonly Context: new () => PcscContext;
  readonly ReaderMonitor: new () => PcscMonitor;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_LEAVE_CARD: number;
  SCARD_CTL_CODE(code: number): number;
}

/** Loads the PC/SC library; throws when it is not installed. Injectable for tests. */
export type PcscLoader = () => PcscLibrary;

function loadSmartcard(): PcscLibrary {
  return createRequire(import.meta.url)('smartcard') as PcscLibrary;
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
  if (/cannot find module|bindings|\.node|libpcsclite/i.test(msg)) return 'PC/SC library (libpcsclite / smartcard module) is not installed';
  if (/service not (available|running)|service stopped|no service|0x8010001d/i.test(msg)) return 'PC/SC service (pcscd) is not running';
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

/**
 * Reads dwMaxAPDUDataSize from the reader's PC/SC v2 part 10 TLV properties: > 0 means extended
 * APDUs up to that size, 0 short only. Undefined when the driver does not expose it.
 */
export async function readerMaxApduDataSize(card: Pick<PcscCard, 'control'>, ctlCode: (code: number) => number): Promise<number | undefined> {
  try {
    const features = await card.control(ctlCode(CM_IOCTL_GET_FEATURE_REQUEST));
    let code: number | undefined;
    for (let i = 0; i + 6 <= features.length; i += 6) {
      if (features[i] === FEATURE_GET_TLV_PROPERTIES && features[i + 1] === 4) code = features.readUInt32BE(i + 2);
    }
    if (code === undefined) return undefined;
    const props = await card.control(code);
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
  readonly name: string;
  present: boolean;
  atr?: Uint8Array;
}

export interface PcscPortOptions {
  /** Only readers whose name matches (case-insensitive substring or /regex/) are used. */
  readonly readerPattern?: string;
  /** Retry interval when PC/SC is unavailable or fails (ms). */
  readonly retryMs?: number;
  readonly library?: PcscLoader;
  /** Bound on each native card call (transmit, control, reset); the slowest real exchange is seconds. */
  readonly callTimeoutMs?: number;
}

/** A 64 KiB extended READ BINARY at 106 kbit/s takes about 5 s; an RSA-2048 signature 1-3 s. */
const CALL_TIMEOUT_MS = 15_000;

const MAX_RESPONSE = 65538; // 65536 data bytes + SW1 SW2: the largest extended response

export class PcscCardReaderPort implements CardReaderPort {
  readonly adapter = 'pcsc';
  private lib: PcscLibrary | undefined;
  private monitor: PcscMonitor | undefined;
  private problem: string | undefined;
  private readonly readers = new Map<string, ReaderState>();
  private readonly listeners = new Set<(e: CardReaderEvent) => void>();
  private readonly waiters = new Set<() => void>();
  private retry: NodeJS.Timeout | undefined;
  private closed = false;
  /** Open connections, released with the port if their owners did not close them. */
  private readonly connections = new Set<CardHandle>();

  constructor(private readonly options: PcscPortOptions = {}) {
    this.start();
  }

  private start(): void {
    if (this.closed) return;
    try {
      const lib = (this.options.library ?? loadSmartcard)();
      const monitor = new lib.ReaderMonitor();
      // Events of a monitor that was replaced or stopped are stale: drop them.
      monitor.start((e) => {
        if (this.monitor === monitor) this.onMonitorEvent(lib, e);
      });
      this.lib = lib;
      this.monitor = monitor;
      this.problem = undefined;
    } catch (e) {
      this.fail(e);
    }
  }

  private onMonitorEvent(lib: PcscLibrary, e: PcscMonitorEvent): void {
    switch (e.type) {
      case 'reader-attached': {
        // Readers that do not match are never tracked; nothing is held open for them.
        if (!readerMatches(e.reader, this.options.readerPattern) || this.readers.has(e.reader)) return;
        const state: ReaderState = { name: e.reader, present: false };
        this.readers.set(e.reader, state);
        this.emit({ type: 'reader-added', reader: e.reader });
        this.cardState(lib, state, e);
        return;
      }
      case 'card-inserted':
      case 'card-removed': {
        const state = this.readers.get(e.reader);
        if (state) this.cardState(lib, state, e);
        return;
      }
      case 'reader-detached':
        this.dropReader(e.reader);
        return;
      case 'error':
        // The monitor's context is broken (pcscd stopped or crashed): start over with a new one.
        this.fail(new Error(e.reader));
    }
  }

  /** A card counts as present when PC/SC sees it and it answered the reset (not mute). */
  private cardState(lib: PcscLibrary, state: ReaderState, e: PcscMonitorEvent): void {
    const present = (e.state & lib.SCARD_STATE_PRESENT) !== 0 && (e.state & lib.SCARD_STATE_MUTE) === 0;
    if (e.atr && e.atr.length > 0) state.atr = new Uint8Array(e.atr);
    if (present === state.present) return;
    state.present = present;
    if (!present) state.atr = undefined;
    this.emit({ type: present ? 'card-inserted' : 'card-removed', reader: state.name });
    if (present) for (const w of [...this.waiters]) w();
  }

  /** PC/SC went away (or never came): report it and try again later. */
  private fail(e: unknown): void {
    this.problem = missingReason(e);
    this.release();
    for (const name of [...this.readers.keys()]) this.dropReader(name);
    if (!this.closed && !this.retry) {
      this.retry = setTimeout(() => {
        this.retry = undefined;
        this.start();
      }, this.options.retryMs ?? 2000);
      this.retry.unref();
    }
  }

  /** Stops the monitor thread (connections close their own contexts). */
  private release(): void {
    const { monitor } = this;
    this.monitor = undefined;
    try {
      monitor?.stop();
    } catch {
      // already stopped
    }
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
    return [...this.readers.values()].map((s) => ({ name: s.name, cardPresent: s.present }));
  }

  private findWithCard(pattern: string | undefined): ReaderInfo | undefined {
    for (const s of this.readers.values()) {
      if (s.present && readerMatches(s.name, pattern)) return { name: s.name, cardPresent: true };
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
        const anyReader = [...this.readers.values()].some((s) => readerMatches(s.name, opts.reader));
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
    const lib = this.lib;
    if (!lib) throw new NoReaderError(this.problem ?? 'PC/SC unavailable', { reader: name });
    const timeoutMs = this.options.callTimeoutMs ?? CALL_TIMEOUT_MS;
    let h: CardHandle;
    try {
      // A context per connection: libpcsclite serialises calls per context (see pcsc-handle.ts).
      const context = new lib.Context();
      const handle = context.listReaders().find((r) => r.name === name);
      if (!handle) {
        context.close();
        throw new NoReaderError('the PC/SC reader went away', { reader: name });
      }
      // Exclusive: the kiosk owns the card for the read; T=1 preferred (contactless is always T=1).
      h = await CardHandle.open(context, () => handle.connect(lib.SCARD_SHARE_EXCLUSIVE, lib.SCARD_PROTOCOL_T1 | lib.SCARD_PROTOCOL_T0), lib.SCARD_LEAVE_CARD, timeoutMs);
    } catch (e) {
      if (e instanceof NoReaderError || e instanceof CardIoError) throw e;
      throw toKioskError(e, 'connect');
    }
    const card = h.card;
    this.connections.add(h);
    const maxData = await readerMaxApduDataSize({ control: (code, data) => h.call('control', () => card.control(code, data)) }, (code) => lib.SCARD_CTL_CODE(code));
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
      transmit: async (apdu: Uint8Array) => {
        if (!open) throw new CardIoError('transport already closed');
        if (!this.readers.has(name) || !s.present) throw new CardRemovedError();
        let out: Buffer;
        try {
          out = await h.call('transmit', () => card.transmit(Buffer.from(apdu), { maxRecvLength: capabilities.maxResponseLength }));
        } catch (err) {
          const e = toKioskError(err, 'transmit');
          if (e instanceof CardRemovedError) throw e;
          // A card that left between two APDUs often fails the next one with SCARD_E_NOT_TRANSACTED
          // before pcscd's presence poll has noticed: let the poll decide.
          throw (await this.cardLeft(name, s)) ? new CardRemovedError(undefined, (e as CardIoError).details) : e;
        }
        // No status word at all: the card stopped answering mid-exchange (left the field).
        if (out.length < 2) throw new CardRemovedError('the card stopped answering (removed from the reader?)');
        return new Uint8Array(out);
      },
      close: async () => {
        if (!open) return;
        open = false;
        try {
          // Reset: the card forgets its secure-messaging keys when the kiosk is done with it.
          await h.call('reset', () => card.reconnect(lib.SCARD_SHARE_EXCLUSIVE, lib.SCARD_PROTOCOL_T1 | lib.SCARD_PROTOCOL_T0, lib.SCARD_RESET_CARD));
        } catch {
          // the card or the reader is already gone, or the card stopped answering
        }
        h.release();
        this.connections.delete(h);
      },
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
    this.release();
    for (const h of this.connections) h.release();
    this.connections.clear();
    this.readers.clear();
    this.listeners.clear();
  }

  private emit(e: CardReaderEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}
