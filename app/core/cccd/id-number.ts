/**
 * The 12-digit personal identification number (số định danh cá nhân), Decree 137/2015/ND-CP and
 * Circular 07/2016/TT-BCA: 3 digits province of birth registration, 1 digit century + sex,
 * 2 digits year of birth, 6 random digits. The PACE CAN of a CCCD is its last 6 digits, and the
 * MRZ/BAC document number its last 9 (reference cccd-icao.md §1.3, §2.1).
 */
import { ParseError } from '../errors.ts';

/** Province codes (Circular 07/2016/TT-BCA, Art. 7): the 63 provinces before the 2025 mergers. */
export const PROVINCE_CODES: Readonly<Record<string, string>> = {
  '001': 'Hà Nội', '002': 'Hà Giang', '004': 'Cao Bằng', '006': 'Bắc Kạn', '008': 'Tuyên Quang', '010': 'Lào Cai',
  '011': 'Điện Biên', '012': 'Lai Châu', '014': 'Sơn La', '015': 'Yên Bái', '017': 'Hòa Bình', '019': 'Thái Nguyên',
  '020': 'Lạng Sơn', '022': 'Quảng Ninh', '024': 'Bắc Giang', '025': 'Phú Thọ', '026': 'Vĩnh Phúc', '027': 'Bắc Ninh',
  '030': 'Hải Dương', '031': 'Hải Phòng', '033': 'Hưng Yên', '034': 'Thái Bình', '035': 'Hà Nam', '036': 'Nam Định',
  '037': 'Ninh Bình', '038': 'Thanh Hóa', '040': 'Nghệ An', '042': 'Hà Tĩnh', '044': 'Quảng Bình', '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế', '048': 'Đà Nẵng', '049': 'Quảng Nam', '051': 'Quảng Ngãi', '052': 'Bình Định', '054': 'Phú Yên',
  '056': 'Khánh Hòa', '058': 'Ninh Thuận', '060': 'Bình Thuận', '062': 'Kon Tum', '064': 'Gia Lai', '066': 'Đắk Lắk',
  '067': 'Đắk Nông', '068': 'Lâm Đồng', '070': 'Bình Phước', '072': 'Tây Ninh', '074': 'Bình Dương', '075': 'Đồng Nai',
  '077': 'Bà Rịa - Vũng Tàu', '079': 'Hồ Chí Minh', '080': 'Long An', '082': 'Tiền Giang', '083': 'Bến Tre', '084': 'Trà Vinh',
  '086': 'Vĩnh Long', '087': 'Đồng Tháp', '089': 'An Giang', '091': 'Kiên Giang', '092': 'Cần Thơ', '093': 'Hậu Giang',
  '094': 'Sóc Trăng', '095': 'Bạc Liêu', '096': 'Cà Mau',
};

export interface IdNumberInfo {
  readonly idNumber: string;
  readonly provinceCode: string;
  /** undefined for a code outside the table (e.g. people born abroad use other codes). */
  readonly province?: string;
  readonly sex: 'M' | 'F';
  /** Full year of birth from the century digit and the two year digits. */
  readonly birthYear: number;
  /** PACE Card Access Number: the last 6 digits. */
  readonly can: string;
  /** MRZ / BAC document number: the last 9 digits. */
  readonly documentNumber: string;
}

export function isIdNumber(text: string): boolean {
  return /^\d{12}$/.test(text);
}

export function parseIdNumber(text: string): IdNumberInfo {
  const idNumber = text.trim();
  if (!isIdNumber(idNumber)) throw new ParseError('ID_NUMBER_INVALID', 'ID number must be exactly 12 digits', { length: idNumber.length });
  const provinceCode = idNumber.slice(0, 3);
  const centurySex = Number(idNumber[3]);
  const century = 1900 + Math.floor(centurySex / 2) * 100;
  const province = PROVINCE_CODES[provinceCode];
  return {
    idNumber,
    provinceCode,
    ...(province ? { province } : {}),
    sex: centurySex % 2 === 0 ? 'M' : 'F',
    birthYear: century + Number(idNumber.slice(4, 6)),
    can: idNumber.slice(6),
    documentNumber: idNumber.slice(3),
  };
}

/** CAN for PACE = last 6 digits of the 12-digit ID. */
export const canFromIdNumber = (id: string): string => parseIdNumber(id).can;
/** BAC document number = last 9 digits of the 12-digit ID. */
export const documentNumberFromIdNumber = (id: string): string => parseIdNumber(id).documentNumber;

/** The century/sex digit for a birth year and sex (to build synthetic IDs for personas). */
export function centurySexDigit(birthYear: number, sex: 'M' | 'F'): number {
  const c = Math.floor((birthYear - 1900) / 100);
  if (c < 0 || c > 4) throw new RangeError(`birth year ${birthYear} outside 1900-2399`);
  return c * 2 + (sex === 'F' ? 1 : 0);
}
