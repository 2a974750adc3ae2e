/**
 * Bills due at the hospital and their payment, as the kiosk needs them: what the patient owes
 * (examination, laboratory, imaging, in-patient deposit, pharmacy), the part health insurance (BHYT)
 * covers and the patient's part, exactly as the hospital system reports them; and telling the
 * hospital system that a payment was made (or refunded). Implemented over FHIR R4 Invoice and
 * PaymentReconciliation by ../node/his/fhir-billing.ts; docs/hospital-integration.md lists the calls.
 */
import type { LocalizedText } from './types.ts';

export const BILL_KINDS = ['examination', 'laboratory', 'imaging', 'inpatient-deposit', 'pharmacy', 'other'] as const;
export type BillKind = (typeof BILL_KINDS)[number];

export interface BillLine {
  /** The service or medicine as the hospital names it. */
  readonly name: string;
  /** Its full price, in đồng. */
  readonly priceVnd: number;
  /** What health insurance pays of it. */
  readonly insuranceVnd: number;
}

/** A bill the patient may pay at the kiosk (one FHIR Invoice in status `issued`). */
export interface DueBill {
  /** The hospital system's id of the bill (Invoice id). */
  readonly billId: string;
  /** The number printed on the hospital's papers (hoá đơn / phiếu thu). */
  readonly number: string;
  readonly kind: BillKind;
  /** The hospital's own title of the bill, when it gives one (e.g. "Xét nghiệm máu"). */
  readonly title?: LocalizedText;
  readonly issuedAt: string;
  readonly lines: readonly BillLine[];
  /** The whole price. */
  readonly totalVnd: number;
  /** What health insurance pays. */
  readonly insuranceVnd: number;
  /** What the patient pays: the amount the kiosk takes. */
  readonly patientVnd: number;
}

/** How the patient paid: a card or an e-wallet on the payment terminal, or a bank transfer by VietQR. */
export type PaymentMethod = 'card' | 'ewallet' | 'vietqr';

export interface HospitalPayment {
  /** The kiosk's idempotency key: the hospital records one payment per key, whatever the retries. */
  readonly key: string;
  readonly method: PaymentMethod;
  readonly amountVnd: number;
  /** Which bills it pays, and how much of the amount goes to each (each bill's patient part). */
  readonly bills: readonly { readonly billId: string; readonly amountVnd: number }[];
  /** The terminal's transaction (card, e-wallet): what the bank statement shows. */
  readonly terminal?: { readonly transactionId: string; readonly approvalCode?: string; readonly brand?: string };
  readonly at: string;
}

/**
 * The hospital's record of a payment: `expected` — a VietQR transfer announced and not yet in the
 * bank; `complete` — received, the bills are paid; `cancelled` — withdrawn before any money came;
 * `refused` — money came in but settles nothing (the bills were paid otherwise): staff give it back.
 */
export type HospitalPaymentState = 'expected' | 'complete' | 'cancelled' | 'refused';

export interface HospitalBilling {
  /** The patient's bills in status issued (due), oldest first. */
  listDueBills(patientId: string): Promise<DueBill[]>;
  /**
   * Tells the hospital a payment the terminal approved (`complete`), or announces a VietQR transfer
   * it should expect (`expected`). Idempotent on `key`: asking again returns the record it has.
   * A hospital that will not take it (a bill paid meanwhile at the desk, withdrawn, another amount)
   * answers HIS_REJECTED.
   */
  recordPayment(payment: HospitalPayment, state: 'complete' | 'expected'): Promise<HospitalPaymentState>;
  /** The hospital's record of the payment with this key, or null when it has none. */
  findPayment(key: string): Promise<HospitalPaymentState | null>;
  /** Withdraws an expected VietQR transfer; a transfer that already came in stays `complete`. */
  withdrawPayment(key: string): Promise<HospitalPaymentState>;
  /** Tells the hospital the terminal gave a payment back (for its bank reconciliation). Idempotent on the key. */
  recordRefund(refund: { readonly key: string; readonly amountVnd: number; readonly terminalTransactionId: string; readonly reason: string; readonly at: string }): Promise<void>;
}

/** The sum the kiosk asks for: the patient parts of the chosen bills. */
export function amountDue(bills: readonly DueBill[]): number {
  return bills.reduce((sum, b) => sum + b.patientVnd, 0);
}
