/**
 * The paper receipt of a bill payment (phiếu thu), in Vietnamese as the hospital's papers are: each
 * bill with its number and the amount paid, how it was paid, the payment's key as a barcode (what
 * the cashier looks it up by) and where to go next.
 */
import type { ReceiptInput } from '../../../core/receipts/index.ts';
import { BILL_KIND_WORDS, METHOD_WORDS, nextSteps } from './bill-words.ts';
import type { HospitalConfig } from './config.ts';
import type { PaymentRecord } from './payment-ledger.ts';

export function billReceipt(record: PaymentRecord, config: Pick<HospitalConfig, 'hospitalName' | 'nextSteps'>): ReceiptInput {
  const t = record.terminal;
  const how = [METHOD_WORDS[record.method].vi, t?.brand, t?.approvalCode && `mã duyệt ${t.approvalCode}`].filter(Boolean).join(' · ');
  const pending = record.state === 'approved' ? ['Bệnh viện đang ghi nhận khoản thanh toán này; xin giữ phiếu.'] : [];
  return {
    merchant: config.hospitalName,
    title: 'PHIẾU THU',
    lines: record.bills.map((b) => ({ label: `${BILL_KIND_WORDS[b.kind].vi} · ${b.number}`, amountVnd: b.amountVnd })),
    paidBy: how,
    issuedAt: new Date(record.createdAt),
    reference: record.key,
    footer: [...pending, ...nextSteps(record.bills.map((b) => b.kind), config).map((w) => w.vi)].join(' '),
  };
}
