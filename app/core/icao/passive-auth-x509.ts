/**
 * Just enough X.509 structure for chain and CRL checks by DER comparison: a certificate's issuer
 * and subject Names and serial, and a CRL's TBS, issuer, signature and revoked serials.
 * Node's X509Certificate checks certificate signatures; CRLs it cannot read, so we do.
 */
import { ParseError } from '../errors.ts';
import { DER, decodeOid, decodeTlv, tlvChildren } from './tlv.ts';

export interface CertificateNames {
  readonly serial: Uint8Array;
  readonly issuer: Uint8Array;
  readonly subject: Uint8Array;
}

export function certificateNames(der: Uint8Array): CertificateNames {
  const [tbs] = tlvChildren(decodeTlv(der));
  if (tbs?.tag !== DER.SEQUENCE) throw new ParseError('X509_INVALID', 'certificate has no TBSCertificate', {});
  const kids = tlvChildren(tbs);
  const o = kids[0]?.tag === 0xa0 ? 1 : 0;
  const serial = kids[o];
  const issuer = kids[o + 2];
  const subject = kids[o + 4];
  if (serial?.tag !== DER.INTEGER || issuer?.tag !== DER.SEQUENCE || subject?.tag !== DER.SEQUENCE) {
    throw new ParseError('X509_INVALID', 'certificate TBS is not serial/issuer/subject shaped', {});
  }
  return { serial: stripSign(serial.value), issuer: issuer.raw, subject: subject.raw };
}

export interface ParsedCrl {
  readonly tbs: Uint8Array;
  readonly issuer: Uint8Array;
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
  // After thisUpdate (and an optional nextUpdate time) comes the optional revokedCertificates SEQUENCE.
  const revokedList = kids.slice(o + 3).find((k) => k.tag === DER.SEQUENCE);
  const revokedSerials = revokedList ? tlvChildren(revokedList).map((entry) => stripSign(tlvChildren(entry)[0]?.value ?? new Uint8Array())) : [];
  const [algOid, algParams] = tlvChildren(alg);
  if (algOid?.tag !== DER.OID) throw new ParseError('CRL_INVALID', 'CRL signature algorithm has no OID', {});
  return {
    tbs: tbs.raw, issuer: issuer.raw, signatureAlgorithm: decodeOid(algOid.value),
    ...(algParams && algParams.tag !== DER.NULL ? { signatureParameters: algParams.raw } : {}),
    signature: sig.value.subarray(1), revokedSerials,
  };
}

/** INTEGER magnitude without the leading 0x00 sign byte, for serial comparison. */
function stripSign(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.subarray(i);
}

/** The subjectKeyIdentifier extension value, if the certificate has one. */
export function subjectKeyIdentifier(der: Uint8Array): Uint8Array | undefined {
  const [tbs] = tlvChildren(decodeTlv(der));
  if (tbs?.tag !== DER.SEQUENCE) return undefined;
  const exts = tlvChildren(tbs).find((k) => k.tag === 0xa3);
  const list = exts ? tlvChildren(exts)[0] : undefined;
  if (list?.tag !== DER.SEQUENCE) return undefined;
  for (const ext of tlvChildren(list)) {
    const [oid, ...rest] = tlvChildren(ext);
    if (oid?.tag !== DER.OID || decodeOid(oid.value) !== '2.5.29.14') continue;
    const value = rest.find((r) => r.tag === DER.OCTET_STRING);
    const inner = value ? decodeTlv(value.value) : undefined;
    return inner?.tag === DER.OCTET_STRING ? inner.value : undefined;
  }
  return undefined;
}

export { stripSign as integerMagnitude };
