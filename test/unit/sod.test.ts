import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { encodeLdsSecurityObject, findSignerCertificate, parseLdsSecurityObject, parseSod } from '../../app/core/icao/lds/sod.ts';
import { fromHex, hex } from '../../app/core/icao/tlv.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';
import { code } from '../support/error-code.ts';


describe('EF.SOD', () => {
  it('reads the LDSSecurityObject, signer info and embedded DSC of a persona card', async () => {
    const card = await buildCardFiles('le-minh-chau-passport');
    const sod = parseSod(card.files.get(LDS_FILES.SOD.fid)!);
    expect(sod.eContentType).toBe('2.23.136.1.1.1');
    expect(sod.ldsSecurityObject.hashAlgorithm).toBe('sha256');
    expect([...sod.ldsSecurityObject.dataGroupHashes.keys()]).toEqual([1, 2, 15]);
    const dg1Hash = createHash('sha256').update(card.dataGroups.get(1)!).digest('hex').toUpperCase();
    expect(hex(sod.ldsSecurityObject.dataGroupHashes.get(1)!)).toBe(dg1Hash);
    const si = sod.signerInfos[0]!;
    expect(si).toMatchObject({ digestAlgorithm: '2.16.840.1.101.3.4.2.1', signatureAlgorithm: '1.2.840.113549.1.1.11', contentType: '2.23.136.1.1.1' });
    expect(si.sid.kind).toBe('issuerAndSerial');
    expect(si.signedAttributes?.[0]).toBe(0x31);
    expect(hex(si.messageDigest!)).toBe(createHash('sha256').update(sod.eContent).digest('hex').toUpperCase());
    expect(hex(findSignerCertificate(sod, si)!)).toBe(hex(getTestPki('rsa').dsc.certificate));
  });

  it('names RSASSA-PSS parameters', async () => {
    const card = await buildCardFiles('le-minh-chau-passport', { pki: 'rsa-pss' });
    const si = parseSod(card.files.get(LDS_FILES.SOD.fid)!).signerInfos[0]!;
    expect(si.signatureAlgorithm).toBe('1.2.840.113549.1.1.10');
    expect(si.signatureParameters?.[0]).toBe(0x30);
  });

  it('round-trips an LDSSecurityObject with every supported hash', () => {
    for (const h of ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const) {
      const hashes = new Map([[1, new Uint8Array(20).fill(1)], [13, new Uint8Array(20).fill(13)]]);
      const lso = parseLdsSecurityObject(encodeLdsSecurityObject(h, hashes));
      expect(lso.hashAlgorithm).toBe(h);
      expect(hex(lso.dataGroupHashes.get(13)!)).toBe(hex(hashes.get(13)!));
    }
  });

  it('rejects malformed SODs with typed errors', async () => {
    expect(code(() => parseSod(fromHex('7700')))).toBe('TLV_TRUNCATED');
    expect(code(() => parseSod(fromHex('77023000')))).toBe('SOD_INVALID');
    expect(code(() => parseSod(fromHex('6100')))).toBe('SOD_INVALID');
    // MD5 is not an LDS hash
    const md5 = fromHex(hex(encodeLdsSecurityObject('sha256', new Map())).replace('608648016503040201', '2A864886F70D020500'.slice(0, 18)));
    expect(code(() => parseLdsSecurityObject(md5))).toBe('SOD_UNSUPPORTED_HASH');
    const dup = fromHex('3021020100300B0609608648016503040201300F300502010104003006020101040100');
    expect(code(() => parseLdsSecurityObject(dup))).not.toBe('NO_ERROR');
  });
});
