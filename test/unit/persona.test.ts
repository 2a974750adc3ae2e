import { describe, expect, it } from 'vitest';
import { parseDg13 } from '../../app/core/cccd/dg13.ts';
import { parseCom } from '../../app/core/icao/lds/com.ts';
import { parseDg1 } from '../../app/core/icao/lds/dg1.ts';
import { parseDg2 } from '../../app/core/icao/lds/dg2.ts';
import { parseDg14 } from '../../app/core/icao/lds/dg14.ts';
import { parseDg15 } from '../../app/core/icao/lds/dg15.ts';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { parseCardAccess } from '../../app/core/icao/lds/security-infos.ts';
import { mrzInformation, parseMrz } from '../../app/core/icao/mrz.ts';
import { decodePortrait, portraitAsJpeg } from '../../app/platform/image/decode.ts';
import { buildCardFiles, type CardFiles } from '../../app/sim/personas/build-card-files.ts';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { verifiedPortrait } from '../../app/core/icao/portrait.ts';
import { PERSONAS } from '../../app/sim/personas/personas.ts';

/** The persona's portrait after passive authentication of its own signed files (the decoders' only input). */
function verified(card: CardFiles) {
  const face = parseDg2(card.dataGroups.get(2)!).faces[0]!;
  const passiveAuth = verifyPassive({ sod: card.files.get(LDS_FILES.SOD.fid)!, dataGroups: card.dataGroups, trust: card.trust });
  const portrait = verifiedPortrait({ document: { portrait: { format: face.format, width: face.width, height: face.height, bytes: face.image } }, passiveAuth });
  if (!portrait) throw new Error('persona portrait does not verify');
  return portrait;
}

describe('persona card files', () => {
  it('nguyen-van-an: CCCD TD1 with DG13, DG14, DG15, CardAccess and a JPEG portrait', async () => {
    const card = await buildCardFiles('nguyen-van-an');
    expect([...card.files.keys()].sort()).toEqual([0x0101, 0x0102, 0x010d, 0x010e, 0x010f, 0x011c, 0x011d, 0x011e]);
    expect(parseCom(card.files.get(LDS_FILES.COM.fid)!).dataGroups).toEqual([1, 2, 13, 14, 15]);
    const mrz = parseDg1(card.dataGroups.get(1)!).mrz;
    expect(mrz).toMatchObject({ format: 'TD1', cccdIdNumber: '001092012345', documentNumber: '092012345' });
    expect(mrz.text).toBe(card.mrz);
    expect(mrzInformation(card.bacKey)).toBe('092012345292031703203178');
    expect(card.can).toBe('012345');
    expect(parseDg13(card.dataGroups.get(13)!).fullName).toBe('Nguyễn Văn An');
    const face = parseDg2(card.dataGroups.get(2)!).faces[0]!;
    expect(face).toMatchObject({ format: 'jpeg', width: 240, height: 320, gender: 1 });
    const rgb = await decodePortrait(verified(card));
    expect([rgb.width, rgb.height, rgb.data.length]).toEqual([240, 320, 240 * 320 * 3]);
    const dg14 = parseDg14(card.dataGroups.get(14)!);
    expect(dg14.securityInfos.some((i) => i.kind === 'ChipAuthenticationPublicKeyInfo')).toBe(true);
    expect(parseDg15(card.dataGroups.get(15)!).keyType).toBe('rsa');
    expect(card.chipKeys.activeAuthentication?.kind).toBe('rsa');
    expect(parseCardAccess(card.files.get(LDS_FILES.CardAccess.fid)!).find((i) => i.kind === 'PACEInfo')).toMatchObject({ parameterId: 13 });
  });

  it('tran-thi-bich-ngoc: DG2 in JPEG 2000 that decodes back to the face', async () => {
    const card = await buildCardFiles('tran-thi-bich-ngoc');
    const face = parseDg2(card.dataGroups.get(2)!).faces[0]!;
    expect(face).toMatchObject({ format: 'jpeg2000', width: 120, height: 160 });
    expect(card.dataGroups.get(2)!.length).toBeLessThan(32767);
    const rgb = await decodePortrait(verified(card));
    expect([rgb.width, rgb.height]).toEqual([120, 160]);
    // Not a blank image: the face has contrast.
    const values = Array.from(rgb.data.subarray(0, 3000));
    expect(Math.max(...values) - Math.min(...values)).toBeGreaterThan(50);
    const jpeg = await portraitAsJpeg(verified(card));
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8]);
    expect(card.files.has(0x010e)).toBe(false);
  });

  it('le-minh-chau-passport: TD3 with an EC Active Authentication key', async () => {
    const card = await buildCardFiles('le-minh-chau-passport');
    expect(parseMrz(card.mrz)).toMatchObject({ format: 'TD3', documentNumber: 'C1234567' });
    expect(parseDg15(card.dataGroups.get(15)!).keyType).toBe('ec');
    expect(card.idNumber).toBeUndefined();
    expect(card.files.has(LDS_FILES.CardAccess.fid)).toBe(false);
  });

  it('every persona builds, and builds the same data twice (keys cached per process)', async () => {
    for (const id of Object.keys(PERSONAS)) {
      const a = await buildCardFiles(id);
      const b = await buildCardFiles(id);
      expect(Buffer.from(a.dataGroups.get(1)!).equals(Buffer.from(b.dataGroups.get(1)!))).toBe(true);
      expect(Buffer.from(a.dataGroups.get(2)!).equals(Buffer.from(b.dataGroups.get(2)!))).toBe(true);
    }
  });
});
