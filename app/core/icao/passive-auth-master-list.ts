/**
 * CSCA master lists (ICAO 9303-12 §9): a CMS SignedData whose content (OID 2.23.136.1.1.2) is
 *   CscaMasterList ::= SEQUENCE { version INTEGER, certList SET OF Certificate }
 * We extract the certificates; the list's own signature is not a trust decision we can make
 * (its signer chains to a CSCA inside the list), so the operator's choice of file is the trust.
 * Walked with our DER reader: asn1js refuses some published lists (e.g. the German one).
 */
import { ParseError } from '../errors.ts';
import { OID_SIGNED_DATA } from './lds/sod.ts';
import { DER, concatBytes, decodeOid, decodeTlv, tlvChildren, type Tlv } from './tlv.ts';

export const OID_CSCA_MASTER_LIST = '2.23.136.1.1.2';

function fail(message: string): never {
  throw new ParseError('MASTER_LIST_INVALID', `master list ${message}`, {});
}

/** OCTET STRING content, primitive or (BER) constructed from primitive pieces. */
function octets(t: Tlv): Uint8Array {
  if (t.tag === DER.OCTET_STRING) return t.value;
  if (t.tag === (DER.OCTET_STRING | 0x20)) return concatBytes(...tlvChildren(t).map(octets));
  fail('content is not an OCTET STRING');
}

export function parseMasterList(bytes: Uint8Array): Uint8Array[] {
  const [ctype, explicit] = tlvChildren(decodeTlv(bytes));
  if (ctype?.tag !== DER.OID || decodeOid(ctype.value) !== OID_SIGNED_DATA || explicit?.tag !== 0xa0) fail('is not a CMS SignedData');
  const [signedData] = tlvChildren(explicit);
  if (signedData?.tag !== DER.SEQUENCE) fail('SignedData is not a SEQUENCE');
  const encap = tlvChildren(signedData)[2];
  if (encap?.tag !== DER.SEQUENCE) fail('has no encapsulated content');
  const [etype, econtent] = tlvChildren(encap);
  if (etype?.tag !== DER.OID || decodeOid(etype.value) !== OID_CSCA_MASTER_LIST) fail('content type is not CscaMasterList');
  const inner = econtent?.tag === 0xa0 ? tlvChildren(econtent)[0] : undefined;
  if (!inner) fail('has no content');
  const [version, certList] = tlvChildren(decodeTlv(octets(inner)));
  if (version?.tag !== DER.INTEGER || certList?.tag !== DER.SET) fail('CscaMasterList is not { version, SET OF Certificate }');
  return tlvChildren(certList).map((c) => c.raw);
}
