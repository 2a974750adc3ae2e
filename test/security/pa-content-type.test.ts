/**
 * Attack: a signature made by a genuine Document Signer key over something that is not an
 * LDSSecurityObject (another CMS content the same key signed, or attributes without a content
 * type) replayed as an EF.SOD. ICAO 9303-10 requires the signed content-type attribute, and it must
 * be id-icao-mrtd-security-ldsSecurityObject; without that binding the signature proves nothing
 * about data-group hashes.
 */
import { describe, expect, it } from 'vitest';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { encodeLdsSecurityObject, OID_LDS_SECURITY_OBJECT, wrapSod } from '../../app/core/icao/lds/sod.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { digest } from '../../app/sim/pki/algorithms.ts';
import { sodSignedBy } from '../../app/sim/pki/forgeries.ts';
import { signCms } from '../../app/sim/pki/sod-signer.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';

const ID_DATA = '1.2.840.113549.1.7.1';

async function setup() {
  const card = await buildCardFiles('tran-thi-bich-ngoc');
  const pki = getTestPki(card.persona.pki);
  const check = (sod: Uint8Array) => verifyPassive({ sod, dataGroups: card.dataGroups, trust: card.trust });
  return { card, pki, check };
}

describe('attack: an EF.SOD whose signature does not bind the LDSSecurityObject content type', () => {
  it('signed content-type id-data instead of ldsSecurityObject: PA_SIGNATURE_INVALID (SOD_CONTENT_TYPE_WRONG)', async () => {
    const { card, pki, check } = await setup();
    const r = check(sodSignedBy(pki, card.dataGroups, pki.dsc, { contentTypeAttribute: ID_DATA }));
    expect(r).toMatchObject({ verdict: 'PA_SIGNATURE_INVALID', reasons: ['SOD_CONTENT_TYPE_WRONG'] });
  });

  it('no signed content-type attribute: PA_SIGNATURE_INVALID (SOD_CONTENT_TYPE_MISSING)', async () => {
    const { card, pki, check } = await setup();
    expect(check(sodSignedBy(pki, card.dataGroups, pki.dsc, { contentTypeAttribute: null })))
      .toMatchObject({ verdict: 'PA_SIGNATURE_INVALID', reasons: ['SOD_CONTENT_TYPE_MISSING'] });
  });

  it('encapsulated content typed id-data (attribute consistent with it): PA_SIGNATURE_INVALID (SOD_CONTENT_TYPE_WRONG)', async () => {
    const { card, pki, check } = await setup();
    const hashes = new Map([...card.dataGroups].map(([n, b]) => [n, digest(pki.dataGroupHash, b)]));
    const signer = { certificate: pki.dsc.certificate, signingKey: pki.dsc.privateKey, scheme: pki.dsc.scheme, signingTime: new Date(Date.UTC(2025, 0, 1)) };
    const sod = wrapSod(signCms(ID_DATA, encodeLdsSecurityObject(pki.dataGroupHash, hashes), signer));
    expect(check(sod)).toMatchObject({ verdict: 'PA_SIGNATURE_INVALID', reasons: ['SOD_CONTENT_TYPE_WRONG'] });
  });

  it('control: the same signer with the right content type passes', async () => {
    const { card, pki, check } = await setup();
    expect(check(sodSignedBy(pki, card.dataGroups, pki.dsc, { contentTypeAttribute: OID_LDS_SECURITY_OBJECT })).verdict).toBe('PA_OK');
  });
});
