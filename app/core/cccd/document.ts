/**
 * The CCCD document: DG1 (MRZ), DG13 (Vietnamese personal data) and DG2 (portrait) merged into
 * one typed value for the UI, the journey and the verification service, plus consistency findings
 * between DG1 and DG13 (both are signed, so a disagreement means a mis-personalised or tampered
 * card, or a parser that misunderstood one of them). Passports (no DG13) get the MRZ fields.
 */
import { parseDg1 } from '../icao/lds/dg1.ts';
import { isoToMrzDate, mrzDateToIso, toMrzText, type Mrz, type MrzSex } from '../icao/mrz.ts';
import { portraitOf, type Portrait } from '../icao/portrait.ts';
import { parseDg13, vnDateToIso, type Dg13 } from './dg13.ts';

export type { Portrait };

export type ConsistencyCode =
  | 'ID_NUMBER_MISMATCH'
  | 'DOCUMENT_NUMBER_MISMATCH'
  | 'DATE_OF_BIRTH_MISMATCH'
  | 'NAME_MISMATCH'
  | 'SEX_MISMATCH'
  | 'DATE_OF_EXPIRY_MISMATCH'
  | 'DG13_DATE_INVALID';

export interface ConsistencyFinding {
  readonly code: ConsistencyCode;
  /** The document field concerned (never its value: findings are safe to log). */
  readonly field: string;
}

/** DG1's MRZ as the document shows it: dates as YYYY-MM-DD (undefined when a part is unknown), one optional-data text. */
export type MrzSummary = Pick<Mrz, 'format' | 'documentCode' | 'issuingState' | 'documentNumber' | 'surname' | 'givenNames' | 'nationality' | 'sex'> & {
  readonly dateOfBirth?: string;
  readonly dateOfExpiry?: string;
  readonly optionalData: string;
};

export interface CccdDocument {
  readonly kind: 'cccd' | 'passport' | 'id-card';
  /** 12-digit personal ID (DG13 field 1, else the CCCD MRZ optional data). */
  readonly idNumber?: string;
  readonly documentNumber: string;
  /** With diacritics from DG13; the MRZ name ("SURNAME GIVEN NAMES") when there is no DG13. */
  readonly fullName: string;
  readonly dateOfBirth?: string;
  readonly sex: MrzSex;
  readonly nationality: string;
  readonly ethnicity?: string;
  readonly religion?: string;
  readonly placeOfOrigin?: string;
  readonly placeOfResidence?: string;
  readonly identifyingMarks?: string;
  readonly dateOfIssue?: string;
  readonly dateOfExpiry?: string;
  /** DG13 field 12 verbatim when it is not a date (e.g. "Không thời hạn"). */
  readonly expiryText?: string;
  readonly fatherName?: string;
  readonly motherName?: string;
  readonly parents: readonly string[];
  readonly spouse: readonly string[];
  readonly oldIdNumber?: string;
  readonly portrait?: Portrait;
  readonly mrz: MrzSummary;
  readonly findings: readonly ConsistencyFinding[];
  /** DG13 as the chip holds it (dates dd/mm/yyyy), parsed once: the central service's request carries it. */
  readonly dg13?: Dg13;
}

export interface DocumentSources {
  readonly mrz: Mrz;
  readonly dg13?: Dg13;
  readonly portrait?: Portrait;
}

const clean = (s: string | undefined): string | undefined => {
  const t = s?.normalize('NFC').trim();
  return t ? t : undefined;
};

/** "Nam"/"Nữ" (DG13 field 4) → M/F. */
export function sexFromVietnamese(text: string | undefined): MrzSex | undefined {
  const t = text?.normalize('NFC').trim().toLowerCase();
  if (t === 'nam') return 'M';
  if (t === 'nữ') return 'F';
  return undefined;
}

/** dd/mm/yyyy → YYMMDD, for comparing with the MRZ without guessing centuries. */
const vnDateToYymmdd = (text: string | undefined): string | undefined => {
  const iso = vnDateToIso(text);
  return iso ? isoToMrzDate(iso) : undefined;
};

/** Builds the document; `today` fixes the MRZ century rule (birth dates are not in the future). */
export function buildCccdDocument(src: DocumentSources, today: Date): CccdDocument {
  const { mrz, dg13 } = src;
  const findings: ConsistencyFinding[] = [];
  const summary: MrzSummary = {
    format: mrz.format, documentCode: mrz.documentCode, issuingState: mrz.issuingState, documentNumber: mrz.documentNumber,
    surname: mrz.surname, givenNames: mrz.givenNames, nationality: mrz.nationality, sex: mrz.sex,
    optionalData: [mrz.optionalData1, mrz.optionalData2].filter(Boolean).join(' '),
    ...optional('dateOfBirth', mrzDateToIso(mrz.dateOfBirth, 'birth', today)),
    ...optional('dateOfExpiry', mrzDateToIso(mrz.dateOfExpiry, 'expiry', today)),
  };
  const mrzName = `${mrz.surname} ${mrz.givenNames}`.trim();

  if (dg13) {
    const id = clean(dg13.idNumber);
    if (id && mrz.cccdIdNumber && id !== mrz.cccdIdNumber) findings.push({ code: 'ID_NUMBER_MISMATCH', field: 'idNumber' });
    if (id && mrz.issuingState === 'VNM' && mrz.format === 'TD1' && id.slice(3) !== mrz.documentNumber) {
      findings.push({ code: 'DOCUMENT_NUMBER_MISMATCH', field: 'documentNumber' });
    }
    const dob = vnDateToYymmdd(dg13.dateOfBirth);
    if (dg13.dateOfBirth !== undefined && !dob) findings.push({ code: 'DG13_DATE_INVALID', field: 'dateOfBirth' });
    if (dob && dob !== mrz.dateOfBirth) findings.push({ code: 'DATE_OF_BIRTH_MISMATCH', field: 'dateOfBirth' });
    if (dg13.dateOfIssue !== undefined && !vnDateToIso(dg13.dateOfIssue)) findings.push({ code: 'DG13_DATE_INVALID', field: 'dateOfIssue' });
    const doe = vnDateToYymmdd(dg13.dateOfExpiry);
    if (doe && doe !== mrz.dateOfExpiry) findings.push({ code: 'DATE_OF_EXPIRY_MISMATCH', field: 'dateOfExpiry' });
    if (dg13.fullName && !namesAgree(dg13.fullName, mrz)) findings.push({ code: 'NAME_MISMATCH', field: 'fullName' });
    const sex = sexFromVietnamese(dg13.sex);
    if (sex && mrz.sex !== 'X' && sex !== mrz.sex) findings.push({ code: 'SEX_MISMATCH', field: 'sex' });
  }

  const expiryIso = vnDateToIso(dg13?.dateOfExpiry);
  const expiryText = dg13?.dateOfExpiry !== undefined && !expiryIso ? clean(dg13.dateOfExpiry) : undefined;
  const parents = dg13?.parents.map((p) => p.normalize('NFC')) ?? [];
  const idNumber = clean(dg13?.idNumber) ?? mrz.cccdIdNumber;
  return {
    kind: dg13 || mrz.cccdIdNumber ? 'cccd' : mrz.format === 'TD3' ? 'passport' : 'id-card',
    ...optional('idNumber', idNumber),
    documentNumber: mrz.documentNumber,
    fullName: clean(dg13?.fullName) ?? mrzName,
    ...optional('dateOfBirth', vnDateToIso(dg13?.dateOfBirth) ?? summary.dateOfBirth),
    sex: sexFromVietnamese(dg13?.sex) ?? mrz.sex,
    nationality: clean(dg13?.nationality) ?? mrz.nationality,
    ...optional('ethnicity', clean(dg13?.ethnicity)),
    ...optional('religion', clean(dg13?.religion)),
    ...optional('placeOfOrigin', clean(dg13?.placeOfOrigin)),
    ...optional('placeOfResidence', clean(dg13?.placeOfResidence)),
    ...optional('identifyingMarks', clean(dg13?.identifyingMarks)),
    ...optional('dateOfIssue', vnDateToIso(dg13?.dateOfIssue)),
    ...optional('dateOfExpiry', expiryIso ?? (expiryText ? undefined : summary.dateOfExpiry)),
    ...optional('expiryText', expiryText),
    ...optional('fatherName', parents[0]),
    ...optional('motherName', parents[1]),
    parents,
    spouse: dg13?.spouse.map((s) => s.normalize('NFC')) ?? [],
    ...optional('oldIdNumber', clean(dg13?.oldIdNumber)),
    ...(src.portrait ? { portrait: src.portrait } : {}),
    mrz: summary,
    findings,
    ...(dg13 ? { dg13 } : {}),
  };
}

/**
 * MRZ name = DG13 name folded to ASCII (Đ→D, diacritics dropped). The MRZ name field is cut at
 * its width, so a full-width MRZ name only has to be a prefix of the folded DG13 name.
 */
function namesAgree(dg13Name: string, mrz: Mrz): boolean {
  const folded = toMrzText(dg13Name).replace(/</g, ' ');
  const fromMrz = `${mrz.surname} ${mrz.givenNames}`.replace(/\s+/g, ' ').trim();
  if (folded === fromMrz) return true;
  const nameLine = mrz.format === 'TD1' ? mrz.text.split('\n')[2] ?? '' : (mrz.text.split('\n')[0] ?? '').slice(5);
  const truncated = !nameLine.endsWith('<');
  return truncated && folded.startsWith(fromMrz);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export interface DocumentFiles {
  readonly dg1: Uint8Array;
  readonly dg13?: Uint8Array;
  readonly dg2?: Uint8Array;
}

/** Parses the raw files and builds the document (typed ParseErrors from any file propagate). */
export function parseCccdDocument(files: DocumentFiles, today: Date): CccdDocument {
  const portrait = files.dg2 ? portraitOf(files.dg2) : undefined;
  return buildCccdDocument({
    mrz: parseDg1(files.dg1).mrz,
    ...(files.dg13 ? { dg13: parseDg13(files.dg13) } : {}),
    ...(portrait ? { portrait } : {}),
  }, today);
}
