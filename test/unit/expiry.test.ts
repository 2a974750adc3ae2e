import { describe, expect, it } from 'vitest';
import { expiryCandidates } from '../../app/core/cccd/expiry.ts';
import { ParseError } from '../../app/core/errors.ts';

const first = (dateOfBirth: string, dateOfIssue: string) => expiryCandidates({ dateOfBirth, dateOfIssue }).candidates[0];

describe('expiry candidates: milestones', () => {
  it.each([
    // [DOB, issue, expected first candidate, law, milestone]
    ['1992-03-17', '2021-04-15', '2032-03-17', '2014', 40], // the persona / reference MRZ: DOE = 40th birthday
    ['2001-02-28', '2021-05-10', '2026-02-28', '2014', 25], // issued at 20 → 25th birthday
    ['1970-06-01', '2021-01-10', '2030-06-01', '2014', 60], // issued at 50 → 60th birthday
    ['2012-09-09', '2024-08-01', '2026-09-09', '2023', 14], // 2023 law: child card → 14th birthday
    ['2005-01-20', '2024-07-01', '2030-01-20', '2023', 25], // first day of the 2023 law
    ['1990-12-31', '2024-06-30', '2030-12-31', '2014', 40], // last day of the 2014 law
  ])('DOB %s issued %s → %s', (dob, issue, expected, law, milestone) => {
    expect(first(dob, issue)).toMatchObject({ dateOfExpiry: expected, law, milestone, variant: 'rule', yymmdd: expected.slice(2).replace(/-/g, '') });
  });
});

describe('expiry candidates: the 2-year rule', () => {
  it('issued within 2 years before a milestone → valid to the next one', () => {
    expect(first('1992-03-17', '2015-03-18')).toMatchObject({ dateOfExpiry: '2032-03-17', milestone: 40 }); // 23y+1d: skip 25
    expect(first('1992-03-17', '2015-03-16')).toMatchObject({ dateOfExpiry: '2017-03-17', milestone: 25 }); // 22y11m: still 25
    expect(first('1975-05-05', '2013-06-01')).toMatchObject({ dateOfExpiry: '2035-05-05', milestone: 60 }); // 38: skip 40
  });
  it('exactly on the (m−2)th birthday: both readings, inclusive first', () => {
    const { candidates } = expiryCandidates({ dateOfBirth: '1992-03-17', dateOfIssue: '2015-03-17' });
    expect(candidates.slice(0, 2).map((c) => [c.dateOfExpiry, c.variant])).toEqual([['2032-03-17', 'rule'], ['2017-03-17', 'boundary']]);
  });
  it('issued at 58 or later → may not expire', () => {
    const d = expiryCandidates({ dateOfBirth: '1950-01-01', dateOfIssue: '2021-01-01' });
    expect(d.mayNotExpire).toBe(true);
    expect(d.candidates.some((c) => c.law === '2014')).toBe(false);
  });
  it('the other law comes second when it differs (2023 adds the 14 milestone)', () => {
    const { candidates } = expiryCandidates({ dateOfBirth: '2010-10-10', dateOfIssue: '2024-05-01' });
    // 2014 law: no 14 milestone → 25th; the 2023 reading would give the 25th too (issued at 13y7m, within 2y of 14)
    expect(candidates[0]).toMatchObject({ dateOfExpiry: '2035-10-10', law: '2014' });
    const child = expiryCandidates({ dateOfBirth: '2014-10-10', dateOfIssue: '2024-05-01' }).candidates;
    expect(child.map((c) => [c.dateOfExpiry, c.law])).toEqual([['2039-10-10', '2014'], ['2028-10-10', '2023']]);
  });
});

describe('expiry candidates: 29 February', () => {
  it('birthday in a common year: 28 February first, 1 March as the alternative', () => {
    const { candidates } = expiryCandidates({ dateOfBirth: '2000-02-29', dateOfIssue: '2020-03-01' });
    expect(candidates.slice(0, 2).map((c) => [c.dateOfExpiry, c.variant])).toEqual([['2025-02-28', 'rule'], ['2025-03-01', 'leap-day']]);
  });
  it('birthday in a leap year stays 29 February', () => {
    expect(first('1996-02-29', '2021-01-01')).toMatchObject({ dateOfExpiry: '2036-02-29' });
  });
});

describe('expiry candidates: bounds and invalid input', () => {
  it('is bounded', () => {
    expect(expiryCandidates({ dateOfBirth: '2000-02-29', dateOfIssue: '2023-02-28', maxCandidates: 2 }).candidates.length).toBeLessThanOrEqual(2);
    for (const dob of ['1950-01-01', '2000-02-29', '1992-03-17', '2014-10-10']) {
      for (const issue of ['2014-01-01', '2021-06-30', '2024-07-01', '2040-01-01']) {
        if (issue < dob) continue;
        const { candidates } = expiryCandidates({ dateOfBirth: dob, dateOfIssue: issue });
        expect(candidates.length).toBeLessThanOrEqual(4);
        expect(new Set(candidates.map((c) => c.dateOfExpiry)).size).toBe(candidates.length);
        for (const c of candidates) expect(c.dateOfExpiry > issue).toBe(true);
      }
    }
  });
  it.each([
    ['1992-02-30', '2021-01-01'], ['17/03/1992', '2021-01-01'], ['1992-03-17', ''], ['2021-01-01', '1992-03-17'],
  ])('rejects DOB %s / issue %s', (dob, issue) => {
    expect(() => expiryCandidates({ dateOfBirth: dob, dateOfIssue: issue })).toThrow(ParseError);
    try {
      expiryCandidates({ dateOfBirth: dob, dateOfIssue: issue });
    } catch (e) {
      expect((e as ParseError).code).toBe('EXPIRY_INVALID_INPUT');
    }
  });
  it('rejects an unbounded request', () => {
    expect(() => expiryCandidates({ dateOfBirth: '1992-03-17', dateOfIssue: '2021-04-15', maxCandidates: 1000 })).toThrow(ParseError);
  });
});
