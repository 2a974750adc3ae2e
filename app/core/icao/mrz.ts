/**
 * Machine Readable Zone (ICAO 9303 parts 4-6): TD1 (3×30, ID cards incl. the Vietnamese CCCD),
 * TD2 (2×36) and TD3 (2×44, passports). Parse with every check digit verified, build from fields,
 * and derive the BAC "MRZ_information" key seed input.
 *
 * Positions in errors are 1-based, as printed in ICAO 9303, so they can be matched against the spec.
 */
import { ParseError } from '../errors.ts';

export type MrzFormat = 'TD1' | 'TD2' | 'TD3';
export type MrzSex = 'M' | 'F' | 'X';

export interface Mrz {
  readonly format: MrzFormat;
  /** Document code without fillers, e.g. "ID", "I", "P". */
  readonly documentCode: string;
  readonly issuingState: string;
  /** Full document number without fillers; may be longer than 9 characters (TD1/TD2 overflow). */
  readonly documentNumber: string;
  readonly surname: string;
  readonly givenNames: string;
  readonly nationality: string;
  /** YYMMDD as printed ('<' for unknown parts). */
  readonly dateOfBirth: string;
  readonly sex: MrzSex;
  /** YYMMDD as printed. */
  readonly dateOfExpiry: string;
  /** Optional data without the overflowed document number, trailing fillers removed. */
  readonly optionalData1: string;
  /** TD1 line 2 optional data, trailing fillers removed ("" for TD2/TD3). */
  readonly optionalData2: string;
  /** CCCD only: the full 12-digit ID from TD1 optional data, its own check digit verified. */
  readonly cccdIdNumber?: string;
  /** The zone, lines joined by "\n". */
  readonly text: string;
}

/** What builds an MRZ: its fields as printed (the optional data may be left out). */
export type MrzFields = Omit<Mrz, 'optionalData1' | 'optionalData2' | 'cccdIdNumber' | 'text'> & {
  readonly optionalData1?: string;
  readonly optionalData2?: string;
};

const SHAPES: Record<MrzFormat, { lines: number; width: number }> = {
  TD1: { lines: 3, width: 30 },
  TD2: { lines: 2, width: 36 },
  TD3: { lines: 2, width: 44 },
};

function mrzError(code: string, message: string, line: number, position: number, field?: string): ParseError {
  return new ParseError(code, `MRZ ${message} (line ${line}, position ${position})`, { line, position, field });
}

/** ICAO 7-3-1 check digit: digits are themselves, A-Z are 10-35, '<' is 0. */
export function checkDigit(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    else if (c === 60) v = 0;
    else throw new ParseError('MRZ_INVALID', `character '${text[i]}' cannot appear in an MRZ`, { position: i + 1 });
    sum += v * [7, 3, 1][i % 3]!;
  }
  return sum % 10;
}

/** Splits MRZ input given as lines (any newline style) or run together, into its lines. */
export function splitMrzLines(input: string): { format: MrzFormat; lines: string[] } {
  const trimmed = input.trim();
  let lines = trimmed.split(/\r?\n|\r/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length === 1) {
    const one = lines[0]!;
    const byLength = (Object.keys(SHAPES) as MrzFormat[]).find((f) => SHAPES[f].lines * SHAPES[f].width === one.length);
    if (!byLength) {
      throw new ParseError('MRZ_INVALID', `MRZ of ${one.length} characters run together is none of TD1 (90), TD2 (72), TD3 (88)`, { length: one.length });
    }
    const w = SHAPES[byLength].width;
    lines = Array.from({ length: SHAPES[byLength].lines }, (_, i) => one.slice(i * w, (i + 1) * w));
  }
  const format = (Object.keys(SHAPES) as MrzFormat[]).find((f) => SHAPES[f].lines === lines.length && lines[0]!.length === SHAPES[f].width);
  if (!format) {
    throw new ParseError('MRZ_INVALID', `MRZ has ${lines.length} line(s) of ${lines[0]?.length ?? 0} characters; expected 3×30 (TD1), 2×36 (TD2) or 2×44 (TD3)`, { lines: lines.length });
  }
  lines.forEach((l, i) => {
    if (l.length !== SHAPES[format].width) {
      throw mrzError('MRZ_INVALID', `line is ${l.length} characters, expected ${SHAPES[format].width}`, i + 1, Math.min(l.length, SHAPES[format].width) + 1);
    }
    const bad = l.search(/[^A-Z0-9<]/);
    if (bad >= 0) throw mrzError('MRZ_INVALID', `invalid character '${l[bad]}'`, i + 1, bad + 1);
  });
  return { format, lines };
}

const stripFillers = (s: string): string => s.replace(/<+$/, '');

/** Reads `line.slice(start, start+len)` and verifies the check digit that follows it. */
function checked(lines: string[], line: number, start: number, len: number, field: string, allowEmpty = false): string {
  const l = lines[line - 1]!;
  const value = l.slice(start, start + len);
  const cd = l[start + len]!;
  if (allowEmpty && /^<*$/.test(value) && (cd === '<' || cd === '0')) return value;
  if (cd === '<' || String(checkDigit(value)) !== cd) {
    throw mrzError('MRZ_CHECK_DIGIT', `check digit of ${field} is '${cd}', expected ${checkDigit(value)}`, line, start + len + 1, field);
  }
  return value;
}

function dateField(lines: string[], line: number, start: number, field: string): string {
  const value = checked(lines, line, start, 6, field);
  if (!/^[0-9<]{6}$/.test(value)) throw mrzError('MRZ_INVALID_DATE', `${field} is not YYMMDD`, line, start + 1, field);
  const mm = value.slice(2, 4); // messages name the field and position, never the value (privacy)
  const dd = value.slice(4, 6);
  if (/^\d\d$/.test(mm) && (+mm < 1 || +mm > 12)) throw mrzError('MRZ_INVALID_DATE', `${field} month is out of range`, line, start + 3, field);
  if (/^\d\d$/.test(dd) && (+dd < 1 || +dd > 31)) throw mrzError('MRZ_INVALID_DATE', `${field} day is out of range`, line, start + 5, field);
  return value;
}

function sexField(lines: string[], line: number, index: number): MrzSex {
  const c = lines[line - 1]![index]!;
  if (c === 'M' || c === 'F') return c;
  if (c === '<' || c === 'X') return 'X';
  throw mrzError('MRZ_INVALID', `sex '${c}' is not M, F or <`, line, index + 1, 'sex');
}

function nameField(text: string): { surname: string; givenNames: string } {
  const [primary = '', ...rest] = text.split('<<');
  return {
    surname: primary.replace(/<+/g, ' ').trim(),
    givenNames: rest.join('<<').replace(/<+/g, ' ').trim(),
  };
}

/**
 * Document number with the TD1/TD2 overflow rule: when the check-digit position holds '<', the
 * number continues in the optional data up to the first '<', whose last character is the check
 * digit of the whole number.
 */
function documentNumberField(lines: string[], line: number, start: number, optional: string, optionalPos: number): { documentNumber: string; optionalRest: string } {
  const l = lines[line - 1]!;
  const head = l.slice(start, start + 9);
  if (l[start + 9] !== '<') {
    return { documentNumber: stripFillers(checked(lines, line, start, 9, 'document number')), optionalRest: optional };
  }
  const end = optional.indexOf('<');
  const overflowWithCd = end < 0 ? optional : optional.slice(0, end);
  if (overflowWithCd.length < 2) {
    throw mrzError('MRZ_INVALID', 'document number overflow marker without overflow digits', line, start + 10, 'document number');
  }
  const full = head + overflowWithCd.slice(0, -1);
  const cd = overflowWithCd.slice(-1);
  if (String(checkDigit(full)) !== cd) {
    throw mrzError('MRZ_CHECK_DIGIT', `check digit of long document number is '${cd}', expected ${checkDigit(full)}`, line, optionalPos + overflowWithCd.length, 'document number');
  }
  if (full.includes('<')) throw mrzError('MRZ_INVALID', 'long document number contains fillers', line, start + 1, 'document number');
  return { documentNumber: full, optionalRest: optional.slice(overflowWithCd.length) };
}

function composite(lines: string[], line: number, index: number, text: string): void {
  const cd = lines[line - 1]![index]!;
  if (String(checkDigit(text)) !== cd) {
    throw mrzError('MRZ_CHECK_DIGIT', `composite check digit is '${cd}', expected ${checkDigit(text)}`, line, index + 1, 'composite');
  }
}

/** Parses an MRZ (lines separated by newlines, or run together) and verifies every check digit. */
export function parseMrz(input: string): Mrz {
  const { format, lines } = splitMrzLines(input);
  const l1 = lines[0]!;
  const l2 = lines[1]!;
  const documentCode = stripFillers(l1.slice(0, 2));
  const issuingState = stripFillers(l1.slice(2, 5));
  if (!/^[A-Z]/.test(documentCode)) throw mrzError('MRZ_INVALID', 'document code must start with a letter', 1, 1, 'document code');

  if (format === 'TD1') {
    const { documentNumber, optionalRest } = documentNumberField(lines, 1, 5, l1.slice(15, 30), 16);
    const dateOfBirth = dateField(lines, 2, 0, 'date of birth');
    const sex = sexField(lines, 2, 7);
    const dateOfExpiry = dateField(lines, 2, 8, 'date of expiry');
    const cccdIdNumber = cccdIdFromTd1(lines, issuingState, documentNumber);
    composite(lines, 2, 29, l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29));
    const optionalData1 = stripFillers(optionalRest);
    const base = {
      format, documentCode, issuingState, documentNumber,
      ...nameField(lines[2]!),
      nationality: stripFillers(l2.slice(15, 18)), dateOfBirth, sex, dateOfExpiry,
      optionalData1, optionalData2: stripFillers(l2.slice(18, 29)), text: lines.join('\n'),
    };
    return cccdIdNumber ? { ...base, cccdIdNumber } : base;
  }

  const width = SHAPES[format].width;
  const name = nameField(l1.slice(5));
  const dateOfBirth = dateField(lines, 2, 13, 'date of birth');
  const sex = sexField(lines, 2, 20);
  const dateOfExpiry = dateField(lines, 2, 21, 'date of expiry');
  if (format === 'TD2') {
    const { documentNumber, optionalRest } = documentNumberField(lines, 2, 0, l2.slice(28, 35), 29);
    composite(lines, 2, 35, l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 35));
    return {
      format, documentCode, issuingState, documentNumber, ...name,
      nationality: stripFillers(l2.slice(10, 13)), dateOfBirth, sex, dateOfExpiry,
      optionalData1: stripFillers(optionalRest), optionalData2: '', text: lines.join('\n'),
    };
  }
  const documentNumber = stripFillers(checked(lines, 2, 0, 9, 'document number'));
  const personal = checked(lines, 2, 28, 14, 'personal number', true);
  composite(lines, 2, width - 1, l2.slice(0, 10) + l2.slice(13, 20) + l2.slice(21, 43));
  return {
    format, documentCode, issuingState, documentNumber, ...name,
    nationality: stripFillers(l2.slice(10, 13)), dateOfBirth, sex, dateOfExpiry,
    optionalData1: stripFillers(personal), optionalData2: '', text: lines.join('\n'),
  };
}

/**
 * CCCD TD1 line 1 (reference §2.1): positions 16-27 hold the full 12-digit ID, 28-29 "<<", and
 * position 30 the check digit of those 12 digits; the document number is the ID's last 9 digits.
 * A wrong check digit is an error; a filler there is tolerated (the composite still covers it).
 * An ID that does not end in the document number is not reported as the ID (the document layer
 * flags the mismatch against DG13) rather than failing the whole read.
 */
function cccdIdFromTd1(lines: string[], issuingState: string, documentNumber: string): string | undefined {
  const l1 = lines[0]!;
  if (issuingState !== 'VNM' || !/^\d{12}<<[0-9<]$/.test(l1.slice(15, 30))) return undefined;
  const id = l1.slice(15, 27);
  if (l1[29] !== '<' && String(checkDigit(id)) !== l1[29]) {
    throw mrzError('MRZ_CHECK_DIGIT', `check digit of the 12-digit ID is '${l1[29]}', expected ${checkDigit(id)}`, 1, 30, 'id number');
  }
  return id.slice(3) === documentNumber ? id : undefined;
}

// ---------------------------------------------------------------- building

/**
 * ICAO transliteration for Vietnamese: strip diacritics (NFD + combining marks), Đ→D, upper case,
 * anything else that is not A-Z or 0-9 becomes '<'.
 */
export function toMrzText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[Đđ]/g, 'D')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '<')
    .replace(/^<+|<+$/g, '');
}

const pad = (s: string, n: number): string => (s + '<'.repeat(n)).slice(0, n);

function assertField(value: string, re: RegExp, field: string): void {
  if (!re.test(value)) throw new ParseError('MRZ_INVALID_FIELD', `MRZ field ${field} is invalid`, { field });
}

function nameText(surname: string, givenNames: string, width: number): string {
  const s = toMrzText(surname);
  const g = toMrzText(givenNames);
  return pad(g ? `${s}<<${g}` : s, width);
}

/** Document number field (9 chars + check digit) and the overflow that goes into optional data. */
function docNumberParts(doc: string): { field: string; overflow: string } {
  if (doc.length <= 9) {
    const f = pad(doc, 9);
    return { field: f + checkDigit(f), overflow: '' };
  }
  return { field: doc.slice(0, 9) + '<', overflow: doc.slice(9) + checkDigit(doc) };
}

/** Builds the MRZ text (lines joined by "\n") from fields; round-trips through parseMrz. */
export function buildMrz(f: MrzFields): string {
  assertField(f.documentNumber, /^[A-Z0-9]{1,22}$/, 'document number');
  assertField(f.dateOfBirth, /^[0-9<]{6}$/, 'date of birth');
  assertField(f.dateOfExpiry, /^[0-9<]{6}$/, 'date of expiry');
  assertField(f.issuingState, /^[A-Z<]{1,3}$/, 'issuing state');
  assertField(f.nationality, /^[A-Z<]{1,3}$/, 'nationality');
  assertField(f.documentCode, /^[A-Z][A-Z<]?$/, 'document code');
  const sex = f.sex === 'X' ? '<' : f.sex;
  const dob = f.dateOfBirth + checkDigit(f.dateOfBirth);
  const doe = f.dateOfExpiry + checkDigit(f.dateOfExpiry);
  const head = pad(f.documentCode, 2) + pad(f.issuingState, 3);
  const { field: docField, overflow } = docNumberParts(f.documentNumber);
  const opt1 = toOptional(f.optionalData1 ?? '');
  if (f.format === 'TD1') {
    const optional = pad(overflow + opt1, 15);
    if ((overflow + opt1).length > 15) throw new ParseError('MRZ_INVALID_FIELD', 'TD1 optional data too long', { field: 'optional data' });
    const l1 = head + docField + optional;
    const l2start = dob + sex + doe + pad(f.nationality, 3) + pad(toOptional(f.optionalData2 ?? ''), 11);
    const l2 = l2start + checkDigit(l1.slice(5, 30) + l2start.slice(0, 7) + l2start.slice(8, 15) + l2start.slice(18, 29));
    return [l1, l2, nameText(f.surname, f.givenNames, 30)].join('\n');
  }
  if (f.format === 'TD2') {
    if ((overflow + opt1).length > 7) throw new ParseError('MRZ_INVALID_FIELD', 'TD2 optional data too long', { field: 'optional data' });
    const l2start = docField + pad(f.nationality, 3) + dob + sex + doe + pad(overflow + opt1, 7);
    const l2 = l2start + checkDigit(l2start.slice(0, 10) + l2start.slice(13, 20) + l2start.slice(21, 35));
    return [head + nameText(f.surname, f.givenNames, 31), l2].join('\n');
  }
  if (overflow) throw new ParseError('MRZ_INVALID_FIELD', 'TD3 document numbers are at most 9 characters', { field: 'document number' });
  const personal = pad(opt1, 14);
  const personalCd = /^<*$/.test(personal) ? '<' : String(checkDigit(personal));
  const l2start = docField + pad(f.nationality, 3) + dob + sex + doe + personal + personalCd;
  const l2 = l2start + checkDigit(l2start.slice(0, 10) + l2start.slice(13, 20) + l2start.slice(21, 43));
  return [head + nameText(f.surname, f.givenNames, 39), l2].join('\n');
}

const toOptional = (s: string): string => {
  assertField(s, /^[A-Z0-9<]*$/, 'optional data');
  return s;
};

export interface CccdMrzFields {
  readonly idNumber: string;
  readonly surname: string;
  readonly givenNames: string;
  readonly dateOfBirth: string;
  readonly sex: MrzSex;
  readonly dateOfExpiry: string;
}

/** CCCD TD1: "ID", VNM, doc number = last 9 digits, optional data = ID12 + "<<" + check digit of ID12. */
export function buildCccdMrz(f: CccdMrzFields): string {
  assertField(f.idNumber, /^\d{12}$/, 'id number');
  return buildMrz({
    format: 'TD1', documentCode: 'ID', issuingState: 'VNM', nationality: 'VNM',
    documentNumber: f.idNumber.slice(3), optionalData1: `${f.idNumber}<<${checkDigit(f.idNumber)}`,
    surname: f.surname, givenNames: f.givenNames, dateOfBirth: f.dateOfBirth, sex: f.sex, dateOfExpiry: f.dateOfExpiry,
  });
}

// ---------------------------------------------------------------- BAC key input

export interface BacKeyInput {
  readonly documentNumber: string;
  /** YYMMDD */
  readonly dateOfBirth: string;
  /** YYMMDD */
  readonly dateOfExpiry: string;
}

/**
 * MRZ_information for BAC (ICAO 9303-11 §9.7.2): document number (padded to 9 with '<'; longer
 * numbers in full) + its check digit + DOB + check digit + DOE + check digit.
 */
export function mrzInformation(k: BacKeyInput): string {
  const doc = k.documentNumber.toUpperCase();
  if (!/^[A-Z0-9<]{1,22}$/.test(doc)) throw new ParseError('MRZ_INVALID_FIELD', 'document number for BAC is invalid', { field: 'document number' });
  if (!/^\d{6}$/.test(k.dateOfBirth)) throw new ParseError('MRZ_INVALID_FIELD', 'date of birth for BAC must be YYMMDD', { field: 'date of birth' });
  if (!/^\d{6}$/.test(k.dateOfExpiry)) throw new ParseError('MRZ_INVALID_FIELD', 'date of expiry for BAC must be YYMMDD', { field: 'date of expiry' });
  const d = doc.length < 9 ? pad(doc, 9) : doc;
  return d + checkDigit(d) + k.dateOfBirth + checkDigit(k.dateOfBirth) + k.dateOfExpiry + checkDigit(k.dateOfExpiry);
}

/** BAC key input taken from a parsed MRZ. */
export const bacKeyFromMrz = (m: Mrz): BacKeyInput => ({ documentNumber: m.documentNumber, dateOfBirth: m.dateOfBirth, dateOfExpiry: m.dateOfExpiry });

// ---------------------------------------------------------------- dates

/** YYYY-MM-DD → YYMMDD, as the MRZ and the BAC key write a date. */
export const isoToMrzDate = (iso: string): string => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);

/**
 * YYMMDD → YYYY-MM-DD. Birth dates take the latest century that is not in the future relative
 * to `today`; expiry dates take the century that puts them within 50 years before/after `today`.
 * Returns undefined for dates with unknown ('<') parts or impossible calendar days.
 */
export function mrzDateToIso(yymmdd: string, kind: 'birth' | 'expiry', today: Date): string | undefined {
  if (!/^\d{6}$/.test(yymmdd)) return undefined;
  const yy = +yymmdd.slice(0, 2);
  const mm = +yymmdd.slice(2, 4);
  const dd = +yymmdd.slice(4, 6);
  const nowYear = today.getUTCFullYear();
  let year: number;
  if (kind === 'birth') {
    year = 2000 + yy;
    const candidate = Date.UTC(year, mm - 1, dd);
    if (candidate > today.getTime()) year -= 100;
  } else {
    year = 2000 + yy;
    if (year > nowYear + 50) year -= 100;
  }
  const d = new Date(Date.UTC(year, mm - 1, dd));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== mm - 1 || d.getUTCDate() !== dd) return undefined;
  return `${String(year).padStart(4, '0')}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
}
