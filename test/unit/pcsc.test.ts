/**
 * The PC/SC adapter against real pcscd + vsmartcard's vpcd driver, with the virtual chip plugged
 * into vpcd as the card. Uses vpcd slot "Virtual PCD 00 01" (TCP 35964) so that it does not
 * collide with the vicc interop harness on slot 00 (35963).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readChip } from '../../app/core/icao/reader.ts';
import type { CardReaderEvent } from '../../app/core/icao/transport.ts';
import { PcscCardReaderPort, readerMatches } from '../../app/platform/cardreader/pcsc.ts';
import { VirtualChip } from '../../app/sim/virtual-card/chip.ts';
import { insertIntoVpcd } from '../../app/sim/virtual-card/vpcd.ts';
import { testCard } from './reader.fixture.ts';

const PCSCD = '/usr/sbin/pcscd';
const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
const SOCKET = '/run/pcscd/pcscd.comm';
const SLOT = 'Virtual PCD 00 01';
const SLOT_PORT = 0x8c7b + 1;

const missing = !existsSync(PCSCD) ? 'pcscd is not installed (apt: pcscd)'
  : !existsSync(VPCD_DRIVER) ? 'vpcd is not installed (apt: vsmartcard-vpcd)' : undefined;
if (missing) console.log(`pcsc tests skipped: ${missing}`);

const socketAlive = () => new Promise<boolean>((resolve) => {
  const s = connect(SOCKET);
  s.once('connect', () => { s.destroy(); resolve(true); });
  s.once('error', () => resolve(false));
});

async function ensurePcscd(): Promise<void> {
  if (await socketAlive()) return;
  // Stock reader.conf.d (vpcd on 35963/35964), auto-exit after 60 s idle so nobody has to kill it.
  const child = spawn(PCSCD, ['--foreground', '--auto-exit'], { detached: true, stdio: 'ignore' });
  child.unref();
  for (let i = 0; i < 50 && !(await socketAlive()); i++) await new Promise((r) => setTimeout(r, 100));
}

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
  const events: CardReaderEvent[] = [];
  const card = testCard({ dg2Bytes: 8000 });

  beforeAll(async () => {
    await ensurePcscd();
    port = new PcscCardReaderPort({ readerPattern: SLOT });
    port.onEvent((e) => events.push(e));
    await until(() => events.some((e) => e.type === 'reader-added'));
  });
  afterAll(async () => {
    await port?.close();
  });

  it('lists the matching reader and reports ok', async () => {
    expect((await port.listReaders()).map((r) => r.name)).toEqual([SLOT]);
    expect(port.status()).toEqual({ device: 'cardReader', state: 'ok', adapter: 'pcsc' });
  });

  it('sees a card inserted, reads it over PC/SC through the same read flow, sees it removed', async () => {
    const chip = new VirtualChip({ files: card.files, mrzInformation: card.mrzInformation });
    const vcard = await insertIntoVpcd(chip, SLOT_PORT);
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
    const chip = new VirtualChip({ files: card.files, mrzInformation: card.mrzInformation });
    const inserted: { card?: Awaited<ReturnType<typeof insertIntoVpcd>> } = {};
    let n = 0;
    const original = chip.process.bind(chip);
    chip.process = (apdu) => {
      if (++n === 12) void inserted.card?.remove();
      return original(apdu);
    };
    const vcard = await insertIntoVpcd(chip, SLOT_PORT);
    inserted.card = vcard;
    const info = await port.waitForCard({ reader: SLOT, timeoutMs: 8000 });
    const t = await port.connect(info.name);
    await expect(readChip(t, { access: { kind: 'mrz', mrzInformation: card.mrzInformation }, le: 'short' }))
      .rejects.toMatchObject({ code: 'CARD_REMOVED' });
    await vcard.remove();
    await t.close();
  });

  it('waitForCard times out with NO_CARD when the reader is empty', async () => {
    let present = true;
    await until(() => {
      void port.listReaders().then((rs) => (present = rs.some((r) => r.cardPresent)));
      return !present;
    });
    await expect(port.waitForCard({ reader: SLOT, timeoutMs: 300 })).rejects.toMatchObject({ code: 'NO_CARD' });
  });

  it('a pattern that matches no reader reports missing with a reason', async () => {
    const other = new PcscCardReaderPort({ readerPattern: 'no-such-reader-xyz' });
    await new Promise((r) => setTimeout(r, 500));
    expect(other.status()).toMatchObject({ state: 'missing', reason: 'no PC/SC reader matches the configured name' });
    await other.close();
  });
});

describe.skipIf(missing !== undefined)('PcscCardReaderPort without the service', () => {
  it('reports missing with a reason instead of crashing (real libpcsclite, no daemon at that socket)', () => {
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
