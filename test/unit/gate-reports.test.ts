/** The gate's report ranges in the site's local days, and the retention's months. */
import { describe, expect, it } from 'vitest';
import { nextDay, startOfLocalDay } from '../../app/sites/gate/common/local-time.ts';
import { dayRange } from '../../app/sites/gate/node/reports.ts';
import { monthsBefore } from '../../app/sites/gate/node/retention.ts';

describe('local days as instants', () => {
  it('a day begins at local midnight, also on a night the offset changes', () => {
    expect(startOfLocalDay('2025-06-02', 'Asia/Ho_Chi_Minh').toISOString()).toBe('2025-06-01T17:00:00.000Z');
    // Berlin: 2025-03-30 starts at +01:00, 2025-03-31 at +02:00.
    expect(startOfLocalDay('2025-03-30', 'Europe/Berlin').toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(startOfLocalDay('2025-03-31', 'Europe/Berlin').toISOString()).toBe('2025-03-30T22:00:00.000Z');
    expect(() => startOfLocalDay('2025-13-01', 'Asia/Ho_Chi_Minh')).toThrow(RangeError);
    expect(nextDay('2024-02-28')).toBe('2024-02-29');
    expect(nextDay('2025-12-31')).toBe('2026-01-01');
  });

  it('a report range is whole local days, inclusive, bounded', () => {
    expect(dayRange('2025-06-01', '2025-06-30', 'Asia/Ho_Chi_Minh', 93)).toEqual({ from: '2025-05-31T17:00:00.000Z', to: '2025-06-30T17:00:00.000Z' });
    expect(() => dayRange('2025-06-02', '2025-06-01', 'Asia/Ho_Chi_Minh', 93)).toThrow(/ends before it starts/);
    expect(() => dayRange('2025-01-01', '2025-04-04', 'Asia/Ho_Chi_Minh', 93)).toThrow(/at most 93 days/);
    expect(() => dayRange('1/6/2025', '2025-06-01', 'Asia/Ho_Chi_Minh', 93)).toThrow(/YYYY-MM-DD/);
  });
});

describe('retention months', () => {
  it('the months before a month, newest first, across a new year', () => {
    expect(monthsBefore('2026-02', 3)).toEqual(['2026-01', '2025-12', '2025-11']);
  });
});
