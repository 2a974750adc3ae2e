/**
 * CMS SignedData (RFC 5652) as ICAO uses it twice: EF.SOD (content id-icao-ldsSecurityObject) and
 * the CSCA master list (content id-icao-cscaMasterList). Read with our strict DER walker; only the
 * fields a verifier needs are kept. `verifySignerInfo` is the one place that decides whether a
 * SignerInfo really signs the content it carries: signed attributes are required, their
 * content-type must name the expected content, their message digest must match it.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { ParseError } from '../errors.ts';
import { equalBytes } from './crypto.ts';
import { hashNameForOid } from './hashes.ts';
import { signatureMethod, verifySignature, type SignatureMethod } from './passive-auth-signature.ts';
import { certificateNames, integerMagnitude, subjectKeyIdentifier } from './passive-auth-x509.ts';
import { DER, concatBytes, decodeOid, decodeTlv, tlvChildren, type Tlv } from './tlv.ts';

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
export const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

export type SignerIdentifier =
  | { readonly kind: 'issuerAndSerial'; readonly issuer: Uint8Array; readonly serialNumber: Uint8Array }
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyIdentifier: Uint8Array };

export interface SignerInfo {
  readonly sid: SignerIdentifier;
  readonly digestAlgorithm: string;
  /** DER of the signed attributes with the SET tag (what the signature covers); undefined if absent. */
  readonly signedAttributes?: Uint8Array;
  readonly messageDigest?: Uint8Array;
  readonly contentType?: string;
  readonly signatureAlgorithm: string;
  /** DER of the AlgorithmIdentifier parameters (RSASSA-PSS-params), if any. */
  readonly signatureParameters?: Uint8Array;
  readonly signature: Uint8Array;
}

export interface SignedData {
  readonly eContentType: string;
  /** The encapsulated content bytes that messageDigest covers. */
  readonly eContent: Uint8Array;
  /** DER certificates embedded in the SignedData (the signer's, sometimes its issuer's). */
  readonly certificates: readonly Uint8Array[];
  readonly signerInfos: readonly SignerInfo[];
}

/** OCTET STRING content, primitive or (BER) constructed from primitive pieces. */
export function octets(t: Tlv, fail: (message: string) => never, what: string): Uint8Array {
  if (t.tag === DER.OCTET_STRING) return t.value;
  if (t.tag === (DER.OCTET_STRING | 0x20)) return concatBytes(...tlvChildren(t).map((c) => octets(c, fail, what)));
  fail(`${what} is not an OCTET STRING`);
}

/**
 * ContentInfo { id-signedData, [0] SignedData } → the parts a verifier needs. `fail` throws the
 * caller's typed error (SOD_INVALID, MASTER_LIST_INVALID), so each file keeps its own vocabulary.
 */
export function parseSignedData(contentInfoDer: Uint8Array, fail: (message: string) => never): SignedData {
  const contentInfo = decodeTlv(contentInfoDer);
  const [ctype, explicit] = contentInfo.tag === DER.SEQUENCE ? tlvChildren(contentInfo) : [];
  if (ctype?.tag !== DER.OID || decodeOid(ctype.value) !== OID_SIGNED_DATA || explicit?.tag !== 0xa0) fail('is not a CMS SignedData');
  const [signedData] = tlvChildren(explicit);
  if (signedData?.tag !== DER.SEQUENCE) fail('SignedData is not a SEQUENCE');
  const [version, digestAlgorithms, encap, ...rest] = tlvChildren(signedData);
  if (version?.tag !== DER.INTEGER || digestAlgorithms?.tag !== DER.SET || encap?.tag !== DER.SEQUENCE) fail('SignedData is missing version, digest algorithms or content');
  const [etype, econtent] = tlvChildren(encap);
  if (etype?.tag !== DER.OID) fail('encapsulated content has no type');
  const inner = econtent?.tag === 0xa0 ? tlvChildren(econtent)[0] : undefined;
  if (!inner) fail('has no encapsulated content');
  const eContent = octets(inner, fail, 'encapsulated content');
  const certSet = rest.find((r) => r.tag === 0xa0);
  const certificates = (certSet ? tlvChildren(certSet) : []).filter((c) => c.tag === DER.SEQUENCE).map((c) => c.raw);
  const signerSet = rest.find((r) => r.tag === DER.SET);
  const signerInfos = signerSet ? tlvChildren(signerSet).map((si) => readSignerInfo(si, fail)) : [];
  return { eContentType: decodeOid(etype.value), eContent, certificates, signerInfos };
}

function algorithm(t: Tlv | undefined, what: string, fail: (message: string) => never): { oid: string; parameters?: Uint8Array } {
  const [oid, params] = t?.tag === DER.SEQUENCE ? tlvChildren(t) : [];
  if (oid?.tag !== DER.OID) fail(`${what} is not an AlgorithmIdentifier`);
  return { oid: decodeOid(oid.value), ...(params && params.tag !== DER.NULL ? { parameters: params.raw } : {}) };
}

/** SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs OPTIONAL, signatureAlgorithm, signature, [1] unsignedAttrs OPTIONAL } */
function readSignerInfo(si: Tlv, fail: (message: string) => never): SignerInfo {
  if (si.tag !== DER.SEQUENCE) fail('SignerInfo is not a SEQUENCE');
  const [version, sidTlv, digestAlg, ...rest] = tlvChildren(si);
  if (version?.tag !== DER.INTEGER || !sidTlv) fail('SignerInfo is missing version or signer identifier');
  let sid: SignerIdentifier;
  if (sidTlv.tag === DER.SEQUENCE) {
    const [issuer, serial] = tlvChildren(sidTlv);
    if (issuer?.tag !== DER.SEQUENCE || serial?.tag !== DER.INTEGER) fail('IssuerAndSerialNumber is malformed');
    sid = { kind: 'issuerAndSerial', issuer: issuer.raw, serialNumber: integerMagnitude(serial.value) };
  } else if (sidTlv.tag === 0x80) {
    sid = { kind: 'subjectKeyIdentifier', keyIdentifier: sidTlv.value };
  } else {
    fail('SignerInfo has an unrecognised signer identifier');
  }
  const digest = algorithm(digestAlg, 'SignerInfo digest algorithm', fail);
  const attrsTlv = rest[0]?.tag === 0xa0 ? rest.shift() : undefined;
  const sigAlg = algorithm(rest[0], 'SignerInfo signature algorithm', fail);
  const signature = rest[1];
  if (signature?.tag !== DER.OCTET_STRING) fail('SignerInfo has no signature');
  let messageDigest: Uint8Array | undefined;
  let contentType: string | undefined;
  const seen = new Set<string>();
  for (const attr of attrsTlv ? tlvChildren(attrsTlv) : []) {
    const [type, values] = attr.tag === DER.SEQUENCE ? tlvChildren(attr) : [];
    if (type?.tag !== DER.OID || values?.tag !== DER.SET) fail('signed attribute is malformed');
    const oid = decodeOid(type.value);
    const all = tlvChildren(values);
    // RFC 5652 §5.3: content-type and message-digest hold exactly one value and appear once; a second
    // one would let two readers of the same SOD see two different contents.
    if (oid === OID_MESSAGE_DIGEST || oid === OID_CONTENT_TYPE) {
      if (seen.has(oid) || all.length !== 1) fail(`signed attribute ${oid} must appear once with one value`);
      seen.add(oid);
    }
    const first = all[0];
    if (oid === OID_MESSAGE_DIGEST && first?.tag === DER.OCTET_STRING) messageDigest = first.value;
    if (oid === OID_CONTENT_TYPE && first?.tag === DER.OID) contentType = decodeOid(first.value);
  }
  return {
    sid,
    digestAlgorithm: digest.oid,
    // The signature covers the attributes DER-encoded as a SET (tag 31), not as [0] IMPLICIT.
    ...(attrsTlv ? { signedAttributes: concatBytes(Uint8Array.of(DER.SET), attrsTlv.raw.subarray(1)) } : {}),
    ...(messageDigest ? { messageDigest } : {}),
    ...(contentType ? { contentType } : {}),
    signatureAlgorithm: sigAlg.oid,
    ...(sigAlg.parameters ? { signatureParameters: sigAlg.parameters } : {}),
    signature: signature.value,
  };
}

/** The embedded certificate that the signer identifier names. */
export function findSignerCertificate(sd: SignedData, signer: SignerInfo): Uint8Array | undefined {
  for (const der of sd.certificates) {
    try {
      if (signer.sid.kind === 'issuerAndSerial') {
        const names = certificateNames(der);
        if (equalBytes(names.issuer, signer.sid.issuer) && equalBytes(names.serial, signer.sid.serialNumber)) return der;
      } else {
        const ski = subjectKeyIdentifier(der);
        if (ski && equalBytes(ski, signer.sid.keyIdentifier)) return der;
      }
    } catch {
      // An unreadable embedded certificate cannot be the signer; keep looking.
    }
  }
  return undefined;
}

/** The signature method a SignerInfo names; throws PA_UNSUPPORTED_ALGORITHM. */
export const signerMethod = (signer: SignerInfo): SignatureMethod =>
  signatureMethod(signer.signatureAlgorithm, signer.signatureParameters, signer.digestAlgorithm);

/**
 * Whether `signer` (verified with `key`) signs `sd`'s content as a `expectedContentType`. Returns
 * undefined when it does, else a reason suffix: SIGNED_ATTRIBUTES_MISSING, CONTENT_TYPE_MISSING,
 * CONTENT_TYPE_WRONG, MESSAGE_DIGEST_MISSING, MESSAGE_DIGEST_MISMATCH or SIGNATURE_INVALID.
 * ICAO 9303-10 §4.6.2 and 9303-12 §9 both require the signed content-type and message-digest.
 */
export function verifySignerInfo(sd: SignedData, signer: SignerInfo, method: SignatureMethod, key: KeyObject, expectedContentType: string): string | undefined {
  if (!signer.signedAttributes) return 'SIGNED_ATTRIBUTES_MISSING';
  if (!signer.contentType) return 'CONTENT_TYPE_MISSING';
  if (signer.contentType !== expectedContentType || sd.eContentType !== expectedContentType) return 'CONTENT_TYPE_WRONG';
  if (!signer.messageDigest) return 'MESSAGE_DIGEST_MISSING';
  const h = hashNameForOid(signer.digestAlgorithm) ?? method.hash;
  if (!equalBytes(new Uint8Array(createHash(h).update(sd.eContent).digest()), signer.messageDigest)) return 'MESSAGE_DIGEST_MISMATCH';
  return verifySignature(method, key, signer.signedAttributes, signer.signature) ? undefined : 'SIGNATURE_INVALID';
}

/** A ParseError thrower with a fixed code and prefix, for parseSignedData's `fail`. */
export function failWith(code: string, prefix: string): (message: string) => never {
  return (message: string) => {
    throw new ParseError(code, `${prefix} ${message}`, {});
  };
}
