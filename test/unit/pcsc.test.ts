/**
 * The PC/SC adapter against real pcscd + vsmartcard's vpcd driver, with the virtual chip plugged
 * into vpcd as the card from a worker thread (test/support/vpcd-thread-card.ts). pcscd runs
 * privately through the interop harness (test/interop/pcsc-env.ts: own socket in a mount
 * namespace, free vpcd port), so it never meets a system pcscd or the vicc test.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChip } from '../../app/core/icao/reader.ts';
import type { CardReaderEvent } from '../../app/core/icao/transport.ts';
import { PcscCardReaderPort, readerMatches } from '../../app/platform/cardreader/pcsc.ts';
import { handlesSetAside } from '../../app/platform/cardreader/pcsc-handle.ts';
import { PcscEnv, VIRTUAL_READER, missingPcscStack } from '../interop/pcsc-env.ts';
import { insertIntoVpcdThread } from '../support/vpcd-thread-card.ts';
import { testCard } from './reader.fixture.ts';

const SLOT = VIRTUAL_READER;
const missing = missingPcscStack();
if (missing) console.log(`pcsc tests against pcscd skipped: ${missing}`);
const noModule = (() => {
  try {
    createRequire(import.meta.url)('smartcard');
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] : String(e);
  }
})();
if (noModule) console.log(`pcsc missing-service test skipped: smartcard module not loadable (${noModule})`);

const until = async (cond: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for condition');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('readerMatches', () => {
  it('substring (case-insensitive) or /regex/', () => {
    expect(readerMatches('ACS ACR1252 1S CL Reader PICC 00 00', 'acr1252')).toBe(true);
    expect(readerMatches('ACS ACR1252 1S CL Reader PICC 00 00', '/PICC \\d+ 00$/')).toBe(true);
    expect(readerMatches('ACS ACR1252 1S CL Reader SAM 00 01', '/picc/')).toBe(false);
    expect(readerMatches('anything', undefined)).toBe(true);
    expect(readerMatches('anything', '/([/')).toBe(false);
  });
});

describe.skipIf(missing !== undefined)('PcscCardReaderPort over pcscd + vpcd', () => {
  let port: PcscCardReaderPort;
  let env: PcscEnv;
  let SLOT_PORT = 0;
  const events: CardReaderEvent[] = [];
  const card = testCard({ dg2Bytes: 8000 });

  beforeAll(async () => {
    env = await PcscEnv.start();
    SLOT_PORT = env.port;
    // libpcsclite reads the socket path from the environment at the first context of this process.
    Object.assign(process.env, env.clientEnv());
    port = new PcscCardReaderPort({ readerPattern: SLOT, retryMs: 200 });
    port.onEvent((e) => events.push(e));
    await until(() => events.some((e) => e.type === 'reader-added'));
  });
  afterAll(async () => {
    await port?.close();
    await env?.stop();
  });

  /** The previous test's card has left (pcscd polls presence every 400 ms). */
  const readerEmpty = async () => {
    let present = true;
    await until(() => {
      void port.listReaders().then((rs) => (present = rs.some((r) => r.cardPresent)));
      return !present;
    });
  };

  it('lists the matching reader and reports ok', async () => {
    expect((await port.listReaders()).map((r) => r.name)).toEqual([SLOT]);
    expect(port.status()).toEqual({ device: 'cardReader', state: 'ok', adapter: 'pcsc' });
  });

  it('sees a card inserted, reads it over PC/SC through the same read flow, sees it removed', async () => {
    const vcard = await insertIntoVpcdThread({ files: card.files, mrzInformation: card.mrzInformation }, SLOT_PORT);
    const info = await port.waitForCard({ reader: 'virtual pcd', timeoutMs: 8000 });
    expect(info.name).toBe(SLOT);
    const t = await port.connect(info.name);
    expect(t.capabilities.atr?.length).toBeGreaterThan(4);
    const r = await readChip(t, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    for (const [fid, bytes] of card.files) {
      const name = fid === 0x011e ? 'EF.COM' : fid === 0x011d ? 'EF.SOD' : `DG${fid - 0x100}`;
      expect(Buffer.from(r.files.get(name)!).equals(Buffer.from(bytes)), name).toBe(true);
    }
    expect(r.apduCount).toBeGreaterThan(card.files.size);
    // vpcd passes extended APDUs and the chip's ATR announces them: one READ BINARY per file.
    expect(r.extendedLength).toBe(true);
    expect(r.perFile.every((f) => f.apdus === 2)).toBe(true);
    await t.close();
    await vcard.remove();
    await until(() => events.some((e) => e.type === 'card-removed'));
    expect(events.filter((e) => e.reader === SLOT).map((e) => e.type)).toEqual(['reader-added', 'card-inserted', 'card-removed']);
  });

  it('a card pulled out mid-read is CARD_REMOVED', async () => {
    const vcard = await insertIntoVpcdThread({ files: card.files, mrzInformation: card.mrzInformation, removeAtApdu: 12 }, SLOT_PORT);
    const info = await port.waitForCard({ reader: SLOT, timeoutMs: 8000 });
    const t = await port.connect(info.name);
    await expect(readChip(t, { access: { kind: 'mrz', mrzInformation: card.mrzInformation }, le: 'short' }))
      .rejects.toMatchObject({ code: 'CARD_REMOVED' });
    await vcard.remove();
    await t.close();
  });

  it('a card that stops answering fails in bounded time, the event loop keeps running, and the handle is let go once pcscd gives up', async () => {
    // Its own port with a short bound. The card answers from its own thread, as a real one does from
    // outside; a release that waited on the event loop for the stuck card would stop the ticks below.
    await readerEmpty();
    const bounded = new PcscCardReaderPort({ readerPattern: SLOT, retryMs: 200, callTimeoutMs: 1500 });
    const vcard = await insertIntoVpcdThread({ files: card.files, mrzInformation: card.mrzInformation }, SLOT_PORT);
    try {
      const info = await bounded.waitForCard({ reader: SLOT, timeoutMs: 8000 });
      const t = await bounded.connect(info.name);
      const select = Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x07, 0xa0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01);
      expect((await t.transmit(select)).slice(-2)).toEqual(Uint8Array.of(0x90, 0x00));
      vcard.mute();
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 20);
      const started = Date.now();
      await expect(t.transmit(select)).rejects.toMatchObject({ code: 'CARD_IO_ERROR', message: expect.stringMatching(/stopped answering/) });
      const closeStarted = Date.now();
      await t.close();
      const closeMs = Date.now() - closeStarted;
      clearInterval(ticker);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(closeMs).toBeLessThan(4000);
      // The loop ran all along (about 50 ticks a second); a blocked loop would have counted none.
      expect(ticks).toBeGreaterThan(30);
      expect(handlesSetAside()).toBe(1);
      await vcard.remove();
      await until(() => handlesSetAside() === 0, 10_000);
    } finally {
      await vcard.remove();
      await bounded.close();
    }
  });

  it('a card tapped again after being pulled out mid-read is seen and read', async () => {
    await readerEmpty();
    const vcard = await insertIntoVpcdThread({ files: card.files, mrzInformation: card.mrzInformation }, SLOT_PORT);
    try {
      const info = await port.waitForCard({ reader: SLOT, timeoutMs: 8000 });
      const t = await port.connect(info.name);
      const r = await readChip(t, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
      expect(r.files.get('DG1')).toBeDefined();
      await t.close();
    } finally {
      await vcard.remove();
    }
  });

  it('waitForCard times out with NO_CARD when the reader is empty', async () => {
    await readerEmpty();
    await expect(port.waitForCard({ reader: SLOT, timeoutMs: 300 })).rejects.toMatchObject({ code: 'NO_CARD' });
  });

  it('a pattern that matches no reader reports missing with a reason', async () => {
    const other = new PcscCardReaderPort({ readerPattern: 'no-such-reader-xyz' });
    await new Promise((r) => setTimeout(r, 500));
    expect(other.status()).toMatchObject({ state: 'missing', reason: 'no PC/SC reader matches the configured name' });
    await other.close();
  });
});

describe.skipIf(noModule !== undefined)('PcscCardReaderPort without the service', () => {
  it('reports missing with a reason instead of crashing (real smartcard + libpcsclite, no daemon at that socket)', () => {
    const script = `
      import { PcscCardReaderPort } from './app/platform/cardreader/pcsc.ts';
      const p = new PcscCardReaderPort({ retryMs: 50 });
      await new Promise((r) => setTimeout(r, 200));
      console.log(JSON.stringify(p.status()));
      await p.close();`;
    const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, PCSCLITE_CSOCK_NAME: '/tmp/no-pcscd-here.comm' }, encoding: 'utf8', timeout: 20_000,
    });
    expect(out.status, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.trim().split('\n').at(-1)!)).toEqual({
      device: 'cardReader', state: 'missing', adapter: 'pcsc', reason: 'PC/SC service (pcscd) is not running',
    });
  });
});
