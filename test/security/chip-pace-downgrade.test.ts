/**
 * Attack: a man in the middle hides EF.CardAccess (6A82 to its plain SELECT) so that the kiosk
 * falls back from PACE to the weaker BAC. The kiosk cannot stop the fallback when it holds the MRZ,
 * but it never makes it silently: every way PACE went unused is in `paceFallback` with a reason,
 * and when the signed DG14 names PACE the hidden EF.CardAccess itself is detected (PACE_HIDDEN).
 */
import { describe, expect, it } from 'vitest';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { OID, encodeSecurityInfo, encodeSecurityInfos } from '../../app/core/icao/lds/security-infos.ts';
import { parseDg14 } from '../../app/core/icao/lds/dg14.ts';
import { mrzInformation } from '../../app/core/icao/mrz.ts';
import { readDocument } from '../../app/core/cccd/read-document.ts';
import { derSet, encodeTlv } from '../../app/core/icao/tlv.ts';
import type { CardTransport } from '../../app/core/icao/transport.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { sodSignedBy, withSod } from '../../app/sim/pki/forgeries.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';
import { VirtualChip, type ChipBehaviour } from '../../app/sim/virtual-card/chip.ts';
import { MitmTransport } from '../../app/sim/virtual-card/mitm.ts';

const PACE = { kind: 'PACEInfo', protocol: OID.PACE_ECDH_GM_AES_CBC_CMAC_128, version: 2, parameterId: 13 } as const;

/** The nguyen-van-an card, optionally with PACEInfo in its DG14 (signed by the issuer, as ICAO recommends). */
async function card(o: { paceInDg14?: boolean; cardAccess?: Uint8Array; behaviour?: Partial<ChipBehaviour> } = {}) {
  const c = await buildCardFiles('nguyen-van-an');
  const dgs = new Map(c.dataGroups);
  if (o.paceInDg14) {
    const infos = parseDg14(dgs.get(14)!).securityInfos;
    dgs.set(14, encodeTlv(LDS_FILES.DG14.tag, derSet(...infos.map((i) => i.raw), encodeSecurityInfo(PACE))));
  }
  const files = withSod(c.files, sodSignedBy(getTestPki(c.persona.pki), dgs, getTestPki(c.persona.pki).dsc));
  for (const [n, bytes] of dgs) files.set(0x0100 + n, bytes);
  if (o.cardAccess) files.set(LDS_FILES.CardAccess.fid, o.cardAccess);
  const chip = new VirtualChip({
    files, mrzInformation: mrzInformation(c.bacKey), can: c.can!,
    keys: { ca: c.chipKeys.chipAuthentication!.privateKey, aa: c.chipKeys.activeAuthentication!.privateKey },
    ...(o.behaviour ? { behaviour: o.behaviour } : {}),
  });
  return { chip, c };
}

async function read(chip: VirtualChip, c: Awaited<ReturnType<typeof buildCardFiles>>, wrap: (t: CardTransport) => CardTransport = (t) => t) {
  const reader = new VirtualCardReader();
  reader.insert(chip);
  const t = wrap(await reader.connect(reader.name));
  try {
    // The kiosk holds the MRZ too (scanned), so BAC is possible: the downgrade works, visibly.
    return await readDocument(t, { access: { kind: 'can', can: c.can!, mrzInformation: mrzInformation(c.bacKey) }, trust: c.trust });
  } finally {
    await t.close();
  }
}

describe('attack: PACE downgraded to BAC', () => {
  it('a MITM hiding EF.CardAccess: BAC, recorded as PACE_HIDDEN because the signed DG14 names PACE', async () => {
    const { chip, c } = await card({ paceInDg14: true });
    let mitm: MitmTransport | undefined;
    const r = await read(chip, c, (t) => (mitm = new MitmTransport(t, { hideFiles: [LDS_FILES.CardAccess.fid], selectedFile: () => chip.selectedFile })));
    expect(mitm!.replaced).toBeGreaterThan(0);
    expect(r.chip.accessMethod).toBe('BAC');
    expect(r.chip.paceFallback).toBe('PACE_HIDDEN');
    expect(r.passiveAuth.verdict).toBe('PA_OK'); // DG14, which told on the attacker, is signed data
  });

  it('control: without the MITM the same card opens with PACE-CAN and records no fallback', async () => {
    const { chip, c } = await card({ paceInDg14: true });
    const r = await read(chip, c);
    expect(r.chip.accessMethod).toBe('PACE-CAN');
    expect(r.chip.paceFallback).toBeUndefined();
  });

  it('every other way PACE goes unused is recorded: refused, unsupported mapping, unreadable EF.CardAccess', async () => {
    const refused = await card({ behaviour: { paceRefusalSw: 0x6982 } });
    expect((await read(refused.chip, refused.c)).chip).toMatchObject({ accessMethod: 'BAC', paceFallback: 'PACE_REFUSED' });
    // Integrated mapping only: offered, but not one this kiosk runs.
    const im = await card({ cardAccess: encodeSecurityInfos([{ ...PACE, protocol: '0.4.0.127.0.7.2.2.4.4.2' }]) });
    expect((await read(im.chip, im.c)).chip).toMatchObject({ accessMethod: 'BAC', paceFallback: 'PACE_UNSUPPORTED' });
    const junk = await card({ cardAccess: Uint8Array.of(0x31, 0x03, 0x02, 0x01, 0x00) });
    expect((await read(junk.chip, junk.c)).chip).toMatchObject({ accessMethod: 'BAC', paceFallback: 'CARD_ACCESS_INVALID' });
  });
});
