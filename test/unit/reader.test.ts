import { describe, expect, it } from 'vitest';
import { decodeCommand } from '../../app/core/icao/apdu.ts';
import { hex } from '../../app/core/icao/crypto.ts';
import { forwardOnly } from '../../app/core/icao/read-progress.ts';
import { readChip, type ReadProgress } from '../../app/core/icao/reader.ts';
import type { CardTransport } from '../../app/core/icao/transport.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { VirtualChip, contactlessAtr, type ChipBehaviour } from '../../app/sim/virtual-card/chip.ts';
import { testCard, type TestCard } from './reader.fixture.ts';

const NAMES: Record<number, string> = { 0x011e: 'EF.COM', 0x011d: 'EF.SOD' };
const nameOf = (fid: number) => NAMES[fid] ?? `DG${fid - 0x0100}`;

async function setup(card: TestCard, behaviour: Partial<ChipBehaviour> = {}, readerExtended = true, atr?: Uint8Array) {
  const reader = new VirtualCardReader({ extendedLength: readerExtended });
  reader.insert(new VirtualChip({ files: card.files, mrzInformation: card.mrzInformation, behaviour, ...(atr ? { atr } : {}) }));
  const transport = await reader.connect(reader.name);
  const log: string[] = [];
  const logged: CardTransport = {
    capabilities: transport.capabilities,
    close: () => transport.close(),
    transmit: async (apdu) => {
      log.push(hex(apdu));
      return transport.transmit(apdu);
    },
  };
  return { reader, transport: logged, log };
}

function expectSameFiles(card: TestCard, files: ReadonlyMap<string, Uint8Array>, except: string[] = []) {
  for (const [fid, bytes] of card.files) {
    const name = nameOf(fid);
    if (except.includes(name)) continue;
    expect(hex(files.get(name) ?? new Uint8Array(0)), name).toBe(hex(bytes));
  }
}

const totalBytes = (card: TestCard, skip: number[] = []) =>
  [...card.files].filter(([fid]) => !skip.includes(fid)).reduce((n, [, b]) => n + b.length, 0);

describe('readChip against the virtual chip', () => {
  it('reads EF.COM, EF.SOD and every listed DG with short reads of 0xDF, never SELECT MF', async () => {
    const card = testCard();
    const { transport, log } = await setup(card, {}, false);
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expectSameFiles(card, r.files);
    expect(r.accessMethod).toBe('BAC');
    expect(r.extendedLength).toBe(false);
    expect(r.listedDataGroups).toEqual([1, 2, 13, 14, 15]);
    expect(r.bytesRead).toBe(totalBytes(card));
    expect(r.apduCount).toBe(log.length);
    // Every read but each file's last asks for exactly 0xDF plain bytes.
    const reads = r.perFile.map((f) => f.apdus - 1); // minus the SELECT
    const expected = [...card.files.values()].map((b) => Math.ceil(b.length / 0xdf));
    expect(reads.reduce((a, b) => a + b, 0)).toBe(expected.reduce((a, b) => a + b, 0));
    // SELECT EF.CardAccess (absent: 6A82, so BAC), SELECT AID, GET CHALLENGE, EXTERNAL AUTHENTICATE, then per file.
    expect(r.apduCount).toBe(2 + 2 + card.files.size + expected.reduce((a, b) => a + b, 0));
    expect(log.slice(0, 2)).toEqual(['00A4020C02011C', '00A4040C07A0000002471001']);
    expect(log.some((a) => /^[01][0-9A-F]A400/.test(a) || /^00A4....023F00/.test(a))).toBe(false); // SELECT MF in any form
    expect(r.timingsMs.total).toBeGreaterThanOrEqual(r.timingsMs.dataGroups);
  });

  it('skips DG3 (terminal authentication) and reports it', async () => {
    const card = testCard({ dataGroups: [1, 2, 3, 13] });
    const { transport } = await setup(card);
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expect(r.files.has('DG3')).toBe(false);
    expect(r.skipped).toEqual([{ name: 'DG3', reason: expect.stringContaining('terminal authentication') as unknown as string }]);
    expectSameFiles(card, r.files, ['DG3']);
  });

  it('a wrong MRZ is ACCESS_DENIED_WRONG_KEY', async () => {
    const card = testCard();
    const other = testCard();
    const { transport } = await setup(card);
    const wrong = other.mrzInformation.replace(/^(\d)/, (d) => String((+d + 1) % 10));
    await expect(readChip(transport, { access: { kind: 'mrz', mrzInformation: wrong } })).rejects.toMatchObject({ code: 'ACCESS_DENIED_WRONG_KEY' });
  });

  it('falls back to smaller reads on 6700', async () => {
    const card = testCard({ dg2Bytes: 4000 });
    const { transport, log } = await setup(card, { maxShortRead: 0x80, overLeSw: 0x6700 }, false);
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expectSameFiles(card, r.files);
    // Later reads ask for 0x80 (Le byte in DO97 is encrypted away, so check the plain sizes by count).
    const dg2 = r.perFile.find((f) => f.name === 'DG2')!;
    expect(dg2.apdus).toBe(1 + Math.ceil(card.files.get(0x0102)!.length / 0x80));
    expect(log.length).toBe(r.apduCount);
  });

  it('adapts to a card that answers 6282 with fewer bytes', async () => {
    const card = testCard({ dg2Bytes: 3000 });
    const { transport } = await setup(card, { maxShortRead: 0xa0, overLeSw: 0x6282 }, false);
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expectSameFiles(card, r.files);
  });

  it('handles 6282 at the end of a file', async () => {
    const card = testCard({ dg2Bytes: 1000 });
    const { transport } = await setup(card, { endOfFileSw: 0x6282 }, false);
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expectSameFiles(card, r.files);
  });

  it('uses extended length when reader and card both accept it: one read per file', async () => {
    const card = testCard();
    const { transport } = await setup(card, { extendedLength: true }, true);
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expectSameFiles(card, r.files);
    expect(r.extendedLength).toBe(true);
    for (const f of r.perFile) expect(f.apdus, f.name).toBe(2);
  });

  it('does not try extended length when the card ATR says it cannot', async () => {
    const card = testCard({ dg2Bytes: 2000 });
    const { transport, log } = await setup(card, { extendedLength: false }, true);
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expect(r.extendedLength).toBe(false);
    expect(log.every((a) => !decodeCommand(Uint8Array.from(Buffer.from(a, 'hex'))).extended)).toBe(true);
    expectSameFiles(card, r.files);
  });

  it('probes extended length when the ATR is silent, re-authenticates and reads short if refused', async () => {
    const card = testCard({ dg2Bytes: 2000 });
    const silentAtr = Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01);
    const { transport } = await setup(card, { extendedLength: false }, true, silentAtr);
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expect(r.extendedLength).toBe(false);
    expectSameFiles(card, r.files);
    const ok = await setup(card, { extendedLength: true }, true, silentAtr);
    expect((await readChip(ok.transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } })).extendedLength).toBe(true);
  });

  it('reads the first chunk by SFI (no SELECT per file)', async () => {
    const card = testCard();
    const byFid = await readChip((await setup(card, {}, false)).transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    const bySfi = await readChip((await setup(card, {}, false)).transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation }, selectBy: 'sfi' });
    expectSameFiles(card, bySfi.files);
    expect(bySfi.apduCount).toBe(byFid.apduCount - card.files.size);
  });

  it('reports progress chunk by chunk, its expected total converging on the bytes read', async () => {
    const card = testCard({ dg2Bytes: 5000 });
    const { transport } = await setup(card);
    const seen: ReadProgress[] = [];
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation }, le: 'short', onProgress: (p) => seen.push(p) });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesRead).toBeGreaterThan(seen[i - 1]!.bytesRead);
    expect(seen.at(-1)).toMatchObject({ bytesRead: r.bytesRead, bytesExpected: r.bytesRead });
    const dg2 = seen.filter((p) => p.file === 'DG2');
    expect(dg2.at(-1)!.fileBytesRead).toBe(dg2.at(-1)!.fileSize);
    // Once DG2's header is read its real size counts: the total then moves only as later files show theirs.
    const later = seen.slice(seen.indexOf(dg2[0]!)).filter((p) => p.file === 'DG2');
    expect(new Set(later.map((p) => p.bytesExpected)).size).toBe(1);
  });

  it('a portrait far larger than typical grows the total; forwardOnly holds the bar instead of moving it back', async () => {
    const card = testCard({ dg2Bytes: 60_000 });
    const { transport } = await setup(card);
    const raw: ReadProgress[] = [];
    const shown: ReadProgress[] = [];
    const bar = forwardOnly((p) => shown.push(p));
    await readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation }, le: 'short', onProgress: (p) => (raw.push(p), bar(p)) });
    const fraction = (p: ReadProgress) => p.bytesRead / p.bytesExpected;
    // The raw estimate does move back when DG2's real size appears (that is what the guard is for)…
    expect(raw.some((p, i) => i > 0 && fraction(p) < fraction(raw[i - 1]!))).toBe(true);
    // …the bar never does, and it ends full.
    for (let i = 1; i < shown.length; i++) expect(fraction(shown[i]!)).toBeGreaterThanOrEqual(fraction(shown[i - 1]!));
    expect(fraction(shown.at(-1)!)).toBe(1);
    expect(shown.length).toBeGreaterThan(raw.length / 2);
  });

  it('a card pulled out mid-read gives CARD_REMOVED and no result', async () => {
    const card = testCard();
    const { reader, transport } = await setup(card);
    const events: string[] = [];
    reader.onEvent((e) => events.push(e.type));
    reader.pullOutAfter(30);
    await expect(readChip(transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation }, le: 'short' }))
      .rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect(events).toEqual(['card-removed']);
  });

  it('a tampered response (man in the middle) is SM_MAC_INVALID, never data', async () => {
    const card = testCard({ dg2Bytes: 600 });
    const { transport } = await setup(card);
    let n = 0;
    const mitm: CardTransport = {
      ...transport,
      capabilities: transport.capabilities,
      transmit: async (apdu) => {
        const r = await transport.transmit(apdu);
        if (++n === 10 && r.length > 20) r[5]! ^= 0x01;
        return r;
      },
    };
    await expect(readChip(mitm, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } })).rejects.toMatchObject({ code: 'SM_MAC_INVALID' });
  });

  it('the ATR builder round-trips through the capability parser', async () => {
    const { atrExtendedLength } = await import('../../app/core/icao/transport.ts');
    expect(atrExtendedLength(contactlessAtr(true))).toBe(true);
    expect(atrExtendedLength(contactlessAtr(false))).toBe(false);
    expect(atrExtendedLength(Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01))).toBeUndefined();
  });

  it('reads a file beyond offset 7FFF with READ BINARY B1 (DO54/DO53), short and extended', async () => {
    const card = testCard({ dg2Bytes: 40_000 });
    const short = await setup(card, {}, false);
    const r1 = await readChip(short.transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expectSameFiles(card, r1.files);
    expect(short.log.some((a) => a.startsWith('0CB1'))).toBe(true);
    const ext = await setup(card, { maxExtendedRead: 4096 }, true);
    const r2 = await readChip(ext.transport, { access: { kind: 'mrz', mrzInformation: card.mrzInformation } });
    expect(r2.extendedLength).toBe(true);
    expectSameFiles(card, r2.files);
    expect(ext.log.some((a) => a.startsWith('0CB1'))).toBe(true);
  });
});
