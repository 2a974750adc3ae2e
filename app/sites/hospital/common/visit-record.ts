/**
 * What the kiosk keeps about a registration: the visit itself and what was verified before it was
 * made. Personal fields are separated so the retention job can remove them and leave the rest.
 */
import type { ExaminationType, PaymentStatus } from './types.ts';

export type PaVerdict = 'pass' | 'fail' | 'not-run';
/** Clone detection (active or chip authentication); `unsupported` when the chip offers neither. */
export type CloneVerdict = 'pass' | 'fail' | 'unsupported' | 'not-run';
/** Central verification (RAR): `unreachable` means the visit was registered under the offline policy. */
export type CentralVerdict = 'confirmed' | 'rejected' | 'unreachable' | 'not-run';

export interface VerificationSummary {
  readonly pa: PaVerdict;
  readonly clone: CloneVerdict;
  /** Face similarity of the best live frame against the chip photo, 0..1; null if not matched. */
  readonly faceScore: number | null;
  readonly central: CentralVerdict;
  /**
   * The central request's id when the visit went on while the service was unreachable: the verdict
   * that arrives later for this request settles this visit.
   */
  readonly requestId?: string;
}

export interface VisitPersonalData {
  readonly fullName: string;
  /** The hospital system's patient id: links the visit back to a person, so it is purged too. */
  readonly patientId: string;
}

export interface NewVisitRecord {
  readonly visitId: string;
  readonly registeredAt: string;
  readonly examinationType: ExaminationType;
  readonly departmentName: string;
  readonly clinicId: string;
  readonly room: string;
  readonly queueNumber: number;
  /** The BHYT result code (`000`…) or null if not checked. A code, not a card number. */
  readonly insuranceCode: string | null;
  readonly verification: VerificationSummary;
  readonly paymentStatus: PaymentStatus;
  readonly feeVnd: number;
  readonly personal: VisitPersonalData;
}

/** One line of the maintenance screen: enough to find a ticket, nothing that identifies a person. */
export interface RegistrationSummary {
  readonly visitId: string;
  readonly registeredAt: string;
  /** `N.V.A.`; null once the retention job has removed the name. */
  readonly initials: string | null;
  readonly examinationType: ExaminationType;
  readonly departmentName: string;
  readonly room: string;
  readonly queueNumber: number;
  readonly centralVerdict: CentralVerdict;
  readonly pendingVerification: boolean;
  readonly paymentStatus: PaymentStatus;
  /** This patient's visits registered today, this one included (more than one is flagged to staff). */
  readonly sameDayVisits: number;
}

/**
 * What changed of a visit, as the site is told of it (./site-visits.ts): the registration's
 * summary without the name, then payment, release and the late verdict. `patientId` (the hospital
 * system's id) only ever goes out pseudonymised.
 */
export type VisitChange =
  | { readonly change: 'registered'; readonly visit: Omit<RegistrationSummary, 'initials' | 'sameDayVisits'>; readonly patientId: string }
  | { readonly change: 'paid' | 'released'; readonly visitId: string }
  | { readonly change: 'verified'; readonly visitId: string; readonly centralVerdict: 'confirmed' | 'rejected' };

/**
 * The central service's verdict code in the hospital's words: VERIFIED confirms, PENDING (queued
 * offline) is "unreachable", a site without the service has not run it, and anything else rejects.
 */
export function centralVerdictOf(verdict: string): CentralVerdict {
  if (verdict === 'VERIFIED') return 'confirmed';
  if (verdict === 'PENDING') return 'unreachable';
  return verdict === 'NOT_RUN' || verdict === 'NOT_CONFIGURED' ? 'not-run' : 'rejected';
}

/** A pending visit the late verdict settled: enough for staff to find the person, no name. */
export interface SettledVisit {
  readonly visitId: string;
  readonly queueNumber: number;
  readonly room: string;
  readonly central: CentralVerdict;
}

/**
 * A visit must be re-checked by staff when the central service could not be asked (the offline
 * policy let it through) — the registration stands, the flag sends it to a person.
 */
export function needsPendingVerification(v: VerificationSummary): boolean {
  return v.central === 'unreachable';
}

/**
 * `Nguyễn Văn An` → `N.V.A.`: enough for staff to match a paper ticket on the maintenance screen,
 * not enough to identify anyone. Letters keep their Vietnamese case (Đ stays Đ).
 */
export function nameInitials(fullName: string): string {
  const words = fullName.normalize('NFC').trim().split(/\s+/u).filter(Boolean);
  return words.map((w) => `${Array.from(w)[0]!.toLocaleUpperCase('vi')}.`).join('');
}
