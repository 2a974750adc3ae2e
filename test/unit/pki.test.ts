import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCrl, certificateNames } from '../../app/core/icao/passive-auth-x509.ts';
import { hex } from '../../app/core/icao/tlv.ts';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PKI_PROFILES, getTestPki, useTestPkiDirectory } from '../../app/sim/pki/test-pki.ts';

describe('test PKI', () => {
  it.each(PKI_PROFILES)('%s: CSCA is a self-signed CA, DSC an end entity it signed', (profile) => {
    const pki = getTestPki(profile);
    const csca = new X509Certificate(Buffer.from(pki.csca.certificate));
    const dsc = new X509Certificate(Buffer.from(pki.dsc.certificate));
    expect(csca.ca).toBe(true);
    expect(dsc.ca).toBe(false);
    expect(csca.verify(csca.publicKey)).toBe(true);
    expect(dsc.verify(csca.publicKey)).toBe(true);
    expect(dsc.checkIssued(csca)).toBe(true);
    expect(hex(certificateNames(pki.dsc.certificate).issuer)).toBe(hex(certificateNames(pki.csca.certificate).subject));
    // The rogue DSC copies names but not the signature.
    expect(new X509Certificate(Buffer.from(pki.rogueDsc.certificate)).verify(csca.publicKey)).toBe(false);
    expect(Date.parse(new X509Certificate(Buffer.from(pki.expiredDsc.certificate)).validTo)).toBeLessThan(Date.UTC(2021, 0, 1));
  });

  it('writes the key families the issue asks for', () => {
    const key = (p: (typeof PKI_PROFILES)[number]) => new X509Certificate(Buffer.from(getTestPki(p).csca.certificate)).publicKey.asymmetricKeyDetails;
    expect(key('rsa')?.modulusLength).toBe(2048);
    expect(key('ecdsa-p256')?.namedCurve).toBe('prime256v1');
    expect(key('brainpool-explicit')?.namedCurve).toBe('brainpoolP512r1');
  });

  it('shares keys across processes through a PKI directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pki-'));
    try {
      useTestPkiDirectory(dir);
      const first = getTestPki('ecdsa-p256');
      useTestPkiDirectory(dir); // as a second process would: cache empty, keys on disk
      const second = getTestPki('ecdsa-p256');
      expect(second).not.toBe(first);
      const cscaFromDisk = new X509Certificate(readFileSync(join(dir, 'trust', 'test-csca-ecdsa-p256.pem')));
      expect(new X509Certificate(Buffer.from(second.dsc.certificate)).verify(cscaFromDisk.publicKey)).toBe(true);
      expect(new X509Certificate(Buffer.from(first.dsc.certificate)).verify(cscaFromDisk.publicKey)).toBe(true);
      expect(statSync(join(dir, 'keys', 'ecdsa-p256-csca.pem')).mode & 0o077).toBe(0);
    } finally {
      useTestPkiDirectory(undefined);
    }
  });

  it('signs CRLs that list the revoked serial', () => {
    const pki = getTestPki('ecdsa-p256');
    const crl = parseCrl(pki.crlRevokingDsc);
    expect(crl.revokedSerials.map(hex)).toEqual([hex(certificateNames(pki.dsc.certificate).serial)]);
    expect(parseCrl(pki.emptyCrl).revokedSerials).toEqual([]);
    expect(crl.signatureAlgorithm).toBe('1.2.840.10045.4.3.2');
  });
});
