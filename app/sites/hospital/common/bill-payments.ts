/**
 * Paying the hospital's bills at the kiosk, so that money is never taken twice or lost:
 *   - every payment has the kiosk's key, and its row in the ledger is written before each call to
 *     the terminal or the hospital system (write-ahead);
 *   - a lost answer is settled by asking (the terminal by its request id, the hospital by the key),
 *     never by charging again;
 *   - money the hospital will not take is given back through the terminal, or flagged to staff.
 * `reconcile()` runs the same steps for every payment a crash or a silent terminal left unsettled.
 */
import { KioskError } from '../../../core/errors.ts';
import { PaymentTerminalError, type PaymentTerminal, type RefundOutcome, type TerminalMethod, type TerminalOutcome } from '../../../core/payments/terminal.ts';
import { amountDue, type DueBill, type HospitalBilling, type HospitalPaymentState } from './billing.ts';
import type { PaidBill, PaymentChange, PaymentLedger, PaymentRecord } from './payment-ledger.ts';

export interface BillPaymentsDeps {
  readonly ledger: PaymentLedger;
  readonly billing: HospitalBilling;
  /** Absent when the kiosk has no payment terminal: card and e-wallet are not offered. */
  readonly terminal?: PaymentTerminal;
  /** A payment the kiosk cannot settle: staff must look (never names the person). */
  readonly flagStaff: (record: PaymentRecord) => void;
  readonly newKey: () => string;
  /** A terminal request id (nexo ServiceID). */
  readonly newAttempt: () => string;
  readonly clock?: () => Date;
  /** A VietQR transfer still expected after this long is withdrawn by reconciliation (the person has gone). */
  readonly transferWindowMs?: number;
}

const paidBills = (bills: readonly DueBill[]): PaidBill[] =>
  bills.map((b) => ({ billId: b.billId, number: b.number, kind: b.kind, amountVnd: b.patientVnd }));

/** Lost answers from the outside: the payment stays where it is and is asked about again later. */
const STILL_UNKNOWN = new Set(['HIS_UNREACHABLE', 'HIS_TIMEOUT', 'HIS_BAD_RESPONSE']);

export class BillPayments {
  private readonly clock: () => Date;
  /** Payments a call is working on right now: reconciliation leaves them to it. */
  private readonly busy = new Set<string>();

  constructor(private readonly d: BillPaymentsDeps) {
    this.clock = d.clock ?? (() => new Date());
  }

  get terminalMethods(): readonly TerminalMethod[] {
    return this.d.terminal ? ['card', 'ewallet'] : [];
  }

  /** Takes the chosen bills' patient parts on the terminal and tells the hospital. */
  async payAtTerminal(bills: readonly DueBill[], method: TerminalMethod, signal?: AbortSignal): Promise<PaymentRecord> {
    const terminal = this.d.terminal;
    if (!terminal) throw new KioskError('PAYMENT_METHOD_UNAVAILABLE', 'this kiosk has no payment terminal');
    const record = this.d.ledger.start({ ...this.newPayment(bills, method), attempt: this.d.newAttempt() });
    return this.working(record.key, async () => {
      let outcome: TerminalOutcome;
      try {
        outcome = await terminal.pay({ reference: record.key, attempt: record.attempt!, amountVnd: record.amountVnd, method }, signal);
      } catch (e) {
        // The terminal's certificate is not the one trusted: the TLS session never opened, so no
        // request reached it. Nothing was taken; the payment ends here rather than waiting forever.
        if (e instanceof PaymentTerminalError && e.code === 'POS_MISCONFIGURED') return this.d.ledger.update(record.key, { state: 'declined', problem: e.code });
        throw e;
      }
      return this.afterTerminal(record, outcome);
    });
  }

  /** Announces a VietQR transfer to the hospital, which settles the bills when the bank reports it. */
  async announceTransfer(bills: readonly DueBill[]): Promise<PaymentRecord> {
    const record = this.d.ledger.start(this.newPayment(bills, 'vietqr'));
    return this.working(record.key, async () => {
      try {
        const state = await this.d.billing.recordPayment(this.hospitalPayment(record), 'expected');
        return this.afterHospital(record, state);
      } catch (e) {
        // Refused (a bill was paid meanwhile): nothing will be taken. Unanswered: reconciliation finds out.
        if (e instanceof KioskError && e.code === 'HIS_REJECTED') return this.d.ledger.update(record.key, { state: 'cancelled', problem: e.code });
        throw e;
      }
    });
  }

  /** The hospital's word on an expected transfer (the screen asks while the QR shows). */
  async checkTransfer(key: string): Promise<PaymentRecord> {
    return this.working(key, async () => {
      const record = this.need(key);
      if (record.state !== 'started') return record;
      return this.afterHospital(record, await this.d.billing.findPayment(key));
    });
  }

  /** The person left the QR: the hospital stops expecting the transfer, unless it already came. */
  async withdrawTransfer(key: string): Promise<PaymentRecord> {
    return this.working(key, async () => {
      const record = this.need(key);
      if (record.state !== 'started') return record;
      return this.afterHospital(record, await this.d.billing.withdrawPayment(key));
    });
  }

  /** Asks again about a payment whose outcome is not known yet (a silent terminal, a slow hospital). */
  async checkAgain(key: string): Promise<PaymentRecord> {
    return this.working(key, () => this.advance(this.need(key)));
  }

  /**
   * Settles every payment left unsettled (at start, after a crash, and on a timer): asks the
   * terminal and the hospital what became of each and carries it on from where it stopped.
   * Returns the payments it moved.
   */
  async reconcile(): Promise<PaymentRecord[]> {
    const moved: PaymentRecord[] = [];
    for (const record of this.d.ledger.unsettled()) {
      if (this.busy.has(record.key)) continue;
      try {
        const after = await this.working(record.key, () => this.advance(record));
        if (after.state !== record.state) moved.push(after);
      } catch (e) {
        // One payment the outside will not answer about must not hold up the others.
        if (!(e instanceof KioskError)) throw e;
      }
    }
    return moved;
  }

  /** True the first time only: the receipt of a payment prints once. */
  claimReceipt(key: string): boolean {
    return this.d.ledger.claimReceipt(key);
  }

  // ---- the steps ----

  private newPayment(bills: readonly DueBill[], method: PaymentRecord['method']): Omit<PaymentRecord, 'state'> {
    if (bills.length === 0) throw new KioskError('PAYMENT_NOTHING_CHOSEN', 'no bill was chosen');
    return { key: this.d.newKey(), createdAt: this.clock().toISOString(), method, amountVnd: amountDue(bills), bills: paidBills(bills) };
  }

  private async advance(record: PaymentRecord): Promise<PaymentRecord> {
    const terminal = this.d.terminal;
    switch (record.state) {
      case 'started':
        if (record.method === 'vietqr') return this.reconcileTransfer(record);
        if (!terminal || !record.attempt) return record;
        return this.afterTerminal(record, await terminal.paymentStatus(record.attempt));
      case 'approved':
        return this.tellHospital(record);
      case 'refunding':
        return this.resumeRefund(record);
      case 'refunded':
        return record.refundReported ? record : this.reportRefund(record);
      default:
        return record;
    }
  }

  private async afterTerminal(record: PaymentRecord, outcome: TerminalOutcome): Promise<PaymentRecord> {
    const { ledger } = this.d;
    switch (outcome.status) {
      case 'approved': {
        const terminal = {
          transactionId: outcome.transaction.transactionId,
          timeStamp: outcome.transaction.timeStamp,
          ...(outcome.approvalCode ? { approvalCode: outcome.approvalCode } : {}),
          ...(outcome.brand ? { brand: outcome.brand } : {}),
        };
        const approved = ledger.update(record.key, { state: 'approved', terminal, problem: undefined });
        // Another amount than asked (a partial approval): the kiosk gives it back rather than settle part of a bill.
        if (outcome.amountVnd !== record.amountVnd) return this.refund(approved, 'POS_AMOUNT_MISMATCH');
        return this.tellHospital(approved);
      }
      case 'declined':
        return ledger.update(record.key, { state: 'declined', problem: outcome.reason });
      case 'not-found':
        return ledger.update(record.key, { state: 'declined', problem: 'POS_NOT_RECEIVED' });
      case 'cancelled':
        return ledger.update(record.key, { state: 'cancelled', problem: 'POS_CANCELLED' });
      case 'in-progress':
      case 'unknown':
        return record.problem === 'POS_NO_ANSWER' ? record : ledger.update(record.key, { state: 'started', problem: 'POS_NO_ANSWER' });
    }
  }

  private async tellHospital(record: PaymentRecord): Promise<PaymentRecord> {
    let state: HospitalPaymentState;
    try {
      state = await this.d.billing.recordPayment(this.hospitalPayment(record), 'complete');
    } catch (e) {
      if (!(e instanceof KioskError)) throw e;
      if (e.code === 'HIS_REJECTED') return this.refund(record, 'HIS_REJECTED');
      if (STILL_UNKNOWN.has(e.code) || e.code === 'HIS_AUTH_FAILED' || e.code === 'HIS_NOT_FOUND') {
        return record.problem === e.code ? record : this.d.ledger.update(record.key, { state: 'approved', problem: e.code });
      }
      throw e;
    }
    if (state === 'complete') return this.d.ledger.update(record.key, { state: 'hospital-confirmed', problem: undefined });
    return this.refund(record, 'HIS_REJECTED');
  }

  /** Gives an approved payment back through the terminal; the refund's request id is written first. */
  private async refund(record: PaymentRecord, problem: string): Promise<PaymentRecord> {
    const refunding = this.d.ledger.update(record.key, { state: 'refunding', refundAttempt: this.d.newAttempt(), problem });
    return this.sendRefund(refunding);
  }

  private async resumeRefund(record: PaymentRecord): Promise<PaymentRecord> {
    const terminal = this.d.terminal;
    if (!terminal || !record.refundAttempt) return this.needsStaff(record, 'POS_REFUND_IMPOSSIBLE');
    const status = await terminal.refundStatus(record.refundAttempt);
    if (status.status === 'not-found') return this.sendRefund(record);
    return this.afterRefund(record, status);
  }

  private async sendRefund(record: PaymentRecord): Promise<PaymentRecord> {
    const terminal = this.d.terminal;
    if (!terminal || !record.terminal || !record.refundAttempt) return this.needsStaff(record, 'POS_REFUND_IMPOSSIBLE');
    const outcome = await terminal.refund({
      reference: record.key,
      attempt: record.refundAttempt,
      original: { transactionId: record.terminal.transactionId, timeStamp: record.terminal.timeStamp },
      amountVnd: record.amountVnd,
    });
    return this.afterRefund(record, outcome);
  }

  private async afterRefund(record: PaymentRecord, outcome: RefundOutcome): Promise<PaymentRecord> {
    if (outcome.status === 'refunded') {
      const refunded = this.d.ledger.update(record.key, { state: 'refunded', refundTransactionId: outcome.transaction.transactionId });
      return this.reportRefund(refunded);
    }
    if (outcome.status === 'refused') return this.needsStaff(record, `POS_REFUND_REFUSED`);
    // No answer (or the request never arrived): reconciliation asks again by the same refund id.
    return record;
  }

  private async reportRefund(record: PaymentRecord): Promise<PaymentRecord> {
    try {
      await this.d.billing.recordRefund({
        key: record.key,
        amountVnd: record.amountVnd,
        terminalTransactionId: record.refundTransactionId ?? '',
        reason: record.problem ?? 'refund',
        at: this.clock().toISOString(),
      });
    } catch (e) {
      if (e instanceof KioskError) return record; // the money is back with the person; the hospital hears of it later
      throw e;
    }
    return this.d.ledger.update(record.key, { state: 'refunded', refundReported: true });
  }

  private async reconcileTransfer(record: PaymentRecord): Promise<PaymentRecord> {
    const state = await this.d.billing.findPayment(record.key);
    const age = this.clock().getTime() - Date.parse(record.createdAt);
    if (state === 'expected' && age >= (this.d.transferWindowMs ?? 15 * 60_000)) {
      return this.afterHospital(record, await this.d.billing.withdrawPayment(record.key));
    }
    return this.afterHospital(record, state);
  }

  /** The hospital's word on a VietQR transfer; null: it never heard of it (the announcement was lost). */
  private afterHospital(record: PaymentRecord, state: HospitalPaymentState | null): PaymentRecord {
    const change: PaymentChange | undefined =
      state === 'complete' ? { state: 'hospital-confirmed', problem: undefined }
      : state === 'cancelled' || state === null ? { state: 'cancelled', problem: state === null ? 'HIS_NEVER_TOLD' : 'TRANSFER_WITHDRAWN' }
      : undefined;
    if (state === 'refused') return this.needsStaff(record, 'TRANSFER_NOT_SETTLED');
    return change ? this.d.ledger.update(record.key, change) : record;
  }

  private needsStaff(record: PaymentRecord, problem: string): PaymentRecord {
    const flagged = this.d.ledger.update(record.key, { state: 'needs-staff', problem });
    this.d.flagStaff(flagged);
    return flagged;
  }

  private hospitalPayment(record: PaymentRecord) {
    return {
      key: record.key,
      method: record.method,
      amountVnd: record.amountVnd,
      bills: record.bills.map((b) => ({ billId: b.billId, amountVnd: b.amountVnd })),
      ...(record.terminal
        ? {
            terminal: {
              transactionId: record.terminal.transactionId,
              ...(record.terminal.approvalCode ? { approvalCode: record.terminal.approvalCode } : {}),
              ...(record.terminal.brand ? { brand: record.terminal.brand } : {}),
            },
          }
        : {}),
      at: record.createdAt,
    };
  }

  private need(key: string): PaymentRecord {
    const record = this.d.ledger.get(key);
    if (!record) throw new KioskError('PAYMENT_NOT_FOUND', 'no such payment');
    return record;
  }

  private async working(key: string, work: () => Promise<PaymentRecord>): Promise<PaymentRecord> {
    this.busy.add(key);
    try {
      return await work();
    } finally {
      this.busy.delete(key);
    }
  }
}

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
function randomCode(length: number): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (b) => ALPHABET[b % 32]).join('');
}

/** A payment's key: short enough for a VietQR bill number (≤ 25) and a nexo SaleTransactionID, unguessable. */
export const newPaymentKey = (): string => `KP${randomCode(12)}`;
/** A terminal request id (nexo ServiceID: at most 10 characters). */
export const newTerminalAttempt = (): string => randomCode(10);
