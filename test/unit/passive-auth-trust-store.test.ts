import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { loadTrustStore } from '../../app/platform/trust/trust-store.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';
import { toPem } from '../../app/sim/pki/x509.ts';
import { buildMasterList } from '../../app/sim/pki/master-list.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { KioskError } from '../../app/core/errors.ts';

const SHARED = fileURLToPath(new URL('../../../shared/reference/trust/', import.meta.url));
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
    writeFileSync(join(dir, 'test.ml'), buildMasterList([getTestPki('rsa').csca.certificate, pki.csca.certificate]));
    writeFileSync(join(dir, 'weird.bin'), 'x');
    const store = loadTrustStore(dir);
    expect(store.anchors.length).toBe(3); // ecdsa + brainpool + rsa (the ML's ecdsa copy is deduplicated)
    expect(store.sources.find((x) => x.kind === 'master-list')?.count).toBe(2);
    expect(store.crls.length).toBe(1);
    expect(store.skipped.map((s) => s.file.split('/').pop()).sort()).toEqual(['broken.pem', 'weird.bin']);
    const card = await buildCardFiles('tran-thi-bich-ngoc');
    expect(verifyPassive({ sod: card.files.get(LDS_FILES.SOD.fid)!, dataGroups: card.dataGroups, trust: store }).reasons).toEqual(['DSC_REVOKED']);
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
    const t0 = performance.now();
    const store = loadTrustStore(SHARED);
    const ms = performance.now() - t0;
    const ml = store.sources.find((s) => s.kind === 'master-list');
    expect(ml?.count).toBeGreaterThan(200);
    const fps = store.anchors.map((a) => new X509Certificate(Buffer.from(a)).fingerprint256);
    expect(fps).toContain(VN_FP);
    console.log(`master list: ${ml?.count} certificates, ${store.anchors.length} unique anchors, ${store.skipped.length} skipped, ${ms.toFixed(0)} ms`);
  });
});
