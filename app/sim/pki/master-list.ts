/**
 * A CSCA master list in the ICAO 9303-12 shape (CMS SignedData around a CscaMasterList), for
 * loader tests and fuzz seeds: signed by a Master List Signer when one is given (as published
 * lists are), else without any SignerInfo (what the kiosk must refuse unless the profile vouches
 * for the file).
 */
import { OID_SIGNED_DATA } from '../../core/icao/cms.ts';
import { OID_CSCA_MASTER_LIST } from '../../core/icao/passive-auth-master-list.ts';
import { derOctetString, derSequence, derSet, encodeInteger, encodeOid, encodeTlv } from '../../core/icao/tlv.ts';
import { signCms, type CmsSigner } from './sod-signer.ts';

export function buildMasterList(certificates: readonly Uint8Array[], signer?: CmsSigner): Uint8Array {
  const list = derSequence(encodeInteger(0), derSet(...certificates));
  if (signer) return signCms(OID_CSCA_MASTER_LIST, list, signer);
  const signedData = derSequence(
    encodeInteger(3),
    derSet(),
    derSequence(encodeOid(OID_CSCA_MASTER_LIST), encodeTlv(0xa0, derOctetString(list))),
    derSet(),
  );
  return derSequence(encodeOid(OID_SIGNED_DATA), encodeTlv(0xa0, signedData));
}
