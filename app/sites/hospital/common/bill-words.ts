/**
 * The words for bills that the paper receipt, the done screen and the bill screens share: what a
 * kind of bill is called, and where to go once it is paid (the hospital may say it better in its
 * profile, `site.nextSteps`). Vietnamese first, English.
 */
import type { BillKind, PaymentMethod } from './billing.ts';
import type { HospitalConfig } from './config.ts';

type Words = { readonly vi: string; readonly en: string };

export const BILL_KIND_WORDS: Readonly<Record<BillKind, Words>> = {
  examination: { vi: 'Khám bệnh', en: 'Examination' },
  laboratory: { vi: 'Xét nghiệm', en: 'Laboratory tests' },
  imaging: { vi: 'Chẩn đoán hình ảnh', en: 'Imaging' },
  'inpatient-deposit': { vi: 'Tạm ứng viện phí', en: 'In-patient deposit' },
  pharmacy: { vi: 'Thuốc', en: 'Medicines' },
  other: { vi: 'Chi phí khác', en: 'Other charges' },
};

export const NEXT_STEP_WORDS: Readonly<Record<BillKind, Words>> = {
  examination: { vi: 'Quay lại phòng khám để gặp bác sĩ.', en: 'Go back to your clinic to see the doctor.' },
  laboratory: { vi: 'Đến Khoa Xét nghiệm để lấy mẫu.', en: 'Go to the laboratory to give your sample.' },
  imaging: { vi: 'Đến Khoa Chẩn đoán hình ảnh để chụp.', en: 'Go to the imaging department for your scan.' },
  'inpatient-deposit': { vi: 'Mang phiếu thu về khoa điều trị của bạn.', en: 'Take the receipt to your ward.' },
  pharmacy: { vi: 'Đến quầy phát thuốc để nhận thuốc.', en: 'Go to the pharmacy window for your medicines.' },
  other: { vi: 'Mang phiếu thu đến nơi bác sĩ hướng dẫn.', en: 'Take the receipt where your doctor told you to go.' },
};

export const METHOD_WORDS: Readonly<Record<PaymentMethod, Words>> = {
  card: { vi: 'Thẻ ngân hàng', en: 'Bank card' },
  ewallet: { vi: 'Ví điện tử', en: 'E-wallet' },
  vietqr: { vi: 'Chuyển khoản VietQR', en: 'VietQR bank transfer' },
};

/** Where to go after paying bills of these kinds, once per kind, in the bills' order, in both languages. */
export function nextSteps(kinds: readonly BillKind[], config: Pick<HospitalConfig, 'nextSteps'>): Words[] {
  return [...new Set(kinds)].map((kind) => {
    const own = config.nextSteps[kind];
    return own ? { vi: own.vi, en: own.en ?? own.vi } : NEXT_STEP_WORDS[kind];
  });
}
