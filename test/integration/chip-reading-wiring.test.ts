import { describe, expect, it } from 'vitest';
import { cardReaderConfig } from '../../app/core/config/schema.ts';
import { loadProfile } from '../../app/host/config-loader.ts';
import { cardKeyFromScan } from '../../app/core/cccd/card-key.ts';
import { wireChipReading } from '../../app/host/wiring/chip-reading.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';

/** The kiosk's read port on the demo persona's virtual card, in the card behaviours seen in the field. */
async function readAs(simulate: string) {
  const dir = tempDir(`read-${simulate}`);
  const profile = loadProfile(tempProfile('demo', dir.path, (p) => (p.devices.cardReader.simulate = simulate)).file);
  const chip = await wireChipReading(profile);
  try {
    const key = cardKeyFromScan(chip.demoCardQr!);
    const progress: number[] = [];
    const out = await chip.reading.read(key, (done, total) => progress.push(done / total), new AbortController().signal);
    return { out, progress };
  } finally {
    await chip.close();
    dir.cleanup();
  }
}

describe('kiosk card reading (virtual CCCD)', () => {
  it('opens a PACE card with the CAN from the QR, reads, authenticates data and chip', async () => {
    const { out, progress } = await readAs('genuine');
    expect(out.summary).toEqual({ passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', accessMethod: 'PACE-CAN', documentType: 'cccd' });
    expect(out.holder).toMatchObject({ idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17' });
    // The portrait decoded once, from the signed DG2 itself (240×320 RGB), for the face step.
    expect(out.portrait).toMatchObject({ width: 240, height: 320 });
    expect(out.portrait.data.length).toBe(240 * 320 * 3);
    expect(progress.at(-1)).toBe(1);
  });

  // Every card behaviour, including a BAC-only chip opened by the keys derived from the QR after the
  // CAN failed, and a chip refusing PACE: every progress event the journey would see, in order.
  it.each(cardReaderConfig.shape.simulate.unwrap().options)('the reading bar only moves forward and ends full (%s)', async (simulate) => {
    const { progress } = await readAs(simulate);
    expect(progress.length).toBeGreaterThan(5);
    for (let i = 1; i < progress.length; i++) expect(progress[i]!).toBeGreaterThanOrEqual(progress[i - 1]!);
    expect(progress[0]!).toBeLessThan(0.1);
    expect(progress.at(-1)).toBe(1);
  });

  it('opens a BAC-only card from the QR alone, with the expiry date derived from birth and issue dates', async () => {
    const { out } = await readAs('bac-only');
    expect(out.summary.accessMethod).toBe('BAC');
    expect(out.summary.passiveAuth).toBe('PA_OK');
  });

  it('falls back to BAC when the chip refuses PACE (6982)', async () => {
    const { out } = await readAs('pace-refused');
    expect(out.summary.accessMethod).toBe('BAC');
    // The journey's audit row says PACE was not used, and why (a downgrade is worth seeing).
    expect(out.summary.paceFallback).toMatch(/\S/);
  });

  it('reads a self-signed-signer forgery as intact data whose signer no CSCA vouches for', async () => {
    const { out } = await readAs('self-signed-signer');
    expect(out.summary).toMatchObject({ passiveAuth: 'PA_NO_TRUST_ANCHOR', chipAuth: 'CHIP_GENUINE', documentType: 'cccd' });
  });

  it('reports a cloned chip while its data still verifies', async () => {
    const { out } = await readAs('cloned');
    expect(out.summary).toMatchObject({ passiveAuth: 'PA_OK', chipAuth: 'CHIP_CLONE_SUSPECTED' });
  });
});
