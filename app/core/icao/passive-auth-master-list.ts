/**
 * CSCA master lists (ICAO 9303-12 §9): a CMS SignedData whose content (OID 2.23.136.1.1.2) is
 *   CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }
 * signed by a Master List Signer whose certificate is issued by the publishing state's CSCA.
 * A list is only as good as its signature: `verifyMasterList` accepts it when the SignerInfo
 * verifies (signed content-type and message digest included) and the signer certificate is one of
 * the configured signers or is issued by one. The list's own embedded CSCA proves nothing: a
 * forger would embed theirs. Walked with our DER reader: asn1js refuses some published lists.
 */
import { X509Certificate } from 'node:crypto';
import { KioskError, ParseError } from '../errors.ts';
import { failWith, findSignerCertificate, parseSignedData, signerMethod, verifySignerInfo, type SignedData } from './cms.ts';
import { equalBytes } from './crypto.ts';
import { anchorProblem } from './passive-auth-certificates.ts';
import { certificateNames } from './passive-auth-x509.ts';
import { DER, decodeTlv, tlvChildren } from './tlv.ts';

export const OID_CSCA_MASTER_LIST = '2.23.136.1.1.2';

const fail: (message: string) => never = failWith('MASTER_LIST_INVALID', 'master list');

function read(bytes: Uint8Array): { sd: SignedData; certificates: Uint8Array[] } {
  const sd = parseSignedData(bytes, fail);
  if (sd.eContentType !== OID_CSCA_MASTER_LIST) fail('content type is not CscaMasterList');
  const [version, certList] = tlvChildren(decodeTlv(sd.eContent));
  if (version?.tag !== DER.INTEGER || certList?.tag !== DER.SET) fail('CscaMasterList is not { version, SET OF Certificate }');
  return { sd, certificates: tlvChildren(certList).map((c) => c.raw) };
}

/** The certificates a master list carries, without judging the list (for tools and fuzzing). */
export function parseMasterList(bytes: Uint8Array): Uint8Array[] {
  return read(bytes).certificates;
}

export class MasterListError extends KioskError {}

export interface VerifiedMasterList {
  readonly certificates: readonly Uint8Array[];
  /** The Master List Signer certificate (DER) whose signature was checked. */
  readonly signer: Uint8Array;
}

const loadCertificate = (der: Uint8Array): X509Certificate | undefined => {
  try {
    return new X509Certificate(Buffer.from(der));
  } catch {
    return undefined;
  }
};

/** Whether `cert` is a configured signer, or is issued (name and signature) by a configured CA. */
function vouchedFor(certDer: Uint8Array, cert: X509Certificate, signers: readonly Uint8Array[]): boolean {
  const issuer = certificateNames(certDer).issuer;
  return signers.some((s) => {
    if (equalBytes(s, certDer)) return true;
    const ca = loadCertificate(s);
    if (!ca || anchorProblem(s) || !equalBytes(certificateNames(s).subject, issuer)) return false;
    try {
      return cert.verify(ca.publicKey);
    } catch {
      return false;
    }
  });
}

/**
 * Parses a master list and checks its signature against `signers` (certificates, DER). Throws
 * MASTER_LIST_INVALID (unreadable), MASTER_LIST_UNSIGNED, MASTER_LIST_SIGNER_MISSING (signer
 * certificate not embedded), MASTER_LIST_SIGNATURE_INVALID (with the reason) or
 * MASTER_LIST_SIGNER_UNTRUSTED (signs correctly, but no configured signer vouches for it).
 */
export function verifyMasterList(bytes: Uint8Array, signers: readonly Uint8Array[]): VerifiedMasterList {
  const { sd, certificates } = read(bytes);
  const signerInfo = sd.signerInfos[0];
  if (!signerInfo) throw new MasterListError('MASTER_LIST_UNSIGNED', 'the master list carries no signature');
  const signerDer = findSignerCertificate(sd, signerInfo);
  const signerCert = signerDer ? loadCertificate(signerDer) : undefined;
  if (!signerDer || !signerCert) throw new MasterListError('MASTER_LIST_SIGNER_MISSING', 'the master list does not embed a readable signer certificate');
  let reason: string | undefined;
  try {
    reason = verifySignerInfo(sd, signerInfo, signerMethod(signerInfo), signerCert.publicKey, OID_CSCA_MASTER_LIST);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    reason = 'SIGNATURE_ALGORITHM_UNSUPPORTED';
  }
  if (reason) throw new MasterListError('MASTER_LIST_SIGNATURE_INVALID', `the master list signature does not verify (${reason})`, { reason: `MASTER_LIST_${reason}` });
  if (!vouchedFor(signerDer, signerCert, signers)) {
    throw new MasterListError('MASTER_LIST_SIGNER_UNTRUSTED', 'the master list is signed by a certificate no configured signer vouches for');
  }
  return { certificates, signer: signerDer };
}
