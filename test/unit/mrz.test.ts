import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildCccdMrz, buildMrz, checkDigit, mrzDateToIso, mrzInformation, parseMrz, toMrzText } from '../../app/core/icao/mrz.ts';
import { ParseError } from '../../app/core/errors.ts';

const kseed = (info: string) => createHash('sha1').update(info, 'latin1').digest('hex').toUpperCase().slice(0, 32);

function err(f: () => unknown): ParseError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

const CCCD_AN = 'IDVNM0920123452001092012345<<3\n9203170M3203178VNM<<<<<<<<<<<4\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<';
const CCCD_NGOC = 'IDVNM3010001238079301000123<<8\n0102281F2602280VNM<<<<<<<<<<<4\nTRAN<<THI<BICH<NGOC<<<<<<<<<<<';
const TD1_SPECIMEN = 'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<';
const TD1_LONG = 'I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<';

describe('ICAO 7-3-1 check digits (reference §3.1)', () => {
  it.each([
    ['L898902C<', 3], ['690806', 1], ['940623', 6], ['D23145890', 7], ['740812', 2], ['120415', 9],
    ['T22000129', 3], ['640812', 5], ['101031', 8], ['D23145890734', 9], ['340712', 7], ['950712', 2],
  ])('%s → %i', (text, cd) => expect(checkDigit(text)).toBe(cd));
});

describe('MRZ_information and Kseed', () => {
  it('ICAO Appendix D: L898902C<', () => {
    const info = mrzInformation({ documentNumber: 'L898902C', dateOfBirth: '690806', dateOfExpiry: '940623' });
    expect(info).toBe('L898902C<369080619406236');
    expect(createHash('sha1').update(info).digest('hex').toUpperCase()).toBe('239AB9CB282DAF66231DC5A4DF6BFBAEDF477565');
    expect(kseed(info)).toBe('239AB9CB282DAF66231DC5A4DF6BFBAE');
  });
  it('G.1 MRZ', () => {
    expect(mrzInformation({ documentNumber: 'T22000129', dateOfBirth: '640812', dateOfExpiry: '101031' })).toBe('T22000129364081251010318');
  });
  it('long document number (TD1 overflow)', () => {
    const m = parseMrz(TD1_LONG);
    const info = mrzInformation(m);
    expect(info).toBe('D23145890734934071279507122');
    expect(createHash('sha1').update(info).digest('hex').toUpperCase()).toBe('B366AD857DDCA2B08C0E2998117147300FA5D581');
    expect(kseed(info)).toBe('B366AD857DDCA2B08C0E299811714730');
  });
  it.each([
    [CCCD_AN, '092012345292031703203178', '17F24CC5197FEA169F1B447A4EEA7FD0'],
    [CCCD_NGOC, '301000123801022812602280', '6583304E0DF442BE02D7E8819F4281A3'],
  ])('CCCD synthetic vector %#', (mrz, info, seed) => {
    expect(mrzInformation(parseMrz(mrz))).toBe(info);
    expect(kseed(info)).toBe(seed);
  });
});

describe('parseMrz', () => {
  it('parses the CCCD TD1 layout with the 12-digit ID', () => {
    const m = parseMrz(CCCD_AN);
    expect(m).toMatchObject({
      format: 'TD1', documentCode: 'ID', issuingState: 'VNM', documentNumber: '092012345', cccdIdNumber: '001092012345',
      dateOfBirth: '920317', sex: 'M', dateOfExpiry: '320317', nationality: 'VNM', surname: 'NGUYEN', givenNames: 'VAN AN',
    });
    expect(parseMrz(CCCD_NGOC)).toMatchObject({ cccdIdNumber: '079301000123', documentNumber: '301000123', sex: 'F', givenNames: 'THI BICH NGOC' });
  });

  it('parses the TD1 specimen and the long document number', () => {
    expect(parseMrz(TD1_SPECIMEN)).toMatchObject({ documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', surname: 'ERIKSSON', givenNames: 'ANNA MARIA' , sex: 'F' });
    expect(parseMrz(TD1_SPECIMEN).cccdIdNumber).toBeUndefined();
    expect(parseMrz(TD1_LONG)).toMatchObject({ documentNumber: 'D23145890734', optionalData1: '', surname: 'STEVENSON', givenNames: 'PETER JOHN' });
  });

  it('tolerates a filler as the ID check digit and withholds an ID that does not match the document number', () => {
    const filler = 'IDVNM0920123452001092012345<<<\n9203170M3203178VNM<<<<<<<<<<<3\nNGUYEN<<VAN<AN<<<<<<<<<<<<<<<<';
    expect(parseMrz(filler).cccdIdNumber).toBe('001092012345');
    const other = buildMrz({ format: 'TD1', documentCode: 'ID', issuingState: 'VNM', nationality: 'VNM', documentNumber: '092012345', optionalData1: `001092012399<<${checkDigit('001092012399')}`, surname: 'A', givenNames: 'B', dateOfBirth: '920317', sex: 'M', dateOfExpiry: '320317' });
    expect(parseMrz(other).cccdIdNumber).toBeUndefined();
    expect(parseMrz(other).optionalData1).toBe(`001092012399<<${checkDigit('001092012399')}`);
  });

  it('accepts the zone run together and with CRLF', () => {
    expect(parseMrz(CCCD_AN.replace(/\n/g, '')).cccdIdNumber).toBe('001092012345');
    expect(parseMrz(CCCD_AN.replace(/\n/g, '\r\n') + '\n').documentNumber).toBe('092012345');
  });

  it('parses TD3 and TD2 built from fields and round-trips them', () => {
    const td3 = buildMrz({ format: 'TD3', documentCode: 'P', issuingState: 'UTO', documentNumber: 'L898902C', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', nationality: 'UTO', dateOfBirth: '690806', sex: 'F', dateOfExpiry: '940623', optionalData1: 'ZE184226B' });
    expect(td3).toBe('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C<3UTO6908061F9406236ZE184226B<<<<<14');
    expect(parseMrz(td3)).toMatchObject({ format: 'TD3', documentNumber: 'L898902C', optionalData1: 'ZE184226B', dateOfExpiry: '940623' });
    const td2 = buildMrz({ format: 'TD2', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', nationality: 'UTO', dateOfBirth: '740812', sex: 'F', dateOfExpiry: '120415' });
    expect(td2).toBe('I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6');
    expect(parseMrz(td2.replace('\n', ''))).toMatchObject({ format: 'TD2', givenNames: 'ANNA MARIA' });
    const td2long = buildMrz({ format: 'TD2', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890734', surname: 'A', givenNames: 'B', nationality: 'UTO', dateOfBirth: '740812', sex: 'M', dateOfExpiry: '120415' });
    expect(parseMrz(td2long).documentNumber).toBe('D23145890734');
  });

  it('builds the CCCD vectors exactly', () => {
    expect(buildCccdMrz({ idNumber: '001092012345', surname: 'Nguyễn', givenNames: 'Văn An', dateOfBirth: '920317', sex: 'M', dateOfExpiry: '320317' })).toBe(CCCD_AN);
    expect(buildCccdMrz({ idNumber: '079301000123', surname: 'Trần', givenNames: 'Thị Bích Ngọc', dateOfBirth: '010228', sex: 'F', dateOfExpiry: '260228' })).toBe(CCCD_NGOC);
    expect(buildMrz({ format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890734', surname: 'STEVENSON', givenNames: 'PETER JOHN', nationality: 'UTO', dateOfBirth: '340712', sex: 'M', dateOfExpiry: '950712' })).toBe(TD1_LONG);
    expect(buildMrz({ format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'D23145890', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', nationality: 'UTO', dateOfBirth: '740812', sex: 'F', dateOfExpiry: '120415' })).toBe(TD1_SPECIMEN);
  });

  it('folds Vietnamese names to MRZ text', () => {
    expect(toMrzText('Đặng Thị Ngọc Ánh')).toBe('DANG<THI<NGOC<ANH');
    expect(toMrzText('Nguyễn  Văn-An')).toBe('NGUYEN<VAN<AN');
  });

  it('names line and position in typed errors', () => {
    let e = err(() => parseMrz(CCCD_AN.replace('0920123452', '0920123451')));
    expect(e.code).toBe('MRZ_CHECK_DIGIT');
    expect(e.details).toMatchObject({ line: 1, position: 15, field: 'document number' });
    e = err(() => parseMrz(CCCD_AN.replace('M3203178VNM<<<<<<<<<<<4', 'M3203178VNM<<<<<<<<<<<5')));
    expect(e.details).toMatchObject({ line: 2, position: 30, field: 'composite' });
    e = err(() => parseMrz(CCCD_AN.replace('9203170', '9203171')));
    expect(e.details).toMatchObject({ line: 2, position: 7, field: 'date of birth' });
    e = err(() => parseMrz(CCCD_AN.replace('<<3\n', '<<4\n')));
    expect(e).toMatchObject({ code: 'MRZ_CHECK_DIGIT', details: { line: 1, position: 30 } });
    e = err(() => parseMrz(CCCD_AN.replace('NGUYEN', 'NGuYEN')));
    expect(e).toMatchObject({ code: 'MRZ_INVALID', details: { line: 3, position: 3 } });
    expect(err(() => parseMrz('ABC')).code).toBe('MRZ_INVALID');
    expect(err(() => parseMrz(CCCD_AN + '<')).code).toBe('MRZ_INVALID');
    e = err(() => parseMrz(CCCD_AN.replace('9203170M', '9213170M')));
    expect(e.code).toMatch(/MRZ_(CHECK_DIGIT|INVALID_DATE)/);
    expect(err(() => parseMrz(buildMrz({ format: 'TD1', documentCode: 'I', issuingState: 'UTO', documentNumber: 'X', surname: 'A', givenNames: 'B', nationality: 'UTO', dateOfBirth: '741312', sex: 'M', dateOfExpiry: '120415' }))).code).toBe('MRZ_INVALID_DATE');
    expect(err(() => parseMrz(TD1_LONG.replace('<7349', '<7348'))).code).toBe('MRZ_CHECK_DIGIT');
    expect(err(() => mrzInformation({ documentNumber: 'ab!', dateOfBirth: '920317', dateOfExpiry: '320317' })).code).toBe('MRZ_INVALID_FIELD');
  });

  it('converts MRZ dates to ISO with a century rule', () => {
    const today = new Date(Date.UTC(2026, 10, 23));
    expect(mrzDateToIso('920317', 'birth', today)).toBe('1992-03-17');
    expect(mrzDateToIso('010228', 'birth', today)).toBe('2001-02-28');
    expect(mrzDateToIso('320317', 'expiry', today)).toBe('2032-03-17');
    expect(mrzDateToIso('940623', 'expiry', today)).toBe('1994-06-23');
    expect(mrzDateToIso('010229', 'birth', today)).toBeUndefined();
    expect(mrzDateToIso('00<<<<', 'birth', today)).toBeUndefined();
  });
});
