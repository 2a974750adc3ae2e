/**
 * DG13 of the Vietnamese chip ID card (reference cccd-icao.md §1.2). Not free text but DER:
 *   6D { SEQUENCE { INTEGER 1, OID 1.0.10646.1.0.8, SET { SEQUENCE { INTEGER n, value… } … } } }
 * Fields are numbered 1–16 and may be absent, so we parse by number, never by position, and
 * collect every string below a field in document order (field 13 nests father and mother in
 * their own SEQUENCEs; field 14 lists zero or more spouses).
 */
import { ParseError } from '../errors.ts';
import {
  DER, concatBytes, decodeAscii, decodeSmallInteger, decodeUtf8, derPrintable, derSequence, derUtf8, encodeInteger, encodeOid, encodeTlv, expectTlv, tlvChildren, type Tlv,
} from '../icao/tlv.ts';

export const DG13_TAG = 0x6d;
export const DG13_UTF8_OID = '1.0.10646.1.0.8';

export const DG13_FIELD = {
  idNumber: 1, fullName: 2, dateOfBirth: 3, sex: 4, nationality: 5, ethnicity: 6, religion: 7,
  placeOfOrigin: 8, placeOfResidence: 9, identifyingMarks: 10, dateOfIssue: 11, dateOfExpiry: 12,
  parents: 13, spouse: 14, oldIdNumber: 15, field16: 16,
} as const;

/** DG13 as stored: dates stay "dd/mm/yyyy" text, exactly as the card holds them. */
export interface Dg13 {
  readonly idNumber?: string;
  readonly fullName?: string;
  readonly dateOfBirth?: string;
  readonly sex?: string;
  readonly nationality?: string;
  readonly ethnicity?: string;
  readonly religion?: string;
  readonly placeOfOrigin?: string;
  readonly placeOfResidence?: string;
  readonly identifyingMarks?: string;
  readonly dateOfIssue?: string;
  readonly dateOfExpiry?: string;
  /** Field 13 strings in order: normally [father, mother]. */
  readonly parents: readonly string[];
  readonly spouse: readonly string[];
  readonly oldIdNumber?: string;
  /** Field 16: meaning unpublished (reference §1.2); kept verbatim. */
  readonly field16?: string;
  /** Every field number present with all of its strings, including unknown numbers. */
  readonly fields: ReadonlyMap<number, readonly string[]>;
}

const UTF8 = DER.UTF8_STRING;
const PRINTABLE = DER.PRINTABLE_STRING;
const IA5 = DER.IA5_STRING;

function fail(message: string): never {
  throw new ParseError('DG13_INVALID', `DG13 ${message}`, {});
}

/** All strings below `t` in document order (descending into constructed objects). */
function collectStrings(t: Tlv, field: number, out: string[], depth = 0): void {
  if (depth > 8) fail(`field ${field} is nested too deeply`);
  if (t.tag === UTF8) out.push(decodeUtf8(t.value, `DG13 field ${field}`));
  else if (t.tag === PRINTABLE || t.tag === IA5) out.push(decodeAscii(t.value, `DG13 field ${field}`));
  else if (t.constructed) for (const c of tlvChildren(t)) collectStrings(c, field, out, depth + 1);
}

export function parseDg13(bytes: Uint8Array): Dg13 {
  const outer = expectTlv(bytes, DG13_TAG, 'DG13', 'DG13_INVALID');
  const [content] = tlvChildren(outer);
  if (content?.tag !== DER.SEQUENCE) fail('does not hold a SEQUENCE');
  const set = tlvChildren(content).find((t) => t.tag === DER.SET);
  if (!set) fail('has no SET of fields');
  const fields = new Map<number, string[]>();
  for (const entry of tlvChildren(set)) {
    if (entry.tag !== DER.SEQUENCE) fail('field is not a SEQUENCE');
    const [num, ...rest] = tlvChildren(entry);
    if (num?.tag !== DER.INTEGER) fail('field does not start with its INTEGER number');
    const n = decodeSmallInteger(num.value);
    if (fields.has(n)) fail(`field ${n} appears twice`);
    const strings: string[] = [];
    for (const r of rest) collectStrings(r, n, strings);
    fields.set(n, strings);
  }
  const one = (n: number): string | undefined => fields.get(n)?.[0];
  const named: Record<string, string> = {};
  for (const [name, n] of Object.entries(DG13_FIELD)) {
    if (n === DG13_FIELD.parents || n === DG13_FIELD.spouse) continue;
    const v = one(n);
    if (v !== undefined) named[name] = v;
  }
  return { ...named, parents: fields.get(DG13_FIELD.parents) ?? [], spouse: fields.get(DG13_FIELD.spouse) ?? [], fields };
}

/** Input for the encoder (personas): the same names; absent fields are left out of the SET. */
export type Dg13Input = Partial<Omit<Dg13, 'fields' | 'parents' | 'spouse'>> & {
  readonly parents?: readonly string[];
  /** undefined leaves field 14 out; [] writes the empty "single" form 30 03 02 01 0E. */
  readonly spouse?: readonly string[];
};

const PRINTABLE_FIELDS = new Set<number>([1, 3, 11, 15, 16]);

/**
 * Encodes DG13 in the card's layout: fields in number order (as cards store them, not DER-sorted),
 * PrintableString for the ID, DOB, issue date, old ID and field 16, UTF8String for the rest.
 */
export function buildDg13(d: Dg13Input): Uint8Array {
  const entries: Uint8Array[] = [];
  for (const [name, n] of Object.entries(DG13_FIELD) as [keyof typeof DG13_FIELD, number][]) {
    if (name === 'parents') {
      if (d.parents) entries.push(derSequence(encodeInteger(n), ...d.parents.map((p) => derSequence(derUtf8(p)))));
      continue;
    }
    if (name === 'spouse') {
      if (d.spouse) entries.push(derSequence(encodeInteger(n), ...d.spouse.map((p) => derSequence(derUtf8(p)))));
      continue;
    }
    const v = d[name];
    if (v === undefined) continue;
    if (PRINTABLE_FIELDS.has(n) && !/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(v)) throw new RangeError(`DG13 field ${n} must be PrintableString`);
    entries.push(derSequence(encodeInteger(n), PRINTABLE_FIELDS.has(n) ? derPrintable(v) : derUtf8(v)));
  }
  const body = derSequence(encodeInteger(1), encodeOid(DG13_UTF8_OID), encodeTlv(DER.SET, concatBytes(...entries)));
  return encodeTlv(DG13_TAG, body);
}

/** "dd/mm/yyyy" → "YYYY-MM-DD", or undefined if the text is not a real calendar date. */
export function vnDateToIso(text: string | undefined): string | undefined {
  const m = text?.trim().match(/^(\d{2})\/(\d{2})\/(\d{4})$/);
  if (!m) return undefined;
  const [, dd, mm, yyyy] = m as unknown as [string, string, string, string];
  const d = new Date(Date.UTC(+yyyy, +mm - 1, +dd));
  if (d.getUTCFullYear() !== +yyyy || d.getUTCMonth() !== +mm - 1 || d.getUTCDate() !== +dd) return undefined;
  return `${yyyy}-${mm}-${dd}`;
}

/** "YYYY-MM-DD" → "dd/mm/yyyy" (for building persona DG13 from ISO dates). */
export function isoToVnDate(iso: string): string {
  const m = iso.match(/^(\d{4})-(\d{2})-(\d{2})$/);
  if (!m) throw new RangeError("date is not YYYY-MM-DD");
  return `${m[3]}/${m[2]}/${m[1]}`;
}
