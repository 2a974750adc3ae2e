/**
 * From the chip's DG13 to what the hospital is given: ID number, name, birth date, sex, address.
 * Nothing else (parents, spouse, religion, marks, photo) leaves the kiosk for the hospital.
 */
import { vnDateToIso, type Dg13Input } from '../../../core/cccd/dg13.ts';
import type { InsuranceQuery } from './insurance.ts';
import { assertChipIdentity, HospitalError, type ChipIdentity, type Sex } from './types.ts';

type Dg13Fields = Pick<Dg13Input, 'idNumber' | 'fullName' | 'dateOfBirth' | 'sex' | 'placeOfResidence'>;

function sexOf(text: string | undefined): Sex {
  const t = text?.normalize('NFC').trim().toLocaleLowerCase('vi');
  if (t === 'nam') return 'male';
  if (t === 'nữ') return 'female';
  return 'unknown';
}

/** The card stores `dd/mm/yyyy`; some old records carry the year alone. */
function birthDateOf(text: string | undefined): string | undefined {
  const t = text?.trim();
  if (t && /^\d{4}$/.test(t)) return t;
  return vnDateToIso(t);
}

export function chipIdentityFromDg13(dg13: Dg13Fields): ChipIdentity {
  const dateOfBirth = birthDateOf(dg13.dateOfBirth);
  if (!dg13.idNumber) throw new HospitalError('HOSPITAL_INVALID_INPUT', 'DG13 has no ID number', { field: 'idNumber' });
  if (!dg13.fullName) throw new HospitalError('HOSPITAL_INVALID_INPUT', 'DG13 has no full name', { field: 'fullName' });
  if (!dateOfBirth) throw new HospitalError('HOSPITAL_INVALID_INPUT', 'DG13 has no usable date of birth', { field: 'dateOfBirth' });
  const address = dg13.placeOfResidence?.trim();
  const identity: ChipIdentity = {
    idNumber: dg13.idNumber.trim(),
    fullName: dg13.fullName.normalize('NFC').trim().replace(/\s+/gu, ' '),
    dateOfBirth,
    sex: sexOf(dg13.sex),
    ...(address ? { address } : {}),
  };
  assertChipIdentity(identity);
  return identity;
}

/** The BHYT check by the 12-digit ID, as the gateway accepts since CCCD integration. */
export function insuranceQueryFor(identity: ChipIdentity): InsuranceQuery {
  return { cardNumber: identity.idNumber, fullName: identity.fullName, dateOfBirth: identity.dateOfBirth };
}
