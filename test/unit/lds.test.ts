import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildMrz, buildCccdMrz } from '../../app/core/icao/mrz.ts';
import { buildCom, parseCom } from '../../app/core/icao/lds/com.ts';
import { buildDg1, parseDg1 } from '../../app/core/icao/lds/dg1.ts';
import { buildDg2, buildFacialRecord, parseDg2, parseFacialRecord } from '../../app/core/icao/lds/dg2.ts';
import { buildDg11, parseDg11 } from '../../app/core/icao/lds/dg11.ts';
import { buildDg12, parseDg12 } from '../../app/core/icao/lds/dg12.ts';
import { buildDg14, parseDg14 } from '../../app/core/icao/lds/dg14.ts';
import { buildDg15, parseDg15 } from '../../app/core/icao/lds/dg15.ts';
import { OID, encodeSecurityInfos, parseCardAccess } from '../../app/core/icao/lds/security-infos.ts';
import { derSequence, derSet, encodeInteger, encodeOid, fromHex, hex } from '../../app/core/icao/tlv.ts';
import { code } from '../support/error-code.ts';


describe('EF.COM', () => {
  it('parses the ICAO Appendix D EF.COM (DG1, DG2)', () => {
    const com = parseCom(fromHex('60145F0104303130365F36063034303030305C026175'));
    expect(com).toEqual({ ldsVersion: '0106', unicodeVersion: '040000', tags: [0x61, 0x75], dataGroups: [1, 2] });
  });
  it('builds and round-trips a CCCD list', () => {
    expect(parseCom(buildCom([1, 2, 13, 14, 15])).dataGroups).toEqual([1, 2, 13, 14, 15]);
    expect(code(() => parseCom(fromHex('6003020100')))).toBe('COM_INVALID');
    expect(code(() => parseCom(fromHex('6100')))).toBe('COM_INVALID');
  });
});

describe('DG1', () => {
  it('round-trips TD1 and TD3', () => {
    const td1 = buildCccdMrz({ idNumber: '001092012345', surname: 'NGUYEN', givenNames: 'VAN AN', dateOfBirth: '920317', sex: 'M', dateOfExpiry: '320317' });
    expect(parseDg1(buildDg1(td1)).mrz.cccdIdNumber).toBe('001092012345');
    expect(hex(buildDg1(td1)).slice(0, 10)).toBe('615D5F1F5A');
    const td3 = buildMrz({ format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C', surname: 'A', givenNames: 'B', nationality: 'UTO', dateOfBirth: '690806', sex: 'F', dateOfExpiry: '940623' });
    expect(parseDg1(buildDg1(td3)).mrz.format).toBe('TD3');
    expect(code(() => parseDg1(fromHex('61035F1F00')))).toBe('MRZ_INVALID');
    expect(code(() => parseDg1(fromHex('6100')))).toBe('DG1_INVALID');
  });
});

describe('DG2', () => {
  const jpeg = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  const jp2 = Uint8Array.from([0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 9, 9]);
  it('round-trips a JPEG and a JPEG 2000 face with size and gender', () => {
    const face = parseDg2(buildDg2({ format: 'jpeg', width: 240, height: 320, image: jpeg, gender: 1 })).faces[0]!;
    expect(face).toMatchObject({ format: 'jpeg', width: 240, height: 320, gender: 1 });
    expect(hex(face.image)).toBe(hex(jpeg));
    expect(parseDg2(buildDg2({ format: 'jpeg2000', width: 10, height: 12, image: jp2 })).faces[0]!.format).toBe('jpeg2000');
  });
  it('skips feature points to find the image (ISO 19794-5 with landmarks)', () => {
    const rec = buildFacialRecord({ format: 'jpeg', width: 2, height: 3, image: jpeg });
    // Insert two 8-byte feature points after the 20-byte facial information; fix both lengths.
    const points = new Uint8Array(16).fill(0x11);
    const withPoints = new Uint8Array(rec.length + 16);
    withPoints.set(rec.subarray(0, 14 + 20));
    withPoints.set(points, 14 + 20);
    withPoints.set(rec.subarray(14 + 20), 14 + 20 + 16);
    const view = new DataView(withPoints.buffer);
    view.setUint32(8, rec.length + 16);
    view.setUint32(14, view.getUint32(14) + 16);
    view.setUint16(18, 2);
    const face = parseFacialRecord(withPoints)[0]!;
    expect(face).toMatchObject({ format: 'jpeg', width: 2, height: 3 });
    expect(hex(face.image)).toBe(hex(jpeg));
  });

  it('rejects broken records and unknown image formats', () => {
    const good = buildDg2({ format: 'jpeg', width: 1, height: 1, image: jpeg });
    const i = hex(good).indexOf('46414300') / 2;
    const bad = good.slice();
    bad[i] = 0x47;
    expect(code(() => parseDg2(bad))).toBe('DG2_INVALID');
    expect(code(() => parseDg2(buildDg2({ format: 'jpeg', width: 1, height: 1, image: Uint8Array.of(1, 2, 3) })))).toBe('DG2_UNSUPPORTED_IMAGE');
    const longLen = good.slice();
    longLen[i + 14 + 3] = 0xff; // face block length beyond the record
    expect(code(() => parseDg2(longLen))).toBe('DG2_INVALID');
    expect(code(() => parseDg2(fromHex('75027F61')))).toBe('TLV_TRUNCATED');
  });
});

describe('DG11 / DG12', () => {
  it('round-trips text fields', () => {
    const d11 = parseDg11(buildDg11({ fullName: 'NGUYEN<<VAN<AN', placeOfBirth: 'Hà Nội', fullDateOfBirth: '19920317' }));
    expect(d11).toMatchObject({ fullName: 'NGUYEN<<VAN<AN', placeOfBirth: 'Hà Nội', fullDateOfBirth: '19920317', otherNames: [] });
    expect(parseDg12(buildDg12({ issuingAuthority: 'Cục Cảnh sát', dateOfIssue: '20210415' }))).toMatchObject({ issuingAuthority: 'Cục Cảnh sát', dateOfIssue: '20210415' });
    expect(code(() => parseDg11(fromHex('6B035F0E00')))).toBe('DG11_INVALID');
  });
});

describe('SecurityInfos / EF.CardAccess / DG14 / DG15', () => {
  it('parses the Vietnamese EF.CardAccess (reference §1.3)', () => {
    const infos = parseCardAccess(fromHex('3134300d060804007f0007020202020101300f060a04007f000702020302020201013012060a04007f0007020204020202010202010d'));
    expect(infos.map((i) => i.kind)).toEqual(['TerminalAuthenticationInfo', 'ChipAuthenticationInfo', 'PACEInfo']);
    expect(infos[2]).toMatchObject({ kind: 'PACEInfo', protocol: OID.PACE_ECDH_GM_AES_CBC_CMAC_128, version: 2, parameterId: 13, agreement: 'ECDH', mapping: 'GM', cipher: 'AES-128' });
    expect(infos[1]).toMatchObject({ kind: 'ChipAuthenticationInfo', agreement: 'ECDH', cipher: 'AES-128', version: 1 });
  });
  it('recognises PACE domain parameters and keeps unknown protocols raw', () => {
    const infos = parseCardAccess(encodeSecurityInfos([{ kind: 'PACEInfo', protocol: OID.PACE_DH_GM + '.4', version: 2, parameterId: 0 }]));
    expect(infos[0]).toMatchObject({ kind: 'PACEInfo', agreement: 'DH', mapping: 'GM', cipher: 'AES-256', parameterId: 0 });
    const domain = derSequence(encodeOid(OID.PACE_ECDH_GM), derSequence(encodeOid('0.4.0.127.0.7.1.2')), encodeInteger(13));
    const unknown = derSequence(encodeOid('1.2.3.4'), encodeInteger(1));
    const parsed = parseCardAccess(derSet(domain, unknown));
    expect(parsed.map((i) => i.kind).sort()).toEqual(['PACEDomainParameterInfo', 'UnknownSecurityInfo']);
    expect(parsed.find((i) => i.kind === 'PACEDomainParameterInfo')).toMatchObject({ parameterId: 13 });
    expect(code(() => parseCardAccess(derSet(derSequence(encodeOid(OID.TA)))))).toBe('SECURITY_INFO_INVALID');
    expect(code(() => parseCardAccess(derSequence()))).toBe('SECURITY_INFO_INVALID');
  });

  it('round-trips DG14 with a CA public key and AA info', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1' });
    const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
    const dg14 = parseDg14(buildDg14([
      { kind: 'ChipAuthenticationInfo', protocol: OID.CA_ECDH_AES_CBC_CMAC_128, version: 1, keyId: 7 },
      { kind: 'ChipAuthenticationPublicKeyInfo', protocol: OID.PK_ECDH, publicKey: spki, keyId: 7 },
      { kind: 'ActiveAuthenticationInfo', version: 1, signatureAlgorithm: '0.4.0.127.0.7.1.1.4.1.3' },
    ]));
    const pk = dg14.securityInfos.find((i) => i.kind === 'ChipAuthenticationPublicKeyInfo');
    expect(pk && pk.kind === 'ChipAuthenticationPublicKeyInfo' && hex(pk.publicKey)).toBe(hex(spki));
    expect(dg14.securityInfos.map((i) => i.kind).sort()).toEqual(['ActiveAuthenticationInfo', 'ChipAuthenticationInfo', 'ChipAuthenticationPublicKeyInfo']);
    expect(code(() => parseDg14(fromHex('6E0430020500')))).toBe('SECURITY_INFO_INVALID');
  });
  it('loads RSA and explicit-parameter EC keys from DG15', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' });
    expect(parseDg15(buildDg15(new Uint8Array(rsa))).keyType).toBe('rsa');
    const ec = generateKeyPairSync('ec', { namedCurve: 'brainpoolP256r1', paramEncoding: 'explicit' }).publicKey.export({ type: 'spki', format: 'der' });
    const dg15 = parseDg15(buildDg15(new Uint8Array(ec)));
    expect(dg15.keyType).toBe('ec');
    expect(dg15.publicKey.asymmetricKeyType).toBe('ec');
    // RSA algorithm with a key that is not an RSAPublicKey
    const bogus = derSequence(derSequence(encodeOid('1.2.840.113549.1.1.1'), fromHex('0500')), fromHex('0303000102'));
    expect(code(() => parseDg15(buildDg15(bogus)))).toBe('DG15_INVALID');
    const dsa = derSequence(derSequence(encodeOid('1.2.840.10040.4.1')), fromHex('0303000102'));
    expect(code(() => parseDg15(buildDg15(dsa)))).toBe('DG15_UNSUPPORTED_KEY');
  });
});
