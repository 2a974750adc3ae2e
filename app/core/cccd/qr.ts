/**
 * Card QR codes (reference cccd-icao.md §2.2).
 *  - CCCD (2021 – June 2024), front: exactly 7 fields
 *      ID12|oldID9|full name|ddmmyyyy (birth)|sex|permanent address|ddmmyyyy (issue)
 *    parsed strictly: any deviation is a typed error naming the field.
 *  - Căn cước (from July 2024), back: field order and separator are unpublished, so the parser is
 *    tolerant: it reports what it can recognise and never guesses an ID number.
 */
import { ParseError } from '../errors.ts';
import { sexFromVietnamese } from './document.ts';

export interface CccdFrontQr {
  readonly format: 'cccd-front';
  readonly idNumber: string;
  readonly oldIdNumber?: string;
  readonly fullName: string;
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  readonly sex: 'M' | 'F';
  readonly address: string;
  /** YYYY-MM-DD */
  readonly dateOfIssue: string;
  /** PACE CAN: last 6 digits of the ID. */
  readonly can: string;
}

export interface CanCuocBackQr {
  readonly format: 'can-cuoc-back';
  /** Only when the first field is exactly 12 digits. */
  readonly idNumber?: string;
  readonly can?: string;
  readonly fullName?: string;
  readonly dateOfBirth?: string;
  readonly sex?: 'M' | 'F';
  readonly dateOfIssue?: string;
  readonly oldIdNumber?: string;
  readonly address?: string;
  /** Fields that matched nothing (a count only: the QR holds personal data). */
  readonly unrecognisedFields: number;
}

export type CardQr = CccdFrontQr | CanCuocBackQr;

const FRONT_FIELDS = ['idNumber', 'oldIdNumber', 'fullName', 'dateOfBirth', 'sex', 'address', 'dateOfIssue'] as const;

function qrError(code: string, message: string, field?: (typeof FRONT_FIELDS)[number]): ParseError {
  const index = field ? FRONT_FIELDS.indexOf(field) + 1 : undefined;
  return new ParseError(code, `QR ${message}${index ? ` (field ${index}, ${field})` : ''}`, { field, index });
}

/** ddmmyyyy → YYYY-MM-DD, or undefined if not a real date. */
export function ddmmyyyyToIso(text: string): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{4})$/.exec(text);
  if (!m) return undefined;
  const [, dd, mm, yyyy] = m as unknown as [string, string, string, string];
  const d = new Date(Date.UTC(+yyyy, +mm - 1, +dd));
  if (d.getUTCFullYear() !== +yyyy || d.getUTCMonth() !== +mm - 1 || d.getUTCDate() !== +dd || +yyyy < 1900) return undefined;
  return `${yyyy}-${mm}-${dd}`;
}

const hasLetters = (s: string) => /\p{L}/u.test(s);
const normalize = (text: string) => text.replace(/^\uFEFF/, '').replace(/[\r\n]+$/g, '').normalize('NFC');

/** Strict parse of the CCCD front QR. */
export function parseCccdFrontQr(text: string): CccdFrontQr {
  const fields = normalize(text).split('|');
  if (fields.length !== 7) throw qrError('QR_INVALID_FORMAT', `has ${fields.length} fields separated by '|', expected 7`);
  const [id, oldId, name, dob, sexText, address, issue] = fields.map((f) => f.trim()) as [string, string, string, string, string, string, string];
  if (!/^\d{12}$/.test(id)) throw qrError('QR_INVALID_ID', 'ID number is not 12 digits', 'idNumber');
  if (oldId !== '' && !/^\d{9}$/.test(oldId)) throw qrError('QR_INVALID_OLD_ID', 'old ID number is not 9 digits', 'oldIdNumber');
  if (!name || !hasLetters(name) || /\d/.test(name)) throw qrError('QR_INVALID_NAME', 'name is empty or not a name', 'fullName');
  const dateOfBirth = ddmmyyyyToIso(dob);
  if (!dateOfBirth) throw qrError('QR_INVALID_DATE', 'date of birth is not ddmmyyyy', 'dateOfBirth');
  const sex = sexFromVietnamese(sexText);
  if (sex !== 'M' && sex !== 'F') throw qrError('QR_INVALID_SEX', "sex is not 'Nam' or 'Nữ'", 'sex');
  if (!address || !hasLetters(address)) throw qrError('QR_INVALID_ADDRESS', 'address is empty', 'address');
  const dateOfIssue = ddmmyyyyToIso(issue);
  if (!dateOfIssue) throw qrError('QR_INVALID_DATE', 'date of issue is not ddmmyyyy', 'dateOfIssue');
  if (dateOfIssue < dateOfBirth) throw qrError('QR_INVALID_DATE', 'date of issue is before the date of birth', 'dateOfIssue');
  return {
    format: 'cccd-front', idNumber: id, ...(oldId ? { oldIdNumber: oldId } : {}), fullName: name,
    dateOfBirth, sex, address, dateOfIssue, can: id.slice(6),
  };
}

/** Tolerant parse of the 2024 card's back QR: recognise what is unambiguous, report the rest as a count. */
export function parseCanCuocBackQr(text: string): CanCuocBackQr {
  const fields = normalize(text).split('|').map((f) => f.trim());
  if (fields.length < 2) throw new ParseError('QR_INVALID_FORMAT', "QR has no '|'-separated fields", {});
  const out: { -readonly [K in keyof CanCuocBackQr]?: CanCuocBackQr[K] } = {};
  let unrecognised = 0;
  const dates: string[] = [];
  fields.forEach((f, i) => {
    if (f === '') return;
    if (i === 0 && /^\d{12}$/.test(f)) {
      out.idNumber = f;
      out.can = f.slice(6);
    } else if (/^\d{9}$/.test(f) && !out.oldIdNumber) out.oldIdNumber = f;
    else if (ddmmyyyyToIso(f)) dates.push(ddmmyyyyToIso(f)!);
    else if (sexFromVietnamese(f) && !out.sex) out.sex = sexFromVietnamese(f) as 'M' | 'F';
    else if (!out.fullName && hasLetters(f) && !/[\d,]/.test(f) && f.split(/\s+/).length >= 2) out.fullName = f;
    else if (!out.address && hasLetters(f) && f.includes(',')) out.address = f;
    else unrecognised++;
  });
  // The published field list gives birth before issue; keep that order only when it is consistent.
  if (dates[0]) out.dateOfBirth = dates[0];
  if (dates[1] && dates[1] >= dates[0]!) out.dateOfIssue = dates[1];
  unrecognised += Math.max(0, dates.length - 2);
  return { format: 'can-cuoc-back', ...out, unrecognisedFields: unrecognised };
}

/** Front QR when it parses strictly, else the tolerant back-QR reading. */
export function parseCardQr(text: string): CardQr {
  try {
    return parseCccdFrontQr(text);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
    return parseCanCuocBackQr(text);
  }
}
