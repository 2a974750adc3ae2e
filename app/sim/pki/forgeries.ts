/**
 * Forgeries passive authentication must refuse, generated from the test PKI (never pasted):
 *   - Document Signers unfit to sign documents: a CA certificate, one without digitalSignature;
 *   - "CurveBall" (CVE-2020-0601) on a CSCA written with explicit EC parameters: the same public
 *     point Q under a swapped generator G' = d'^-1·Q, so the forger knows d' with Q = d'·G' and can
 *     sign certificates that verify with the altered anchor;
 *   - an EF.SOD signed again over a card's data groups, with another signed content type or none.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { LDS_FILES } from '../../core/icao/lds/files.ts';
import { bigIntToBytes, bytesToBigInt, ecKeyFromSpki } from '../../core/icao/pace-groups.ts';
import { DER, decodeTlv, derOctetString, derSequence, encodeInteger, encodeTlv, tlvChildren } from '../../core/icao/tlv.ts';
import { bitString } from './x509.ts';
import { signSod } from './sod-signer.ts';
import { issue, type KeyedCertificate, type TestPki } from './test-pki.ts';

const utc = (y: number) => new Date(Date.UTC(y, 0, 1));

/** The profile's Document Signer key, certified with a flaw: CA rights, or no (digitalSignature) key usage. */
export function unfitDsc(pki: TestPki, flaw: 'ca' | 'no-digital-signature' | 'no-key-usage'): KeyedCertificate {
  return issue({
    subject: { ...pki.dsc.name, commonName: `${pki.dsc.name.commonName} (${flaw})` }, serial: pki.dsc.serial + 0x100,
    keys: { publicKey: pki.dsc.publicKey, privateKey: pki.dsc.privateKey }, scheme: pki.dsc.scheme, issuer: pki.csca,
    notBefore: utc(2024), notAfter: utc(2036), ca: flaw === 'ca',
    ...(flaw === 'ca' ? { keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'] as const } : {}),
    ...(flaw === 'no-digital-signature' ? { keyUsage: ['keyEncipherment'] as const } : {}),
    ...(flaw === 'no-key-usage' ? { keyUsage: 'omit' as const } : {}),
  });
}

const modInverse = (a: bigint, n: bigint): bigint => {
  let [r0, r1, s0, s1] = [((a % n) + n) % n, n, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % n) + n) % n;
};

export interface CurveForgery {
  /** The altered anchor: the genuine CSCA's subject and public point, a swapped generator, self-signed. */
  readonly csca: KeyedCertificate;
  /** A Document Signer the forger issued under the altered anchor (same name as the genuine DSC). */
  readonly dsc: KeyedCertificate;
  /** The genuine CSCA's public point and the altered anchor's, as written in their certificates. */
  readonly genuinePoint: Uint8Array;
  readonly forgedPoint: Uint8Array;
}

/**
 * CurveBall against a CSCA whose key is written with explicit parameters (like Vietnam's): keeps
 * p, a, b, n, h and the public point, replaces the generator. Throws for named-curve keys.
 */
export function curveSubstitutedCsca(pki: TestPki): CurveForgery {
  const spkiDer = new Uint8Array(pki.csca.publicKey.export({ type: 'spki', format: 'der' }));
  const [alg, key] = tlvChildren(decodeTlv(spkiDer));
  const [oid, params] = tlvChildren(alg!);
  if (params?.tag !== DER.SEQUENCE) throw new RangeError(`the ${pki.profile} CSCA key has no explicit parameters to swap`);
  const { group, publicKey: q } = ecKeyFromSpki(spkiDer);
  const n = group.order;
  const d = (bytesToBigInt(new Uint8Array(randomBytes(64))) % (n - 1n)) + 1n; // the forger's private key
  const g2 = group.mul(q, modInverse(d, n)); // d·G' = Q
  const [version, fieldId, curve, , order, cofactor] = tlvChildren(params);
  const swapped = derSequence(version!.raw, fieldId!.raw, curve!.raw, derOctetString(group.encode(g2)), order!.raw, ...(cofactor ? [cofactor.raw] : []));
  const forgedSpki = derSequence(derSequence(oid!.raw, swapped), key!.raw);
  const fieldBytes = (group.encode(q).length - 1) / 2;
  const pkcs8 = derSequence(
    encodeInteger(0), derSequence(oid!.raw, swapped),
    derOctetString(derSequence(encodeInteger(1), derOctetString(bigIntToBytes(d, fieldBytes)), encodeTlv(0xa1, bitString(group.encode(q))))),
  );
  const keys: { publicKey: KeyObject; privateKey: KeyObject } = {
    publicKey: createPublicKey({ key: Buffer.from(forgedSpki), format: 'der', type: 'spki' }),
    privateKey: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }),
  };
  const csca = issue({ subject: pki.csca.name, serial: pki.csca.serial, keys, scheme: pki.csca.scheme, notBefore: utc(2014), notAfter: utc(2045), ca: true });
  const dsc = issue({
    subject: pki.dsc.name, serial: pki.dsc.serial + 0x200, keys: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    scheme: { kind: 'ecdsa', hash: 'sha256' }, issuer: csca, notBefore: utc(2024), notAfter: utc(2036), ca: false,
  });
  return { csca, dsc, genuinePoint: key!.value.subarray(1), forgedPoint: spkiPoint(csca.certificate) };
}

/** The public point (BIT STRING content) of a certificate's key as written. */
function spkiPoint(cert: Uint8Array): Uint8Array {
  const [tbs] = tlvChildren(decodeTlv(cert));
  const kids = tlvChildren(tbs!);
  const spki = kids[(kids[0]!.tag === 0xa0 ? 1 : 0) + 5]!;
  return tlvChildren(spki)[1]!.value.subarray(1);
}

export interface SodForgeryOptions {
  /** The signed content-type attribute: another OID, or null to leave it out. */
  readonly contentTypeAttribute?: string | null;
}

/** An EF.SOD over `dataGroups` signed by `signer` (any certificate and key: the issuer's, a forger's, an unfit one). */
export function sodSignedBy(pki: TestPki, dataGroups: ReadonlyMap<number, Uint8Array>, signer: KeyedCertificate, o: SodForgeryOptions = {}): Uint8Array {
  return signSod({
    dataGroups, dataGroupHash: pki.dataGroupHash, certificate: signer.certificate, signingKey: signer.privateKey, scheme: signer.scheme,
    signingTime: new Date(Date.UTC(2025, 0, 1)),
    ...(o.contentTypeAttribute !== undefined ? { contentTypeAttribute: o.contentTypeAttribute } : {}),
  });
}

/** A signed CMS ContentInfo whose encapsulated content was replaced after signing (SignerInfo kept). */
export function swapSignedContent(contentInfo: Uint8Array, eContent: Uint8Array): Uint8Array {
  const [oid, explicit] = tlvChildren(decodeTlv(contentInfo));
  const [version, digests, encap, ...rest] = tlvChildren(tlvChildren(explicit!)[0]!);
  const [etype] = tlvChildren(encap!);
  const signedData = derSequence(version!.raw, digests!.raw, derSequence(etype!.raw, encodeTlv(0xa0, derOctetString(eContent))), ...rest.map((r) => r.raw));
  return derSequence(oid!.raw, encodeTlv(0xa0, signedData));
}

/** A card's files with EF.SOD replaced (a forged chip carrying a re-signed SOD). */
export function withSod(files: ReadonlyMap<number, Uint8Array>, sod: Uint8Array): Map<number, Uint8Array> {
  return new Map([...files, [LDS_FILES.SOD.fid, sod]]);
}
