/**
 * Domain types of the hospital journey: what the kiosk knows about a patient, the hospital's
 * departments and clinics, and a registered visit. Adapters (FHIR, simulator) translate to and from
 * these; the journey and UI only ever see these.
 */
import { isIdNumber } from '../../../core/cccd/id-number.ts';
import { KioskError } from '../../../core/errors.ts';

/** A bilingual text: Vietnamese always, English when the hospital provides it. */
export interface LocalizedText {
  readonly vi: string;
  readonly en?: string;
}

export type Sex = 'male' | 'female' | 'other' | 'unknown';

/**
 * Identity data read from the chip (DG13), as the hospital needs it. The journey maps its
 * CccdDocument to this; nothing else from the chip (photo, MRZ, relatives) reaches the hospital.
 */
export interface ChipIdentity {
  /** The 12-digit personal identification number (số định danh cá nhân). */
  readonly idNumber: string;
  readonly fullName: string;
  /** ISO 8601: `YYYY-MM-DD`, or `YYYY` alone when the card carries only the year. */
  readonly dateOfBirth: string;
  readonly sex: Sex;
  /** Place of residence as printed on the card. */
  readonly address?: string;
}

/** A patient as the hospital system knows them. */
export interface Patient {
  /** The hospital system's own id (FHIR logical id). */
  readonly id: string;
  /** Medical record number (mã bệnh nhân / mã y tế), when the hospital assigns one. */
  readonly mrn?: string;
  readonly idNumber: string;
  readonly fullName: string;
  readonly dateOfBirth?: string;
  readonly sex: Sex;
}

export interface Clinic {
  readonly id: string;
  readonly departmentId: string;
  readonly name: LocalizedText;
  /** Room label as patients see it on the door, e.g. `P.105 – Tầng 1`. */
  readonly room: string;
  /** People waiting now; undefined when the hospital system does not say. */
  readonly queueLength?: number;
}

export interface Department {
  readonly id: string;
  readonly name: LocalizedText;
  readonly clinics: readonly Clinic[];
}

/** BHYT: examined on health insurance; service: pays the hospital's fee (khám dịch vụ). */
export type ExaminationType = 'insurance' | 'service';

export interface VisitRequest {
  readonly patient: Patient;
  readonly departmentId: string;
  readonly clinicId: string;
  readonly examinationType: ExaminationType;
  /** BHYT card number (15 characters) or CCCD when examined on insurance. */
  readonly insuranceCardNumber?: string;
  /** Kiosk terminal id, recorded by the hospital as the place of registration. */
  readonly terminalId: string;
  /**
   * Idempotency key (e.g. the journey session id): asking again with the same key after a time-out
   * returns the visit the HIS already made instead of a second queue number.
   */
  readonly requestId?: string;
}

export interface RegisteredVisit {
  /** The hospital system's id for the visit (FHIR Encounter id); printed as the ticket's QR. */
  readonly visitId: string;
  /** The number called at the clinic's door. */
  readonly queueNumber: number;
  readonly departmentName: LocalizedText;
  readonly clinicName: LocalizedText;
  readonly room: string;
  readonly examinationType: ExaminationType;
  /** ISO 8601 time the hospital system recorded the arrival. */
  readonly registeredAt: string;
  /** People ahead in the queue when the ticket was issued, if known. */
  readonly waitingAhead?: number;
}

/** A visit as the hospital system holds it now (what a ticket's QR, the visit id, stands for). */
export interface VisitStatus {
  readonly visitId: string;
  readonly patientId: string;
  /** FHIR Encounter status: `arrived` (waiting), `in-progress` (with the doctor), `finished`, `cancelled`… */
  readonly status: string;
  readonly queueNumber?: number;
  /** The clinic's room (Location id). */
  readonly clinicId?: string;
  readonly registeredAt?: string;
}

export type PaymentStatus = 'not-required' | 'unpaid' | 'paid';

export interface VisitFee {
  readonly visitId: string;
  /** Whole Vietnamese đồng. */
  readonly amountVnd: number;
  readonly status: PaymentStatus;
  /** Bill reference the payment must carry (goes into the VietQR payload, tag 62-01). */
  readonly billNumber: string;
}

/** Stable codes of everything that can go wrong talking to the hospital system. */
export type HospitalErrorCode =
  | 'HIS_UNREACHABLE'
  | 'HIS_TIMEOUT'
  | 'HIS_AUTH_FAILED'
  | 'HIS_REJECTED'
  | 'HIS_NOT_FOUND'
  | 'HIS_BAD_RESPONSE'
  | 'HIS_PATIENT_AMBIGUOUS'
  | 'HIS_NO_QUEUE_NUMBER'
  | 'QUEUE_NUMBER_UNAVAILABLE'
  | 'HIS_UNKNOWN_CLINIC'
  | 'HOSPITAL_INVALID_INPUT'
  | 'VISIT_DUPLICATE'
  | 'VISIT_NOT_FOUND';

export class HospitalError extends KioskError {
  constructor(code: HospitalErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
  declare readonly code: HospitalErrorCode;
}

const BIRTH_DATE = /^\d{4}(-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))?$/;

/** Rejects identity data the hospital system must never receive half-formed. Names no personal data. */
export function assertChipIdentity(identity: ChipIdentity): void {
  if (!isIdNumber(identity.idNumber)) {
    throw new HospitalError('HOSPITAL_INVALID_INPUT', 'the ID number must be 12 digits', { field: 'idNumber' });
  }
  if (identity.fullName.trim().length === 0) {
    throw new HospitalError('HOSPITAL_INVALID_INPUT', 'the full name is empty', { field: 'fullName' });
  }
  if (!BIRTH_DATE.test(identity.dateOfBirth)) {
    throw new HospitalError('HOSPITAL_INVALID_INPUT', 'the date of birth must be YYYY-MM-DD or YYYY', { field: 'dateOfBirth' });
  }
}
