/** DG12 additional document details (ICAO 9303-10 §4.7.12). Optional text fields. */
import { ParseError } from '../../errors.ts';
import { decodeUtf8, encodeTlv, expectTlv, tlvChildren } from '../tlv.ts';
import { LDS_FILES } from './files.ts';

const FIELDS = {
  0x5f19: 'issuingAuthority', 0x5f26: 'dateOfIssue', 0x5f1b: 'endorsements', 0x5f1c: 'taxOrExitRequirements',
  0x5f55: 'personalizationTime', 0x5f56: 'personalizationDeviceSerial',
} as const;

export type Dg12Field = (typeof FIELDS)[keyof typeof FIELDS];
export type Dg12File = Partial<Record<Dg12Field, string>> & { readonly otherPersons: readonly string[] };

export function parseDg12(bytes: Uint8Array): Dg12File {
  const kids = tlvChildren(expectTlv(bytes, LDS_FILES.DG12.tag, 'DG12', 'DG12_INVALID'));
  if (kids[0]?.tag !== 0x5c) throw new ParseError('DG12_INVALID', 'DG12 does not start with its tag list (5C)', {});
  const out: Record<string, string> = {};
  const otherPersons: string[] = [];
  for (const k of kids) {
    if (k.tag === 0xa0) {
      for (const n of tlvChildren(k)) if (n.tag === 0x5f1a) otherPersons.push(decodeUtf8(n.value, 'DG12 other person'));
      continue;
    }
    const name = FIELDS[k.tag as keyof typeof FIELDS];
    // 5F26 is BCD-ish ASCII YYYYMMDD on most documents; images (5F1D/5F1E) are skipped here.
    if (name) out[name] = decodeUtf8(k.value, `DG12 ${name}`);
  }
  return { ...out, otherPersons };
}

export function buildDg12(fields: Partial<Record<Dg12Field, string>>): Uint8Array {
  const entries = (Object.entries(FIELDS) as [string, Dg12Field][]).filter(([, n]) => fields[n] !== undefined);
  const tags = entries.flatMap(([t]) => [Number(t) >> 8, Number(t) & 0xff]);
  return encodeTlv(LDS_FILES.DG12.tag, [
    encodeTlv(0x5c, Uint8Array.from(tags)),
    ...entries.map(([t, n]) => encodeTlv(Number(t), new TextEncoder().encode(fields[n]!))),
  ]);
}
