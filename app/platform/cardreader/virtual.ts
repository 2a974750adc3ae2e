/**
 * The in-process card reader: a simulated chip behind the same CardReaderPort / CardTransport that
 * PC/SC implements. Used by the demo profile, the CLI's `--reader virtual` and every protocol test.
 * Insert and remove are explicit, including a pull-out after N more APDUs (mid-read removal).
 */
import type { DeviceState } from '../../core/device-state.ts';
import {
  CardIoError, CardRemovedError, NoCardError, NoReaderError,
  type CardReaderEvent, type CardReaderPort, type CardTransport, type ReaderInfo, type TransportCapabilities,
} from '../../core/icao/transport.ts';
import { decodeCommand } from '../../core/icao/apdu.ts';

/** A card for the virtual reader: a chip that answers APDUs (app/sim's VirtualChip, handed in by demo wiring). */
export interface SimulatedChip {
  readonly atr: Uint8Array;
  /** Power-up: the chip forgets any session. */
  reset(): void;
  process(apdu: Uint8Array): Uint8Array;
}

export interface VirtualReaderOptions {
  readonly name?: string;
  /** Whether the simulated reader passes extended APDUs (the card decides separately). */
  readonly extendedLength?: boolean;
  /** Simulated air time per APDU, for demos; 0 in tests and benchmarks. */
  readonly apduLatencyMs?: number;
}

export class VirtualCardReader implements CardReaderPort {
  readonly adapter = 'virtual';
  readonly name: string;
  private chip: SimulatedChip | undefined;
  /** Bumped on every insert/remove so transports of an earlier card presence go dead. */
  private presence = 0;
  private pullOutIn: number | undefined;
  private readonly listeners = new Set<(e: CardReaderEvent) => void>();
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(private readonly options: VirtualReaderOptions = {}) {
    this.name = options.name ?? 'Virtual CCCD Reader 00';
  }

  /** Puts a card on the reader (a fresh power-up of the chip). */
  insert(chip: SimulatedChip): void {
    if (this.chip) this.remove();
    chip.reset();
    this.chip = chip;
    this.presence++;
    this.pullOutIn = undefined;
    this.emit({ type: 'card-inserted', reader: this.name });
    for (const w of [...this.waiters]) w();
  }

  /** Takes the card away; open transports answer CARD_REMOVED from now on. */
  remove(): void {
    if (!this.chip) return;
    this.chip = undefined;
    this.presence++;
    this.pullOutIn = undefined;
    this.emit({ type: 'card-removed', reader: this.name });
  }

  /** Scripts a pull-out: the card leaves the field after `n` more APDUs have been answered. */
  pullOutAfter(n: number): void {
    this.pullOutIn = n;
  }

  get cardPresent(): boolean {
    return this.chip !== undefined;
  }

  status(): DeviceState {
    return this.closed
      ? { device: 'cardReader', state: 'missing', adapter: this.adapter, reason: 'virtual reader closed' }
      : { device: 'cardReader', state: 'ok', adapter: this.adapter };
  }

  async listReaders(): Promise<ReaderInfo[]> {
    return this.closed ? [] : [{ name: this.name, cardPresent: this.cardPresent }];
  }

  waitForCard(opts: { reader?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<ReaderInfo> {
    if (this.closed) return Promise.reject(new NoReaderError('virtual reader closed'));
    if (opts.reader && !this.name.toLowerCase().includes(opts.reader.toLowerCase()) && opts.reader !== 'virtual') {
      return Promise.reject(new NoReaderError('no reader matches the requested name', { pattern: opts.reader }));
    }
    if (this.chip) return Promise.resolve({ name: this.name, cardPresent: true });
    return new Promise((resolve, reject) => {
      const done = () => {
        cleanup();
        resolve({ name: this.name, cardPresent: true });
      };
      const fail = (e: Error) => {
        cleanup();
        reject(e);
      };
      const timer = opts.timeoutMs !== undefined
        ? setTimeout(() => fail(new NoCardError('no card presented in time', { timeoutMs: opts.timeoutMs })), opts.timeoutMs)
        : undefined;
      const onAbort = () => fail(new NoCardError('waiting for a card was cancelled'));
      const cleanup = () => {
        this.waiters.delete(done);
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
      };
      this.waiters.add(done);
      opts.signal?.addEventListener('abort', onAbort);
    });
  }

  async connect(reader: string): Promise<CardTransport> {
    if (reader !== this.name && reader !== 'virtual') throw new NoReaderError('no such reader', { reader });
    const chip = this.chip;
    if (!chip) throw new NoCardError('no card on the reader');
    const presence = this.presence;
    const capabilities: TransportCapabilities = {
      extendedLength: this.options.extendedLength ?? true,
      maxResponseLength: this.options.extendedLength === false ? 258 : 65538,
      interface: 'virtual',
      atr: chip.atr,
    };
    const latency = this.options.apduLatencyMs ?? 0;
    let open = true;
    return {
      capabilities,
      transmit: async (apdu: Uint8Array): Promise<Uint8Array> => {
        if (latency > 0) await new Promise((r) => setTimeout(r, latency));
        if (!open) throw new CardIoError('transport already closed');
        if (this.presence !== presence) throw new CardRemovedError();
        if (!capabilities.extendedLength && safeExtended(apdu)) {
          throw new CardIoError('the reader does not pass extended-length APDUs');
        }
        if (this.pullOutIn !== undefined && this.pullOutIn-- <= 0) {
          this.remove();
          throw new CardRemovedError();
        }
        return chip.process(apdu);
      },
      close: async () => {
        open = false;
      },
    };
  }

  onEvent(listener: (e: CardReaderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.remove();
    this.listeners.clear();
  }

  private emit(e: CardReaderEvent): void {
    for (const l of [...this.listeners]) l(e);
  }
}

function safeExtended(apdu: Uint8Array): boolean {
  try {
    return decodeCommand(apdu).extended;
  } catch {
    return false;
  }
}
