/**
 * Minimal X.509 v3 certificate and CRL writer for the test PKI: DER built with the core TLV
 * helpers and signed with node:crypto, so keys on curves WebCrypto lacks (brainpool, explicit
 * parameters) work the same as RSA and P-256.
 */
import { createHash, type KeyObject } from 'node:crypto';
import { DER, concatBytes, decodeTlv, derOctetString, derSequence, derSet, encodeInteger, encodeOid, encodeTlv, tlvChildren } from '../../core/icao/tlv.ts';
import { signatureAlgorithmIdentifier, signWith, type SignatureScheme } from './algorithms.ts';

export interface DistinguishedName {
  readonly country: string;
  readonly organization?: string;
  readonly organizationalUnit?: string;
  readonly commonName: string;
}

const utf8 = (s: string) => new TextEncoder().encode(s);

export function encodeName(n: DistinguishedName): Uint8Array {
  const rdn = (oid: string, tag: number, v: string) => derSet(derSequence(encodeOid(oid), encodeTlv(tag, utf8(v))));
  return derSequence(
    rdn('2.5.4.6', DER.PRINTABLE_STRING, n.country),
    ...(n.organization ? [rdn('2.5.4.10', DER.UTF8_STRING, n.organization)] : []),
    ...(n.organizationalUnit ? [rdn('2.5.4.11', DER.UTF8_STRING, n.organizationalUnit)] : []),
    rdn('2.5.4.3', DER.UTF8_STRING, n.commonName),
  );
}

/** UTCTime up to 2049, GeneralizedTime from 2050 (RFC 5280 §4.1.2.5). */
export function encodeTime(d: Date): Uint8Array {
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return d.getUTCFullYear() < 2050 ? encodeTlv(0x17, utf8(`${iso.slice(2)}Z`)) : encodeTlv(0x18, utf8(`${iso}Z`));
}

/** The subjectPublicKey bits of an SPKI, SHA-1 hashed: the usual key identifier (RFC 5280 §4.2.1.2). */
export function keyIdentifier(spki: Uint8Array): Uint8Array {
  const [, bits] = tlvChildren(decodeTlv(spki));
  return new Uint8Array(createHash('sha1').update(bits!.value.subarray(1)).digest());
}

const spkiOf = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));

export function extension(oid: string, critical: boolean, value: Uint8Array): Uint8Array {
  return derSequence(encodeOid(oid), ...(critical ? [Uint8Array.of(0x01, 0x01, 0xff)] : []), derOctetString(value));
}

export interface CertificateSpec {
  readonly serial: number;
  readonly subject: DistinguishedName;
  readonly issuer: DistinguishedName;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly publicKey: KeyObject;
  /** Key identifier of the issuer's key (AKI); omitted for self-signed roots. */
  readonly issuerKeyId?: Uint8Array;
  readonly signingKey: KeyObject;
  readonly scheme: SignatureScheme;
  readonly ca: boolean;
  /**
   * keyUsage bits to write instead of the role's (keyCertSign+cRLSign for a CA, digitalSignature
   * otherwise); 'omit' writes no keyUsage extension. For forgeries only.
   */
  readonly keyUsage?: readonly KeyUsageBit[] | 'omit';
  /** Further extensions (encoded with `extension()`), e.g. subjectAltName for a TLS certificate. */
  readonly extensions?: readonly Uint8Array[];
}

const KEY_USAGE = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign'] as const;
export type KeyUsageBit = (typeof KEY_USAGE)[number];

/** keyUsage as a DER BIT STRING (RFC 5280 §4.2.1.3; bit 0 is the most significant, unused trailing bits counted). */
function keyUsageBits(bits: readonly KeyUsageBit[]): Uint8Array {
  const value = bits.reduce((v, b) => v | (0x80 >> KEY_USAGE.indexOf(b)), 0);
  let unused = 0;
  while (unused < 7 && value && !(value & (1 << unused))) unused++;
  return Uint8Array.of(0x03, 0x02, value ? unused : 0, value);
}

export function buildCertificate(c: CertificateSpec): Uint8Array {
  const spki = spkiOf(c.publicKey);
  const sigAlg = signatureAlgorithmIdentifier(c.scheme);
  const exts = [
    extension('2.5.29.19', true, c.ca ? derSequence(Uint8Array.of(0x01, 0x01, 0xff), encodeInteger(0)) : derSequence()),
    ...(c.keyUsage === 'omit' ? [] : [extension('2.5.29.15', true, keyUsageBits(c.keyUsage ?? (c.ca ? ['keyCertSign', 'cRLSign'] : ['digitalSignature'])))]),
    extension('2.5.29.14', false, derOctetString(keyIdentifier(spki))),
    ...(c.issuerKeyId ? [extension('2.5.29.35', false, derSequence(encodeTlv(0x80, c.issuerKeyId)))] : []),
    ...(c.extensions ?? []),
  ];
  const tbs = derSequence(
    encodeTlv(0xa0, encodeInteger(2)),
    encodeInteger(c.serial),
    sigAlg,
    encodeName(c.issuer),
    derSequence(encodeTime(c.notBefore), encodeTime(c.notAfter)),
    encodeName(c.subject),
    spki,
    encodeTlv(0xa3, derSequence(...exts)),
  );
  return derSequence(tbs, sigAlg, bitString(signWith(c.scheme, c.signingKey, tbs)));
}

export const bitString = (b: Uint8Array): Uint8Array => encodeTlv(DER.BIT_STRING, concatBytes(Uint8Array.of(0), b));

export interface CrlSpec {
  readonly issuer: DistinguishedName;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date;
  readonly revokedSerials: readonly number[];
  readonly signingKey: KeyObject;
  readonly scheme: SignatureScheme;
}

/** X.509 v2 CRL (RFC 5280 §5). */
export function buildCrl(c: CrlSpec): Uint8Array {
  const sigAlg = signatureAlgorithmIdentifier(c.scheme);
  const revoked = c.revokedSerials.map((s) => derSequence(encodeInteger(s), encodeTime(c.thisUpdate)));
  const tbs = derSequence(
    encodeInteger(1),
    sigAlg,
    encodeName(c.issuer),
    encodeTime(c.thisUpdate),
    encodeTime(c.nextUpdate),
    ...(revoked.length ? [derSequence(...revoked)] : []),
  );
  return derSequence(tbs, sigAlg, bitString(signWith(c.scheme, c.signingKey, tbs)));
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
