import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { loadTrustConfig, loadTrustStore } from '../../app/platform/trust/trust-store.ts';
import { parseSignedData } from '../../app/core/icao/cms.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';
import { toPem } from '../../app/sim/pki/x509.ts';
import { buildMasterList } from '../../app/sim/pki/master-list.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { KioskError } from '../../app/core/errors.ts';

const SHARED = fileURLToPath(new URL('../../../shared/reference/trust/', import.meta.url));
const ML_FILE = 'DE_ML_2026-05-28-08-28-45.ml';
const VN_FP = '6B:5F:A6:FE:45:CC:4E:85:5A:73:76:04:13:E0:8B:7A:9A:C5:0A:27:72:2C:70:2F:39:09:A9:0F:AC:C9:91:BD';

describe('trust store loader', () => {
  it('loads a folder of PEM and DER certificates and CRLs, skipping junk with a reason', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    const pki = getTestPki('ecdsa-p256');
    writeFileSync(join(dir, 'csca.pem'), toPem(pki.csca.certificate) + toPem(getTestPki('brainpool-explicit').csca.certificate));
    writeFileSync(join(dir, 'csca-dup.der'), pki.csca.certificate);
    writeFileSync(join(dir, 'revoked.crl'), pki.crlRevokingDsc);
    writeFileSync(join(dir, 'broken.pem'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 'notes.md'), '# ignored');
    const signer = { certificate: pki.masterListSigner.certificate, signingKey: pki.masterListSigner.privateKey, scheme: pki.masterListSigner.scheme, signingTime: new Date(Date.UTC(2025, 0, 1)) };
    writeFileSync(join(dir, 'test.ml'), buildMasterList([getTestPki('rsa').csca.certificate, pki.csca.certificate], signer));
    writeFileSync(join(dir, 'weird.bin'), 'x');
    const store = loadTrustStore(dir, { masterListSigners: [pki.csca.certificate] });
    expect(store.anchors.length).toBe(3); // ecdsa + brainpool + rsa (the ML's ecdsa copy is deduplicated)
    expect(store.sources.find((x) => x.kind === 'master-list')).toMatchObject({ count: 2, accepted: 'signature' });
    expect(store.unfit).toEqual([]);
    expect(store.crls.length).toBe(1);
    expect(store.skipped.map((s) => s.file.split('/').pop()).sort()).toEqual(['broken.pem', 'weird.bin']);
    const card = await buildCardFiles('tran-thi-bich-ngoc');
    expect(verifyPassive({ sod: card.files.get(LDS_FILES.SOD.fid)!, dataGroups: card.dataGroups, trust: store }).reasons).toEqual(['DSC_REVOKED']);
  });

  it('takes a master list only when a configured signer vouches for it or the profile trusts the file by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trust-'));
    const pki = getTestPki('ecdsa-p256');
    const file = join(dir, 'unsigned.ml');
    writeFileSync(file, buildMasterList([getTestPki('rsa').csca.certificate]));
    expect(loadTrustStore(dir)).toMatchObject({ anchors: [], skipped: [{ file, reason: 'MASTER_LIST_SIGNER_NOT_CONFIGURED' }] });
    expect(loadTrustStore(dir, { masterListSigners: [pki.csca.certificate] }).skipped).toEqual([{ file, reason: 'MASTER_LIST_UNSIGNED' }]);
    const trusted = loadTrustStore(dir, { trustedMasterLists: [file] });
    expect(trusted.anchors).toEqual([getTestPki('rsa').csca.certificate]);
    expect(trusted.sources).toEqual([{ file, kind: 'master-list', count: 1, accepted: 'explicit' }]);
  });

  it('loads a profile\'s trust section: paths, master-list signers and trusted lists relative to the profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    const pki = getTestPki('ecdsa-p256');
    const signer = { certificate: pki.masterListSigner.certificate, signingKey: pki.masterListSigner.privateKey, scheme: pki.masterListSigner.scheme, signingTime: new Date(Date.UTC(2025, 0, 1)) };
    writeFileSync(join(dir, 'signed.ml'), buildMasterList([getTestPki('rsa').csca.certificate], signer));
    writeFileSync(join(dir, 'plain.ml'), buildMasterList([getTestPki('rsa-pss').csca.certificate]));
    writeFileSync(join(dir, 'ml-signer-ca.pem'), toPem(pki.csca.certificate));
    const store = loadTrustConfig(
      { paths: ['signed.ml', 'plain.ml'], masterListSigners: ['ml-signer-ca.pem'], trustedMasterLists: ['plain.ml'] },
      (p) => join(dir, p),
    );
    expect(store.sources.map((s) => [s.file.split('/').pop(), s.accepted])).toEqual([['signed.ml', 'signature'], ['plain.ml', 'explicit']]);
    expect(store.anchors).toEqual([getTestPki('rsa').csca.certificate, getTestPki('rsa-pss').csca.certificate]);
  });

  it('refuses a missing path with a typed error', () => {
    expect(() => loadTrustStore('/nonexistent/trust')).toThrow(KioskError);
  });

  it('ships the Vietnamese CSCA in kiosk-config/trust', () => {
    const store = loadTrustStore(fileURLToPath(new URL('../../kiosk-config/trust/', import.meta.url)));
    const fps = store.anchors.map((a) => new X509Certificate(Buffer.from(a)).fingerprint256);
    expect(fps).toContain(VN_FP);
    expect(store.skipped).toEqual([]);
  });

  it('reads the German master list (several hundred CSCAs, incl. Vietnam)', () => {
    if (!existsSync(SHARED)) {
      console.log(`skipped: ${SHARED} not present (shared reference material is only in the workspace/CI)`);
      return;
    }
    // The list embeds the German CSCA that issued its signer; an operator would take that CSCA from
    // the BSI's own site. Here we take it from the list to exercise the check on real bytes.
    const bytes = new Uint8Array(readFileSync(join(SHARED, ML_FILE)));
    const germanCsca = parseSignedData(bytes, (m) => { throw new Error(m); }).certificates
      .find((c) => new X509Certificate(Buffer.from(c)).subject.includes('CN=csca-germany'))!;
    const t0 = performance.now();
    const store = loadTrustStore(SHARED, { masterListSigners: [germanCsca] });
    const ms = performance.now() - t0;
    const ml = store.sources.find((s) => s.kind === 'master-list');
    expect(ml).toMatchObject({ accepted: 'signature' });
    expect(ml?.count).toBeGreaterThan(200);
    // Real lists hold a few CSCAs that are not CA certificates (basicConstraints absent or cA false):
    // kept, but refused as anchors by passive authentication.
    expect(store.unfit.every((u) => u.reason === 'CSCA_NOT_A_CA')).toBe(true);
    expect(store.unfit.length).toBeLessThan(20);
    // Signed by a CSCA it does not chain to: refused as a whole.
    expect(loadTrustStore(join(SHARED, ML_FILE), { masterListSigners: [getTestPki('ecdsa-p256').csca.certificate] }).skipped)
      .toEqual([{ file: join(SHARED, ML_FILE), reason: 'MASTER_LIST_SIGNER_UNTRUSTED' }]);
    const fps = store.anchors.map((a) => new X509Certificate(Buffer.from(a)).fingerprint256);
    expect(fps).toContain(VN_FP);
    console.log(`master list: ${ml?.count} certificates, ${store.anchors.length} unique anchors, ${store.unfit.length} unfit, ${store.skipped.length} skipped, ${ms.toFixed(0)} ms`);
  });
});
