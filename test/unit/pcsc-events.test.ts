/**
 * PcscCardReaderPort's event logic with a scripted `smartcard` library (what its reader monitor
 * reports when a USB reader is plugged/unplugged, a card comes and goes, or pcscd dies). The real
 * stack is exercised in pcsc.test.ts; this covers the transitions a vpcd setup cannot produce.
 */
import { describe, expect, it } from 'vitest';
import type { CardReaderEvent } from '../../app/core/icao/transport.ts';
import {
  PcscCardReaderPort, type PcscCard, type PcscLibrary, type PcscMonitor, type PcscMonitorEvent, type PcscReaderHandle,
} from '../../app/platform/cardreader/pcsc.ts';
import { handlesSetAside } from '../../app/platform/cardreader/pcsc-handle.ts';

const PRESENT = 0x20;
const EMPTY = 0x10;
const MUTE = 0x200;

class FakeCard implements PcscCard {
  protocol = 2;
  transmitError: Error | undefined;
  disconnected: number | undefined;
  resetBy: number | undefined;
  /** A card that stopped answering: calls wait until `answer()` (pcscd failing them when the card goes). */
  mute = false;
  private waiting: (() => void)[] = [];
  /** Native calls in flight: libpcsclite would make a synchronous disconnect wait for them. */
  inFlight = 0;
  disconnectedWhileBusy = false;
  private async native<T>(value: () => T): Promise<T> {
    this.inFlight++;
    try {
      if (this.mute) await new Promise<void>((r) => this.waiting.push(r));
      return value();
    } finally {
      this.inFlight--;
    }
  }
  answer() {
    for (const r of this.waiting.splice(0)) r();
  }
  transmit(): Promise<Buffer> {
    return this.native(() => {
      if (this.transmitError) throw this.transmitError;
      return Buffer.from([0x90, 0x00]);
    });
  }
  async control(): Promise<Buffer> {
    throw new Error('Unknown PC/SC error');
  }
  disconnect(disposition: number) {
    if (this.inFlight > 0) this.disconnectedWhileBusy = true;
    this.disconnected = disposition;
  }
  reconnect(_share: number, _protocols: number, initialization: number): Promise<number> {
    return this.native(() => {
      this.resetBy = initialization;
      return this.protocol;
    });
  }
}

class FakeMonitor implements PcscMonitor {
  onEvent: ((e: PcscMonitorEvent) => void) | undefined;
  stopped = false;
  constructor(private readonly failStart: boolean) {}
  start(onEvent: (e: PcscMonitorEvent) => void) {
    if (this.failStart) throw new Error('PC/SC service not running');
    this.onEvent = onEvent;
  }
  stop() {
    this.stopped = true;
  }
  /** What the native thread would report. */
  report(type: PcscMonitorEvent['type'], reader: string, state = 0, atr: Buffer | null = null) {
    this.onEvent?.({ type, reader, state, atr });
  }
}

function setup(opts: { failFirst?: boolean; pattern?: string; callTimeoutMs?: number } = {}) {
  const monitors: FakeMonitor[] = [];
  const cards = new Map<string, FakeCard>();
  let contextsOpened = 0;
  let contextsClosed = 0;
  const library = (): PcscLibrary => ({
    Context: class {
      constructor() {
        contextsOpened++;
      }
      listReaders(): PcscReaderHandle[] {
        return [...cards.keys()].map((name) => ({ name, connect: async () => cards.get(name)! }));
      }
      close() {
        contextsClosed++;
      }
    },
    ReaderMonitor: class extends FakeMonitor {
      constructor() {
        super(opts.failFirst === true && monitors.length === 0);
        monitors.push(this);
      }
    },
    SCARD_SHARE_EXCLUSIVE: 1, SCARD_PROTOCOL_T0: 1, SCARD_PROTOCOL_T1: 2,
    SCARD_STATE_PRESENT: PRESENT, SCARD_STATE_MUTE: MUTE, SCARD_RESET_CARD: 1, SCARD_LEAVE_CARD: 0,
    SCARD_CTL_CODE: (c: number) => 0x42000000 + c,
  });
  const port = new PcscCardReaderPort({
    library, retryMs: 10, ...(opts.pattern ? { readerPattern: opts.pattern } : {}), ...(opts.callTimeoutMs ? { callTimeoutMs: opts.callTimeoutMs } : {}),
  });
  const events: string[] = [];
  port.onEvent((e: CardReaderEvent) => events.push(`${e.type}:${e.reader}`));
  const plug = (name: string) => {
    const card = new FakeCard();
    cards.set(name, card);
    return card;
  };
  return { port, events, monitors, plug, contexts: () => ({ opened: contextsOpened, closed: contextsClosed }) };
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('PcscCardReaderPort events', () => {
  it('reader plugged, card in and out, reader unplugged', async () => {
    const { port, events, monitors, plug } = setup();
    expect(port.status()).toMatchObject({ state: 'missing', reason: 'no PC/SC reader connected' });
    const name = 'ACS ACR1252 PICC 00 00';
    const card = plug(name);
    const m = monitors[0]!;
    m.report('reader-attached', name, EMPTY);
    expect(port.status().state).toBe('ok');
    const waiting = port.waitForCard({ timeoutMs: 500 });
    m.report('card-inserted', name, PRESENT, Buffer.from([0x3b, 0x80, 0x80, 0x01, 0x01]));
    expect(await waiting).toEqual({ name, cardPresent: true });
    const t = await port.connect(name);
    expect(t.capabilities).toMatchObject({ interface: 'contactless', extendedLength: true });
    m.report('card-removed', name, EMPTY);
    await expect(t.transmit(Uint8Array.of(0, 0xa4, 0, 0))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    await t.close();
    // Reset (the card forgets its session keys) off the event loop, then a disconnect that leaves it.
    expect(card.resetBy).toBe(1);
    expect(card.disconnected).toBe(0);
    m.report('reader-detached', name);
    expect(events).toEqual([
      `reader-added:${name}`, `card-inserted:${name}`, `card-removed:${name}`, `reader-removed:${name}`,
    ]);
    expect(port.status().state).toBe('missing');
    await port.close();
  });

  it('a reader already holding a card when it is announced counts as inserted; a mute card does not', async () => {
    const { port, events, monitors } = setup();
    monitors[0]!.report('reader-attached', 'Reader A', PRESENT, Buffer.from([0x3b, 0x00]));
    monitors[0]!.report('reader-attached', 'Reader B', PRESENT | MUTE);
    expect(await port.listReaders()).toEqual([{ name: 'Reader A', cardPresent: true }, { name: 'Reader B', cardPresent: false }]);
    expect(events).toEqual(['reader-added:Reader A', 'card-inserted:Reader A', 'reader-added:Reader B']);
    await port.close();
  });

  it('maps PC/SC removal errors to CARD_REMOVED and other failures to CARD_IO_ERROR', async () => {
    const { port, monitors, plug } = setup();
    const card = plug('Reader 1');
    monitors[0]!.report('reader-attached', 'Reader 1', PRESENT);
    const t = await port.connect('Reader 1');
    card.transmitError = new Error('Card was removed');
    await expect(t.transmit(Uint8Array.of(0, 0xb0, 0, 0, 1))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    card.transmitError = new Error('Transaction failed');
    await expect(t.transmit(Uint8Array.of(0, 0xb0, 0, 0, 1))).rejects.toMatchObject({ code: 'CARD_IO_ERROR' });
    await port.close();
  });

  it('connect to a reader PC/SC no longer lists is NO_READER', async () => {
    const { port, monitors } = setup();
    monitors[0]!.report('reader-attached', 'Reader 1', PRESENT);
    await expect(port.connect('Reader 1')).rejects.toMatchObject({ code: 'NO_READER' });
    await port.close();
  });

  it('ignores readers that do not match the pattern, and their card events', async () => {
    const { port, events, monitors } = setup({ pattern: '/picc/' });
    monitors[0]!.report('reader-attached', 'ACS ACR1252 SAM 00 01', PRESENT);
    monitors[0]!.report('reader-attached', 'ACS ACR1252 PICC 00 00', EMPTY);
    monitors[0]!.report('card-removed', 'ACS ACR1252 SAM 00 01', EMPTY);
    expect((await port.listReaders()).map((r) => r.name)).toEqual(['ACS ACR1252 PICC 00 00']);
    expect(events).toEqual(['reader-added:ACS ACR1252 PICC 00 00']);
    await port.close();
  });

  it('pcscd absent at start, then started: missing with a reason, then recovers by itself', async () => {
    const { port, monitors } = setup({ failFirst: true });
    expect(port.status()).toEqual({ device: 'cardReader', state: 'missing', adapter: 'pcsc', reason: 'PC/SC service (pcscd) is not running' });
    await tick();
    expect(monitors.length).toBeGreaterThanOrEqual(2);
    monitors.at(-1)!.report('reader-attached', 'Reader 1', EMPTY);
    expect(port.status().state).toBe('ok');
    await port.close();
  });

  it('pcscd dying mid-service drops the readers, stops the monitor, reports missing and starts a new monitor', async () => {
    const { port, events, monitors, plug, contexts } = setup();
    plug('Reader 1');
    const first = monitors[0]!;
    first.report('reader-attached', 'Reader 1', PRESENT);
    await (await port.connect('Reader 1')).close();
    first.report('error', 'PC/SC service not running');
    expect(port.status()).toMatchObject({ state: 'missing', reason: 'PC/SC service (pcscd) is not running' });
    expect(events.slice(-2)).toEqual(['card-removed:Reader 1', 'reader-removed:Reader 1']);
    expect(first.stopped).toBe(true);
    expect(contexts()).toEqual({ opened: 1, closed: 1 });
    await expect(port.waitForCard({ timeoutMs: 20 })).rejects.toMatchObject({ code: 'NO_READER' });
    // A late event from the stopped monitor must not bring the reader back.
    first.report('reader-attached', 'Reader 1', PRESENT);
    expect(await port.listReaders()).toEqual([]);
    await tick();
    expect(monitors.length).toBe(2);
    await port.close();
    expect(monitors[1]!.stopped).toBe(true);
  });

  it('close stops the monitor and closes the connect context, so nothing is left to keep the process alive', async () => {
    const { port, monitors, plug, contexts } = setup();
    plug('Reader 1');
    monitors[0]!.report('reader-attached', 'Reader 1', PRESENT);
    await port.connect('Reader 1');
    await port.close();
    expect(monitors[0]!.stopped).toBe(true);
    expect(contexts()).toEqual({ opened: 1, closed: 1 });
    expect(port.status()).toMatchObject({ state: 'missing', reason: 'card reader port closed' });
  });

  it('a card that stops answering fails the call in bounded time and never blocks the event loop on release', async () => {
    const { port, monitors, plug, contexts } = setup({ callTimeoutMs: 60 });
    const card = plug('Reader 1');
    monitors[0]!.report('reader-attached', 'Reader 1', PRESENT);
    const t = await port.connect('Reader 1');
    card.mute = true;
    await expect(t.transmit(Uint8Array.of(0, 0xb0, 0, 0, 1))).rejects.toMatchObject({ code: 'CARD_IO_ERROR', message: expect.stringMatching(/stopped answering/) });
    // close() returns although the reset hangs too, and the handle is set aside, not disconnected.
    await t.close();
    expect(card.disconnected).toBeUndefined();
    expect(handlesSetAside()).toBe(1);
    expect(contexts()).toEqual({ opened: 1, closed: 0 });
    // pcscd finally fails the stuck calls (card gone): then, and only then, the handle is let go.
    card.answer();
    await tick();
    expect(card.disconnectedWhileBusy).toBe(false);
    expect(card.disconnected).toBe(0);
    expect(contexts()).toEqual({ opened: 1, closed: 1 });
    expect(handlesSetAside()).toBe(0);
    await port.close();
  });

  it('each connection has its own context: a stuck card does not hold up the next connection', async () => {
    const { port, monitors, plug, contexts } = setup({ callTimeoutMs: 60 });
    const stuck = plug('Reader 1');
    plug('Reader 2');
    monitors[0]!.report('reader-attached', 'Reader 1', PRESENT);
    monitors[0]!.report('reader-attached', 'Reader 2', PRESENT);
    const a = await port.connect('Reader 1');
    stuck.mute = true;
    const pending = a.transmit(Uint8Array.of(0, 0xb0, 0, 0, 1)).catch((e: unknown) => e);
    const b = await port.connect('Reader 2');
    await expect(b.transmit(Uint8Array.of(0, 0xa4, 0, 0))).resolves.toEqual(Uint8Array.of(0x90, 0));
    await b.close();
    expect(contexts()).toEqual({ opened: 2, closed: 1 });
    expect(await pending).toMatchObject({ code: 'CARD_IO_ERROR' });
    stuck.answer();
    await port.close();
  });
});
