/**
 * A payment terminal (POS, "máy POS") attached to a kiosk: it takes a bank card or shows an
 * e-wallet QR on its own screen, talks to the acquirer, and tells the kiosk what happened. The kiosk
 * never sees card data. The adapter for a network terminal speaking the nexo Sale to POI protocol is
 * app/platform/payments/nexo-terminal.ts; its simulator is app/sim/payment-terminal.
 *
 * Every call is about a transaction the kiosk names: `reference` is the kiosk's idempotency key for
 * the payment, `attempt` names one request to the terminal (nexo's ServiceID). Both are written to
 * the kiosk's ledger before the call, so after a crash the kiosk can ask what became of it instead
 * of charging again.
 */
import { KioskError } from '../errors.ts';

/** How the person pays at the terminal: a bank card (chip, contactless) or an e-wallet app scanning the terminal's QR. */
export type TerminalMethod = 'card' | 'ewallet';

export interface TerminalPayment {
  /** The kiosk's idempotency key of the payment (nexo SaleTransactionID). */
  readonly reference: string;
  /** This request's id at the terminal (nexo ServiceID, at most 10 characters). */
  readonly attempt: string;
  readonly amountVnd: number;
  readonly method: TerminalMethod;
}

/** The terminal's own record of an approved transaction: what a reversal (refund) must name. */
export interface TerminalTransaction {
  readonly transactionId: string;
  /** ISO 8601 time the terminal stamped on it (nexo POITransactionID.TimeStamp). */
  readonly timeStamp: string;
}

export type TerminalOutcome =
  | {
      readonly status: 'approved';
      readonly transaction: TerminalTransaction;
      readonly amountVnd: number;
      /** The acquirer's approval code, printed on the receipt. */
      readonly approvalCode?: string;
      /** Card brand or wallet name as the terminal reports it (e.g. NAPAS, VISA, MoMo); never the card number. */
      readonly brand?: string;
    }
  /** The bank or wallet said no (insufficient funds, wrong PIN, card blocked): nothing was taken. */
  | { readonly status: 'declined'; readonly reason: string }
  /** The person (or the kiosk's abort) cancelled on the terminal: nothing was taken. */
  | { readonly status: 'cancelled' }
  /** The terminal has no such transaction: nothing was taken. */
  | { readonly status: 'not-found' }
  /** Still running on the terminal (the person is entering a PIN): ask again later. */
  | { readonly status: 'in-progress' }
  /** No answer: the transaction may or may not have happened. Ask `status` before anything else. */
  | { readonly status: 'unknown'; readonly reason: string };

export type RefundOutcome =
  | { readonly status: 'refunded'; readonly transaction: TerminalTransaction }
  | { readonly status: 'refused'; readonly reason: string }
  | { readonly status: 'not-found' }
  | { readonly status: 'unknown'; readonly reason: string };

export interface TerminalRefund {
  /** The payment's reference, and this refund request's own id at the terminal. */
  readonly reference: string;
  readonly attempt: string;
  readonly original: TerminalTransaction;
  readonly amountVnd: number;
}

export interface PaymentTerminal {
  /**
   * Asks the terminal to take `amountVnd`. Resolves with the outcome; a lost answer (time-out,
   * broken connection) is `unknown`, never a guess. Aborting `signal` asks the terminal to cancel.
   */
  pay(payment: TerminalPayment, signal?: AbortSignal): Promise<TerminalOutcome>;
  /** What became of an earlier payment request (after a lost answer or a restart). */
  paymentStatus(attempt: string): Promise<TerminalOutcome>;
  /** Reverses an approved transaction (the whole amount): the money goes back to the card or wallet. */
  refund(refund: TerminalRefund): Promise<RefundOutcome>;
  /** What became of an earlier refund request. */
  refundStatus(attempt: string): Promise<RefundOutcome>;
}

export type PaymentTerminalErrorCode = 'POS_MISCONFIGURED' | 'POS_BAD_REQUEST';

/** A request the kiosk must not send (a bad amount, an over-long id): a fault of the kiosk, not of the terminal. */
export class PaymentTerminalError extends KioskError {
  constructor(code: PaymentTerminalErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
  declare readonly code: PaymentTerminalErrorCode;
}

/** nexo ServiceID: 1 to 10 characters. */
export const ATTEMPT_ID = /^[A-Za-z0-9]{1,10}$/;

/** Checks a payment before it leaves the kiosk; throws POS_BAD_REQUEST naming what is wrong. */
export function assertTerminalPayment(p: TerminalPayment): void {
  if (!Number.isSafeInteger(p.amountVnd) || p.amountVnd <= 0) throw new PaymentTerminalError('POS_BAD_REQUEST', 'the amount must be a positive whole number of đồng');
  if (!ATTEMPT_ID.test(p.attempt)) throw new PaymentTerminalError('POS_BAD_REQUEST', 'the attempt id must be 1 to 10 letters or digits');
  if (!/^[A-Za-z0-9-]{1,35}$/.test(p.reference)) throw new PaymentTerminalError('POS_BAD_REQUEST', 'the reference must be 1 to 35 letters, digits or dashes');
}
