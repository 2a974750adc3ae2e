/**
 * SecurityInfos (ICAO 9303-11 §9.2, BSI TR-03110): the SET OF SecurityInfo found in EF.CardAccess
 * (PACE) and DG14 (Chip Authentication, Terminal Authentication, Active Authentication). Each
 * entry is `SEQUENCE { protocol OID, requiredData, optionalData OPTIONAL }`; we recognise the
 * protocol families and keep unknown entries raw rather than failing on them.
 */
import { ParseError } from '../../errors.ts';
import {
  DER, decodeOid, decodeSmallInteger, decodeTlv, derSequence, derSet, encodeInteger, encodeOid, tlvChildren, type Tlv,
} from '../tlv.ts';

export const OID = {
  PK_DH: '0.4.0.127.0.7.2.2.1.1',
  PK_ECDH: '0.4.0.127.0.7.2.2.1.2',
  TA: '0.4.0.127.0.7.2.2.2',
  CA: '0.4.0.127.0.7.2.2.3',
  CA_DH: '0.4.0.127.0.7.2.2.3.1',
  CA_ECDH: '0.4.0.127.0.7.2.2.3.2',
  CA_ECDH_AES_CBC_CMAC_128: '0.4.0.127.0.7.2.2.3.2.2',
  PACE: '0.4.0.127.0.7.2.2.4',
  PACE_DH_GM: '0.4.0.127.0.7.2.2.4.1',
  PACE_ECDH_GM: '0.4.0.127.0.7.2.2.4.2',
  PACE_DH_IM: '0.4.0.127.0.7.2.2.4.3',
  PACE_ECDH_IM: '0.4.0.127.0.7.2.2.4.4',
  PACE_ECDH_CAM: '0.4.0.127.0.7.2.2.4.6',
  PACE_ECDH_GM_AES_CBC_CMAC_128: '0.4.0.127.0.7.2.2.4.2.2',
  AA: '2.23.136.1.1.5',
} as const;

export type KeyAgreement = 'DH' | 'ECDH';
export type SmCipher = '3DES' | 'AES-128' | 'AES-192' | 'AES-256';
export type PaceMapping = 'GM' | 'IM' | 'CAM';

export type SecurityInfo =
  | { kind: 'PACEInfo'; protocol: string; version: number; parameterId?: number; agreement: KeyAgreement; mapping: PaceMapping; cipher: SmCipher; raw: Uint8Array }
  | { kind: 'PACEDomainParameterInfo'; protocol: string; domainParameter: Uint8Array; parameterId?: number; raw: Uint8Array }
  | { kind: 'ChipAuthenticationInfo'; protocol: string; version: number; keyId?: number; agreement: KeyAgreement; cipher: SmCipher; raw: Uint8Array }
  | { kind: 'ChipAuthenticationPublicKeyInfo'; protocol: string; agreement: KeyAgreement; publicKey: Uint8Array; keyId?: number; raw: Uint8Array }
  | { kind: 'TerminalAuthenticationInfo'; protocol: string; version: number; raw: Uint8Array }
  | { kind: 'ActiveAuthenticationInfo'; protocol: string; version: number; signatureAlgorithm: string; raw: Uint8Array }
  | { kind: 'UnknownSecurityInfo'; protocol: string; raw: Uint8Array };

const CIPHERS: Record<string, SmCipher> = { '1': '3DES', '2': 'AES-128', '3': 'AES-192', '4': 'AES-256' };
const PACE_FAMILIES: Record<string, { agreement: KeyAgreement; mapping: PaceMapping }> = {
  '1': { agreement: 'DH', mapping: 'GM' }, '2': { agreement: 'ECDH', mapping: 'GM' },
  '3': { agreement: 'DH', mapping: 'IM' }, '4': { agreement: 'ECDH', mapping: 'IM' },
  '6': { agreement: 'ECDH', mapping: 'CAM' },
};

function fail(message: string): never {
  throw new ParseError('SECURITY_INFO_INVALID', `SecurityInfo ${message}`, {});
}

function integer(t: Tlv | undefined, what: string): number {
  if (!t || t.tag !== DER.INTEGER) fail(`${what} is not an INTEGER`);
  return decodeSmallInteger(t.value);
}

function optionalInteger(t: Tlv | undefined, what: string): number | undefined {
  return t === undefined ? undefined : integer(t, what);
}

/** Parses one SecurityInfo SEQUENCE. */
export function parseSecurityInfo(t: Tlv): SecurityInfo {
  if (t.tag !== DER.SEQUENCE) fail('is not a SEQUENCE');
  const [oidTlv, req, opt] = tlvChildren(t);
  if (!oidTlv || oidTlv.tag !== DER.OID) fail('does not start with a protocol OID');
  const protocol = decodeOid(oidTlv.value);
  const raw = t.raw;
  const arcs = protocol.split('.');
  const under = (prefix: string) => protocol.startsWith(prefix + '.');

  if (under(OID.PACE)) {
    const family = PACE_FAMILIES[arcs[9] ?? ''];
    if (arcs.length === 11 && family) {
      const cipher = CIPHERS[arcs[10]!];
      if (!cipher) return { kind: 'UnknownSecurityInfo', protocol, raw };
      const parameterId = optionalInteger(opt, 'PACEInfo parameterId');
      return { kind: 'PACEInfo', protocol, version: integer(req, 'PACEInfo version'), agreement: family.agreement, mapping: family.mapping, cipher, raw, ...(parameterId === undefined ? {} : { parameterId }) };
    }
    if (arcs.length === 10 && family) {
      if (!req || req.tag !== DER.SEQUENCE) fail('PACEDomainParameterInfo has no AlgorithmIdentifier');
      const parameterId = optionalInteger(opt, 'PACEDomainParameterInfo parameterId');
      return { kind: 'PACEDomainParameterInfo', protocol, domainParameter: req.raw, raw, ...(parameterId === undefined ? {} : { parameterId }) };
    }
  }
  if ((under(OID.CA_DH) || under(OID.CA_ECDH)) && arcs.length === 11) {
    const cipher = CIPHERS[arcs[10]!];
    if (cipher) {
      const keyId = optionalInteger(opt, 'ChipAuthenticationInfo keyId');
      return { kind: 'ChipAuthenticationInfo', protocol, version: integer(req, 'ChipAuthenticationInfo version'), agreement: under(OID.CA_DH) ? 'DH' : 'ECDH', cipher, raw, ...(keyId === undefined ? {} : { keyId }) };
    }
  }
  if (protocol === OID.PK_DH || protocol === OID.PK_ECDH) {
    if (!req || req.tag !== DER.SEQUENCE) fail('ChipAuthenticationPublicKeyInfo has no SubjectPublicKeyInfo');
    const keyId = optionalInteger(opt, 'ChipAuthenticationPublicKeyInfo keyId');
    return { kind: 'ChipAuthenticationPublicKeyInfo', protocol, agreement: protocol === OID.PK_DH ? 'DH' : 'ECDH', publicKey: req.raw, raw, ...(keyId === undefined ? {} : { keyId }) };
  }
  if (protocol === OID.TA) return { kind: 'TerminalAuthenticationInfo', protocol, version: integer(req, 'TerminalAuthenticationInfo version'), raw };
  if (protocol === OID.AA) {
    if (!opt || opt.tag !== DER.OID) fail('ActiveAuthenticationInfo has no signature algorithm OID');
    return { kind: 'ActiveAuthenticationInfo', protocol, version: integer(req, 'ActiveAuthenticationInfo version'), signatureAlgorithm: decodeOid(opt.value), raw };
  }
  return { kind: 'UnknownSecurityInfo', protocol, raw };
}

/** SecurityInfos ::= SET OF SecurityInfo (the whole of EF.CardAccess, or DG14's content). */
export function parseSecurityInfos(set: Tlv): SecurityInfo[] {
  if (set.tag !== DER.SET) fail('list is not a SET');
  return tlvChildren(set).map(parseSecurityInfo);
}

/** EF.CardAccess is a bare SecurityInfos SET. */
export function parseCardAccess(bytes: Uint8Array): SecurityInfo[] {
  return parseSecurityInfos(decodeTlv(bytes));
}

export type SecurityInfoInput =
  | { kind: 'PACEInfo'; protocol: string; version: number; parameterId?: number }
  | { kind: 'ChipAuthenticationInfo'; protocol: string; version: number; keyId?: number }
  | { kind: 'ChipAuthenticationPublicKeyInfo'; protocol: string; publicKey: Uint8Array; keyId?: number }
  | { kind: 'TerminalAuthenticationInfo'; version: number }
  | { kind: 'ActiveAuthenticationInfo'; version: number; signatureAlgorithm: string };

export function encodeSecurityInfo(i: SecurityInfoInput): Uint8Array {
  switch (i.kind) {
    case 'PACEInfo':
      return derSequence(encodeOid(i.protocol), encodeInteger(i.version), ...(i.parameterId === undefined ? [] : [encodeInteger(i.parameterId)]));
    case 'ChipAuthenticationInfo':
      return derSequence(encodeOid(i.protocol), encodeInteger(i.version), ...(i.keyId === undefined ? [] : [encodeInteger(i.keyId)]));
    case 'ChipAuthenticationPublicKeyInfo':
      return derSequence(encodeOid(i.protocol), i.publicKey, ...(i.keyId === undefined ? [] : [encodeInteger(i.keyId)]));
    case 'TerminalAuthenticationInfo':
      return derSequence(encodeOid(OID.TA), encodeInteger(i.version));
    case 'ActiveAuthenticationInfo':
      return derSequence(encodeOid(OID.AA), encodeInteger(i.version), encodeOid(i.signatureAlgorithm));
  }
}

export const encodeSecurityInfos = (infos: readonly SecurityInfoInput[]): Uint8Array => derSet(...infos.map(encodeSecurityInfo));
