/**
 * EF.SOD (ICAO 9303-10 §4.6.2): tag 77 around a CMS SignedData (RFC 5652) whose content is the
 * LDSSecurityObject: the hash algorithm and one hash per data group. Both layers are read with our
 * strict DER walker (pkijs took ~20 ms per SOD and throws untyped errors); only the fields passive
 * authentication needs are extracted. Verification lives in passive-auth.ts.
 */
import { ParseError } from '../../errors.ts';
import { certificateNames, integerMagnitude, subjectKeyIdentifier } from '../passive-auth-x509.ts';
import {
  DER, concatBytes, decodeAscii, decodeOid, decodeSmallInteger, decodeTlv, derOctetString, derSequence, encodeInteger, encodeOid, encodeTlv, expectTlv, tlvChildren, type Tlv,
} from '../tlv.ts';
import { LDS_FILES } from './files.ts';

export type HashName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export const HASH_OIDS: Record<HashName, string> = {
  sha1: '1.3.14.3.2.26',
  sha224: '2.16.840.1.101.3.4.2.4',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
const HASH_BY_OID = new Map(Object.entries(HASH_OIDS).map(([n, o]) => [o, n as HashName]));
export const hashNameForOid = (oid: string): HashName | undefined => HASH_BY_OID.get(oid);

export const OID_SIGNED_DATA = '1.2.840.113549.1.7.2';
export const OID_LDS_SECURITY_OBJECT = '2.23.136.1.1.1';
export const OID_CONTENT_TYPE = '1.2.840.113549.1.9.3';
export const OID_MESSAGE_DIGEST = '1.2.840.113549.1.9.4';
export const OID_SIGNING_TIME = '1.2.840.113549.1.9.5';

export interface LdsSecurityObject {
  readonly version: number;
  readonly hashAlgorithm: HashName;
  readonly dataGroupHashes: ReadonlyMap<number, Uint8Array>;
  readonly ldsVersion?: string;
  readonly unicodeVersion?: string;
}

export type SignerIdentifier =
  | { readonly kind: 'issuerAndSerial'; readonly issuer: Uint8Array; readonly serialNumber: Uint8Array }
  | { readonly kind: 'subjectKeyIdentifier'; readonly keyIdentifier: Uint8Array };

export interface SodSignerInfo {
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

export interface SodFile {
  readonly ldsSecurityObject: LdsSecurityObject;
  readonly eContentType: string;
  /** The encapsulated content bytes (the DER LDSSecurityObject) that messageDigest covers. */
  readonly eContent: Uint8Array;
  /** DER certificates embedded in the SignedData (normally the Document Signer). */
  readonly certificates: readonly Uint8Array[];
  readonly signerInfos: readonly SodSignerInfo[];
}

function sodError(message: string): ParseError {
  return new ParseError('SOD_INVALID', `EF.SOD ${message}`, {});
}

/** OCTET STRING content, primitive or (BER) constructed from primitive pieces. */
function octets(t: Tlv, what: string): Uint8Array {
  if (t.tag === DER.OCTET_STRING) return t.value;
  if (t.tag === (DER.OCTET_STRING | 0x20)) return concatBytes(...tlvChildren(t).map((c) => octets(c, what)));
  throw sodError(`${what} is not an OCTET STRING`);
}

function algorithm(t: Tlv | undefined, what: string): { oid: string; parameters?: Uint8Array } {
  const [oid, params] = t?.tag === DER.SEQUENCE ? tlvChildren(t) : [];
  if (oid?.tag !== DER.OID) throw sodError(`${what} is not an AlgorithmIdentifier`);
  return { oid: decodeOid(oid.value), ...(params && params.tag !== DER.NULL ? { parameters: params.raw } : {}) };
}

export function parseSod(bytes: Uint8Array): SodFile {
  const outer = expectTlv(bytes, LDS_FILES.SOD.tag, 'EF.SOD', 'SOD_INVALID');
  const contentInfo = decodeTlv(outer.value);
  const [ctype, explicit] = contentInfo.tag === DER.SEQUENCE ? tlvChildren(contentInfo) : [];
  if (ctype?.tag !== DER.OID || decodeOid(ctype.value) !== OID_SIGNED_DATA || explicit?.tag !== 0xa0) throw sodError('is not a CMS SignedData');
  const [signedData] = tlvChildren(explicit);
  if (signedData?.tag !== DER.SEQUENCE) throw sodError('SignedData is not a SEQUENCE');
  const [version, digestAlgorithms, encap, ...rest] = tlvChildren(signedData);
  if (version?.tag !== DER.INTEGER || digestAlgorithms?.tag !== DER.SET || encap?.tag !== DER.SEQUENCE) throw sodError('SignedData is missing version, digest algorithms or content');
  const [etype, econtent] = tlvChildren(encap);
  if (etype?.tag !== DER.OID) throw sodError('encapsulated content has no type');
  const inner = econtent?.tag === 0xa0 ? tlvChildren(econtent)[0] : undefined;
  if (!inner) throw sodError('has no encapsulated content');
  const eContent = octets(inner, 'encapsulated content');
  const certificates = (rest.find((r) => r.tag === 0xa0) ? tlvChildren(rest.find((r) => r.tag === 0xa0)!) : [])
    .filter((c) => c.tag === DER.SEQUENCE)
    .map((c) => c.raw);
  const signerSet = rest.find((r) => r.tag === DER.SET);
  if (!signerSet) throw sodError('has no SignerInfos');
  const signerInfos = tlvChildren(signerSet).map(readSignerInfo);
  if (signerInfos.length === 0) throw sodError('has no SignerInfo');
  return { ldsSecurityObject: parseLdsSecurityObject(eContent), eContentType: decodeOid(etype.value), eContent, certificates, signerInfos };
}

/** SignerInfo ::= SEQUENCE { version, sid, digestAlgorithm, [0] signedAttrs OPTIONAL, signatureAlgorithm, signature, [1] unsignedAttrs OPTIONAL } */
function readSignerInfo(si: Tlv): SodSignerInfo {
  if (si.tag !== DER.SEQUENCE) throw sodError('SignerInfo is not a SEQUENCE');
  const [version, sidTlv, digestAlg, ...rest] = tlvChildren(si);
  if (version?.tag !== DER.INTEGER || !sidTlv) throw sodError('SignerInfo is missing version or signer identifier');
  let sid: SignerIdentifier;
  if (sidTlv.tag === DER.SEQUENCE) {
    const [issuer, serial] = tlvChildren(sidTlv);
    if (issuer?.tag !== DER.SEQUENCE || serial?.tag !== DER.INTEGER) throw sodError('IssuerAndSerialNumber is malformed');
    sid = { kind: 'issuerAndSerial', issuer: issuer.raw, serialNumber: integerMagnitude(serial.value) };
  } else if (sidTlv.tag === 0x80) {
    sid = { kind: 'subjectKeyIdentifier', keyIdentifier: sidTlv.value };
  } else {
    throw sodError('SignerInfo has an unrecognised signer identifier');
  }
  const digest = algorithm(digestAlg, 'SignerInfo digest algorithm');
  const attrsTlv = rest[0]?.tag === 0xa0 ? rest.shift() : undefined;
  const sigAlg = algorithm(rest[0], 'SignerInfo signature algorithm');
  const signature = rest[1];
  if (signature?.tag !== DER.OCTET_STRING) throw sodError('SignerInfo has no signature');
  let messageDigest: Uint8Array | undefined;
  let contentType: string | undefined;
  for (const attr of attrsTlv ? tlvChildren(attrsTlv) : []) {
    const [type, values] = attr.tag === DER.SEQUENCE ? tlvChildren(attr) : [];
    if (type?.tag !== DER.OID || values?.tag !== DER.SET) throw sodError('signed attribute is malformed');
    const oid = decodeOid(type.value);
    const first = tlvChildren(values)[0];
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

/**
 * LDSSecurityObject ::= SEQUENCE { version INTEGER, hashAlgorithm AlgorithmIdentifier,
 *   dataGroupHashValues SEQUENCE OF DataGroupHash, ldsVersionInfo LDSVersionInfo OPTIONAL }
 */
export function parseLdsSecurityObject(bytes: Uint8Array): LdsSecurityObject {
  const seq = decodeTlv(bytes);
  if (seq.tag !== DER.SEQUENCE) throw new ParseError('SOD_INVALID', 'LDSSecurityObject is not a SEQUENCE', {});
  const [versionTlv, algTlv, hashesTlv, versionInfo] = tlvChildren(seq);
  if (versionTlv?.tag !== DER.INTEGER || algTlv?.tag !== DER.SEQUENCE || hashesTlv?.tag !== DER.SEQUENCE) {
    throw new ParseError('SOD_INVALID', 'LDSSecurityObject is missing version, hash algorithm or hashes', {});
  }
  const algOid = tlvChildren(algTlv)[0];
  if (algOid?.tag !== DER.OID) throw new ParseError('SOD_INVALID', 'LDSSecurityObject hash algorithm has no OID', {});
  const oid = decodeOid(algOid.value);
  const hashAlgorithm = hashNameForOid(oid);
  if (!hashAlgorithm) throw new ParseError('SOD_UNSUPPORTED_HASH', `LDSSecurityObject hash algorithm ${oid} is not supported`, { oid });
  const dataGroupHashes = new Map<number, Uint8Array>();
  for (const entry of tlvChildren(hashesTlv)) {
    const [n, h] = entry.tag === DER.SEQUENCE ? tlvChildren(entry) : [];
    if (n?.tag !== DER.INTEGER || h?.tag !== DER.OCTET_STRING) throw new ParseError('SOD_INVALID', 'DataGroupHash is not { INTEGER, OCTET STRING }', {});
    const dg = decodeSmallInteger(n.value);
    if (dg < 1 || dg > 16 || dataGroupHashes.has(dg)) throw new ParseError('SOD_INVALID', `DataGroupHash number ${dg} is out of range or repeated`, { dg });
    dataGroupHashes.set(dg, h.value);
  }
  let lds: { ldsVersion?: string; unicodeVersion?: string } = {};
  if (versionInfo?.tag === DER.SEQUENCE) {
    const [l, u] = tlvChildren(versionInfo);
    if (l && u) lds = { ldsVersion: decodeAscii(l.value, 'LDS version'), unicodeVersion: decodeAscii(u.value, 'Unicode version') };
  }
  return { version: decodeSmallInteger(versionTlv.value), hashAlgorithm, dataGroupHashes, ...lds };
}

/** DER LDSSecurityObject (version 0, no LDS version info) for the given hashes. */
export function encodeLdsSecurityObject(hashAlgorithm: HashName, hashes: ReadonlyMap<number, Uint8Array>): Uint8Array {
  const entries = [...hashes.entries()].sort(([a], [b]) => a - b).map(([dg, h]) => derSequence(encodeInteger(dg), derOctetString(h)));
  return derSequence(encodeInteger(0), derSequence(encodeOid(HASH_OIDS[hashAlgorithm])), derSequence(...entries));
}

/** EF.SOD wraps a DER ContentInfo in tag 77. */
export const wrapSod = (contentInfo: Uint8Array): Uint8Array => encodeTlv(LDS_FILES.SOD.tag, contentInfo);

/** Finds the embedded certificate that the signer identifier names. */
export function findSignerCertificate(sod: SodFile, signer: SodSignerInfo): Uint8Array | undefined {
  for (const der of sod.certificates) {
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

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
