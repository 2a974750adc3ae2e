/** The read flow with access control chosen from EF.CardAccess, against persona chips. */
import { describe, expect, it } from 'vitest';
import { hex } from '../../app/core/icao/crypto.ts';
import { mrzInformation } from '../../app/core/icao/mrz.ts';
import { readChip } from '../../app/core/icao/reader.ts';
import type { CardTransport } from '../../app/core/icao/transport.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import type { ChipBehaviour } from '../../app/sim/virtual-card/chip.ts';
import { personaChip } from '../../app/sim/virtual-card/persona-chip.ts';

async function connect(persona: string, behaviour: Partial<ChipBehaviour> = {}, atr?: Uint8Array) {
  const { chip, card } = await personaChip(persona, { behaviour, ...(atr ? { atr } : {}) });
  const reader = new VirtualCardReader();
  reader.insert(chip);
  const inner = await reader.connect(reader.name);
  const log: string[] = [];
  const transport: CardTransport = { ...inner, capabilities: inner.capabilities, transmit: (a) => { log.push(hex(a)); return inner.transmit(a); } };
  return { card, transport, log, mrz: mrzInformation(card.bacKey) };
}

describe('access control from EF.CardAccess', () => {
  it('PACE-CAN on a CCCD: brainpoolP256r1 AES-128, no SELECT MF, every listed file read', async () => {
    const { card, transport, log } = await connect('nguyen-van-an');
    const r = await readChip(transport, { access: { kind: 'can', can: card.can! } });
    expect(r.accessMethod).toBe('PACE-CAN');
    for (const [n, bytes] of card.dataGroups) expect(hex(r.files.get(`DG${n}`)!), `DG${n}`).toBe(hex(bytes));
    expect(hex(r.files.get('EF.CardAccess')!)).toBe(hex(card.files.get(0x011c)!));
    expect(log[0]).toBe('00A4020C02011C');
    expect(log.some((a) => a.startsWith('00A4000C') || a.startsWith('00A40000'))).toBe(false);
    expect(log.some((a) => a.startsWith('0022C1A4'))).toBe(true);
  });

  it('a wrong CAN is ACCESS_DENIED_WRONG_KEY', async () => {
    const { transport } = await connect('nguyen-van-an');
    await expect(readChip(transport, { access: { kind: 'can', can: '000000' } })).rejects.toMatchObject({ code: 'ACCESS_DENIED_WRONG_KEY' });
  });

  it('PACE with the MRZ when no CAN is given', async () => {
    const { transport, mrz } = await connect('nguyen-van-an');
    expect((await readChip(transport, { access: { kind: 'mrz', mrzInformation: mrz } })).accessMethod).toBe('PACE-MRZ');
  });

  it('6982 on the PACE path falls back to BAC when the MRZ is known', async () => {
    const { card, transport, mrz } = await connect('nguyen-van-an', { paceRefusalSw: 0x6982 });
    const r = await readChip(transport, { access: { kind: 'can', can: card.can!, mrzInformation: mrz } });
    expect(r.accessMethod).toBe('BAC');
    expect(r.paceFallback).toBe('PACE_REFUSED');
    expect(hex(r.files.get('DG13')!)).toBe(hex(card.dataGroups.get(13)!));
  });

  it('6982 on the PACE path with only the CAN: ACCESS_NEEDS_MRZ', async () => {
    const { card, transport } = await connect('nguyen-van-an', { paceRefusalSw: 0x6982 });
    await expect(readChip(transport, { access: { kind: 'can', can: card.can! } })).rejects.toMatchObject({ code: 'ACCESS_NEEDS_MRZ' });
  });

  it('a BAC-only switch hides EF.CardAccess: BAC with the MRZ, ACCESS_NEEDS_MRZ with only the CAN', async () => {
    const bacOnly = await connect('nguyen-van-an', { pace: false });
    const r = await readChip(bacOnly.transport, { access: { kind: 'can', can: bacOnly.card.can!, mrzInformation: bacOnly.mrz } });
    expect(r.accessMethod).toBe('BAC');
    expect(r.files.has('EF.CardAccess')).toBe(false);
    const canOnly = await connect('nguyen-van-an', { pace: false });
    await expect(readChip(canOnly.transport, { access: { kind: 'can', can: canOnly.card.can! } })).rejects.toMatchObject({ code: 'ACCESS_NEEDS_MRZ' });
  });

  it('a PACE-only chip refuses BAC; a BAC-only passport needs the MRZ', async () => {
    const paceOnly = await connect('nguyen-van-an', { bac: false });
    await expect(readChip(paceOnly.transport, { access: { kind: 'mrz', mrzInformation: paceOnly.mrz }, pace: 'never' })).rejects.toMatchObject({ code: 'BAC_RESPONSE_INVALID' });
    const passport = await connect('le-minh-chau-passport');
    await expect(readChip(passport.transport, { access: { kind: 'can', can: '123456' } })).rejects.toMatchObject({ code: 'ACCESS_NEEDS_MRZ' });
    const r = await readChip((await connect('le-minh-chau-passport')).transport, { access: { kind: 'mrz', mrzInformation: passport.mrz } });
    expect(r.accessMethod).toBe('BAC');
    expect(r.files.has('EF.CardAccess')).toBe(false);
  });

  it('a refused extended-length probe after PACE re-runs PACE with the CAN and reads short', async () => {
    const { card, transport } = await connect('nguyen-van-an', { extendedLength: false }, Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01));
    const r = await readChip(transport, { access: { kind: 'can', can: card.can! } });
    expect(r.accessMethod).toBe('PACE-CAN');
    expect(r.extendedLength).toBe(false);
    expect(hex(r.files.get('DG2')!)).toBe(hex(card.dataGroups.get(2)!));
  });
});
