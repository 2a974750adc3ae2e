/**
 * Signs CMS SignedData the way issuing states do, for EF.SOD and CSCA master lists: version 3, one
 * SignerInfo identified by issuer+serial (or key id), signed attributes (contentType, signingTime,
 * messageDigest), and the signer's certificate embedded. Forgery switches let tests write what a
 * forger would (another or no signed content type).
 */
import type { KeyObject } from 'node:crypto';
import { OID_CONTENT_TYPE, OID_MESSAGE_DIGEST, OID_SIGNED_DATA, OID_SIGNING_TIME } from '../../core/icao/cms.ts';
import { HASH_OIDS, type HashName } from '../../core/icao/hashes.ts';
import { OID_LDS_SECURITY_OBJECT, encodeLdsSecurityObject, wrapSod } from '../../core/icao/lds/sod.ts';
import { concatBytes, decodeTlv, derOctetString, derSequence, derSet, encodeInteger, encodeOid, encodeTlv, fromHex, tlvChildren } from '../../core/icao/tlv.ts';
import { digest, signatureAlgorithmIdentifier, signWith, type SignatureScheme } from './algorithms.ts';
import { encodeTime, keyIdentifier } from './x509.ts';

export interface CmsSigner {
  /** The signer's certificate (DER) and private key, and the scheme its SignerInfo names. */
  readonly certificate: Uint8Array;
  readonly signingKey: KeyObject;
  readonly scheme: SignatureScheme;
  readonly signingTime: Date;
  /** How the SignerInfo names its certificate (default issuer+serial; some states use the key id). */
  readonly signerIdentifier?: 'issuerAndSerial' | 'subjectKeyIdentifier';
  /** Forgeries: the signed content-type attribute's value instead of the real one; null leaves it out. */
  readonly contentTypeAttribute?: string | null;
  /** Further certificates to embed after the signer's (e.g. its issuer). */
  readonly extraCertificates?: readonly Uint8Array[];
}

export interface SodSigningInput extends CmsSigner {
  /** Data-group number → the exact bytes of that file. */
  readonly dataGroups: ReadonlyMap<number, Uint8Array>;
  readonly dataGroupHash: HashName;
}

/** Issuer Name and serial INTEGER of a certificate, as raw DER (for IssuerAndSerialNumber). */
function issuerAndSerial(cert: Uint8Array): Uint8Array {
  const [tbs] = tlvChildren(decodeTlv(cert));
  const kids = tlvChildren(tbs!);
  const offset = kids[0]!.tag === 0xa0 ? 1 : 0;
  return derSequence(kids[offset + 2]!.raw, kids[offset]!.raw);
}

/** Key identifier of a certificate's public key (what its SKI extension holds in this PKI). */
function certificateKeyId(cert: Uint8Array): Uint8Array {
  const [tbs] = tlvChildren(decodeTlv(cert));
  const kids = tlvChildren(tbs!);
  const offset = kids[0]!.tag === 0xa0 ? 1 : 0;
  return keyIdentifier(kids[offset + 5]!.raw);
}

/** ContentInfo { id-signedData, SignedData } over `eContent` of type `contentType`. */
export function signCms(contentType: string, eContent: Uint8Array, s: CmsSigner): Uint8Array {
  const sigHash = s.scheme.hash;
  const digestAlg = derSequence(encodeOid(HASH_OIDS[sigHash]), fromHex('0500'));
  const typeAttr = s.contentTypeAttribute === null ? [] : [derSequence(encodeOid(OID_CONTENT_TYPE), derSet(encodeOid(s.contentTypeAttribute ?? contentType)))];
  const attrs = derSet(
    ...typeAttr,
    derSequence(encodeOid(OID_SIGNING_TIME), derSet(encodeTime(s.signingTime))),
    derSequence(encodeOid(OID_MESSAGE_DIGEST), derSet(derOctetString(digest(sigHash, eContent)))),
  );
  const signature = signWith(s.scheme, s.signingKey, attrs);
  const bySki = s.signerIdentifier === 'subjectKeyIdentifier';
  const signerInfo = derSequence(
    encodeInteger(bySki ? 3 : 1),
    bySki ? encodeTlv(0x80, certificateKeyId(s.certificate)) : issuerAndSerial(s.certificate),
    digestAlg,
    concatBytes(Uint8Array.of(0xa0), attrs.subarray(1)), // [0] IMPLICIT SET: same bytes, new tag
    signatureAlgorithmIdentifier(s.scheme),
    derOctetString(signature),
  );
  const signedData = derSequence(
    encodeInteger(3),
    derSet(digestAlg),
    derSequence(encodeOid(contentType), encodeTlv(0xa0, derOctetString(eContent))),
    encodeTlv(0xa0, concatBytes(s.certificate, ...(s.extraCertificates ?? []))),
    derSet(signerInfo),
  );
  return derSequence(encodeOid(OID_SIGNED_DATA), encodeTlv(0xa0, signedData));
}

export function signSod(input: SodSigningInput): Uint8Array {
  const hashes = new Map<number, Uint8Array>();
  for (const [dg, bytes] of input.dataGroups) hashes.set(dg, digest(input.dataGroupHash, bytes));
  return wrapSod(signCms(OID_LDS_SECURITY_OBJECT, encodeLdsSecurityObject(input.dataGroupHash, hashes), input));
}
