import type {
  ChipIdentity,
  Department,
  Patient,
  RegisteredVisit,
  VisitFee,
  VisitRequest,
  VisitStatus,
} from './types.ts';

/**
 * The hospital information system (HIS) as the kiosk needs it. Implemented by the FHIR R4 adapter
 * (../node/his/fhir-adapter.ts); the embedded simulator speaks FHIR too, so the same adapter
 * runs in the demo. Every method throws `HospitalError` with a stable code on failure.
 */
export interface HospitalSystem {
  /** The returning patient with this 12-digit ID, or null for a new patient. */
  findPatientByCccd(idNumber: string): Promise<Patient | null>;

  /** The patient with the hospital system's own id (a face enrolment refers to it), or null. */
  getPatient(patientId: string): Promise<Patient | null>;

  /**
   * Registers a new patient from the chip's data. Idempotent on the ID number: if the hospital
   * already has them (e.g. registered at a desk a moment ago), that record is returned.
   */
  createPatient(identity: ChipIdentity): Promise<Patient>;

  /** Departments with their clinics; queue lengths are filled in when the HIS can count them. */
  listDepartments(): Promise<Department[]>;

  /** Records the arrival (FHIR Encounter status `arrived`) and returns the queue number. */
  registerVisit(request: VisitRequest): Promise<RegisteredVisit>;

  /** The visit with this id (a ticket's QR), or null when the hospital has none. */
  getVisit(visitId: string): Promise<VisitStatus | null>;

  /** The fee of a visit and whether the hospital has received the payment. */
  getFee(visitId: string): Promise<VisitFee>;

  /**
   * Gives up a visit the person left before paying (FHIR Encounter status `cancelled`): it no longer
   * counts in the clinic's queue, so later patients are not pushed back. Already cancelled: no-op.
   */
  releaseVisit(visitId: string): Promise<void>;
}
