/**
 * Signature algorithms of the test PKI: the AlgorithmIdentifier DER each one writes and the
 * node:crypto call that signs with it. Passive authentication verifies the same four families.
 */
import { createHash, constants, sign, type KeyObject } from 'node:crypto';
import { HASH_OIDS, type HashName } from '../../core/icao/hashes.ts';
import { derSequence, encodeInteger, encodeOid, encodeTlv, fromHex } from '../../core/icao/tlv.ts';

export type SignatureScheme =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashName }
  | { readonly kind: 'rsa-pss'; readonly hash: HashName; readonly saltLength?: number }
  | { readonly kind: 'ecdsa'; readonly hash: HashName; /** 'p1363' writes plain r||s, as some issuers do (CMS wants DER). */ readonly encoding?: 'der' | 'p1363' };

const NULL = fromHex('0500');
const HASH_LEN: Record<HashName, number> = { sha1: 20, sha224: 28, sha256: 32, sha384: 48, sha512: 64 };

const RSA_PKCS1_OIDS: Record<HashName, string> = {
  sha1: '1.2.840.113549.1.1.5', sha224: '1.2.840.113549.1.1.14', sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12', sha512: '1.2.840.113549.1.1.13',
};
const ECDSA_OIDS: Record<HashName, string> = {
  sha1: '1.2.840.10045.4.1', sha224: '1.2.840.10045.4.3.1', sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3', sha512: '1.2.840.10045.4.3.4',
};
export const OID_RSASSA_PSS = '1.2.840.113549.1.1.10';
export const OID_MGF1 = '1.2.840.113549.1.1.8';

/** AlgorithmIdentifier for the scheme (RSASSA-PSS carries its hash, MGF1 hash and salt length). */
export function signatureAlgorithmIdentifier(s: SignatureScheme): Uint8Array {
  switch (s.kind) {
    case 'rsa-pkcs1':
      return derSequence(encodeOid(RSA_PKCS1_OIDS[s.hash]), NULL);
    case 'ecdsa':
      return derSequence(encodeOid(ECDSA_OIDS[s.hash]));
    case 'rsa-pss': {
      const hashAlg = derSequence(encodeOid(HASH_OIDS[s.hash]), NULL);
      return derSequence(
        encodeOid(OID_RSASSA_PSS),
        derSequence(
          encodeTlv(0xa0, hashAlg),
          encodeTlv(0xa1, derSequence(encodeOid(OID_MGF1), hashAlg)),
          encodeTlv(0xa2, encodeInteger(s.saltLength ?? HASH_LEN[s.hash])),
        ),
      );
    }
  }
}

export function signWith(s: SignatureScheme, key: KeyObject, data: Uint8Array): Uint8Array {
  if (s.kind === 'rsa-pss') {
    return new Uint8Array(sign(s.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: s.saltLength ?? HASH_LEN[s.hash] }));
  }
  if (s.kind === 'ecdsa' && s.encoding === 'p1363') return new Uint8Array(sign(s.hash, data, { key, dsaEncoding: 'ieee-p1363' }));
  return new Uint8Array(sign(s.hash, data, key));
}

export const digest = (hash: HashName, data: Uint8Array): Uint8Array => new Uint8Array(createHash(hash).update(data).digest());
