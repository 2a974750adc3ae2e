/**
 * Signs an EF.SOD the way issuing states do: CMS SignedData (RFC 5652, version 3) over an
 * LDSSecurityObject, one SignerInfo identified by issuer+serial, signed attributes
 * (contentType, signingTime, messageDigest), and the Document Signer certificate embedded.
 */
import type { KeyObject } from 'node:crypto';
import { HASH_OIDS, OID_CONTENT_TYPE, OID_LDS_SECURITY_OBJECT, OID_MESSAGE_DIGEST, OID_SIGNED_DATA, OID_SIGNING_TIME, encodeLdsSecurityObject, wrapSod, type HashName } from '../../core/icao/lds/sod.ts';
import { concatBytes, decodeTlv, derOctetString, derSequence, derSet, encodeInteger, encodeOid, encodeTlv, fromHex, tlvChildren } from '../../core/icao/tlv.ts';
import { digest, signatureAlgorithmIdentifier, signWith, type SignatureScheme } from './algorithms.ts';
import { encodeTime, keyIdentifier } from './x509.ts';

export interface SodSigningInput {
  /** Data-group number → the exact bytes of that file. */
  readonly dataGroups: ReadonlyMap<number, Uint8Array>;
  readonly dataGroupHash: HashName;
  /** The signer's certificate (DER) and private key, and the scheme its SignerInfo names. */
  readonly certificate: Uint8Array;
  readonly signingKey: KeyObject;
  readonly scheme: SignatureScheme;
  readonly signingTime: Date;
  /** How the SignerInfo names its certificate (default issuer+serial; some states use the key id). */
  readonly signerIdentifier?: 'issuerAndSerial' | 'subjectKeyIdentifier';
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

export function signSod(input: SodSigningInput): Uint8Array {
  const hashes = new Map<number, Uint8Array>();
  for (const [dg, bytes] of input.dataGroups) hashes.set(dg, digest(input.dataGroupHash, bytes));
  const eContent = encodeLdsSecurityObject(input.dataGroupHash, hashes);
  const sigHash = input.scheme.hash;
  const digestAlg = derSequence(encodeOid(HASH_OIDS[sigHash]), fromHex('0500'));
  const attrs = derSet(
    derSequence(encodeOid(OID_CONTENT_TYPE), derSet(encodeOid(OID_LDS_SECURITY_OBJECT))),
    derSequence(encodeOid(OID_SIGNING_TIME), derSet(encodeTime(input.signingTime))),
    derSequence(encodeOid(OID_MESSAGE_DIGEST), derSet(derOctetString(digest(sigHash, eContent)))),
  );
  const signature = signWith(input.scheme, input.signingKey, attrs);
  const bySki = input.signerIdentifier === 'subjectKeyIdentifier';
  const signerInfo = derSequence(
    encodeInteger(bySki ? 3 : 1),
    bySki ? encodeTlv(0x80, certificateKeyId(input.certificate)) : issuerAndSerial(input.certificate),
    digestAlg,
    concatBytes(Uint8Array.of(0xa0), attrs.subarray(1)), // [0] IMPLICIT SET: same bytes, new tag
    signatureAlgorithmIdentifier(input.scheme),
    derOctetString(signature),
  );
  const signedData = derSequence(
    encodeInteger(3),
    derSet(digestAlg),
    derSequence(encodeOid(OID_LDS_SECURITY_OBJECT), encodeTlv(0xa0, derOctetString(eContent))),
    encodeTlv(0xa0, input.certificate),
    derSet(signerInfo),
  );
  return wrapSod(derSequence(encodeOid(OID_SIGNED_DATA), encodeTlv(0xa0, signedData)));
}
