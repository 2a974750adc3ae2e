/**
 * A card refusing the access key answers 6300, 63Cx, 6982 or 6988 depending on its operating
 * system, for BAC's EXTERNAL AUTHENTICATE and for PACE's last GENERAL AUTHENTICATE alike. All of
 * them mean "wrong key" to the person (ACCESS_DENIED_WRONG_KEY: check the number and try again;
 * exit 3 from `read`), never a generic failure that would send them to staff or hide a typo.
 */
import { describe, expect, it } from 'vitest';
import { mrzInformation } from '../../app/core/icao/mrz.ts';
import { readChip } from '../../app/core/icao/reader.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { personaChip } from '../../app/sim/virtual-card/persona-chip.ts';

const STATUS_WORDS = [0x6300, 0x63c2, 0x6982, 0x6988].map((sw) => [sw.toString(16).toUpperCase(), sw] as const);

async function open(persona: string, wrongKeySw: number, access: (card: Awaited<ReturnType<typeof personaChip>>['card']) => Parameters<typeof readChip>[1]['access']) {
  const { chip, card } = await personaChip(persona, { behaviour: { wrongKeySw } });
  const reader = new VirtualCardReader();
  reader.insert(chip);
  const t = await reader.connect(reader.name);
  try {
    return await readChip(t, { access: access(card) }).then(() => undefined, (e: unknown) => e);
  } finally {
    await t.close();
  }
}

describe('wrong access key, whatever the chip OS answers', () => {
  it.each(STATUS_WORDS)('BAC with a wrong MRZ, card answers %s: ACCESS_DENIED_WRONG_KEY', async (_hex, sw) => {
    const e = await open('le-minh-chau-passport', sw, (card) => ({ kind: 'mrz', mrzInformation: mrzInformation({ ...card.bacKey, dateOfBirth: '010101' }) }));
    expect(e).toMatchObject({ code: 'ACCESS_DENIED_WRONG_KEY', details: { sw } });
  });

  it.each(STATUS_WORDS)('PACE with a wrong CAN, card answers %s: ACCESS_DENIED_WRONG_KEY', async (_hex, sw) => {
    const e = await open('nguyen-van-an', sw, (card) => ({ kind: 'can', can: card.can === '999999' ? '999998' : '999999' }));
    expect(e).toMatchObject({ code: 'ACCESS_DENIED_WRONG_KEY', details: { sw } });
  });

  it('control: another refusal (6A80 to EXTERNAL AUTHENTICATE) stays a protocol error, not a wrong key', async () => {
    const e = await open('le-minh-chau-passport', 0x6a80, (card) => ({ kind: 'mrz', mrzInformation: mrzInformation({ ...card.bacKey, dateOfBirth: '010101' }) }));
    expect(e).toMatchObject({ code: 'BAC_RESPONSE_INVALID' });
  });
});
