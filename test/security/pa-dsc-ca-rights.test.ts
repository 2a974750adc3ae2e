/**
 * Attack: an SOD signed with a certificate that is not a Document Signer: a CA certificate (one
 * that may issue certificates, e.g. a leaked sub-CA or a mis-issued DSC) or one whose key usage
 * does not allow digital signatures. ICAO 9303-12 profiles a DSC as digitalSignature, not a CA.
 * Also the mirror case: a trust anchor that is not a CA cannot vouch for a Document Signer.
 */
import { describe, expect, it } from 'vitest';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { readDocument } from '../../app/core/cccd/read-document.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { sodSignedBy, unfitDsc, withSod } from '../../app/sim/pki/forgeries.ts';
import { getTestPki, issue } from '../../app/sim/pki/test-pki.ts';
import { VirtualChip } from '../../app/sim/virtual-card/chip.ts';
import { mrzInformation } from '../../app/core/icao/mrz.ts';

describe('attack: the SOD is signed by a certificate unfit to be a Document Signer', () => {
  it.each([
    ['ca', 'DSC_IS_CA'],
    ['no-digital-signature', 'DSC_NOT_FOR_DIGITAL_SIGNATURE'],
    ['no-key-usage', 'DSC_KEY_USAGE_MISSING'],
  ] as const)('DSC flaw %s: PA_DSC_UNTRUSTED (%s), although it chains to the genuine CSCA', async (flaw, reason) => {
    const card = await buildCardFiles('tran-thi-bich-ngoc');
    const pki = getTestPki(card.persona.pki);
    const sod = sodSignedBy(pki, card.dataGroups, unfitDsc(pki, flaw));
    const r = verifyPassive({ sod, dataGroups: card.dataGroups, trust: card.trust });
    expect(r.verdict).toBe('PA_DSC_UNTRUSTED');
    expect(r.reasons).toContain(reason);
    // Refused whatever the trust store says (no anchor needed to see the certificate is unfit).
    expect(verifyPassive({ sod, dataGroups: card.dataGroups }).verdict).toBe('PA_DSC_UNTRUSTED');
  });

  it('read from a chip: the kiosk\'s read result carries PA_DSC_UNTRUSTED (DSC_IS_CA)', async () => {
    const card = await buildCardFiles('tran-thi-bich-ngoc');
    const pki = getTestPki(card.persona.pki);
    const chip = new VirtualChip({ files: withSod(card.files, sodSignedBy(pki, card.dataGroups, unfitDsc(pki, 'ca'))), mrzInformation: mrzInformation(card.bacKey), can: card.can! });
    const reader = new VirtualCardReader();
    reader.insert(chip);
    const t = await reader.connect(reader.name);
    const r = await readDocument(t, { access: { kind: 'can', can: card.can! }, trust: card.trust });
    await t.close();
    expect(r.passiveAuth).toMatchObject({ verdict: 'PA_DSC_UNTRUSTED', reasons: ['DSC_IS_CA'] });
  });

  it('control: the profile\'s own DSC passes', async () => {
    const card = await buildCardFiles('tran-thi-bich-ngoc');
    const pki = getTestPki(card.persona.pki);
    expect(verifyPassive({ sod: sodSignedBy(pki, card.dataGroups, pki.dsc), dataGroups: card.dataGroups, trust: card.trust }).verdict).toBe('PA_OK');
  });
});

describe('attack: a trust anchor that is not a CA certificate', () => {
  it('an end-entity certificate named like the CSCA cannot vouch: PA_DSC_UNTRUSTED (CSCA_NOT_A_CA)', async () => {
    const card = await buildCardFiles('tran-thi-bich-ngoc');
    const pki = getTestPki(card.persona.pki);
    // Self-signed with the CSCA's name and key, but basicConstraints cA=false (keyCertSign alone does not make a CA).
    const notCa = issue({ subject: pki.csca.name, serial: 77, keys: { publicKey: pki.csca.publicKey, privateKey: pki.csca.privateKey }, scheme: pki.csca.scheme, notBefore: new Date(Date.UTC(2014, 0, 1)), notAfter: new Date(Date.UTC(2045, 0, 1)), ca: false, keyUsage: ['keyCertSign', 'cRLSign'] });
    const r = verifyPassive({ sod: card.files.get(0x011d)!, dataGroups: card.dataGroups, trust: { anchors: [notCa.certificate], crls: [] } });
    expect(r).toMatchObject({ verdict: 'PA_DSC_UNTRUSTED', reasons: ['CSCA_NOT_A_CA'] });
  });
});
