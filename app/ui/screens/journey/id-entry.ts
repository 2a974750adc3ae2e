import { parseIdNumber } from '../../../core/cccd/id-number.ts';
import type { TextKey } from '../../i18n.ts';

export interface IdProblem {
  readonly key: TextKey;
  readonly params: Record<string, string | number>;
}

/**
 * What cannot be right in the digits typed so far, as soon as it shows: the first three must be a
 * province code, the fourth (century and sex) must not put the birth in a century still to come,
 * and the birth year (digits 5-6) must not be after this year. The meaning of each digit is the
 * core's (`parseIdNumber`); the digits not typed yet are read as zeros, the earliest they could be.
 */
export function typedIdProblem(digits: string, currentYear: number): IdProblem | undefined {
  if (!/^\d{3,12}$/.test(digits)) return undefined;
  const info = parseIdNumber(digits.padEnd(12, '0'));
  if (!info.province) return { key: 'idProvinceUnknown', params: { code: info.provinceCode } };
  if (digits.length < 4) return undefined;
  const centuryStart = info.birthYear - Number(digits.slice(4, 6).padEnd(2, '0'));
  if (centuryStart > currentYear) return { key: 'idCenturyImpossible', params: { digit: digits[3]! } };
  if (digits.length >= 6 && info.birthYear > currentYear) return { key: 'idBirthYearFuture', params: { year: info.birthYear } };
  return undefined;
}
