import { describe, expect, it } from 'vitest';
import { buildDg13, parseDg13 } from '../../app/core/cccd/dg13.ts';
import { buildCccdDocument, parseCccdDocument } from '../../app/core/cccd/document.ts';
import { buildCccdMrz, buildMrz, parseMrz } from '../../app/core/icao/mrz.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';
import { PERSONAS } from '../../app/sim/personas/personas.ts';

const TODAY = new Date(Date.UTC(2026, 10, 23));
const AN = PERSONAS['nguyen-van-an'].dg13;
const anMrz = (o: Partial<Parameters<typeof buildCccdMrz>[0]> = {}) =>
  parseMrz(buildCccdMrz({ idNumber: '001092012345', surname: 'NGUYEN', givenNames: 'VAN AN', dateOfBirth: '920317', sex: 'M', dateOfExpiry: '320317', ...o }));

describe('CccdDocument', () => {
  it('merges DG1 + DG13 + DG2 of the persona card', async () => {
    const card = await buildCardFiles('nguyen-van-an');
    const doc = parseCccdDocument({ dg1: card.dataGroups.get(1)!, dg13: card.dataGroups.get(13)!, dg2: card.dataGroups.get(2)! }, TODAY);
    expect(doc).toMatchObject({
      kind: 'cccd', idNumber: '001092012345', documentNumber: '092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M',
      nationality: 'Việt Nam', ethnicity: 'Kinh', religion: 'Không', placeOfOrigin: 'Xã A, Huyện B, Tỉnh C',
      placeOfResidence: 'Số 1, Phường D, Quận E, Thành phố F', identifyingMarks: 'Nốt ruồi C:1cm trên trước mép phải',
      dateOfIssue: '2021-04-15', dateOfExpiry: '2032-03-17', fatherName: 'Nguyễn Văn Bình', motherName: 'Trần Thị Cúc', spouse: [],
      oldIdNumber: '123456789', findings: [],
      mrz: { format: 'TD1', documentNumber: '092012345', dateOfBirth: '1992-03-17', dateOfExpiry: '2032-03-17', surname: 'NGUYEN', givenNames: 'VAN AN' },
    });
    expect(doc.portrait).toMatchObject({ format: 'jpeg', width: 240, height: 320 });
  });

  it('a passport without DG13 takes its fields from the MRZ', async () => {
    const card = await buildCardFiles('le-minh-chau-passport');
    const doc = parseCccdDocument({ dg1: card.dataGroups.get(1)! }, TODAY);
    expect(doc).toMatchObject({ kind: 'passport', fullName: 'LE MINH CHAU', dateOfBirth: '1985-07-04', dateOfExpiry: '2033-07-04', sex: 'F', nationality: 'VNM', findings: [] });
    expect(doc.idNumber).toBeUndefined();
  });

  it.each([
    ['ID_NUMBER_MISMATCH', { idNumber: '001092012346' }],
    ['DATE_OF_BIRTH_MISMATCH', { dateOfBirth: '18/03/1992' }],
    ['NAME_MISMATCH', { fullName: 'Nguyễn Văn Ân Bình' }],
    ['SEX_MISMATCH', { sex: 'Nữ' }],
    ['DATE_OF_EXPIRY_MISMATCH', { dateOfExpiry: '17/03/2052' }],
    ['DG13_DATE_INVALID', { dateOfBirth: '1992' }],
  ])('reports %s as a typed finding', (code, change) => {
    const doc = buildCccdDocument({ mrz: anMrz(), dg13: parseDg13(buildDg13({ ...AN, ...change })) }, TODAY);
    expect(doc.findings.map((f) => f.code)).toContain(code);
  });

  it('document number = last 9 digits of the ID', () => {
    const mrz = parseMrz(buildMrz({ format: 'TD1', documentCode: 'ID', issuingState: 'VNM', nationality: 'VNM', documentNumber: '092012399', surname: 'NGUYEN', givenNames: 'VAN AN', dateOfBirth: '920317', sex: 'M', dateOfExpiry: '320317' }));
    const doc = buildCccdDocument({ mrz, dg13: parseDg13(buildDg13(AN)) }, TODAY);
    expect(doc.findings.map((f) => f.code)).toEqual(['DOCUMENT_NUMBER_MISMATCH']);
  });

  it('folds Đ to D and accepts a name cut at the MRZ width', () => {
    const long = 'Đặng Thị Phương Thảo Nguyên Hoàng';
    const mrz = anMrz({ surname: 'DANG', givenNames: 'THI PHUONG THAO NGUYEN HOANG' });
    expect(mrz.text.split('\n')[2]!.endsWith('<')).toBe(false); // really truncated
    const doc = buildCccdDocument({ mrz, dg13: parseDg13(buildDg13({ ...AN, fullName: long })) }, TODAY);
    expect(doc.findings).toEqual([]);
    expect(doc.fullName).toBe(long);
  });

  it('keeps a non-date expiry as text', () => {
    const doc = buildCccdDocument({ mrz: anMrz(), dg13: parseDg13(buildDg13({ ...AN, dateOfExpiry: 'Không thời hạn' })) }, TODAY);
    expect(doc.expiryText).toBe('Không thời hạn');
    expect(doc.dateOfExpiry).toBeUndefined();
    expect(doc.findings).toEqual([]);
  });
});
