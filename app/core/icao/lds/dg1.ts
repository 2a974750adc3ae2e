/** DG1 (ICAO 9303-10 §4.7.1): the MRZ as printed, in tag 5F1F inside 61. */
import { ParseError } from '../../errors.ts';
import { type Mrz, parseMrz } from '../mrz.ts';
import { decodeAscii, encodeTlv, expectTlv, findTlv, tlvChildren } from '../tlv.ts';
import { LDS_FILES } from './files.ts';

export interface Dg1File {
  readonly mrz: Mrz;
}

export function parseDg1(bytes: Uint8Array): Dg1File {
  const outer = expectTlv(bytes, LDS_FILES.DG1.tag, 'DG1', 'DG1_INVALID');
  const mrzTlv = findTlv(tlvChildren(outer), 0x5f1f);
  if (!mrzTlv) throw new ParseError('DG1_INVALID', 'DG1 has no MRZ data object (5F1F)', {});
  // DG1 holds the lines run together; parseMrz splits them by length (90/72/88).
  return { mrz: parseMrz(decodeAscii(mrzTlv.value, 'DG1 MRZ')) };
}

/** DG1 from MRZ text (lines joined by newlines or run together). */
export function buildDg1(mrzText: string): Uint8Array {
  const run = mrzText.replace(/\s+/g, '');
  return encodeTlv(LDS_FILES.DG1.tag, encodeTlv(0x5f1f, new TextEncoder().encode(run)));
}
