/**
 * What a Document Signer and a trust anchor must look like before passive authentication relies on
 * them (ICAO 9303-12 §7.1 certificate profiles, RFC 5280):
 *   - a DSC signs documents: keyUsage with digitalSignature, and it is not a CA (a CA certificate
 *     used as a DSC means someone is signing SODs with a key meant for certificates, or the other way);
 *   - a CSCA signs certificates: basicConstraints cA and, when keyUsage is present, keyCertSign;
 *   - any EC key written with explicit domain parameters must spell out a standard curve, else a
 *     forged generator could make a forger's private key fit the trusted public point.
 * Each rule gives a stable reason code; no code here decides a verdict.
 */
import { ecSpkiCurve } from './pace-groups.ts';
import { certificateNames, isCaCertificate, keyUsage } from './passive-auth-x509.ts';

/** EC_CURVE_PARAMETERS_UNKNOWN when an EC key's explicit parameters match no standard curve. */
function curveProblem(spki: Uint8Array): string | undefined {
  try {
    const c = ecSpkiCurve(spki);
    return c?.explicit && !c.curve ? 'CURVE_PARAMETERS_UNKNOWN' : undefined;
  } catch {
    return 'KEY_UNREADABLE';
  }
}

/** Why this certificate cannot be a Document Signer (empty when it can). Codes start with DSC_. */
export function dscProblems(der: Uint8Array): string[] {
  try {
    const out: string[] = [];
    if (isCaCertificate(der)) out.push('DSC_IS_CA');
    const usage = keyUsage(der);
    if (!usage) out.push('DSC_KEY_USAGE_MISSING');
    else if (!usage.has('digitalSignature')) out.push('DSC_NOT_FOR_DIGITAL_SIGNATURE');
    const curve = curveProblem(certificateNames(der).subjectPublicKeyInfo);
    if (curve) out.push(`DSC_${curve}`);
    return out;
  } catch {
    return ['DSC_INVALID'];
  }
}

/** Why this certificate cannot be a trust anchor (CSCA or link certificate); undefined when it can. */
export function anchorProblem(der: Uint8Array): string | undefined {
  try {
    if (!isCaCertificate(der)) return 'CSCA_NOT_A_CA';
    const usage = keyUsage(der);
    if (usage && !usage.has('keyCertSign')) return 'CSCA_NOT_FOR_CERTIFICATE_SIGNING';
    const curve = curveProblem(certificateNames(der).subjectPublicKeyInfo);
    return curve ? `CSCA_${curve}` : undefined;
  } catch {
    return 'CSCA_INVALID';
  }
}
