import { describe, expect, it } from 'vitest';
import { parseCanCuocBackQr, parseCardQr, parseCccdFrontQr } from '../../app/core/cccd/qr.ts';
import { ParseError } from '../../app/core/errors.ts';

// Synthetic, in the published layout (reference §2.2).
const FRONT = '001092012345|123456789|Nguyễn Văn An|17031992|Nam|Số 1, Phường D, Quận E, Thành phố F|15042021';

function err(text: string): ParseError {
  try {
    parseCccdFrontQr(text);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

describe('CCCD front QR (strict)', () => {
  it('parses all seven fields', () => {
    expect(parseCccdFrontQr(FRONT)).toEqual({
      format: 'cccd-front', idNumber: '001092012345', oldIdNumber: '123456789', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17',
      sex: 'M', address: 'Số 1, Phường D, Quận E, Thành phố F', dateOfIssue: '2021-04-15', can: '012345',
    });
  });
  it('accepts an empty old ID, Nữ, a trailing newline and decomposed Unicode', () => {
    const q = parseCccdFrontQr('079301000123||Trần Thị Bích Ngọc|28022001|Nữ|Phường G, Quận H|10052021\r\n'.normalize('NFD'));
    expect(q).toMatchObject({ sex: 'F', fullName: 'Trần Thị Bích Ngọc', can: '000123' });
    expect('oldIdNumber' in q).toBe(false);
  });
  it.each([
    ['001092012345|123456789|Nguyễn Văn An|17031992|Nam|Số 1', 'QR_INVALID_FORMAT', undefined],
    [FRONT + '|extra', 'QR_INVALID_FORMAT', undefined],
    [FRONT.replace('001092012345', '00109201234'), 'QR_INVALID_ID', 1],
    [FRONT.replace('001092012345', '00109201234A'), 'QR_INVALID_ID', 1],
    [FRONT.replace('123456789', '12345'), 'QR_INVALID_OLD_ID', 2],
    [FRONT.replace('Nguyễn Văn An', ''), 'QR_INVALID_NAME', 3],
    [FRONT.replace('17031992', '31021992'), 'QR_INVALID_DATE', 4],
    [FRONT.replace('17031992', '1992-03-17'), 'QR_INVALID_DATE', 4],
    [FRONT.replace('|Nam|', '|M|'), 'QR_INVALID_SEX', 5],
    [FRONT.replace('Số 1, Phường D, Quận E, Thành phố F', ''), 'QR_INVALID_ADDRESS', 6],
    [FRONT.replace('15042021', '15132021'), 'QR_INVALID_DATE', 7],
    [FRONT.replace('15042021', '15041980'), 'QR_INVALID_DATE', 7],
    ['', 'QR_INVALID_FORMAT', undefined],
  ])('%# rejects with %s naming field %s', (text, code, index) => {
    const e = err(text);
    expect(e.code).toBe(code);
    expect(e.details.index).toBe(index);
  });
});

describe('Căn cước back QR (tolerant, never guesses an ID)', () => {
  it('recognises fields in the published order', () => {
    const q = parseCanCuocBackQr('001092012345|Nguyễn Văn An|17031992|Nam|Số 1, Phường D, Thành phố F|01082024|123456789');
    expect(q).toMatchObject({ idNumber: '001092012345', can: '012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M', dateOfIssue: '2024-08-01', oldIdNumber: '123456789', unrecognisedFields: 0 });
  });
  it('does not take a 12-digit number that is not the first field as the ID', () => {
    const q = parseCanCuocBackQr('Nguyễn Văn An|001092012345|17031992');
    expect(q.idNumber).toBeUndefined();
    expect(q.can).toBeUndefined();
    expect(q.unrecognisedFields).toBe(1);
  });
  it('keeps dates out of order unlabelled as issue', () => {
    const q = parseCanCuocBackQr('001092012345|01082024|17031992');
    expect(q.dateOfBirth).toBe('2024-08-01');
    expect(q.dateOfIssue).toBeUndefined();
  });
  it('refuses text without fields', () => {
    expect(() => parseCanCuocBackQr('hello')).toThrow(ParseError);
  });
  it('parseCardQr picks the strict front reading when it fits', () => {
    expect(parseCardQr(FRONT).format).toBe('cccd-front');
    expect(parseCardQr('001092012345|Nguyễn Văn An|17031992').format).toBe('can-cuoc-back');
  });
});
