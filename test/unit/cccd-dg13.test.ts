import { describe, expect, it } from 'vitest';
import { buildDg13, parseDg13, vnDateToIso } from '../../app/core/cccd/dg13.ts';
import { canFromIdNumber, centurySexDigit, parseIdNumber } from '../../app/core/cccd/id-number.ts';
import { derSequence, derUtf8, encodeInteger, encodeOid, encodeTlv, fromHex, hex } from '../../app/core/icao/tlv.ts';
import { code } from '../support/error-code.ts';

// Reference cccd-icao.md §1.2: synthetic 397-byte DG13.
const VECTOR = fromHex(`
6D82018930820185020101060628D316010008318201763011020101130C3030
3130393230313233343530150201020C104E677579E1BB856E2056C4836E2041
6E300F020103130A31372F30332F3139393230080201040C034E616D300F0201
050C0A5669E1BB8774204E616D30090201060C044B696E68300B0201070C064B
68C3B46E67301F0201080C1A58C3A320412C20487579E1BB876E20422C2054E1
BB896E68204330320201090C2D53E1BB9120312C205068C6B0E1BB9D6E672044
2C205175E1BAAD6E20452C205468C3A06E68207068E1BB912046303202010A0C
2D4EE1BB9174207275E1BB936920433A31636D207472C3AA6E207472C6B0E1BB
9B63206DC3A970207068E1BAA369300F02010B130A31352F30342F3230323130
0F02010C0C0A31372F30332F32303332302F02010D30150C134E677579E1BB85
6E2056C4836E2042C3AC6E6830130C115472E1BAA76E205468E1BB8B2043C3BA
63300302010E300E02010F130931323334353637383930150201101310303132
33343536373839414243444546`);

const EXPECTED = {
  idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '17/03/1992', sex: 'Nam', nationality: 'Việt Nam',
  ethnicity: 'Kinh', religion: 'Không', placeOfOrigin: 'Xã A, Huyện B, Tỉnh C', placeOfResidence: 'Số 1, Phường D, Quận E, Thành phố F',
  identifyingMarks: 'Nốt ruồi C:1cm trên trước mép phải', dateOfIssue: '15/04/2021', dateOfExpiry: '17/03/2032',
  parents: ['Nguyễn Văn Bình', 'Trần Thị Cúc'], spouse: [], oldIdNumber: '123456789', field16: '0123456789ABCDEF',
};


describe('DG13 (Vietnam)', () => {
  it('parses the 397-byte reference vector field by field', () => {
    expect(VECTOR.length).toBe(397);
    const d = parseDg13(VECTOR);
    expect(d).toMatchObject(EXPECTED);
    expect([...d.fields.keys()]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('encodes the same fields to exactly the reference bytes', () => {
    expect(hex(buildDg13(EXPECTED))).toBe(hex(VECTOR));
  });

  it('allows absent fields, a married person, and long (>127 byte) strings', () => {
    const residence = 'Số 1, '.repeat(40);
    const d = parseDg13(buildDg13({ idNumber: '079301000123', fullName: 'Trần Thị Bích Ngọc', spouse: ['Lê Văn Dũng'], placeOfResidence: residence }));
    expect(d.idNumber).toBe('079301000123');
    expect(d.spouse).toEqual(['Lê Văn Dũng']);
    expect(d.parents).toEqual([]);
    expect(d.dateOfBirth).toBeUndefined();
    expect(d.placeOfResidence).toBe(residence);
  });

  // Cards in the field may differ from the reference layout; build variants with the DER helpers.
  const dg13With = (...entries: Uint8Array[]) =>
    encodeTlv(0x6d, derSequence(encodeInteger(1), encodeOid('1.0.10646.1.0.8'), encodeTlv(0x31, entries)));

  it('collects both parents when they share one SEQUENCE (NghiaLio fixture shape)', () => {
    const dg = dg13With(derSequence(encodeInteger(13), derSequence(derUtf8('Cha A'), derUtf8('Mẹ B'))));
    expect(parseDg13(dg).parents).toEqual(['Cha A', 'Mẹ B']);
  });

  it('keeps unknown field numbers and tolerates a missing version/OID', () => {
    const dg = encodeTlv(0x6d, derSequence(encodeTlv(0x31, [derSequence(encodeInteger(17), derUtf8('x')), derSequence(encodeInteger(4), derUtf8('Nữ'))])));
    const d = parseDg13(dg);
    expect(d.sex).toBe('Nữ');
    expect(d.fields.get(17)).toEqual(['x']);
  });

  it('rejects malformed DG13 with typed errors', () => {
    expect(code(() => parseDg13(VECTOR.subarray(0, 100)))).toBe('TLV_TRUNCATED');
    expect(code(() => parseDg13(fromHex('6B00')))).toBe('DG13_INVALID');
    expect(code(() => parseDg13(fromHex('6D023000')))).toBe('DG13_INVALID');
    const sex = derSequence(encodeInteger(4), derUtf8('Nam'));
    expect(code(() => parseDg13(dg13With(sex, sex)))).toBe('DG13_INVALID');
    expect(code(() => parseDg13(dg13With(derSequence(derUtf8('no number')))))).toBe('DG13_INVALID');
    expect(code(() => parseDg13(dg13With(derSequence(encodeInteger(4), encodeTlv(0x0c, Uint8Array.of(0x4e, 0xff))))))).toBe('TEXT_INVALID_UTF8');
    expect(code(() => parseDg13(dg13With(derSequence(encodeInteger(1), encodeTlv(0x13, Uint8Array.of(0x30, 0x07))))))).toBe('TEXT_INVALID_ASCII');
  });

  it('converts dd/mm/yyyy dates and refuses impossible ones', () => {
    expect(vnDateToIso('17/03/1992')).toBe('1992-03-17');
    expect(vnDateToIso('29/02/2000')).toBe('2000-02-29');
    expect(vnDateToIso('29/02/2001')).toBeUndefined();
    expect(vnDateToIso('Không thời hạn')).toBeUndefined();
  });
});

describe('12-digit ID number', () => {
  it.each([
    ['001092012345', { provinceCode: '001', province: 'Hà Nội', sex: 'M', birthYear: 1992, can: '012345', documentNumber: '092012345' }],
    ['079301000123', { provinceCode: '079', province: 'Hồ Chí Minh', sex: 'F', birthYear: 2001, can: '000123', documentNumber: '301000123' }],
    ['038185000001', { sex: 'F', birthYear: 1985 }],
    ['048210123456', { sex: 'M', birthYear: 2010 }],
  ])('%s', (id, expected) => expect(parseIdNumber(id)).toMatchObject(expected));

  it('has no province for an unknown code, and rejects non-12-digit input', () => {
    expect(parseIdNumber('003092012345').province).toBeUndefined();
    expect(code(() => parseIdNumber('00109201234'))).toBe('ID_NUMBER_INVALID');
    expect(code(() => parseIdNumber('00109201234X'))).toBe('ID_NUMBER_INVALID');
    expect(canFromIdNumber('001092012345')).toBe('012345');
    expect(centurySexDigit(2001, 'F')).toBe(3);
    expect(centurySexDigit(1992, 'M')).toBe(0);
  });
});
