/**
 * Passive authentication (ICAO 9303-11 §5.1): are the data groups we read the ones the issuing
 * state signed?
 *   1. each read DG hashes to the value in the SOD's LDSSecurityObject;
 *   2. the SOD's SignerInfo signature verifies with the embedded Document Signer certificate,
 *      using the algorithm the SignerInfo names; the signed attributes must name the content as an
 *      LDSSecurityObject and carry its digest (cms.ts);
 *   3. the DSC is fit to sign documents (digitalSignature, not a CA) and chains to a trusted CSCA
 *      that is fit to be one (a CA; explicit EC parameters only when they spell out a standard
 *      curve): signature (walked by hand with X509Certificate.verify, because OpenSSL's chain
 *      builder refuses explicit EC parameters), validity, and CRLs that verify and are current.
 * "No trust anchor" means we could not check the chain; it is not a verdict of forgery. An anchor
 * that names the DSC's issuer but is unfit is a failure (PA_DSC_UNTRUSTED), not "no anchor".
 */
import { X509Certificate } from 'node:crypto';
import { KioskError } from '../errors.ts';
import { signerMethod, verifySignerInfo } from './cms.ts';
import { equalBytes } from './crypto.ts';
import { dataGroupHashMatches, findSignerCertificate, OID_LDS_SECURITY_OBJECT, parseSod, type SodFile } from './lds/sod.ts';
import { anchorProblem, dscProblems } from './passive-auth-certificates.ts';
import { signatureMethod, verifySignature, type SignatureMethod } from './passive-auth-signature.ts';
import { certificateNames, parseCrl } from './passive-auth-x509.ts';

export type PaVerdict = 'PA_OK' | 'PA_HASH_MISMATCH' | 'PA_SIGNATURE_INVALID' | 'PA_DSC_UNTRUSTED' | 'PA_NO_TRUST_ANCHOR';

/** CSCA certificates and CRLs (DER). Loaded by app/platform/trust. */
export interface TrustStore {
  readonly anchors: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
}

export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly serialNumber: string;
  readonly validFrom: string;
  readonly validTo: string;
  readonly fingerprint256: string;
}

export interface DataGroupCheck {
  readonly dg: number;
  readonly status: 'ok' | 'mismatch' | 'not-in-sod' | 'not-read';
}

export interface PassiveAuthResult {
  readonly verdict: PaVerdict;
  /** Stable UPPER_SNAKE reasons, most important first (e.g. DG2_HASH_MISMATCH, DSC_EXPIRED). */
  readonly reasons: readonly string[];
  readonly hashAlgorithm?: string;
  readonly signatureAlgorithm?: string;
  readonly dataGroups: readonly DataGroupCheck[];
  readonly mismatchedDataGroups: readonly number[];
  readonly dsc?: CertificateSummary;
  readonly csca?: CertificateSummary;
  /** The DSC (DER), e.g. for the central verification service. */
  readonly dscCertificate?: Uint8Array;
  /**
   * Findings that did not change the verdict: a CRL of the CSCA that was ignored because its
   * signature does not verify (CRL_SIGNATURE_INVALID) or it is past nextUpdate (CRL_STALE).
   */
  readonly notes?: readonly string[];
}

export interface PassiveAuthInput {
  readonly sod: Uint8Array | SodFile;
  /** Data-group number → exact bytes read from the chip. */
  readonly dataGroups: ReadonlyMap<number, Uint8Array>;
  readonly trust?: TrustStore;
  readonly now?: Date;
}

/** Data-group number → bytes, from the files of a read by name ('DG1', 'DG2', …). */
export function dataGroupsOf(files: ReadonlyMap<string, Uint8Array>): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  for (const [name, bytes] of files) {
    const m = /^DG(\d+)$/.exec(name);
    if (m) out.set(Number(m[1]), bytes);
  }
  return out;
}

function summary(c: X509Certificate): CertificateSummary {
  return { subject: c.subject, issuer: c.issuer, serialNumber: c.serialNumber, validFrom: isoTime(c.validFrom), validTo: isoTime(c.validTo), fingerprint256: c.fingerprint256 };
}

/** OpenSSL's time text as ISO 8601; kept verbatim when it is not a readable time (fuzzed certificates). */
function isoTime(text: string): string {
  const t = Date.parse(text);
  return Number.isNaN(t) ? text : new Date(t).toISOString();
}

function loadCertificate(der: Uint8Array): X509Certificate | undefined {
  try {
    const c = new X509Certificate(Buffer.from(der));
    void c.publicKey; // OpenSSL decodes the key lazily; a certificate whose key cannot be read is unusable
    return c;
  } catch {
    return undefined;
  }
}

export function verifyPassive(input: PassiveAuthInput): PassiveAuthResult {
  const now = input.now ?? new Date();
  let sod: SodFile;
  try {
    sod = input.sod instanceof Uint8Array ? parseSod(input.sod) : input.sod;
  } catch (e) {
    const code = e instanceof KioskError ? e.code : 'SOD_INVALID';
    return { verdict: 'PA_SIGNATURE_INVALID', reasons: ['SOD_INVALID', code].filter((x, i, a) => a.indexOf(x) === i), dataGroups: [], mismatchedDataGroups: [] };
  }
  const lso = sod.ldsSecurityObject;

  // 1. Hashes of what we read.
  const dataGroups: DataGroupCheck[] = [];
  const reasons: string[] = [];
  for (const [dg, bytes] of [...input.dataGroups].sort(([a], [b]) => a - b)) {
    const ok = dataGroupHashMatches(lso, dg, bytes);
    dataGroups.push({ dg, status: ok === undefined ? 'not-in-sod' : ok ? 'ok' : 'mismatch' });
    if (ok === undefined) reasons.push(`DG${dg}_NOT_IN_SOD`);
    else if (!ok) reasons.push(`DG${dg}_HASH_MISMATCH`);
  }
  for (const dg of lso.dataGroupHashes.keys()) if (!input.dataGroups.has(dg)) dataGroups.push({ dg, status: 'not-read' });
  const mismatchedDataGroups = dataGroups.filter((d) => d.status === 'mismatch' || d.status === 'not-in-sod').map((d) => d.dg);

  // 2. The SOD signature.
  const signer = sod.signerInfos[0]!;
  const dscDer = findSignerCertificate(sod, signer) ?? (sod.certificates.length === 1 ? sod.certificates[0] : undefined);
  const dsc = dscDer ? loadCertificate(dscDer) : undefined;
  const base = {
    hashAlgorithm: lso.hashAlgorithm,
    dataGroups: dataGroups.sort((a, b) => a.dg - b.dg),
    mismatchedDataGroups,
    ...(dsc ? { dsc: summary(dsc), dscCertificate: dscDer! } : {}),
  };
  let method: SignatureMethod;
  try {
    method = signerMethod(signer);
  } catch {
    return { verdict: 'PA_SIGNATURE_INVALID', reasons: ['SOD_SIGNATURE_ALGORITHM_UNSUPPORTED', ...reasons], ...base };
  }
  const signatureAlgorithm = `${method.kind}-${method.hash}`;
  if (!dsc) return { verdict: 'PA_SIGNATURE_INVALID', reasons: [dscDer ? 'DSC_UNREADABLE' : 'SOD_SIGNER_CERTIFICATE_MISSING', ...reasons], signatureAlgorithm, ...base };
  const sigReason = verifySignerInfo(sod, signer, method, dsc.publicKey, OID_LDS_SECURITY_OBJECT);
  if (sigReason) return { verdict: 'PA_SIGNATURE_INVALID', reasons: [`SOD_${sigReason}`, ...reasons], signatureAlgorithm, ...base };
  if (mismatchedDataGroups.length > 0) return { verdict: 'PA_HASH_MISMATCH', reasons, signatureAlgorithm, ...base };

  // 3. The Document Signer's chain to a trusted CSCA.
  const chain = checkChain(dscDer!, dsc, input.trust, now);
  return {
    verdict: chain.verdict, reasons: chain.reasons, signatureAlgorithm, ...base,
    ...(chain.csca ? { csca: summary(chain.csca) } : {}), ...(chain.notes?.length ? { notes: chain.notes } : {}),
  };
}

interface ChainResult {
  readonly verdict: PaVerdict;
  readonly reasons: string[];
  readonly csca?: X509Certificate;
  readonly notes?: string[];
}

function checkChain(dscDer: Uint8Array, dsc: X509Certificate, trust: TrustStore | undefined, now: Date): ChainResult {
  let dscNames;
  try {
    dscNames = certificateNames(dscDer);
  } catch {
    return { verdict: 'PA_DSC_UNTRUSTED', reasons: ['DSC_INVALID'] };
  }
  // A certificate unfit to sign documents is refused whatever the trust store says.
  const unfit = dscProblems(dscDer);
  if (unfit.length) return { verdict: 'PA_DSC_UNTRUSTED', reasons: unfit };
  if (!trust || trust.anchors.length === 0) return { verdict: 'PA_NO_TRUST_ANCHOR', reasons: ['NO_TRUST_STORE'] };
  // Anchors whose subject Name is the DSC's issuer Name (byte for byte, as RFC 5280 allows).
  const candidates = trust.anchors
    .map((der) => ({ der, cert: loadCertificate(der) }))
    .filter((a): a is { der: Uint8Array; cert: X509Certificate } => {
      if (!a.cert) return false;
      try {
        return equalBytes(certificateNames(a.der).subject, dscNames.issuer);
      } catch {
        return false;
      }
    });
  if (candidates.length === 0) return { verdict: 'PA_NO_TRUST_ANCHOR', reasons: ['NO_CSCA_FOR_DSC_ISSUER'] };
  // Only anchors fit to be one may vouch; an unfit anchor with the right name is a failure, not
  // "no anchor" (the store holds something claiming to be the issuer that we must refuse).
  const fit = candidates.filter((a) => !anchorProblem(a.der));
  if (fit.length === 0) return { verdict: 'PA_DSC_UNTRUSTED', reasons: [...new Set(candidates.map((a) => anchorProblem(a.der)!))] };
  const signedBy = fit.find((a) => {
    try {
      return dsc.verify(a.cert.publicKey);
    } catch {
      return false;
    }
  });
  if (!signedBy) return { verdict: 'PA_DSC_UNTRUSTED', reasons: ['DSC_SIGNATURE_INVALID'] };
  const csca = signedBy.cert;
  const reasons: string[] = [];
  const t = now.getTime();
  const [from, to] = [Date.parse(dsc.validFrom), Date.parse(dsc.validTo)];
  if (Number.isNaN(from) || Number.isNaN(to)) reasons.push('DSC_VALIDITY_UNREADABLE');
  if (t < from) reasons.push('DSC_NOT_YET_VALID');
  if (t > to) reasons.push('DSC_EXPIRED');
  const [cFrom, cTo] = [Date.parse(csca.validFrom), Date.parse(csca.validTo)];
  if (Number.isNaN(cFrom) || Number.isNaN(cTo) || t < cFrom || t > cTo) reasons.push('CSCA_OUTSIDE_VALIDITY');
  const crl = revocation(trust.crls, signedBy.der, csca, dscNames.serial, now);
  if (crl.revoked) reasons.push('DSC_REVOKED');
  return { verdict: reasons.length ? 'PA_DSC_UNTRUSTED' : 'PA_OK', reasons, csca, notes: crl.notes };
}

/**
 * Revocation from the CSCA's CRLs. A CRL is used only when its signature verifies with the CSCA's
 * key and it is not past nextUpdate: anyone can drop a file into the trust folder, so an unverified
 * CRL can neither revoke a DSC nor block every card; a stale one no longer speaks for the CSCA.
 * Ignored CRLs are noted; unreadable files and other issuers' CRLs are not this CSCA's concern.
 */
function revocation(crls: readonly Uint8Array[], cscaDer: Uint8Array, csca: X509Certificate, dscSerial: Uint8Array, now: Date): { revoked: boolean; notes: string[] } {
  const cscaSubject = certificateNames(cscaDer).subject;
  const notes = new Set<string>();
  let revoked = false;
  for (const der of crls) {
    let crl;
    try {
      crl = parseCrl(der);
    } catch {
      continue;
    }
    if (!equalBytes(crl.issuer, cscaSubject)) continue;
    let ok = false;
    try {
      ok = verifySignature(signatureMethod(crl.signatureAlgorithm, crl.signatureParameters), csca.publicKey, crl.tbs, crl.signature);
    } catch {
      ok = false;
    }
    if (!ok) notes.add('CRL_SIGNATURE_INVALID');
    else if (!crl.nextUpdate || crl.nextUpdate.getTime() < now.getTime()) notes.add('CRL_STALE');
    else if (crl.revokedSerials.some((s) => equalBytes(s, dscSerial))) revoked = true;
  }
  return { revoked, notes: [...notes] };
}
