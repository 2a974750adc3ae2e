/**
 * Candidate expiry dates for BAC when only the date of birth and the issue date are known
 * (reference cccd-icao.md §2.3): the card must be changed at the milestone ages — 25, 40, 60 under
 * the 2014 Law on Citizen Identification (Art. 21), 14, 25, 40, 60 under the 2023 Law on
 * Identification (Art. 21, in force 1 July 2024) — and a card issued within 2 years before a
 * milestone stays valid until the next one; past the last milestone it does not expire.
 * Unknowns (the exact boundary, 29 February, the law near July 2024) become extra candidates,
 * ordered most likely first and bounded, to try one by one.
 */
import { ParseError } from '../errors.ts';
import { isoToMrzDate } from '../icao/mrz.ts';

export type IdLaw = '2014' | '2023';

export const MILESTONES: Record<IdLaw, readonly number[]> = { '2014': [25, 40, 60], '2023': [14, 25, 40, 60] };
/** First day the 2023 law applies. */
export const LAW_2023_IN_FORCE = '2024-07-01';

export interface ExpiryCandidate {
  /** YYYY-MM-DD */
  readonly dateOfExpiry: string;
  /** YYMMDD for the MRZ / BAC key. */
  readonly yymmdd: string;
  readonly law: IdLaw;
  readonly milestone: number;
  /** Why this candidate exists beyond the plain rule. */
  readonly variant: 'rule' | 'boundary' | 'leap-day' | 'other-law';
}

export interface ExpiryDerivation {
  readonly candidates: readonly ExpiryCandidate[];
  /** The rule says the card may never expire (issued at or after 58): its MRZ value is unknown. */
  readonly mayNotExpire: boolean;
}

interface Ymd { y: number; m: number; d: number }

function parseIso(text: string, field: string): Ymd {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const ymd = m ? { y: +m[1]!, m: +m[2]!, d: +m[3]! } : undefined;
  const dt = ymd && new Date(Date.UTC(ymd.y, ymd.m - 1, ymd.d));
  if (!ymd || !dt || dt.getUTCMonth() !== ymd.m - 1 || dt.getUTCDate() !== ymd.d) {
    throw new ParseError('EXPIRY_INVALID_INPUT', `${field} is not a valid YYYY-MM-DD date`, { field });
  }
  return ymd;
}

const iso = (x: Ymd) => `${String(x.y).padStart(4, '0')}-${String(x.m).padStart(2, '0')}-${String(x.d).padStart(2, '0')}`;

/** The n-th birthday; for 29 February in a common year, 28 February (and 1 March as the alternative). */
function birthday(dob: Ymd, years: number): { main: Ymd; alternative?: Ymd } {
  const y = dob.y + years;
  if (dob.m === 2 && dob.d === 29 && !(y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0))) {
    return { main: { y, m: 2, d: 28 }, alternative: { y, m: 3, d: 1 } };
  }
  return { main: { y, m: dob.m, d: dob.d } };
}

/** Milestone index whose card covers an issue on `issue` (strictly before the (m−2)th birthday). */
function ruleMilestone(dob: Ymd, issue: string, law: IdLaw): { milestone?: number; onBoundary?: number } {
  for (const m of MILESTONES[law]) {
    const cutoff = iso(birthday(dob, m - 2).main);
    if (issue < cutoff) return { milestone: m };
    if (issue === cutoff) return { onBoundary: m };
  }
  return {};
}

export interface ExpiryInput {
  /** YYYY-MM-DD */
  readonly dateOfBirth: string;
  /** YYYY-MM-DD */
  readonly dateOfIssue: string;
  /** At most this many candidates (default 4). */
  readonly maxCandidates?: number;
}

export function expiryCandidates(input: ExpiryInput): ExpiryDerivation {
  const dob = parseIso(input.dateOfBirth, 'dateOfBirth');
  parseIso(input.dateOfIssue, 'dateOfIssue');
  if (input.dateOfIssue < input.dateOfBirth) throw new ParseError('EXPIRY_INVALID_INPUT', 'dateOfIssue is before dateOfBirth', { field: 'dateOfIssue' });
  const max = input.maxCandidates ?? 4;
  if (!Number.isInteger(max) || max < 1 || max > 16) throw new ParseError('EXPIRY_INVALID_INPUT', 'maxCandidates must be 1..16', { field: 'maxCandidates' });

  const primary: IdLaw = input.dateOfIssue >= LAW_2023_IN_FORCE ? '2023' : '2014';
  const laws: IdLaw[] = primary === '2023' ? ['2023', '2014'] : ['2014', '2023'];
  const out: ExpiryCandidate[] = [];
  let mayNotExpire = false;
  const push = (law: IdLaw, milestone: number, variant: ExpiryCandidate['variant']) => {
    const b = birthday(dob, milestone);
    for (const [date, v] of [[b.main, variant], ...(b.alternative ? [[b.alternative, 'leap-day'] as const] : [])] as const) {
      const s = iso(date);
      if (out.some((c) => c.dateOfExpiry === s)) continue;
      out.push({ dateOfExpiry: s, yymmdd: isoToMrzDate(s), law, milestone, variant: v });
    }
  };
  laws.forEach((law, i) => {
    const { milestone, onBoundary } = ruleMilestone(dob, input.dateOfIssue, law);
    const variant = i === 0 ? 'rule' : 'other-law';
    if (milestone !== undefined) push(law, milestone, variant);
    if (onBoundary !== undefined) {
      // Issued exactly 2 years before milestone m: "within 2 years" may or may not include the day.
      // Read as inclusive first (valid to the next milestone), then as exclusive.
      const next = MILESTONES[law][MILESTONES[law].indexOf(onBoundary) + 1];
      if (next !== undefined) push(law, next, variant);
      else if (i === 0) mayNotExpire = true;
      push(law, onBoundary, 'boundary');
    }
    if (milestone === undefined && onBoundary === undefined && i === 0) mayNotExpire = true;
  });
  return { candidates: out.slice(0, max), mayNotExpire };
}
