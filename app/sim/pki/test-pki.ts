/**
 * The test PKI: one Country Signing CA per key family and a Document Signer under each, plus the
 * forgeries passive authentication must catch (a DSC from a rogue CSCA, an expired DSC, a CSCA
 * CRL revoking a DSC). Keys are generated on first use and cached for the process; certificates
 * are built by x509.ts. Nothing here is a pasted blob.
 *
 * Keys live for one process unless a directory is given (useTestPkiDirectory, or the environment
 * variable CCCD_KIOSK_TEST_PKI_DIR): then the key pairs are kept there as PKCS#8 PEM and reused, and
 * each profile's CSCA is written to <dir>/trust/, so a demo kiosk and `read --trust <dir>/trust`
 * can verify virtual cards made by another process (certificates are rebuilt from the same keys).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HashName } from '../../core/icao/hashes.ts';
import type { SignatureScheme } from './algorithms.ts';
import { buildCertificate, buildCrl, keyIdentifier, toPem, type CertificateSpec, type DistinguishedName } from './x509.ts';

export type PkiProfile = 'rsa' | 'rsa-pss' | 'ecdsa-p256' | 'brainpool-explicit';
export const PKI_PROFILES: readonly PkiProfile[] = ['rsa', 'rsa-pss', 'ecdsa-p256', 'brainpool-explicit'];

export interface KeyedCertificate {
  readonly certificate: Uint8Array;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly scheme: SignatureScheme;
  readonly name: DistinguishedName;
  readonly serial: number;
}

export interface TestPki {
  readonly profile: PkiProfile;
  /** Hash the profile's SODs use for data groups. */
  readonly dataGroupHash: HashName;
  readonly csca: KeyedCertificate;
  readonly dsc: KeyedCertificate;
  /** Same key and subject as `dsc`, validity ended in 2020. */
  readonly expiredDsc: KeyedCertificate;
  /** A DSC with the same subject, issued by a CSCA nobody trusts. */
  readonly rogueDsc: KeyedCertificate;
  readonly rogueCsca: KeyedCertificate;
  /** The forger's own self-signed CSCA, under a name of its choosing: no kiosk trust store holds it. */
  readonly forgerCsca: KeyedCertificate;
  /** A Document Signer issued by `forgerCsca`: it names an issuer nobody holds (PA_NO_TRUST_ANCHOR). */
  readonly selfSignedDsc: KeyedCertificate;
  /** CRL from the CSCA revoking `dsc` (for the CRL path). */
  readonly crlRevokingDsc: Uint8Array;
  /** CRL from the CSCA revoking nothing. */
  readonly emptyCrl: Uint8Array;
  /** A Master List Signer issued by the CSCA (digitalSignature), for signed master lists. */
  readonly masterListSigner: KeyedCertificate;
}

interface ProfileSpec {
  readonly keygen: () => { publicKey: KeyObject; privateKey: KeyObject };
  readonly scheme: SignatureScheme;
  readonly dataGroupHash: HashName;
  readonly serialBase: number;
}

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048 });
const SPECS: Record<PkiProfile, ProfileSpec> = {
  rsa: { keygen: rsa, scheme: { kind: 'rsa-pkcs1', hash: 'sha256' }, dataGroupHash: 'sha256', serialBase: 0x1000 },
  'rsa-pss': { keygen: rsa, scheme: { kind: 'rsa-pss', hash: 'sha256' }, dataGroupHash: 'sha256', serialBase: 0x2000 },
  'ecdsa-p256': { keygen: () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }), scheme: { kind: 'ecdsa', hash: 'sha256' }, dataGroupHash: 'sha256', serialBase: 0x3000 },
  // Like Vietnam's CSCA (reference §6): brainpoolP512r1 written with explicit parameters, ECDSA-SHA512.
  'brainpool-explicit': {
    keygen: () => generateKeyPairSync('ec', { namedCurve: 'brainpoolP512r1', paramEncoding: 'explicit' }),
    scheme: { kind: 'ecdsa', hash: 'sha512' }, dataGroupHash: 'sha256', serialBase: 0x4000,
  },
};

const utc = (y: number, m = 1, d = 1) => new Date(Date.UTC(y, m - 1, d));
const spki = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));

/** A certificate and its keys; self-signed without `issuer`. `keyUsage` overrides the role's bits (forgeries). */
export function issue(opts: {
  subject: DistinguishedName; serial: number; keys: { publicKey: KeyObject; privateKey: KeyObject }; scheme: SignatureScheme;
  issuer?: KeyedCertificate; notBefore: Date; notAfter: Date; ca: boolean; keyUsage?: CertificateSpec['keyUsage'];
}): KeyedCertificate {
  const certificate = buildCertificate({
    serial: opts.serial,
    subject: opts.subject,
    issuer: opts.issuer?.name ?? opts.subject,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: opts.keys.publicKey,
    issuerKeyId: keyIdentifier(spki(opts.issuer?.publicKey ?? opts.keys.publicKey)),
    signingKey: opts.issuer?.privateKey ?? opts.keys.privateKey,
    scheme: opts.issuer?.scheme ?? opts.scheme,
    ca: opts.ca,
    ...(opts.keyUsage ? { keyUsage: opts.keyUsage } : {}),
  });
  return { certificate, privateKey: opts.keys.privateKey, publicKey: opts.keys.publicKey, scheme: opts.scheme, name: opts.subject, serial: opts.serial };
}

const cache = new Map<PkiProfile, TestPki>();
let directory: string | undefined = process.env.CCCD_KIOSK_TEST_PKI_DIR || undefined;

/** Keep the test PKI's keys in `dir` (created if needed) so several processes share one PKI. */
export function useTestPkiDirectory(dir: string | undefined): void {
  directory = dir;
  cache.clear();
}

/** A key pair, reused from the PKI directory when there is one (test keys only; mode 0600). */
function keyPair(profile: PkiProfile, role: string, generate: () => { publicKey: KeyObject; privateKey: KeyObject }) {
  if (!directory) return generate();
  const file = join(directory, 'keys', `${profile}-${role}.pem`);
  if (existsSync(file)) {
    const privateKey = createPrivateKey(readFileSync(file));
    return { privateKey, publicKey: createPublicKey(privateKey) };
  }
  const pair = generate();
  mkdirSync(join(directory, 'keys'), { recursive: true, mode: 0o700 });
  writeFileSync(file, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return pair;
}

/** The test PKI of one key family, generated on first use and cached for the process. */
export function getTestPki(profile: PkiProfile): TestPki {
  const hit = cache.get(profile);
  if (hit) return hit;
  const spec = SPECS[profile];
  const org = 'cccd-kiosk test PKI (not a real authority)';
  const csca = issue({
    subject: { country: 'VN', organization: org, commonName: `Test CSCA ${profile}` },
    serial: spec.serialBase + 1, keys: keyPair(profile, 'csca', spec.keygen), scheme: spec.scheme, notBefore: utc(2014), notAfter: utc(2045), ca: true,
  });
  const dscName = { country: 'VN', organization: org, commonName: `Test Document Signer ${profile}` };
  const dscKeys = keyPair(profile, 'dsc', spec.keygen);
  const dsc = issue({ subject: dscName, serial: spec.serialBase + 2, keys: dscKeys, scheme: spec.scheme, issuer: csca, notBefore: utc(2024), notAfter: utc(2036), ca: false });
  const expiredDsc = issue({ subject: dscName, serial: spec.serialBase + 3, keys: dscKeys, scheme: spec.scheme, issuer: csca, notBefore: utc(2015), notAfter: utc(2020, 6), ca: false });
  // The rogue CSCA copies the real CSCA's name: only the signature chain tells them apart.
  const rogueCsca = issue({
    subject: csca.name, serial: spec.serialBase + 9, keys: keyPair(profile, 'rogue-csca', () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' })),
    scheme: { kind: 'ecdsa', hash: 'sha256' }, notBefore: utc(2014), notAfter: utc(2045), ca: true,
  });
  const rogueDsc = issue({ subject: dscName, serial: spec.serialBase + 2, keys: dscKeys, scheme: spec.scheme, issuer: rogueCsca, notBefore: utc(2024), notAfter: utc(2036), ca: false });
  // The forger's own chain: a self-signed CSCA (the rogue CSCA's key, a name of its own) and a proper
  // Document Signer under it. Only a verifier that was given this CSCA can chain the signer.
  const forgerCsca = issue({
    subject: { country: 'VN', organization: 'Forger', commonName: `Self-signed CSCA ${profile}` },
    serial: spec.serialBase + 10, keys: { publicKey: rogueCsca.publicKey, privateKey: rogueCsca.privateKey }, scheme: rogueCsca.scheme,
    notBefore: utc(2014), notAfter: utc(2045), ca: true,
  });
  const selfSignedDsc = issue({
    subject: { country: 'VN', organization: 'Forger', commonName: `Forged Document Signer ${profile}` }, serial: spec.serialBase + 11,
    keys: dscKeys, scheme: spec.scheme, issuer: forgerCsca, notBefore: utc(2024), notAfter: utc(2036), ca: false,
  });
  const crl = (revokedSerials: number[]) => buildCrl({
    issuer: csca.name, thisUpdate: utc(2025), nextUpdate: utc(2045), revokedSerials, signingKey: csca.privateKey, scheme: csca.scheme,
  });
  const masterListSigner = issue({
    subject: { country: 'VN', organization: org, commonName: `Test Master List Signer ${profile}` }, serial: spec.serialBase + 5,
    keys: keyPair(profile, 'ml-signer', spec.keygen), scheme: spec.scheme, issuer: csca, notBefore: utc(2024), notAfter: utc(2036), ca: false,
  });
  const pki: TestPki = {
    profile, dataGroupHash: spec.dataGroupHash, csca, dsc, expiredDsc, rogueDsc, rogueCsca, forgerCsca, selfSignedDsc,
    crlRevokingDsc: crl([dsc.serial]), emptyCrl: crl([]), masterListSigner,
  };
  cache.set(profile, pki);
  if (directory) {
    mkdirSync(join(directory, 'trust'), { recursive: true });
    writeFileSync(join(directory, 'trust', `test-csca-${profile}.pem`), toPem(csca.certificate));
  }
  return pki;
}

/** The CSCA certificates (DER) of the given profiles: a test trust store. */
export const testTrustAnchors = (profiles: readonly PkiProfile[] = PKI_PROFILES): Uint8Array[] =>
  profiles.map((p) => getTestPki(p).csca.certificate);
