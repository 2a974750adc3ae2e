/**
 * Attack ("CurveBall", CVE-2020-0601, applied to passive authentication): a CSCA written with
 * explicit EC parameters (as Vietnam's is) is copied with the same name and the same public point
 * Q, but a generator G' = d'^-1·Q the forger chose, so Q = d'·G' and the forger holds d'. Slipped
 * into the trust store or a master list, it would vouch for any Document Signer the forger makes.
 * The defence: explicit parameters must spell out a standard curve, every number of it.
 */
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hex } from '../../app/core/icao/crypto.ts';
import { verifyMasterList } from '../../app/core/icao/passive-auth-master-list.ts';
import { derSequence, derSet, encodeInteger } from '../../app/core/icao/tlv.ts';
import { ecSpkiCurve } from '../../app/core/icao/pace-groups.ts';
import { anchorProblem } from '../../app/core/icao/passive-auth-certificates.ts';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { certificateNames } from '../../app/core/icao/passive-auth-x509.ts';
import { loadTrustStore } from '../../app/platform/trust/trust-store.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { curveSubstitutedCsca, sodSignedBy, swapSignedContent } from '../../app/sim/pki/forgeries.ts';
import { buildMasterList } from '../../app/sim/pki/master-list.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';

const pki = getTestPki('brainpool-explicit');

async function forgedCard() {
  const forgery = curveSubstitutedCsca(pki);
  const card = await buildCardFiles('nguyen-van-an');
  return { forgery, card, sod: sodSignedBy(pki, card.dataGroups, forgery.dsc) };
}

describe('attack: a CSCA whose explicit curve parameters were swapped (CurveBall)', () => {
  it('the forgery is real: same name and public point, and the forger\'s DSC verifies under it', async () => {
    const { forgery } = await forgedCard();
    expect(hex(forgery.forgedPoint)).toBe(hex(forgery.genuinePoint));
    expect(hex(certificateNames(forgery.csca.certificate).subject)).toBe(hex(certificateNames(pki.csca.certificate).subject));
    const anchor = new X509Certificate(Buffer.from(forgery.csca.certificate));
    expect(new X509Certificate(Buffer.from(forgery.dsc.certificate)).verify(anchor.publicKey)).toBe(true);
    expect(ecSpkiCurve(certificateNames(forgery.csca.certificate).subjectPublicKeyInfo)).toEqual({ explicit: true });
  });

  it('as a trust anchor it is refused: PA_DSC_UNTRUSTED (CSCA_CURVE_PARAMETERS_UNKNOWN), not PA_OK nor "no anchor"', async () => {
    const { forgery, card, sod } = await forgedCard();
    const r = verifyPassive({ sod, dataGroups: card.dataGroups, trust: { anchors: [forgery.csca.certificate], crls: [] } });
    expect(r).toMatchObject({ verdict: 'PA_DSC_UNTRUSTED', reasons: ['CSCA_CURVE_PARAMETERS_UNKNOWN'] });
    // Beside the genuine anchor it changes nothing: the genuine key did not sign the forger's DSC.
    const both = verifyPassive({ sod, dataGroups: card.dataGroups, trust: { anchors: [pki.csca.certificate, forgery.csca.certificate], crls: [] } });
    expect(both).toMatchObject({ verdict: 'PA_DSC_UNTRUSTED', reasons: ['DSC_SIGNATURE_INVALID'] });
  });

  it('in a master list: a swapped entry breaks the list signature; a list trusted by name still cannot vouch', async () => {
    const { forgery, card, sod } = await forgedCard();
    const dir = mkdtempSync(join(tmpdir(), 'curveball-'));
    const signer = { certificate: pki.masterListSigner.certificate, signingKey: pki.masterListSigner.privateKey, scheme: pki.masterListSigner.scheme, signingTime: new Date(Date.UTC(2025, 0, 1)) };
    // Swap the genuine CSCA for the forgery inside a signed list, keeping the list's signature.
    const file = join(dir, 'swapped.ml');
    writeFileSync(file, swapSignedContent(buildMasterList([pki.csca.certificate], signer), derSequence(encodeInteger(0), derSet(forgery.csca.certificate))));
    expect(() => verifyMasterList(readFileSync(file), [pki.csca.certificate])).toThrow(expect.objectContaining({
      code: 'MASTER_LIST_SIGNATURE_INVALID', details: { reason: 'MASTER_LIST_MESSAGE_DIGEST_MISMATCH' },
    }));
    const loaded = loadTrustStore(file, { masterListSigners: [pki.csca.certificate] });
    expect(loaded).toMatchObject({ anchors: [], skipped: [{ file, reason: 'MASTER_LIST_SIGNATURE_INVALID' }] });
    // The operator vouches for an unsigned list holding the forgery: loaded, flagged, and refused at use.
    const trustedFile = join(dir, 'trusted.ml');
    writeFileSync(trustedFile, buildMasterList([forgery.csca.certificate]));
    const trusted = loadTrustStore(trustedFile, { trustedMasterLists: [trustedFile] });
    expect(trusted.unfit).toEqual([{ file: trustedFile, subject: expect.stringContaining('Test CSCA brainpool-explicit'), reason: 'CSCA_CURVE_PARAMETERS_UNKNOWN' }]);
    expect(verifyPassive({ sod, dataGroups: card.dataGroups, trust: trusted }).verdict).toBe('PA_DSC_UNTRUSTED');
  });

  it('control: genuine explicit-parameter CSCAs still anchor (the test PKI\'s and the real Vietnamese one)', async () => {
    const card = await buildCardFiles('nguyen-van-an');
    expect(verifyPassive({ sod: card.files.get(0x011d)!, dataGroups: card.dataGroups, trust: card.trust }).verdict).toBe('PA_OK');
    const pem = readFileSync(fileURLToPath(new URL('../../kiosk-config/trust/csca-vietnam-epassport.pem', import.meta.url)), 'latin1');
    const vn = new Uint8Array(new X509Certificate(pem).raw);
    expect(ecSpkiCurve(certificateNames(vn).subjectPublicKeyInfo)).toEqual({ explicit: true, curve: 'brainpoolP512r1' });
    expect(anchorProblem(vn)).toBeUndefined();
  });
});
