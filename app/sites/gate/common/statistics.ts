/**
 * The site's statistics: people by age band, sex, province (of birth registration, from the ID
 * number's first three digits; and of residence, from the chip's address), department, and visitors
 * per day. Only coarse facts kept in clear on each person record go in; nothing is unsealed.
 */
import { PROVINCE_CODES } from '../../../core/cccd/id-number.ts';
import type { PersonRecord } from './records.ts';

export const AGE_BANDS = ['<25', '25-34', '35-44', '45-54', '55+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

export function ageBand(birthYear: number, year: number): AgeBand {
  const age = year - birthYear;
  return age < 25 ? '<25' : age < 35 ? '25-34' : age < 45 ? '35-44' : age < 55 ? '45-54' : '55+';
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase().replace(/\s+/g, ' ').trim();
const byFolded = new Map(Object.values(PROVINCE_CODES).map((name) => [fold(name), name]));
for (const [alias, name] of [['ho chi minh city', 'Hồ Chí Minh'], ['hue', 'Thừa Thiên Huế'], ['ba ria vung tau', 'Bà Rịa - Vũng Tàu']] as const) byFolded.set(alias, name);

/**
 * The province of a chip address: its last part ("…, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"),
 * without "Tỉnh", "Thành phố" or "TP.", named as in the province table when it is one of the 63
 * provinces; a name outside it (such as a province formed by the 2025 mergers) is kept as written.
 */
export function provinceOfAddress(address: string | undefined): string | undefined {
  const last = address?.split(',').pop()?.trim();
  if (!last) return undefined;
  const bare = last.replace(/^(tỉnh|tinh|thành phố|thanh pho|tp\.|tp\s)\s*/iu, '').trim();
  if (!bare) return undefined;
  return byFolded.get(fold(bare).replace(/-/g, ' ').replace(/ +/g, ' ')) ?? byFolded.get(fold(bare)) ?? bare;
}

export type Counts = Readonly<Record<string, number>>;

export interface PeopleStatistics {
  readonly total: number;
  readonly byKind: Counts;
  readonly byAgeBand: Counts;
  readonly bySex: Counts;
  readonly byBirthProvince: Counts;
  readonly byResidenceProvince: Counts;
  readonly byDepartment: Counts;
}

const count = (into: Record<string, number>, key: string) => void (into[key] = (into[key] ?? 0) + 1);
const UNKNOWN = '?';

/** Counts over the people given (the caller chooses: active workers, everyone, today's visitors…). */
export function peopleStatistics(people: readonly PersonRecord[], year: number): PeopleStatistics {
  const s = { byKind: {}, byAgeBand: Object.fromEntries(AGE_BANDS.map((b) => [b, 0])), bySex: { M: 0, F: 0 }, byBirthProvince: {}, byResidenceProvince: {}, byDepartment: {} } as Record<Exclude<keyof PeopleStatistics, 'total'>, Record<string, number>>;
  for (const p of people) {
    count(s.byKind, p.kind);
    count(s.byAgeBand, ageBand(p.profile.birthYear, year));
    count(s.bySex, p.profile.sex);
    count(s.byBirthProvince, PROVINCE_CODES[p.profile.birthProvinceCode] ?? UNKNOWN);
    count(s.byResidenceProvince, p.profile.residenceProvince ?? UNKNOWN);
    count(s.byDepartment, p.department ?? UNKNOWN);
  }
  return { total: people.length, ...s };
}

/** Visitors per local day, from the days their visits started (`YYYY-MM-DD` each). */
export function perDay(days: readonly string[]): Counts {
  const out: Record<string, number> = {};
  for (const d of [...days].sort()) count(out, d);
  return out;
}
