/**
 * PcscCardReaderPort's event logic with a scripted pcsclite context (what pcsclite emits when a
 * USB reader is plugged/unplugged, a card comes and goes, or pcscd dies). The real stack is
 * exercised in pcsc.test.ts; this covers the transitions a vpcd setup cannot produce.
 */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { CardReaderEvent } from '../../app/core/icao/transport.ts';
import { PcscCardReaderPort, type PcscContext, type PcscReader } from '../../app/platform/cardreader/pcsc.ts';

const PRESENT = 0x20;
const EMPTY = 0x10;

class FakeReader extends EventEmitter {
  SCARD_SHARE_EXCLUSIVE = 1; SCARD_SHARE_SHARED = 2; SCARD_PROTOCOL_T0 = 1; SCARD_PROTOCOL_T1 = 2;
  SCARD_STATE_PRESENT = PRESENT; SCARD_STATE_MUTE = 0x200; SCARD_RESET_CARD = 1; SCARD_LEAVE_CARD = 0;
  transmitError: Error | undefined;
  constructor(readonly name: string) { super(); }
  connect(_o: unknown, cb: (e: unknown, p: number) => void) { cb(undefined, 2); }
  disconnect(_d: number, cb: (e: unknown) => void) { cb(undefined); }
  transmit(_d: Buffer, _l: number, _p: number, cb: (e: unknown, r: Buffer) => void) {
    if (this.transmitError) cb(this.transmitError, Buffer.alloc(0)); else cb(undefined, Buffer.from([0x90, 0x00]));
  }
  control(_d: Buffer, _c: number, _l: number, cb: (e: unknown, r: Buffer) => void) { cb(new Error('not supported'), Buffer.alloc(0)); }
  SCARD_CTL_CODE(c: number) { return 0x42000000 + c; }
  close() { this.emit('end'); }
}

function setup(opts: { failFirst?: boolean; pattern?: string } = {}) {
  const contexts: (EventEmitter & PcscContext)[] = [];
  let calls = 0;
  const factory = () => {
    calls++;
    if (opts.failFirst && calls === 1) throw new Error('SCardEstablishContext error: Service not available.(0x8010001d)');
    const ctx = Object.assign(new EventEmitter(), { close: () => undefined }) as EventEmitter & PcscContext;
    contexts.push(ctx);
    return ctx;
  };
  const port = new PcscCardReaderPort({ factory, retryMs: 10, ...(opts.pattern ? { readerPattern: opts.pattern } : {}) });
  const events: string[] = [];
  port.onEvent((e: CardReaderEvent) => events.push(`${e.type}:${e.reader}`));
  return { port, events, contexts, calls: () => calls };
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('PcscCardReaderPort events', () => {
  it('reader plugged, card in and out, reader unplugged', async () => {
    const { port, events, contexts } = setup();
    expect(port.status()).toMatchObject({ state: 'missing', reason: 'no PC/SC reader connected' });
    const r = new FakeReader('ACS ACR1252 PICC 00 00');
    contexts[0]!.emit('reader', r as unknown as PcscReader);
    r.emit('status', { state: EMPTY });
    expect(port.status().state).toBe('ok');
    const waiting = port.waitForCard({ timeoutMs: 500 });
    r.emit('status', { state: PRESENT, atr: Buffer.from([0x3b, 0x80, 0x80, 0x01, 0x01]) });
    expect(await waiting).toEqual({ name: 'ACS ACR1252 PICC 00 00', cardPresent: true });
    const t = await port.connect('ACS ACR1252 PICC 00 00');
    expect(t.capabilities).toMatchObject({ interface: 'contactless', extendedLength: true });
    r.emit('status', { state: EMPTY });
    await expect(t.transmit(Uint8Array.of(0, 0xa4, 0, 0))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    r.close();
    expect(events).toEqual([
      'reader-added:ACS ACR1252 PICC 00 00', 'card-inserted:ACS ACR1252 PICC 00 00',
      'card-removed:ACS ACR1252 PICC 00 00', 'reader-removed:ACS ACR1252 PICC 00 00',
    ]);
    expect(port.status().state).toBe('missing');
    await port.close();
  });

  it('maps PC/SC removal codes to CARD_REMOVED and other failures to CARD_IO_ERROR', async () => {
    const { port, contexts } = setup();
    const r = new FakeReader('Reader 1');
    contexts[0]!.emit('reader', r as unknown as PcscReader);
    r.emit('status', { state: PRESENT });
    const t = await port.connect('Reader 1');
    r.transmitError = new Error('SCardTransmit error: Card was removed.(0x80100069)');
    await expect(t.transmit(Uint8Array.of(0, 0xb0, 0, 0, 1))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    r.transmitError = new Error('SCardTransmit error: Transaction failed.(0x80100016)');
    await expect(t.transmit(Uint8Array.of(0, 0xb0, 0, 0, 1))).rejects.toMatchObject({ code: 'CARD_IO_ERROR' });
    await port.close();
  });

  it('ignores readers that do not match the pattern', async () => {
    const { port, events, contexts } = setup({ pattern: '/picc/' });
    const sam = new FakeReader('ACS ACR1252 SAM 00 01');
    contexts[0]!.emit('reader', sam as unknown as PcscReader);
    contexts[0]!.emit('reader', new FakeReader('ACS ACR1252 PICC 00 00') as unknown as PcscReader);
    expect((await port.listReaders()).map((r) => r.name)).toEqual(['ACS ACR1252 PICC 00 00']);
    expect(events).toEqual(['reader-added:ACS ACR1252 PICC 00 00']);
    // pcsclite emits 'error' on ignored readers too (e.g. pcscd stopping): it must not reach the process.
    expect(() => sam.emit('error', new Error('SCardGetStatusChange error'))).not.toThrow();
    await port.close();
  });

  it('pcscd absent at start, then started: missing with a reason, then recovers by itself', async () => {
    const { port, contexts, calls } = setup({ failFirst: true });
    expect(port.status()).toEqual({ device: 'cardReader', state: 'missing', adapter: 'pcsc', reason: 'PC/SC service (pcscd) is not running' });
    await tick();
    expect(calls()).toBeGreaterThanOrEqual(2);
    contexts[0]!.emit('reader', new FakeReader('Reader 1') as unknown as PcscReader);
    expect(port.status().state).toBe('ok');
    await port.close();
  });

  it('pcscd dying mid-service drops the readers and reports missing', async () => {
    const { port, events, contexts } = setup();
    const r = new FakeReader('Reader 1');
    contexts[0]!.emit('reader', r as unknown as PcscReader);
    r.emit('status', { state: PRESENT });
    contexts[0]!.emit('error', new Error('SCardGetStatusChange error: Service not available.(0x8010001d)'));
    expect(port.status()).toMatchObject({ state: 'missing', reason: 'PC/SC service (pcscd) is not running' });
    expect(events.slice(-2)).toEqual(['card-removed:Reader 1', 'reader-removed:Reader 1']);
    await expect(port.waitForCard({ timeoutMs: 20 })).rejects.toMatchObject({ code: 'NO_READER' });
    await port.close();
  });
  it('lets go of readers that do not match the pattern: their errors cannot crash the kiosk', async () => {
    const { port, events, contexts } = setup({ pattern: 'ACR1252' });
    const other = new FakeReader('Virtual PCD 00 01');
    let closed = false;
    other.on('end', () => (closed = true));
    contexts[0]!.emit('reader', other as unknown as PcscReader);
    expect(closed).toBe(true);
    expect(() => other.emit('error', new Error('SCardGetStatusChange error: RPC transport error (0x80100013)'))).not.toThrow();
    expect(events).toEqual([]);
    await port.close();
  });
});
