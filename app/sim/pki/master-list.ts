/**
 * A CSCA master list in the ICAO 9303-12 shape (CMS SignedData around a CscaMasterList), for
 * loader tests and fuzz seeds. Unsigned (no SignerInfo): the kiosk does not judge a list by its
 * signature, the operator's choice of file is the trust decision.
 */
import { OID_CSCA_MASTER_LIST } from '../../core/icao/passive-auth-master-list.ts';
import { OID_SIGNED_DATA } from '../../core/icao/lds/sod.ts';
import { derOctetString, derSequence, derSet, encodeInteger, encodeOid, encodeTlv } from '../../core/icao/tlv.ts';

export function buildMasterList(certificates: readonly Uint8Array[]): Uint8Array {
  const list = derSequence(encodeInteger(0), derSet(...certificates));
  const signedData = derSequence(
    encodeInteger(3),
    derSet(),
    derSequence(encodeOid(OID_CSCA_MASTER_LIST), encodeTlv(0xa0, derOctetString(list))),
    derSet(),
  );
  return derSequence(encodeOid(OID_SIGNED_DATA), encodeTlv(0xa0, signedData));
}
