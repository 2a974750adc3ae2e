/**
 * DG15 (ICAO 9303-10 §4.7.15): the Active Authentication public key as a SubjectPublicKeyInfo,
 * RSA or EC (EC keys often carry explicit curve parameters, which Node's OpenSSL accepts).
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { ParseError } from '../../errors.ts';
import { DER, decodeOid, decodeTlv, encodeTlv, expectTlv, tlvChildren } from '../tlv.ts';
import { LDS_FILES } from './files.ts';

export interface Dg15File {
  /** DER SubjectPublicKeyInfo exactly as stored. */
  readonly spki: Uint8Array;
  readonly keyType: 'rsa' | 'ec';
  /** The key loaded by OpenSSL, ready for verification. */
  readonly publicKey: KeyObject;
}

const RSA = '1.2.840.113549.1.1.1';
const EC = '1.2.840.10045.2.1';

export function parseDg15(bytes: Uint8Array): Dg15File {
  const outer = expectTlv(bytes, LDS_FILES.DG15.tag, 'DG15', 'DG15_INVALID');
  const spkiTlv = decodeTlv(outer.value);
  const [alg] = tlvChildren(spkiTlv);
  const oid = alg?.tag === DER.SEQUENCE ? tlvChildren(alg)[0] : undefined;
  if (!oid || oid.tag !== DER.OID) throw new ParseError('DG15_INVALID', 'DG15 SubjectPublicKeyInfo has no algorithm', {});
  const algorithm = decodeOid(oid.value);
  if (algorithm !== RSA && algorithm !== EC) throw new ParseError('DG15_UNSUPPORTED_KEY', `DG15 key algorithm ${algorithm} is not RSA or EC`, { algorithm });
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(spkiTlv.raw), format: 'der', type: 'spki' });
  } catch {
    throw new ParseError('DG15_INVALID', 'DG15 public key cannot be loaded', {});
  }
  return { spki: spkiTlv.raw, keyType: algorithm === RSA ? 'rsa' : 'ec', publicKey };
}

export function buildDg15(spki: Uint8Array): Uint8Array {
  return encodeTlv(LDS_FILES.DG15.tag, spki);
}
