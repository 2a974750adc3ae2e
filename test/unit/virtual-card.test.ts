import { describe, expect, it } from 'vitest';
import { decodeCommand, encodeCommand, parseResponse, type CommandApdu } from '../../app/core/icao/apdu.ts';
import { performBac } from '../../app/core/icao/bac.ts';
import { parseCom } from '../../app/core/icao/lds/com.ts';
import { fromHex, hex } from '../../app/core/icao/crypto.ts';
import { SecureMessaging } from '../../app/core/icao/secure-messaging.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { VirtualChip } from '../../app/sim/virtual-card/chip.ts';
import { testCard } from './reader.fixture.ts';

const plain = (chip: VirtualChip, cmd: CommandApdu, ext = false) => parseResponse(chip.process(encodeCommand(cmd, ext)));
const SELECT_AID: CommandApdu = { cla: 0, ins: 0xa4, p1: 4, p2: 0x0c, data: fromHex('A0000002471001') };

/** The chip with the eMRTD application selected (the step before BAC). */
async function authenticated(chip: VirtualChip) {
  expect(plain(chip, SELECT_AID).sw).toBe(0x9000);
  return chip;
}

describe('VirtualChip', () => {
  const card = testCard({ dg2Bytes: 1000 });
  const chipFor = (b = {}) => new VirtualChip({ files: card.files, mrzInformation: card.mrzInformation, behaviour: b });

  it('answers 6D00 to SELECT MF like a CCCD, 9000 when switched', () => {
    expect(plain(chipFor(), { cla: 0, ins: 0xa4, p1: 0, p2: 0x0c, data: fromHex('3F00') }).sw).toBe(0x6d00);
    expect(plain(chipFor({ selectMfSw: 0x9000 }), { cla: 0, ins: 0xa4, p1: 0, p2: 0x0c, data: fromHex('3F00') }).sw).toBe(0x9000);
  });

  it('refuses file access before BAC and an unknown AID', async () => {
    const chip = await authenticated(chipFor());
    expect(plain(chip, { cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('011E') }).sw).toBe(0x9000);
    expect(plain(chip, { cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 4 }).sw).toBe(0x6982);
    expect(plain(chipFor(), { ...SELECT_AID, data: fromHex('A0000002471002') }).sw).toBe(0x6a82);
  });

  it('runs BAC and serves READ BINARY by FID, by SFI and at offsets under SM', async () => {
    const chip = await authenticated(chipFor());
    const send = async (c: CommandApdu) => plain(chip, c);
    const sm = await performBac(send, card.mrzInformation);
    const secure = (c: CommandApdu, ext = false) => sm.openResponse(parseResponse(chip.process(encodeCommand(sm.protectCommand(c, ext)))));
    const com = card.files.get(0x011e)!;
    const bySfi = secure({ cla: 0, ins: 0xb0, p1: 0x80 | 0x1e, p2: 2, ne: 5 });
    expect(hex(bySfi.data)).toBe(hex(com.subarray(2, 7)));
    const atOffset = secure({ cla: 0, ins: 0xb0, p1: 0, p2: 7, ne: 3 });
    expect(hex(atOffset.data)).toBe(hex(com.subarray(7, 10)));
    expect(secure({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('0102') }).sw).toBe(0x9000);
    const dg2 = card.files.get(0x0102)!;
    const whole = secure({ cla: 0, ins: 0xb0, p1: 0, p2: 0, ne: 65536 }, true);
    expect(hex(whole.data)).toBe(hex(dg2));
    expect(secure({ cla: 0, ins: 0xb0, p1: 0x7f, p2: 0, ne: 1 }).sw).toBe(0x6b00);
    expect(secure({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('0103') }).sw).toBe(0x6a82);
  });

  it('a wrong key gets 6300 and no session', async () => {
    const chip = await authenticated(chipFor());
    await expect(performBac(async (c) => plain(chip, c), 'D23145890734934071279507122')).rejects.toMatchObject({ code: 'ACCESS_DENIED_WRONG_KEY' });
    expect(chip.authenticated).toBe(false);
  });

  it('a bad MAC ends the SM session with 6988; a plain command inside SM gets 6987', async () => {
    const chip = await authenticated(chipFor());
    const sm = await performBac(async (c) => plain(chip, c), card.mrzInformation);
    const cmd = sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0x9e, p2: 0, ne: 4 });
    const forged = decodeCommand(encodeCommand({ ...cmd, p2: 1 }));
    expect(parseResponse(chip.process(encodeCommand(forged))).sw).toBe(0x6988);
    expect(chip.authenticated).toBe(false);
    const again = await performBac(async (c) => plain(chip, { ...c }), card.mrzInformation).catch((e: unknown) => e);
    expect(again).toMatchObject({ code: 'BAC_RESPONSE_INVALID' }); // application was deselected
    expect(plain(chip, SELECT_AID).sw).toBe(0x9000);
    await performBac(async (c) => plain(chip, c), card.mrzInformation);
    expect(plain(chip, { cla: 0, ins: 0xb0, p1: 0x9e, p2: 0, ne: 4 }).sw).toBe(0x6987);
  });

  it('hides data groups when switched: from EF.COM only, or from the chip altogether', async () => {
    const chip = await authenticated(chipFor({ comOmits: [14, 15], missingDataGroups: [15] }));
    const sm = await performBac(async (c) => plain(chip, c), card.mrzInformation);
    const secure = (c: CommandApdu) => sm.openResponse(parseResponse(chip.process(encodeCommand(sm.protectCommand(c)))));
    const com = secure({ cla: 0, ins: 0xb0, p1: 0x80 | 0x1e, p2: 0, ne: 0xdf });
    expect(parseCom(com.data).dataGroups).toEqual([1, 2, 13]);
    expect(secure({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('010E') }).sw).toBe(0x9000); // DG14 still there
    expect(chip.selectedFile).toBe(0x010e);
    expect(secure({ cla: 0, ins: 0xa4, p1: 2, p2: 0x0c, data: fromHex('010F') }).sw).toBe(0x6a82);
  });

  it('refuses a wrong BAC key with the status its OS uses', async () => {
    const chip = await authenticated(chipFor({ wrongKeySw: 0x6988 }));
    await expect(performBac(async (c) => plain(chip, c), 'D23145890734934071279507122')).rejects.toMatchObject({ code: 'ACCESS_DENIED_WRONG_KEY', details: { sw: 0x6988 } });
  });

  it('refuses extended APDUs when switched off and too-long short reads with 6700', async () => {
    const chip = await authenticated(chipFor({ extendedLength: false, maxShortRead: 0x80 }));
    expect(parseResponse(chip.process(encodeCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }, true))).sw).toBe(0x6700);
    const sm = await performBac(async (c) => plain(chip, c), card.mrzInformation);
    const r = sm.openResponse(parseResponse(chip.process(encodeCommand(sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0x9e, p2: 0, ne: 0x81 })))));
    expect(r.sw).toBe(0x6700);
  });

  it('protected responses really are encrypted', async () => {
    const chip = await authenticated(chipFor());
    const sm = await performBac(async (c) => plain(chip, c), card.mrzInformation);
    const raw = chip.process(encodeCommand(sm.protectCommand({ cla: 0, ins: 0xb0, p1: 0x81, p2: 0, ne: 0x40 })));
    const dg1 = card.files.get(0x0101)!.subarray(0, 0x40);
    expect(Buffer.from(raw).includes(Buffer.from(dg1.subarray(5, 25)))).toBe(false);
    expect(hex(sm.openResponse(parseResponse(raw)).data)).toBe(hex(dg1));
    expect(sm).toBeInstanceOf(SecureMessaging);
  });
});

describe('VirtualCardReader', () => {
  const card = testCard({ dg2Bytes: 500 });
  it('emits insert/remove, resolves waitForCard, times out without a card', async () => {
    const reader = new VirtualCardReader();
    const events: string[] = [];
    reader.onEvent((e) => events.push(`${e.type}:${e.reader}`));
    expect(await reader.listReaders()).toEqual([{ name: reader.name, cardPresent: false }]);
    await expect(reader.waitForCard({ timeoutMs: 20 })).rejects.toMatchObject({ code: 'NO_CARD' });
    const waiting = reader.waitForCard({ timeoutMs: 1000 });
    reader.insert(new VirtualChip({ files: card.files, mrzInformation: card.mrzInformation }));
    expect((await waiting).cardPresent).toBe(true);
    reader.remove();
    expect(events).toEqual([`card-inserted:${reader.name}`, `card-removed:${reader.name}`]);
    await expect(reader.connect(reader.name)).rejects.toMatchObject({ code: 'NO_CARD' });
    await expect(reader.waitForCard({ reader: 'ACS', timeoutMs: 10 })).rejects.toMatchObject({ code: 'NO_READER' });
    expect(reader.status()).toMatchObject({ device: 'cardReader', state: 'ok', adapter: 'virtual' });
    await reader.close();
    expect(reader.status().state).toBe('missing');
  });

  it('a transport of a removed card says CARD_REMOVED, even after re-insertion', async () => {
    const reader = new VirtualCardReader();
    const chip = new VirtualChip({ files: card.files, mrzInformation: card.mrzInformation });
    reader.insert(chip);
    const t = await reader.connect(reader.name);
    expect(parseResponse(await t.transmit(encodeCommand(SELECT_AID))).sw).toBe(0x9000);
    reader.remove();
    reader.insert(chip);
    await expect(t.transmit(encodeCommand(SELECT_AID))).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    expect(chip.authenticated).toBe(false);
  });

  it('a reader without extended length refuses extended APDUs at the transport', async () => {
    const reader = new VirtualCardReader({ extendedLength: false });
    reader.insert(new VirtualChip({ files: card.files, mrzInformation: card.mrzInformation }));
    const t = await reader.connect(reader.name);
    expect(t.capabilities.extendedLength).toBe(false);
    await expect(t.transmit(encodeCommand({ cla: 0, ins: 0x84, p1: 0, p2: 0, ne: 8 }, true))).rejects.toMatchObject({ code: 'CARD_IO_ERROR' });
  });
});

describe('VirtualChip on arbitrary bytes', async () => {
  const fc = (await import('fast-check')).default;
  it('always answers with a status word, never throws', () => {
    const card = testCard({ dg2Bytes: 300 });
    const chip = new VirtualChip({ files: card.files, mrzInformation: card.mrzInformation });
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const r = chip.process(bytes);
      expect(r.length).toBeGreaterThanOrEqual(2);
    }), { numRuns: 3000 });
  });
});

describe('the readers a profile can name', () => {
  it('virtual: a persona card on the reader reads through the same flow', async () => {
    const { personaChip } = await import('../../app/sim/virtual-card/persona-chip.ts');
    const { readDocument } = await import('../../app/core/cccd/read-document.ts');
    const port = new VirtualCardReader();
    port.insert((await personaChip('tran-thi-bich-ngoc')).chip);
    const info = await port.waitForCard({ timeoutMs: 100 });
    const r = await readDocument(await port.connect(info.name), { access: { kind: 'can', can: '000123' } });
    expect(r.document.fullName).toBe('Trần Thị Bích Ngọc');
    expect(r.chip.chipAuthenticity.verdict).toBe('CHIP_NOT_CHECKED');
    await port.close();
  });
  it('pcsc: a PC/SC port filtered by the pattern (status is a DeviceState whatever the machine has)', async () => {
    const { PcscCardReaderPort } = await import('../../app/platform/cardreader/pcsc.ts');
    const port = new PcscCardReaderPort({ readerPattern: 'no-such-reader-xyz' });
    expect(port.adapter).toBe('pcsc');
    await new Promise((r) => setTimeout(r, 200));
    expect(port.status()).toMatchObject({ device: 'cardReader', adapter: 'pcsc', state: 'missing' });
    await port.close();
  });
});
