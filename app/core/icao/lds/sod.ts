/**
 * EF.SOD (ICAO 9303-10 §4.6.2): tag 77 around a CMS SignedData (RFC 5652) whose content is the
 * LDSSecurityObject: the hash algorithm and one hash per data group. Both layers are read with our
 * strict DER walker (pkijs took ~20 ms per SOD and throws untyped errors); only the fields passive
 * authentication needs are extracted. Verification lives in passive-auth.ts.
 */
import { createHash } from 'node:crypto';
import { ParseError } from '../../errors.ts';
import { failWith, parseSignedData, type SignedData, type SignerInfo } from '../cms.ts';
import { DER, decodeAscii, decodeOid, decodeSmallInteger, decodeTlv, derOctetString, derSequence, encodeInteger, encodeOid, encodeTlv, expectTlv, tlvChildren } from '../tlv.ts';
import { equalBytes } from '../crypto.ts';
import { HASH_OIDS, hashNameForOid, type HashName } from '../hashes.ts';
import { LDS_FILES } from './files.ts';

export { HASH_OIDS, hashNameForOid, type HashName } from '../hashes.ts';
export { OID_CONTENT_TYPE, OID_MESSAGE_DIGEST, OID_SIGNED_DATA, OID_SIGNING_TIME, findSignerCertificate, type SignerIdentifier } from '../cms.ts';
export { equalBytes } from '../crypto.ts';

/** id-icao-mrtd-security-ldsSecurityObject: the only content type an EF.SOD may sign. */
export const OID_LDS_SECURITY_OBJECT = '2.23.136.1.1.1';

export interface LdsSecurityObject {
  readonly version: number;
  readonly hashAlgorithm: HashName;
  readonly dataGroupHashes: ReadonlyMap<number, Uint8Array>;
  readonly ldsVersion?: string;
  readonly unicodeVersion?: string;
}

export type SodSignerInfo = SignerInfo;

export interface SodFile extends SignedData {
  readonly ldsSecurityObject: LdsSecurityObject;
}

export function parseSod(bytes: Uint8Array): SodFile {
  const outer = expectTlv(bytes, LDS_FILES.SOD.tag, 'EF.SOD', 'SOD_INVALID');
  const fail = failWith('SOD_INVALID', 'EF.SOD');
  const sd = parseSignedData(outer.value, fail);
  if (sd.signerInfos.length === 0) fail('has no SignerInfo');
  return { ...sd, ldsSecurityObject: parseLdsSecurityObject(sd.eContent) };
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

/** Whether `bytes` hash to the value the SOD lists for data group `dg`; undefined when it lists none. */
export function dataGroupHashMatches(lso: LdsSecurityObject, dg: number, bytes: Uint8Array): boolean | undefined {
  const expected = lso.dataGroupHashes.get(dg);
  if (!expected) return undefined;
  return equalBytes(new Uint8Array(createHash(lso.hashAlgorithm).update(bytes).digest()), expected);
}
