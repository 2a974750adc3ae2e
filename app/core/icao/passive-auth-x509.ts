/**
 * Just enough X.509 structure for chain and CRL checks by DER comparison: a certificate's issuer
 * and subject Names, serial, key and extensions (key usage, basic constraints), and a CRL's TBS,
 * issuer, update times, signature and revoked serials.
 * Node's X509Certificate checks certificate signatures; CRLs it cannot read, so we do.
 */
import { ParseError } from '../errors.ts';
import { DER, decodeOid, decodeTlv, tlvChildren, type Tlv } from './tlv.ts';

export interface CertificateNames {
  readonly serial: Uint8Array;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
  /** The SubjectPublicKeyInfo as written (explicit EC parameters stay as the issuer wrote them). */
  readonly subjectPublicKeyInfo: Uint8Array;
}

function tbsFields(der: Uint8Array): Tlv[] {
  const [tbs] = tlvChildren(decodeTlv(der));
  if (tbs?.tag !== DER.SEQUENCE) throw new ParseError('X509_INVALID', 'certificate has no TBSCertificate', {});
  return tlvChildren(tbs);
}

export function certificateNames(der: Uint8Array): CertificateNames {
  const kids = tbsFields(der);
  const o = kids[0]?.tag === 0xa0 ? 1 : 0;
  const serial = kids[o];
  const issuer = kids[o + 2];
  const subject = kids[o + 4];
  const spki = kids[o + 5];
  if (serial?.tag !== DER.INTEGER || issuer?.tag !== DER.SEQUENCE || subject?.tag !== DER.SEQUENCE || spki?.tag !== DER.SEQUENCE) {
    throw new ParseError('X509_INVALID', 'certificate TBS is not serial/issuer/subject/key shaped', {});
  }
  return { serial: stripSign(serial.value), issuer: issuer.raw, subject: subject.raw, subjectPublicKeyInfo: spki.raw };
}

export interface CertificateExtension {
  readonly oid: string;
  readonly critical: boolean;
  /** The extnValue OCTET STRING's content (the DER of the extension's own structure). */
  readonly value: Uint8Array;
}

/** The v3 extensions; empty for a certificate without any. Throws X509_INVALID on a malformed list. */
export function certificateExtensions(der: Uint8Array): CertificateExtension[] {
  const exts = tbsFields(der).find((k) => k.tag === 0xa3);
  const list = exts ? tlvChildren(exts)[0] : undefined;
  if (!exts) return [];
  if (list?.tag !== DER.SEQUENCE) throw new ParseError('X509_INVALID', 'certificate extensions are not a SEQUENCE', {});
  return tlvChildren(list).map((ext) => {
    const [oid, second, third] = tlvChildren(ext);
    const critical = second?.tag === DER.BOOLEAN && second.value[0] !== 0;
    const value = second?.tag === DER.OCTET_STRING ? second : third;
    if (oid?.tag !== DER.OID || value?.tag !== DER.OCTET_STRING) throw new ParseError('X509_INVALID', 'certificate extension is malformed', {});
    return { oid: decodeOid(oid.value), critical, value: value.value };
  });
}

const KEY_USAGE_BITS = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'] as const;
export type KeyUsage = (typeof KEY_USAGE_BITS)[number];

/** The keyUsage bits (RFC 5280 §4.2.1.3), or undefined when the certificate has no keyUsage extension. */
export function keyUsage(der: Uint8Array): Set<KeyUsage> | undefined {
  const ext = certificateExtensions(der).find((e) => e.oid === '2.5.29.15');
  if (!ext) return undefined;
  const bits = decodeTlv(ext.value);
  if (bits.tag !== DER.BIT_STRING || bits.value.length < 1) throw new ParseError('X509_INVALID', 'keyUsage is not a BIT STRING', {});
  const out = new Set<KeyUsage>();
  KEY_USAGE_BITS.forEach((name, i) => {
    const byte = bits.value[1 + (i >> 3)];
    if (byte !== undefined && byte & (0x80 >> (i & 7))) out.add(name);
  });
  return out;
}

/** basicConstraints cA (RFC 5280 §4.2.1.9): false when the extension is absent or says so. */
export function isCaCertificate(der: Uint8Array): boolean {
  const ext = certificateExtensions(der).find((e) => e.oid === '2.5.29.19');
  if (!ext) return false;
  const seq = decodeTlv(ext.value);
  if (seq.tag !== DER.SEQUENCE) throw new ParseError('X509_INVALID', 'basicConstraints is not a SEQUENCE', {});
  const first = tlvChildren(seq)[0];
  return first?.tag === DER.BOOLEAN && first.value[0] !== 0;
}

export interface ParsedCrl {
  readonly tbs: Uint8Array;
  readonly issuer: Uint8Array;
  readonly thisUpdate: Date;
  /** Absent when the CRL names no next update (RFC 5280 makes it mandatory; ICAO too). */
  readonly nextUpdate?: Date;
  readonly signatureAlgorithm: string;
  readonly signatureParameters?: Uint8Array;
  readonly signature: Uint8Array;
  readonly revokedSerials: readonly Uint8Array[];
}

export function parseCrl(der: Uint8Array): ParsedCrl {
  const [tbs, alg, sig] = tlvChildren(decodeTlv(der));
  if (tbs?.tag !== DER.SEQUENCE || alg?.tag !== DER.SEQUENCE || sig?.tag !== DER.BIT_STRING) {
    throw new ParseError('CRL_INVALID', 'CRL is not { TBSCertList, AlgorithmIdentifier, BIT STRING }', {});
  }
  const kids = tlvChildren(tbs);
  const o = kids[0]?.tag === DER.INTEGER ? 1 : 0;
  const issuer = kids[o + 1];
  if (issuer?.tag !== DER.SEQUENCE) throw new ParseError('CRL_INVALID', 'CRL has no issuer', {});
  const thisUpdate = kids[o + 2];
  if (!thisUpdate || !isTime(thisUpdate)) throw new ParseError('CRL_INVALID', 'CRL has no thisUpdate time', {});
  const next = kids[o + 3];
  const nextUpdate = next && isTime(next) ? next : undefined;
  // After thisUpdate (and an optional nextUpdate time) comes the optional revokedCertificates SEQUENCE.
  const revokedList = kids.slice(o + 3).find((k) => k.tag === DER.SEQUENCE);
  const revokedSerials = revokedList ? tlvChildren(revokedList).map((entry) => stripSign(tlvChildren(entry)[0]?.value ?? new Uint8Array())) : [];
  const [algOid, algParams] = tlvChildren(alg);
  if (algOid?.tag !== DER.OID) throw new ParseError('CRL_INVALID', 'CRL signature algorithm has no OID', {});
  return {
    tbs: tbs.raw, issuer: issuer.raw, thisUpdate: decodeTime(thisUpdate),
    ...(nextUpdate ? { nextUpdate: decodeTime(nextUpdate) } : {}),
    signatureAlgorithm: decodeOid(algOid.value),
    ...(algParams && algParams.tag !== DER.NULL ? { signatureParameters: algParams.raw } : {}),
    signature: sig.value.subarray(1), revokedSerials,
  };
}

const isTime = (t: Tlv): boolean => t.tag === DER.UTC_TIME || t.tag === DER.GENERALIZED_TIME;

/** UTCTime (YYMMDDHHMMSSZ, 1950–2049) or GeneralizedTime (YYYYMMDDHHMMSSZ), RFC 5280 §4.1.2.5. */
export function decodeTime(t: Tlv): Date {
  const text = new TextDecoder().decode(t.value);
  const m = t.tag === DER.UTC_TIME ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) throw new ParseError('X509_TIME_INVALID', 'time is not YYMMDDHHMMSSZ or YYYYMMDDHHMMSSZ', {});
  const year = t.tag === DER.UTC_TIME ? (Number(m[1]) >= 50 ? 1900 : 2000) + Number(m[1]) : Number(m[1]);
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** INTEGER magnitude without the leading 0x00 sign byte, for serial comparison. */
function stripSign(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.subarray(i);
}

/** The subjectKeyIdentifier extension value, if the certificate has one. */
export function subjectKeyIdentifier(der: Uint8Array): Uint8Array | undefined {
  const ext = certificateExtensions(der).find((e) => e.oid === '2.5.29.14');
  const inner = ext ? decodeTlv(ext.value) : undefined;
  return inner?.tag === DER.OCTET_STRING ? inner.value : undefined;
}

export { stripSign as integerMagnitude };
