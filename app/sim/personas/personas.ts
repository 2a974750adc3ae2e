/**
 * Synthetic card holders for the virtual chip, tests and the demo. Every person here is invented;
 * ID numbers follow the 12-digit layout (province, century/sex, year) but belong to nobody.
 */
import type { Dg13Input } from '../../core/cccd/dg13.ts';
import { checkDigit, type MrzFields } from '../../core/icao/mrz.ts';
import type { ImageFormat } from '../../core/icao/lds/dg2.ts';
import type { PkiProfile } from '../pki/test-pki.ts';

/**
 * Chip features beyond the data groups (issue 4). The builder writes EF.CardAccess, DG14 and DG15
 * from these and hands the private keys to the virtual chip; the protocols themselves live elsewhere.
 */
export interface ChipFeatures {
  /** EF.CardAccess advertising PACE-ECDH-GM-AES-128 on brainpoolP256r1 (like Vietnamese cards). */
  readonly pace?: boolean;
  /** DG14 with an ECDH Chip Authentication key on this curve. */
  readonly chipAuthentication?: { readonly curve: 'brainpoolP256r1' | 'prime256v1' };
  /** DG15 with an Active Authentication key. */
  readonly activeAuthentication?: { readonly key: 'rsa-1024' | 'rsa-2048' | 'ec-prime256v1' | 'ec-brainpoolP256r1' };
}

export interface Persona {
  readonly id: string;
  readonly kind: 'cccd' | 'passport';
  /** 12-digit ID for CCCD personas. */
  readonly idNumber?: string;
  readonly mrz: MrzFields;
  /** Field values for DG13 (CCCD only), dates as dd/mm/yyyy like the card. */
  readonly dg13?: Dg13Input;
  readonly portrait: ImageFormat;
  /** ISO 19794-5 gender code for DG2: 1 male, 2 female. */
  readonly gender: 1 | 2;
  readonly pki: PkiProfile;
  readonly chip: ChipFeatures;
}

const cccdMrz = (id: string, surname: string, givenNames: string, dob: string, sex: 'M' | 'F', doe: string): MrzFields => ({
  format: 'TD1', documentCode: 'ID', issuingState: 'VNM', nationality: 'VNM', documentNumber: id.slice(3),
  optionalData1: `${id}<<${checkDigit(id)}`, // CCCD TD1: full ID, fillers, ID check digit (reference §2.1)
  surname, givenNames, dateOfBirth: dob, sex, dateOfExpiry: doe,
});

export const PERSONAS = {
  /** The reference DG13 vector's person (cccd-icao.md §1.2/§2.1): CCCD, TD1, JPEG, Vietnam-like PKI. */
  'nguyen-van-an': {
    id: 'nguyen-van-an', kind: 'cccd', idNumber: '001092012345',
    mrz: cccdMrz('001092012345', 'NGUYEN', 'VAN AN', '920317', 'M', '320317'),
    dg13: {
      idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '17/03/1992', sex: 'Nam', nationality: 'Việt Nam',
      ethnicity: 'Kinh', religion: 'Không', placeOfOrigin: 'Xã A, Huyện B, Tỉnh C', placeOfResidence: 'Số 1, Phường D, Quận E, Thành phố F',
      identifyingMarks: 'Nốt ruồi C:1cm trên trước mép phải', dateOfIssue: '15/04/2021', dateOfExpiry: '17/03/2032',
      parents: ['Nguyễn Văn Bình', 'Trần Thị Cúc'], spouse: [], oldIdNumber: '123456789', field16: '0123456789ABCDEF',
    },
    portrait: 'jpeg', gender: 1, pki: 'brainpool-explicit',
    chip: { pace: true, chipAuthentication: { curve: 'brainpoolP256r1' }, activeAuthentication: { key: 'rsa-1024' } },
  },
  /** CCCD whose portrait is JPEG 2000; no CA/AA (the "not checked" clone verdict). */
  'tran-thi-bich-ngoc': {
    id: 'tran-thi-bich-ngoc', kind: 'cccd', idNumber: '079301000123',
    mrz: cccdMrz('079301000123', 'TRAN', 'THI BICH NGOC', '010228', 'F', '260228'),
    dg13: {
      idNumber: '079301000123', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '28/02/2001', sex: 'Nữ', nationality: 'Việt Nam',
      ethnicity: 'Kinh', religion: 'Không', placeOfOrigin: 'Phường G, Quận H, Thành phố Hồ Chí Minh',
      placeOfResidence: 'Số 22, Đường K, Phường L, Quận M, Thành phố Hồ Chí Minh', identifyingMarks: 'Sẹo chấm C:2cm dưới sau đuôi mắt trái',
      dateOfIssue: '10/05/2021', dateOfExpiry: '28/02/2026', parents: ['Trần Văn Đức', 'Lê Thị Hoa'], spouse: ['Phạm Quốc Huy'],
    },
    portrait: 'jpeg2000', gender: 2, pki: 'ecdsa-p256', chip: { pace: true },
  },
  /**
   * An elderly returning patient of the demo hospital whose BHYT card has lapsed (the hospital and
   * insurance simulators know him); his card was issued after 60, so it has no expiry date.
   */
  'le-van-cuong': {
    id: 'le-van-cuong', kind: 'cccd', idNumber: '099047000456',
    mrz: cccdMrz('099047000456', 'LE', 'VAN CUONG', '471103', 'M', '991231'),
    dg13: {
      idNumber: '099047000456', fullName: 'Lê Văn Cường', dateOfBirth: '03/11/1947', sex: 'Nam', nationality: 'Việt Nam',
      ethnicity: 'Kinh', religion: 'Không', placeOfOrigin: 'Xã N, Huyện P, Tỉnh Q', placeOfResidence: 'Số 5, Phường R, Quận S, Thành phố Hồ Chí Minh',
      identifyingMarks: 'Sẹo chấm C:1cm trên mày phải', dateOfIssue: '20/06/2021', dateOfExpiry: 'Không thời hạn',
      parents: ['Lê Văn Tâm', 'Nguyễn Thị Lan'], spouse: ['Phạm Thị Mai'],
    },
    // Like every CCCD chip: Chip and Active Authentication keys (DG14, DG15), so its chip proves itself genuine.
    portrait: 'jpeg', gender: 1, pki: 'brainpool-explicit',
    chip: { pace: true, chipAuthentication: { curve: 'brainpoolP256r1' }, activeAuthentication: { key: 'rsa-1024' } },
  },
  /** A TD3 passport (RSA PKI, EC Active Authentication). */
  'le-minh-chau-passport': {
    id: 'le-minh-chau-passport', kind: 'passport',
    mrz: {
      format: 'TD3', documentCode: 'P', issuingState: 'VNM', nationality: 'VNM', documentNumber: 'C1234567',
      surname: 'LE', givenNames: 'MINH CHAU', dateOfBirth: '850704', sex: 'F', dateOfExpiry: '330704',
    },
    portrait: 'jpeg', gender: 2, pki: 'rsa', chip: { activeAuthentication: { key: 'ec-prime256v1' } },
  },
} as const satisfies Record<string, Persona>;

export type PersonaId = keyof typeof PERSONAS;

export function getPersona(id: string): Persona {
  const p = (PERSONAS as Record<string, Persona>)[id];
  if (!p) throw new RangeError(`unknown persona '${id}' (known: ${Object.keys(PERSONAS).join(', ')})`);
  return p;
}
