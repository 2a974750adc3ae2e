import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { instantAt } from '../../app/sites/gate/common/local-time.ts';
import { searchFold } from '../../app/sites/gate/common/search.ts';
import { maskIdNumber } from '../../app/sites/gate/node/staff/admin-people.ts';
import { parseInput } from '../../app/sites/gate/node/staff/input.ts';

describe('the admin pages\' input', () => {
  it('reads a wall-clock time of the site as the instant it is, across a clock change', () => {
    expect(instantAt('2025-06-02', '07:30', 'Asia/Ho_Chi_Minh').toISOString()).toBe('2025-06-02T00:30:00.000Z');
    expect(instantAt('2025-06-02', '24:00', 'Asia/Ho_Chi_Minh').toISOString()).toBe('2025-06-02T17:00:00.000Z');
    // Berlin: winter UTC+1, summer UTC+2; 02:30 on 30 March 2025 does not exist and reads as after the change.
    expect(instantAt('2025-01-15', '09:00', 'Europe/Berlin').toISOString()).toBe('2025-01-15T08:00:00.000Z');
    expect(instantAt('2025-07-15', '09:00', 'Europe/Berlin').toISOString()).toBe('2025-07-15T07:00:00.000Z');
    expect(instantAt('2025-03-30', '03:30', 'Europe/Berlin').toISOString()).toBe('2025-03-30T01:30:00.000Z');
    expect(() => instantAt('2025-6-2', '07:30', 'Asia/Ho_Chi_Minh')).toThrow(RangeError);
    expect(() => instantAt('2025-06-02', '7:30', 'Asia/Ho_Chi_Minh')).toThrow(RangeError);
  });

  it('names each field that is wrong, never its value', () => {
    const schema = z.object({ idNumber: z.string().regex(/^\d{12}$/, '12 digits'), reason: z.string().min(1) }).strict();
    const e = (() => {
      try {
        parseInput(schema, { idNumber: '0790930', reason: '', extra: 'x' });
      } catch (x) {
        return x as { code: string; message: string; details: { fields: string[] } };
      }
      throw new Error('no error');
    })();
    expect(e.code).toBe('GATE_INPUT_INVALID');
    expect(e.details.fields).toEqual(['idNumber', 'reason', '']);
    expect(e.message).toMatch(/^idNumber: 12 digits; reason: /);
    expect(e.message).not.toContain('0790930');
    expect(parseInput(schema, { idNumber: '079093000001', reason: 'r' })).toEqual({ idNumber: '079093000001', reason: 'r' });
  });

  it('masks an ID number to its last three digits, and finds names without diacritics', () => {
    expect(maskIdNumber('001092012345')).toBe('•••••••••345');
    expect(searchFold('Đặng Thị Ánh')).toBe('dang thi anh');
    expect(searchFold('NGUYỄN')).toBe('nguyen');
  });
});
