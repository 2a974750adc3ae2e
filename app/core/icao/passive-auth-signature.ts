/**
 * Verifies a signature with the algorithm an AlgorithmIdentifier names (RFC 3279/4055/5758):
 * RSA PKCS#1 v1.5, RSASSA-PSS (with its parameters), and ECDSA on any curve OpenSSL knows,
 * including brainpool and keys written with explicit parameters. Used for the SOD SignerInfo
 * and for CRLs. node:crypto rather than WebCrypto, which has no brainpool curves.
 */
import { constants, verify, type KeyObject } from 'node:crypto';
import { ParseError } from '../errors.ts';
import { hashNameForOid, type HashName } from './hashes.ts';
import { DER, decodeOid, decodeSmallInteger, decodeTlv, tlvChildren } from './tlv.ts';

const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';
const RSASSA_PSS = '1.2.840.113549.1.1.10';
const EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const MGF1 = '1.2.840.113549.1.1.8';

const RSA_PKCS1: Record<string, HashName> = {
  '1.2.840.113549.1.1.5': 'sha1', '1.2.840.113549.1.1.14': 'sha224', '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384', '1.2.840.113549.1.1.13': 'sha512',
};
const ECDSA: Record<string, HashName> = {
  '1.2.840.10045.4.1': 'sha1', '1.2.840.10045.4.3.1': 'sha224', '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384', '1.2.840.10045.4.3.4': 'sha512',
};

export type SignatureMethod =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashName }
  | { readonly kind: 'rsa-pss'; readonly hash: HashName; readonly saltLength: number }
  | { readonly kind: 'ecdsa'; readonly hash: HashName };

function unsupported(what: string): ParseError {
  return new ParseError('PA_UNSUPPORTED_ALGORITHM', `unsupported signature algorithm: ${what}`, {});
}

/**
 * Resolves the signature method. `digestOid` is the SignerInfo's digestAlgorithm, needed when the
 * signature algorithm names only the key type (rsaEncryption, ecPublicKey), as some SODs do.
 */
export function signatureMethod(algorithmOid: string, parameters?: Uint8Array, digestOid?: string): SignatureMethod {
  const digestHash = digestOid ? hashNameForOid(digestOid) : undefined;
  if (RSA_PKCS1[algorithmOid]) return { kind: 'rsa-pkcs1', hash: RSA_PKCS1[algorithmOid] };
  if (ECDSA[algorithmOid]) return { kind: 'ecdsa', hash: ECDSA[algorithmOid] };
  if (algorithmOid === RSA_ENCRYPTION || algorithmOid === EC_PUBLIC_KEY) {
    if (!digestHash) throw unsupported(`${algorithmOid} without a known digest algorithm`);
    return { kind: algorithmOid === RSA_ENCRYPTION ? 'rsa-pkcs1' : 'ecdsa', hash: digestHash };
  }
  if (algorithmOid === RSASSA_PSS) return pssMethod(parameters);
  throw unsupported(algorithmOid);
}

/** RSASSA-PSS-params: [0] hash (default SHA-1), [1] MGF1(hash), [2] salt length (default 20). */
function pssMethod(parameters?: Uint8Array): SignatureMethod {
  let hash: HashName = 'sha1';
  let mgfHash: HashName = 'sha1';
  let saltLength = 20;
  if (parameters && parameters.length > 0) {
    const seq = decodeTlv(parameters);
    if (seq.tag !== DER.SEQUENCE) throw unsupported('RSASSA-PSS parameters are not a SEQUENCE');
    for (const p of tlvChildren(seq)) {
      const inner = tlvChildren(p)[0];
      if (p.tag === 0xa0 && inner) hash = algHash(inner.raw);
      else if (p.tag === 0xa1 && inner) {
        const [mgfOid, mgfParams] = tlvChildren(inner);
        if (mgfOid?.tag !== DER.OID || decodeOid(mgfOid.value) !== MGF1 || !mgfParams) throw unsupported('RSASSA-PSS mask generation other than MGF1');
        mgfHash = algHash(mgfParams.raw);
      } else if (p.tag === 0xa2 && inner?.tag === DER.INTEGER) saltLength = decodeSmallInteger(inner.value);
      else if (p.tag === 0xa3 && inner?.tag === DER.INTEGER && decodeSmallInteger(inner.value) !== 1) throw unsupported('RSASSA-PSS trailer field');
    }
  }
  // OpenSSL through node:crypto uses the signature hash for MGF1 as well.
  if (mgfHash !== hash) throw unsupported(`RSASSA-PSS with MGF1-${mgfHash} over ${hash}`);
  return { kind: 'rsa-pss', hash, saltLength };
}

function algHash(algorithmIdentifier: Uint8Array): HashName {
  const oid = tlvChildren(decodeTlv(algorithmIdentifier))[0];
  if (oid?.tag !== DER.OID) throw unsupported('hash AlgorithmIdentifier without OID');
  const name = hashNameForOid(decodeOid(oid.value));
  if (!name) throw unsupported(`hash ${decodeOid(oid.value)}`);
  return name;
}

/** True when `signature` over `data` verifies with `key` under `method`. Never throws on a bad signature. */
export function verifySignature(method: SignatureMethod, key: KeyObject, data: Uint8Array, signature: Uint8Array): boolean {
  try {
    if (method.kind === 'rsa-pss') {
      return verify(method.hash, data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: method.saltLength }, signature);
    }
    if (method.kind === 'ecdsa') {
      // CMS requires DER (r,s); some issuers write plain r||s. Accept either encoding.
      if (verify(method.hash, data, { key, dsaEncoding: 'der' }, signature)) return true;
      return signature[0] !== 0x30 && verify(method.hash, data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    return verify(method.hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}
