/**
 * EF.SOD (ICAO 9303-10 §4.6.2): tag 77 around a CMS SignedData (RFC 5652) whose content is the
 * LDSSecurityObject: the hash algorithm and one hash per data group. The CMS layer is parsed with
 * pkijs; the LDSSecurityObject with our own DER walker. Verification lives in passive-auth.ts.
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { ParseError } from '../../errors.ts';
import {
  DER, decodeAscii, decodeOid, decodeSmallInteger, decodeTlv, derOctetString, derSequence, encodeInteger, encodeOid, encodeTlv, expectTlv, tlvChildren,
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
  | { readonly kind: 'issuerAndSerial'; readonly issuer: pkijs.RelativeDistinguishedNames; readonly serialNumber: Uint8Array }
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

const view = (b: ArrayBuffer | Uint8Array): Uint8Array => (b instanceof Uint8Array ? b : new Uint8Array(b));

export function parseSod(bytes: Uint8Array): SodFile {
  const outer = expectTlv(bytes, LDS_FILES.SOD.tag, 'EF.SOD', 'SOD_INVALID');
  // Strict DER framing first (our walker): asn1js is lenient about trailing garbage.
  const contentInfoTlv = decodeTlv(outer.value);
  let signed: pkijs.SignedData;
  let eContent: Uint8Array;
  const certificates: Uint8Array[] = [];
  try {
    const asn = asn1js.fromBER(contentInfoTlv.raw);
    if (asn.offset === -1) throw sodError(`CMS is not valid BER: ${asn.result.error}`);
    const ci = new pkijs.ContentInfo({ schema: asn.result });
    if (ci.contentType !== OID_SIGNED_DATA) throw sodError(`content type ${ci.contentType} is not SignedData`);
    signed = new pkijs.SignedData({ schema: ci.content });
    const eci = signed.encapContentInfo;
    if (!eci.eContent) throw sodError('has no encapsulated content');
    eContent = view(eci.eContent.getValue());
    for (const c of signed.certificates ?? []) {
      if (c instanceof pkijs.Certificate) certificates.push(view(c.toSchema(true).toBER()));
    }
  } catch (e) {
    if (e instanceof ParseError) throw e;
    // pkijs/asn1js signal schema mismatches with plain Errors; turn them into our typed error.
    throw sodError(`CMS SignedData cannot be parsed (${e instanceof Error ? e.message.slice(0, 120) : 'unknown'})`);
  }
  let signerInfos: SodSignerInfo[];
  try {
    signerInfos = signed.signerInfos.map(readSignerInfo);
  } catch (e) {
    if (e instanceof ParseError) throw e;
    throw sodError('SignerInfo cannot be read');
  }
  if (signerInfos.length === 0) throw sodError('has no SignerInfo');
  return {
    ldsSecurityObject: parseLdsSecurityObject(eContent),
    eContentType: signed.encapContentInfo.eContentType,
    eContent,
    certificates,
    signerInfos,
  };
}

function readSignerInfo(si: pkijs.SignerInfo): SodSignerInfo {
  let sid: SignerIdentifier;
  if (si.sid instanceof pkijs.IssuerAndSerialNumber) {
    sid = { kind: 'issuerAndSerial', issuer: si.sid.issuer, serialNumber: view(si.sid.serialNumber.valueBlock.valueHexView) };
  } else if (si.sid instanceof asn1js.Primitive) {
    // [0] SubjectKeyIdentifier, implicitly tagged OCTET STRING
    sid = { kind: 'subjectKeyIdentifier', keyIdentifier: view(si.sid.valueBlock.valueHexView) };
  } else {
    throw sodError('SignerInfo has an unrecognised signer identifier');
  }
  let messageDigest: Uint8Array | undefined;
  let contentType: string | undefined;
  for (const a of si.signedAttrs?.attributes ?? []) {
    const v = a.values[0];
    if (a.type === OID_MESSAGE_DIGEST && v instanceof asn1js.OctetString) messageDigest = view(v.valueBlock.valueHexView);
    if (a.type === OID_CONTENT_TYPE && v instanceof asn1js.ObjectIdentifier) contentType = v.valueBlock.toString();
  }
  const params = si.signatureAlgorithm.algorithmParams as asn1js.BaseBlock | undefined;
  const signatureParameters = params && !(params instanceof asn1js.Null) && params.toBER ? view(params.toBER()) : undefined;
  return {
    sid,
    digestAlgorithm: si.digestAlgorithm.algorithmId,
    ...(si.signedAttrs ? { signedAttributes: view(si.signedAttrs.encodedValue) } : {}),
    ...(messageDigest ? { messageDigest } : {}),
    ...(contentType ? { contentType } : {}),
    signatureAlgorithm: si.signatureAlgorithm.algorithmId,
    ...(signatureParameters && signatureParameters.length > 0 ? { signatureParameters } : {}),
    signature: view(si.signature.valueBlock.valueHexView),
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
      const asn = asn1js.fromBER(der);
      const cert = new pkijs.Certificate({ schema: asn.result });
      if (signer.sid.kind === 'issuerAndSerial') {
        const serial = view(cert.serialNumber.valueBlock.valueHexView);
        if (cert.issuer.isEqual(signer.sid.issuer) && equalBytes(serial, signer.sid.serialNumber)) return der;
      } else {
        const ski = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
        const parsed = ski?.parsedValue as asn1js.OctetString | undefined;
        if (parsed && equalBytes(view(parsed.valueBlock.valueHexView), signer.sid.keyIdentifier)) return der;
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
