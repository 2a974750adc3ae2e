/**
 * Attack: a copied chip that cannot answer Chip or Active Authentication hides DG14 and DG15, the
 * files that would ask for them: EF.COM leaves them out and SELECT answers 6A82. The copied SOD
 * still signs their hashes (it cannot be changed without breaking the issuer's signature), and the
 * kiosk takes what must run from the SOD: the hidden files are failed checks, CHIP_CLONE_SUSPECTED.
 */
import { describe, expect, it } from 'vitest';
import { readDocument } from '../../app/core/cccd/read-document.ts';
import { parseCom } from '../../app/core/icao/lds/com.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { personaChip } from '../../app/sim/virtual-card/persona-chip.ts';
import type { ChipBehaviour } from '../../app/sim/virtual-card/chip.ts';

async function read(behaviour: Partial<ChipBehaviour>) {
  const { chip, card } = await personaChip('nguyen-van-an', { behaviour });
  const reader = new VirtualCardReader();
  reader.insert(chip);
  const transport = await reader.connect(reader.name);
  try {
    return await readDocument(transport, { access: { kind: 'can', can: card.can! }, trust: card.trust });
  } finally {
    await transport.close();
  }
}

describe('attack: a clone hides DG14/DG15 (EF.COM omits them, SELECT answers 6A82)', () => {
  it('is CHIP_CLONE_SUSPECTED: the SOD signs DG14 and DG15, so CA and AA must pass', async () => {
    const r = await read({ cloned: true, comOmits: [14, 15], missingDataGroups: [14, 15] });
    expect(parseCom(r.chip.files.get('EF.COM')!).dataGroups).toEqual([1, 2, 13]); // the attack is in place
    expect(r.chip.chipAuthenticity).toEqual({
      verdict: 'CHIP_CLONE_SUSPECTED', chipAuthentication: 'failed', activeAuthentication: 'failed',
      reasons: ['DG14_UNAVAILABLE', 'DG15_UNAVAILABLE'],
    });
    // The data it does show is the genuine card's: passive authentication alone would have let it in.
    expect(r.passiveAuth.verdict).toBe('PA_OK');
  });

  it('is CHIP_CLONE_SUSPECTED when only EF.COM hides them: the files are read anyway and the copied keys fail', async () => {
    const r = await read({ cloned: true, comOmits: [14, 15] });
    expect(r.chip.chipAuthenticity).toMatchObject({ verdict: 'CHIP_CLONE_SUSPECTED', reasons: ['CA_KEY_MISMATCH', 'AA_SIGNATURE_INVALID'] });
  });

  it('a clone hiding only DG15 still fails both: its CA key is not the card\'s, and the SOD requires AA', async () => {
    const r = await read({ cloned: true, comOmits: [15], missingDataGroups: [15] });
    expect(r.chip.chipAuthenticity).toMatchObject({ verdict: 'CHIP_CLONE_SUSPECTED', chipAuthentication: 'failed', activeAuthentication: 'failed' });
    expect(r.chip.chipAuthenticity.reasons).toContain('DG15_UNAVAILABLE');
  });

  it('control: a genuine chip whose EF.COM forgets DG14/DG15 is still CHIP_GENUINE (EF.COM decides nothing)', async () => {
    const r = await read({ comOmits: [14, 15] });
    expect(r.chip.chipAuthenticity).toEqual({ verdict: 'CHIP_GENUINE', chipAuthentication: 'passed', activeAuthentication: 'passed', reasons: [] });
    expect(r.passiveAuth.verdict).toBe('PA_OK');
  });
});
