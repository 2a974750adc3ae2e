/**
 * The port between the ICAO protocols and a card: raw APDU bytes in, raw response bytes out.
 * PC/SC and the in-process virtual chip both implement it, so every protocol above runs unchanged
 * on either.
 */
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
