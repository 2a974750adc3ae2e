/**
 * EF.COM (ICAO 9303-10 §4.6.1): LDS version, Unicode version and the tags of the data groups
 * present. The reader uses the tag list to decide which files to read.
 */
import { ParseError } from '../../errors.ts';
import { decodeAscii, encodeTlv, expectTlv, findTlv, tlvChildren } from '../tlv.ts';
import { LDS_FILES, fileForDg, fileForDgTag } from './files.ts';

export interface ComFile {
  /** "0107" for LDS 1.7. */
  readonly ldsVersion: string;
  /** "040000" for Unicode 4.0.0. */
  readonly unicodeVersion: string;
  /** Data-group tags exactly as listed (unknown tags included). */
  readonly tags: readonly number[];
  /** Data-group numbers of the tags this kiosk knows, in listed order. */
  readonly dataGroups: readonly number[];
}

export function parseCom(bytes: Uint8Array): ComFile {
  const outer = expectTlv(bytes, LDS_FILES.COM.tag, 'EF.COM', 'COM_INVALID');
  const kids = tlvChildren(outer);
  const version = findTlv(kids, 0x5f01);
  const unicode = findTlv(kids, 0x5f36);
  const list = findTlv(kids, 0x5c);
  if (!list) throw new ParseError('COM_INVALID', 'EF.COM has no data-group tag list (5C)', {});
  const tags = Array.from(list.value);
  const dataGroups = tags.map((t) => fileForDgTag(t)?.dg).filter((n): n is number => n !== undefined);
  return {
    ldsVersion: version ? decodeAscii(version.value, 'EF.COM LDS version') : '',
    unicodeVersion: unicode ? decodeAscii(unicode.value, 'EF.COM Unicode version') : '',
    tags,
    dataGroups,
  };
}

const ascii = (s: string) => new TextEncoder().encode(s);

/** EF.COM listing the given data-group numbers (LDS 1.7, Unicode 4.0.0). */
export function buildCom(dataGroups: readonly number[]): Uint8Array {
  const tags = dataGroups.map((n) => {
    const f = fileForDg(n);
    if (!f) throw new RangeError(`no LDS tag known for DG${n}`);
    return f.tag;
  });
  return encodeTlv(LDS_FILES.COM.tag, [
    encodeTlv(0x5f01, ascii('0107')),
    encodeTlv(0x5f36, ascii('040000')),
    encodeTlv(0x5c, Uint8Array.from(tags)),
  ]);
}
