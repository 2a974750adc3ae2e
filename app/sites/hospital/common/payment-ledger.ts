/**
 * The kiosk's ledger of bill payments: one row per payment, keyed by the kiosk's idempotency key,
 * whose state is written before every call to the outside (the terminal, the hospital system), so
 * that after a crash the kiosk knows what it was doing and asks instead of charging again.
 *
 *   started ─► approved ─► hospital-confirmed
 *      │           └─► refunding ─► refunded          (the hospital would not take it)
 *      ├─► declined / cancelled                       (nothing was taken)
 *      └─► needs-staff                                (money moved and the kiosk cannot settle it)
 *
 * A VietQR transfer goes started (announced to the hospital) ─► hospital-confirmed | cancelled | needs-staff.
 * The ledger holds no personal data: bill ids and numbers, amounts, codes.
 */
import type { BillKind, PaymentMethod } from './billing.ts';

export const PAYMENT_STATES = ['started', 'approved', 'hospital-confirmed', 'refunding', 'refunded', 'needs-staff', 'declined', 'cancelled'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** States the kiosk must still settle (reconciliation asks the terminal and the hospital about these). */
export const UNSETTLED_STATES: readonly PaymentState[] = ['started', 'approved', 'refunding'];

export interface PaidBill {
  readonly billId: string;
  readonly number: string;
  readonly kind: BillKind;
  readonly amountVnd: number;
}

export interface TerminalRecord {
  readonly transactionId: string;
  readonly timeStamp: string;
  readonly approvalCode?: string;
  readonly brand?: string;
}

export interface PaymentRecord {
  readonly key: string;
  readonly createdAt: string;
  readonly method: PaymentMethod;
  readonly amountVnd: number;
  readonly bills: readonly PaidBill[];
  readonly state: PaymentState;
  /** The terminal request that takes the money (nexo ServiceID), written before it is sent. */
  readonly attempt?: string;
  readonly terminal?: TerminalRecord;
  /** The terminal request that gives it back, written before it is sent. */
  readonly refundAttempt?: string;
  readonly refundTransactionId?: string;
  /** The hospital has been told of the refund. */
  readonly refundReported?: boolean;
  /** Why it is where it is (a decline reason, HIS_REJECTED, POS_NO_ANSWER…): a code, never words about the person. */
  readonly problem?: string;
  readonly receiptPrintedAt?: string;
}

/** A change of a payment's row: the new state and what became known with it. */
export type PaymentChange = Partial<Omit<PaymentRecord, 'key' | 'createdAt' | 'method' | 'amountVnd' | 'bills'>> & { readonly state: PaymentState };

export interface PaymentLedger {
  /** Writes a new payment in state `started` (before anything leaves the kiosk). */
  start(record: Omit<PaymentRecord, 'state'>): PaymentRecord;
  /** Writes a change with its audit row, in one transaction; returns the row as it now is. */
  update(key: string, change: PaymentChange): PaymentRecord;
  get(key: string): PaymentRecord | undefined;
  /** Payments the kiosk must still settle, oldest first. */
  unsettled(): PaymentRecord[];
  /** Marks the receipt printed; true only the first time (the receipt of a payment prints once). */
  claimReceipt(key: string): boolean;
}
