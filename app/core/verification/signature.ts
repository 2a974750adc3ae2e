import { createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/**
 * Response signatures. The algorithm follows the pinned key's type, never a field in the message
 * (an attacker must not be able to choose it): RSA keys verify RSASSA-PKCS1-v1_5 with SHA-256,
 * EC keys ECDSA with SHA-256 (DER-encoded, or IEEE P1363 r||s where a gateway uses that).
 */
export type EcdsaEncoding = 'der' | 'ieee-p1363';

export function signatureAlgorithm(key: KeyObject): 'RS256' | 'ES256' {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'ec') return 'ES256';
  throw new Error(`unsupported response-signing key type ${String(type)} (RSA or EC expected)`);
}

export function signBytes(privateKey: KeyObject, bytes: Uint8Array, ecdsa: EcdsaEncoding = 'der'): Buffer {
  const alg = signatureAlgorithm(privateKey);
  return sign('sha256', bytes, alg === 'RS256' ? { key: privateKey, padding: 1 /* RSA_PKCS1_PADDING */ } : { key: privateKey, dsaEncoding: ecdsa });
}

/** True only for a valid signature; malformed signatures are simply invalid. */
export function verifyBytes(publicKey: KeyObject, bytes: Uint8Array, signature: Uint8Array, ecdsa: EcdsaEncoding = 'der'): boolean {
  const alg = signatureAlgorithm(publicKey);
  try {
    return verify('sha256', bytes, alg === 'RS256' ? { key: publicKey, padding: 1 } : { key: publicKey, dsaEncoding: ecdsa }, signature);
  } catch {
    return false;
  }
}

/** Loads a pinned public key from PEM (SPKI or a certificate). */
export function publicKeyFromPem(pem: string): KeyObject {
  return createPublicKey(pem);
}
