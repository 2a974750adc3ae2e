/**
 * Health-insurance (BHYT) eligibility: the port, the typed result and the mapping from the social
 * insurance gateway's `maKetQua` codes (reference §2.3; de-facto, reconstructed from public HIS
 * code, no official document). Each outcome carries a plain message in Vietnamese and English and
 * what the kiosk should do next.
 */
import type { LocalizedText, Sex } from './types.ts';

export interface InsuranceQuery {
  /** The 12-digit CCCD number or the 15-character BHYT card number (`maThe`). */
  readonly cardNumber: string;
  readonly fullName: string;
  /** `YYYY-MM-DD` or `YYYY`, as in ChipIdentity. */
  readonly dateOfBirth: string;
}

export type InsuranceStatus =
  | 'valid'
  | 'valid-managed-elsewhere'
  | 'valid-new-card-issued'
  | 'expired'
  | 'not-found'
  | 'invalid-card-number'
  | 'wrong-name'
  | 'wrong-date-of-birth'
  | 'wrong-sex'
  | 'wrong-facility'
  | 'card-data-error'
  | 'revoked'
  | 'suspended'
  | 'child-without-card'
  | 'server-error'
  | 'kiosk-misconfigured'
  | 'unavailable'
  | 'unknown-code';

/**
 * What the journey does with the result: `insurance` offers the BHYT path; `staff` sends the
 * patient to the reception desk (they may still be entitled, a person must look); `service`
 * offers the fee-paying path only; `retry` lets them try again or choose service.
 */
export type InsuranceAdvice = 'insurance' | 'staff' | 'service' | 'retry';

/** Card details the gateway returned; absent fields were not in the answer. */
export interface InsuranceCard {
  readonly cardNumber?: string;
  readonly fullName?: string;
  readonly dateOfBirth?: string;
  readonly sex?: Sex;
  /** Code of the facility of initial registration (nơi ĐKKCB ban đầu, `maDKBD`). */
  readonly registeredFacility?: string;
  /** ISO dates of validity (`gtTheTu`, `gtTheDen`). */
  readonly validFrom?: string;
  readonly validTo?: string;
  /** Card number of the replacement card when a new one was issued (`maTheMoi`). */
  readonly newCardNumber?: string;
}

export interface InsuranceResult {
  readonly status: InsuranceStatus;
  readonly advice: InsuranceAdvice;
  /** The gateway's code as received (`000`, `010`…), or null when no answer came. */
  readonly code: string | null;
  readonly message: LocalizedText;
  readonly card?: InsuranceCard;
}

/** The BHYT check. Never throws for an answer the gateway gave: every outcome is a result. */
export interface InsuranceCheck {
  check(query: InsuranceQuery): Promise<InsuranceResult>;
}

interface Outcome {
  readonly status: InsuranceStatus;
  readonly advice: InsuranceAdvice;
  readonly message: Required<LocalizedText>;
}

const OUTCOMES: Record<InsuranceStatus, Outcome> = {
  valid: {
    status: 'valid', advice: 'insurance',
    message: { vi: 'Thẻ bảo hiểm y tế còn hiệu lực.', en: 'Your health insurance card is valid.' },
  },
  'valid-managed-elsewhere': {
    status: 'valid-managed-elsewhere', advice: 'staff',
    message: {
      vi: 'Thẻ bảo hiểm y tế do Bảo hiểm xã hội Bộ Quốc phòng hoặc Bộ Công an quản lý. Xin mời đến quầy tiếp đón để được hỗ trợ.',
      en: 'Your card is managed by the Ministry of Defence or Public Security insurance office. Please go to the reception desk.',
    },
  },
  'valid-new-card-issued': {
    status: 'valid-new-card-issued', advice: 'insurance',
    message: { vi: 'Bạn đã được cấp thẻ bảo hiểm y tế mới. Thẻ mới còn hiệu lực.', en: 'A new health insurance card has been issued to you and it is valid.' },
  },
  expired: {
    status: 'expired', advice: 'service',
    message: { vi: 'Thẻ bảo hiểm y tế đã hết hạn. Bạn có thể khám dịch vụ.', en: 'Your health insurance card has expired. You can register for a paid examination.' },
  },
  'not-found': {
    status: 'not-found', advice: 'staff',
    message: { vi: 'Không tìm thấy thẻ bảo hiểm y tế của bạn. Xin mời đến quầy tiếp đón, hoặc khám dịch vụ.', en: 'No health insurance card was found for you. Please go to the reception desk, or register for a paid examination.' },
  },
  'invalid-card-number': {
    status: 'invalid-card-number', advice: 'staff',
    message: { vi: 'Số thẻ bảo hiểm y tế không đúng. Xin mời đến quầy tiếp đón.', en: 'The health insurance card number is not correct. Please go to the reception desk.' },
  },
  'wrong-name': {
    status: 'wrong-name', advice: 'staff',
    message: { vi: 'Họ tên trên thẻ bảo hiểm y tế không khớp với căn cước. Xin mời đến quầy tiếp đón.', en: 'The name on your insurance record does not match your ID card. Please go to the reception desk.' },
  },
  'wrong-date-of-birth': {
    status: 'wrong-date-of-birth', advice: 'staff',
    message: { vi: 'Ngày sinh trên thẻ bảo hiểm y tế không khớp với căn cước. Xin mời đến quầy tiếp đón.', en: 'The date of birth on your insurance record does not match your ID card. Please go to the reception desk.' },
  },
  'wrong-sex': {
    status: 'wrong-sex', advice: 'staff',
    message: { vi: 'Giới tính trên thẻ bảo hiểm y tế không khớp với căn cước. Xin mời đến quầy tiếp đón.', en: 'The sex on your insurance record does not match your ID card. Please go to the reception desk.' },
  },
  'wrong-facility': {
    status: 'wrong-facility', advice: 'staff',
    message: { vi: 'Nơi đăng ký khám chữa bệnh ban đầu trên thẻ không phải bệnh viện này. Xin mời đến quầy tiếp đón để được hướng dẫn mức hưởng.', en: 'Your card is registered at a different first-contact facility. Please go to the reception desk to learn what your insurance covers here.' },
  },
  'card-data-error': {
    status: 'card-data-error', advice: 'staff',
    message: { vi: 'Thông tin thẻ bảo hiểm y tế có sai sót. Xin mời đến quầy tiếp đón.', en: 'There is an error in your insurance card data. Please go to the reception desk.' },
  },
  revoked: {
    status: 'revoked', advice: 'service',
    message: { vi: 'Thẻ bảo hiểm y tế đã bị thu hồi. Bạn có thể khám dịch vụ.', en: 'Your health insurance card has been withdrawn. You can register for a paid examination.' },
  },
  suspended: {
    status: 'suspended', advice: 'service',
    message: { vi: 'Thẻ bảo hiểm y tế đang bị tạm dừng. Bạn có thể khám dịch vụ.', en: 'Your health insurance card is suspended. You can register for a paid examination.' },
  },
  'child-without-card': {
    status: 'child-without-card', advice: 'staff',
    message: { vi: 'Trẻ em chưa có thẻ bảo hiểm y tế. Xin mời đến quầy tiếp đón cùng giấy khai sinh.', en: 'The child has no insurance card yet. Please go to the reception desk with the birth certificate.' },
  },
  'server-error': {
    status: 'server-error', advice: 'retry',
    message: { vi: 'Hệ thống bảo hiểm xã hội đang bận. Xin thử lại, hoặc khám dịch vụ.', en: 'The social insurance system is busy. Please try again, or register for a paid examination.' },
  },
  'kiosk-misconfigured': {
    status: 'kiosk-misconfigured', advice: 'staff',
    message: { vi: 'Ki-ốt chưa kết nối được với hệ thống bảo hiểm. Xin mời đến quầy tiếp đón.', en: 'This kiosk cannot reach the insurance system. Please go to the reception desk.' },
  },
  unavailable: {
    status: 'unavailable', advice: 'retry',
    message: { vi: 'Không kết nối được hệ thống bảo hiểm xã hội. Xin thử lại, hoặc khám dịch vụ.', en: 'The social insurance system cannot be reached. Please try again, or register for a paid examination.' },
  },
  'unknown-code': {
    status: 'unknown-code', advice: 'staff',
    message: { vi: 'Chưa xác định được thẻ bảo hiểm y tế. Xin mời đến quầy tiếp đón.', en: 'Your insurance card could not be checked. Please go to the reception desk.' },
  },
};

/** `maKetQua` → status. Codes not listed (and 120–124 as a range) are handled in `statusOfCode`. */
const CODE_STATUS: Readonly<Record<string, InsuranceStatus>> = {
  '000': 'valid',
  '001': 'valid-managed-elsewhere',
  '002': 'valid-managed-elsewhere',
  '003': 'valid-new-card-issued',
  '004': 'valid-new-card-issued',
  '010': 'expired',
  '050': 'not-found',
  '051': 'invalid-card-number',
  '052': 'invalid-card-number',
  '053': 'invalid-card-number',
  '060': 'wrong-name',
  '061': 'wrong-name',
  '070': 'wrong-date-of-birth',
  '080': 'wrong-sex',
  '090': 'wrong-facility',
  '100': 'card-data-error',
  '101': 'server-error',
  '110': 'revoked',
  '130': 'child-without-card',
  // A missing parameter or failed authentication is the kiosk's fault, not the patient's.
  '205': 'kiosk-misconfigured',
  '401': 'kiosk-misconfigured',
};

/** Every `maKetQua` the kiosk knows, for simulators and tests. */
export const KNOWN_RESULT_CODES: readonly string[] = [...Object.keys(CODE_STATUS), '120', '121', '122', '123', '124'].sort();

export function statusOfCode(code: string): InsuranceStatus {
  const known = CODE_STATUS[code];
  if (known) return known;
  if (/^12[0-4]$/.test(code)) return 'suspended';
  return 'unknown-code';
}

export function insuranceOutcome(status: InsuranceStatus): Outcome {
  return OUTCOMES[status];
}

/** Builds the result for a gateway answer. */
export function insuranceResult(code: string, card?: InsuranceCard): InsuranceResult {
  const { status, advice, message } = OUTCOMES[statusOfCode(code)];
  return card ? { status, advice, code, message, card } : { status, advice, code, message };
}

/**
 * A result the kiosk decided without a gateway answer: `unavailable` when none came (network,
 * timeout, a reply not in the gateway's shape), `invalid-card-number` when the number could not
 * have been a card, `kiosk-misconfigured` when the gateway refused the kiosk's credentials.
 */
export function insuranceWithoutAnswer(status: 'unavailable' | 'invalid-card-number' | 'kiosk-misconfigured'): InsuranceResult {
  const { advice, message } = OUTCOMES[status];
  return { status, advice, code: null, message };
}

/** `maThe` is the 12-digit CCCD or the 15-character BHYT number (2 letters, 13 digits). */
export function isInsuranceCardNumber(value: string): boolean {
  return /^\d{12}$/.test(value) || /^[A-Z]{2}\d{13}$/.test(value);
}

/** Whether the result lets the patient register on insurance without a person looking first. */
export function allowsInsuranceVisit(result: InsuranceResult): boolean {
  return result.advice === 'insurance';
}
