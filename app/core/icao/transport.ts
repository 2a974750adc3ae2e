/**
 * The port between the ICAO protocols and a card: raw APDU bytes in, raw response bytes out.
 * PC/SC and the in-process virtual chip both implement it, so every protocol above runs unchanged
 * on either.
 */
import type { DeviceState } from '../device-state.ts';
import { KioskError } from '../errors.ts';
import { encodeCommand, parseResponse, type CommandApdu, type ResponseApdu } from './apdu.ts';

export interface TransportCapabilities {
  /** Whether the reader (and its driver) passes extended-length APDUs. The card is probed separately. */
  readonly extendedLength: boolean;
  /** Largest response (data + SW) the adapter can receive in one exchange. */
  readonly maxResponseLength: number;
  /** How the card is attached; contactless cards are the ones that get pulled out mid-read. */
  readonly interface: 'contact' | 'contactless' | 'virtual' | 'unknown';
  /** Answer-to-reset, for logging the card type (never personal data). */
  readonly atr?: Uint8Array;
}

export interface CardTransport {
  readonly capabilities: TransportCapabilities;
  /** Sends one command APDU, returns the response including SW1 SW2. Throws CardRemovedError. */
  transmit(apdu: Uint8Array): Promise<Uint8Array>;
  /** Ends the session with the card (idempotent). */
  close(): Promise<void>;
}

/** The card left the field (or was reset) while we talked to it. */
export class CardRemovedError extends KioskError {
  constructor(message = 'the card was removed during the exchange', details: Record<string, unknown> = {}) {
    super('CARD_REMOVED', message, details);
  }
}

/** The reader or its driver failed for a reason other than card removal. */
export class CardIoError extends KioskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CARD_IO_ERROR', message, details);
  }
}

/** Encodes, transmits and parses one command: the smallest useful step above raw bytes. */
export async function exchange(t: CardTransport, cmd: CommandApdu, forceExtended = false): Promise<ResponseApdu> {
  return parseResponse(await t.transmit(encodeCommand(cmd, forceExtended)));
}

/** Plain or secure-messaging session: protocols above it send plain commands. */
export interface ApduChannel {
  readonly transport: CardTransport;
  send(cmd: CommandApdu, extended?: boolean): Promise<ResponseApdu>;
}

/** A channel without secure messaging (before access control, and for EF.CardAccess). */
export function plainChannel(transport: CardTransport): ApduChannel {
  return { transport, send: (cmd, extended = false) => exchange(transport, cmd, extended) };
}

/** Wraps a transport to count APDUs and response bytes (for the read summary and the benchmark). */
export class CountingTransport implements CardTransport {
  apduCount = 0;
  bytesSent = 0;
  bytesReceived = 0;
  constructor(private readonly inner: CardTransport) {}
  get capabilities(): TransportCapabilities {
    return this.inner.capabilities;
  }
  async transmit(apdu: Uint8Array): Promise<Uint8Array> {
    this.apduCount++;
    this.bytesSent += apdu.length;
    const r = await this.inner.transmit(apdu);
    this.bytesReceived += r.length;
    return r;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

/**
 * Whether the card itself announces extended Lc/Le in its ATR: the "card capabilities" object
 * (compact-TLV tag 7, ISO 7816-4 §12.1.1.9), third byte bit 7. Contactless readers build the ATR
 * from the ATS historical bytes (PC/SC part 3), so this works for both interfaces.
 * Returns undefined when the ATR does not say.
 */
export function atrExtendedLength(atr: Uint8Array): boolean | undefined {
  if (atr.length < 2) return undefined;
  const t0 = atr[1]!;
  const historicalCount = t0 & 0x0f;
  let i = 2;
  let y = t0 >> 4;
  for (;;) {
    const hasTd = (y & 0x8) !== 0;
    i += (y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1);
    if (!hasTd) break;
    if (i >= atr.length) return undefined;
    y = atr[i]! >> 4;
    i++;
  }
  const hist = atr.subarray(i, i + historicalCount);
  if (hist[0] !== 0x80) return undefined; // only the compact-TLV category is parseable
  for (let p = 1; p < hist.length;) {
    const tag = hist[p]! >> 4;
    const len = hist[p]! & 0x0f;
    if (tag === 0x7 && len >= 3 && p + 3 < hist.length) return (hist[p + 3]! & 0x40) !== 0;
    p += 1 + len;
  }
  return undefined;
}

// ------------------------------------------------------------------------------ reader port

export interface ReaderInfo {
  readonly name: string;
  readonly cardPresent: boolean;
}

export type CardReaderEvent =
  | { readonly type: 'reader-added'; readonly reader: string }
  | { readonly type: 'reader-removed'; readonly reader: string }
  | { readonly type: 'card-inserted'; readonly reader: string }
  | { readonly type: 'card-removed'; readonly reader: string };

/** No reader matches (or none is plugged in / the PC/SC service is absent). */
export class NoReaderError extends KioskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NO_READER', message, details);
  }
}

/** No card was presented in time. */
export class NoCardError extends KioskError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('NO_CARD', message, details);
  }
}

/**
 * Card readers as the host sees them: PC/SC and the virtual reader both implement this.
 * `status()` feeds /api/status (DeviceState with adapter name and a reason when not ok).
 */
export interface CardReaderPort {
  readonly adapter: string;
  status(): DeviceState;
  listReaders(): Promise<ReaderInfo[]>;
  /** Resolves with the first matching reader holding a card; rejects with NoCardError on timeout. */
  waitForCard(opts?: { readonly reader?: string; readonly timeoutMs?: number; readonly signal?: AbortSignal }): Promise<ReaderInfo>;
  /** Opens a session with the card in `reader` (T=1 preferred). */
  connect(reader: string): Promise<CardTransport>;
  /** Subscribes to reader and card events; returns the unsubscribe function. */
  onEvent(listener: (e: CardReaderEvent) => void): () => void;
  close(): Promise<void>;
}
