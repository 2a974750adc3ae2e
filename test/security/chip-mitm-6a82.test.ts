/**
 * Attack: a man in the middle between reader and genuine card (a tampered reader, a relay) lets
 * every command through but answers 6A82 "file not found" to the SELECT of DG14 and DG15. Secure
 * messaging lets an error status travel without a MAC, so the kiosk cannot tell the answer is not
 * the card's. What it can tell is that the SOD signs those files: a signed file that does not come
 * back is a failed clone check, never a skipped one.
 */
import { describe, expect, it } from 'vitest';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { readDocument } from '../../app/core/cccd/read-document.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { MitmTransport } from '../../app/sim/virtual-card/mitm.ts';
import { personaChip } from '../../app/sim/virtual-card/persona-chip.ts';

async function readThroughMitm(hideFiles: number[], selectBy: 'fid' | 'sfi' = 'fid') {
  const { chip, card } = await personaChip('nguyen-van-an');
  const reader = new VirtualCardReader();
  reader.insert(chip);
  // The attacker knows which file each command names (worst case), but not the session keys.
  const mitm = new MitmTransport(await reader.connect(reader.name), { hideFiles, selectedFile: () => chip.selectedFile });
  try {
    const r = await readDocument(mitm, { access: { kind: 'can', can: card.can! }, trust: card.trust, selectBy });
    return { r, replaced: mitm.replaced };
  } finally {
    await mitm.close();
  }
}

describe('attack: MITM answers 6A82 to SELECT DG14/DG15 of a genuine card', () => {
  it('is CHIP_CLONE_SUSPECTED (DG14_UNAVAILABLE, DG15_UNAVAILABLE), not CHIP_NOT_CHECKED', async () => {
    const { r, replaced } = await readThroughMitm([LDS_FILES.DG14.fid, LDS_FILES.DG15.fid]);
    expect(replaced).toBe(2); // the attack really happened, once per file
    expect(r.chip.chipAuthenticity).toEqual({
      verdict: 'CHIP_CLONE_SUSPECTED', chipAuthentication: 'failed', activeAuthentication: 'failed',
      reasons: ['DG14_UNAVAILABLE', 'DG15_UNAVAILABLE'],
    });
    expect(r.chip.files.has('DG14') || r.chip.files.has('DG15')).toBe(false);
    expect(r.passiveAuth.verdict).toBe('PA_OK'); // the data itself is genuine
  });

  it('the same with reads by short file identifier (the SFI travels in clear in P1)', async () => {
    const { r, replaced } = await readThroughMitm([LDS_FILES.DG14.fid, LDS_FILES.DG15.fid], 'sfi');
    expect(replaced).toBe(2);
    expect(r.chip.chipAuthenticity.verdict).toBe('CHIP_CLONE_SUSPECTED');
  });

  it('hiding DG15 alone: CA passes, AA is missing, still CHIP_CLONE_SUSPECTED', async () => {
    const { r } = await readThroughMitm([LDS_FILES.DG15.fid]);
    expect(r.chip.chipAuthenticity).toEqual({ verdict: 'CHIP_CLONE_SUSPECTED', chipAuthentication: 'passed', activeAuthentication: 'failed', reasons: ['DG15_UNAVAILABLE'] });
  });

  it('control: the same MITM hiding nothing leaves a genuine card CHIP_GENUINE', async () => {
    const { r, replaced } = await readThroughMitm([]);
    expect(replaced).toBe(0);
    expect(r.chip.chipAuthenticity.verdict).toBe('CHIP_GENUINE');
  });
});
