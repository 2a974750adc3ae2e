/**
 * DG11 additional personal details (ICAO 9303-10 §4.7.11). Vietnamese cards carry these in DG13
 * instead, but passports may have DG11. Every field is optional text.
 */
import { ParseError } from '../../errors.ts';
import { decodeUtf8, encodeTlv, expectTlv, tlvChildren } from '../tlv.ts';
import { LDS_FILES } from './files.ts';

const FIELDS = {
  0x5f0e: 'fullName', 0x5f10: 'personalNumber', 0x5f2b: 'fullDateOfBirth', 0x5f11: 'placeOfBirth',
  0x5f42: 'permanentAddress', 0x5f12: 'telephone', 0x5f13: 'profession', 0x5f14: 'title',
  0x5f15: 'personalSummary', 0x5f16: 'proofOfCitizenship', 0x5f17: 'otherValidTdNumbers', 0x5f18: 'custodyInformation',
} as const;

export type Dg11Field = (typeof FIELDS)[keyof typeof FIELDS];
export type Dg11File = Partial<Record<Dg11Field, string>> & { readonly otherNames: readonly string[] };

export function parseDg11(bytes: Uint8Array): Dg11File {
  const kids = tlvChildren(expectTlv(bytes, LDS_FILES.DG11.tag, 'DG11', 'DG11_INVALID'));
  const out: Record<string, string> = {};
  const otherNames: string[] = [];
  for (const k of kids) {
    if (k.tag === 0x5c) continue;
    if (k.tag === 0xa0) {
      for (const n of tlvChildren(k)) if (n.tag === 0x5f0f) otherNames.push(decodeUtf8(n.value, 'DG11 other name'));
      continue;
    }
    const name = FIELDS[k.tag as keyof typeof FIELDS];
    if (name) out[name] = decodeUtf8(k.value, `DG11 ${name}`);
  }
  if (kids[0]?.tag !== 0x5c) throw new ParseError('DG11_INVALID', 'DG11 does not start with its tag list (5C)', {});
  return { ...out, otherNames };
}

export function buildDg11(fields: Partial<Record<Dg11Field, string>>): Uint8Array {
  const entries = (Object.entries(FIELDS) as [string, Dg11Field][]).filter(([, n]) => fields[n] !== undefined);
  const tags = entries.flatMap(([t]) => [Number(t) >> 8, Number(t) & 0xff]);
  return encodeTlv(LDS_FILES.DG11.tag, [
    encodeTlv(0x5c, Uint8Array.from(tags)),
    ...entries.map(([t, n]) => encodeTlv(Number(t), new TextEncoder().encode(fields[n]!))),
  ]);
}
