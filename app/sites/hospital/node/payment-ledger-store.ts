/**
 * The payment ledger in the kiosk's SQLite (table hospital_payments, migration 080), beside the
 * visit records. Every change is one transaction with its audit row (`hospital.payment.<state>`,
 * the key, the method, the amount and codes), committed with synchronous=FULL before the call it
 * prepares: a power cut leaves the row saying what the kiosk was about to do.
 */
import { localDay } from '../common/local-day.ts';
import { BILL_KINDS, type PaymentMethod } from '../common/billing.ts';
import { PAYMENT_STATES, type PaidBill, type PaymentChange, type PaymentLedger, type PaymentRecord, type PaymentState } from '../common/payment-ledger.ts';
import { HospitalError } from '../common/types.ts';
import type { AuditLog } from '../../../platform/store/audit-log.ts';
import type { Db } from '../../../platform/store/db.ts';

interface Row {
  payment_key: string;
  created_at: string;
  method: PaymentMethod;
  amount_vnd: number;
  bills: string;
  state: PaymentState;
  attempt: string | null;
  terminal_txn: string | null;
  terminal_time: string | null;
  approval_code: string | null;
  brand: string | null;
  refund_attempt: string | null;
  refund_txn: string | null;
  refund_reported: 0 | 1;
  problem: string | null;
  receipt_printed_at: string | null;
}

/** One line of the daily reconciliation report: payments of a method in a state. */
export interface PaymentTally {
  readonly method: PaymentMethod;
  readonly state: PaymentState;
  readonly count: number;
  readonly amountVnd: number;
}

export interface PaymentReportLine {
  readonly key: string;
  readonly at: string;
  readonly method: PaymentMethod;
  readonly amountVnd: number;
  readonly state: PaymentState;
  readonly problem: string | null;
  readonly bills: readonly string[];
}

export interface DailyPaymentReport {
  readonly day: string;
  readonly tallies: readonly PaymentTally[];
  readonly payments: readonly PaymentReportLine[];
}

function toRecord(r: Row): PaymentRecord {
  const terminal = r.terminal_txn && r.terminal_time
    ? { transactionId: r.terminal_txn, timeStamp: r.terminal_time, ...(r.approval_code ? { approvalCode: r.approval_code } : {}), ...(r.brand ? { brand: r.brand } : {}) }
    : undefined;
  return {
    key: r.payment_key,
    createdAt: r.created_at,
    method: r.method,
    amountVnd: r.amount_vnd,
    bills: JSON.parse(r.bills) as PaidBill[],
    state: r.state,
    ...(r.attempt ? { attempt: r.attempt } : {}),
    ...(terminal ? { terminal } : {}),
    ...(r.refund_attempt ? { refundAttempt: r.refund_attempt } : {}),
    ...(r.refund_txn ? { refundTransactionId: r.refund_txn } : {}),
    ...(r.refund_reported ? { refundReported: true } : {}),
    ...(r.problem ? { problem: r.problem } : {}),
    ...(r.receipt_printed_at ? { receiptPrintedAt: r.receipt_printed_at } : {}),
  };
}

const invalid = (message: string) => new HospitalError('HOSPITAL_INVALID_INPUT', `payment ledger: ${message}`);

export class PaymentLedgerStore implements PaymentLedger {
  private readonly clock: () => Date;

  constructor(private readonly db: Db, private readonly audit: AuditLog, private readonly options: { timeZone: string; clock?: () => Date }) {
    this.clock = options.clock ?? (() => new Date());
  }

  start(record: Omit<PaymentRecord, 'state'>): PaymentRecord {
    if (!Number.isSafeInteger(record.amountVnd) || record.amountVnd <= 0) throw invalid('the amount must be a positive whole number of đồng');
    const sum = record.bills.reduce((s, b) => s + b.amountVnd, 0);
    if (record.bills.length === 0 || sum !== record.amountVnd) throw invalid('the bills must add up to the amount');
    if (record.bills.some((b) => !BILL_KINDS.includes(b.kind))) throw invalid('unknown bill kind');
    const createdAt = new Date(record.createdAt);
    if (Number.isNaN(createdAt.getTime())) throw invalid('createdAt is not a date');
    const bills = record.bills.map((b) => ({ billId: b.billId, number: b.number, kind: b.kind, amountVnd: b.amountVnd }));
    return this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO hospital_payments (payment_key, created_at, local_day, method, amount_vnd, bills, state, attempt, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'started', ?, ?)`,
        )
        .run(record.key, createdAt.toISOString(), localDay(createdAt, this.options.timeZone), record.method, record.amountVnd, JSON.stringify(bills), record.attempt ?? null, this.clock().toISOString());
      this.audit.append({
        action: 'hospital.payment.started',
        actor: 'kiosk',
        detail: { key: record.key, method: record.method, amountVnd: record.amountVnd, bills: bills.length },
      });
      return this.get(record.key)!;
    })();
  }

  update(key: string, change: PaymentChange): PaymentRecord {
    if (!PAYMENT_STATES.includes(change.state)) throw invalid(`unknown state ${String(change.state)}`);
    const columns: Record<string, string | number | null> = { state: change.state };
    const set = <K extends keyof PaymentChange>(field: K, column: string, value: (v: NonNullable<PaymentChange[K]>) => string | number) => {
      if (!Object.hasOwn(change, field)) return;
      const v = change[field];
      columns[column] = v === undefined || v === null ? null : value(v as NonNullable<PaymentChange[K]>);
    };
    set('attempt', 'attempt', (v) => v);
    set('refundAttempt', 'refund_attempt', (v) => v);
    set('refundTransactionId', 'refund_txn', (v) => v);
    set('refundReported', 'refund_reported', (v) => (v ? 1 : 0));
    set('problem', 'problem', (v) => v);
    if (Object.hasOwn(change, 'terminal')) {
      const t = change.terminal;
      Object.assign(columns, { terminal_txn: t?.transactionId ?? null, terminal_time: t?.timeStamp ?? null, approval_code: t?.approvalCode ?? null, brand: t?.brand ?? null });
    }
    columns.updated_at = this.clock().toISOString();
    return this.db.transaction(() => {
      const before = this.get(key);
      if (!before) throw new HospitalError('HOSPITAL_INVALID_INPUT', 'payment ledger: no such payment', { key });
      const names = Object.keys(columns);
      this.db.prepare(`UPDATE hospital_payments SET ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE payment_key = @key`).run({ ...columns, key });
      const after = this.get(key)!;
      if (before.state !== after.state || before.problem !== after.problem || before.refundReported !== after.refundReported) {
        this.audit.append({
          action: `hospital.payment.${after.state}`,
          actor: 'kiosk',
          detail: {
            key,
            method: after.method,
            amountVnd: after.amountVnd,
            ...(after.problem ? { problem: after.problem } : {}),
            ...(after.terminal && after.state !== before.state && after.state === 'approved' ? { terminalTransaction: after.terminal.transactionId } : {}),
          },
        });
      }
      return after;
    })();
  }

  get(key: string): PaymentRecord | undefined {
    const row = this.db.prepare('SELECT * FROM hospital_payments WHERE payment_key = ?').get(key) as Row | undefined;
    return row ? toRecord(row) : undefined;
  }

  unsettled(): PaymentRecord[] {
    const rows = this.db
      .prepare(
        `SELECT * FROM hospital_payments
          WHERE state IN ('started', 'approved', 'refunding') OR (state = 'refunded' AND refund_reported = 0)
          ORDER BY created_at, rowid`,
      )
      .all() as Row[];
    return rows.map(toRecord);
  }

  /** Payments the hospital confirmed since `since` whose receipt never printed (a crash came between). */
  confirmedUnprinted(since: Date): PaymentRecord[] {
    const rows = this.db
      .prepare("SELECT * FROM hospital_payments WHERE state = 'hospital-confirmed' AND receipt_printed_at IS NULL AND created_at >= ? ORDER BY created_at")
      .all(since.toISOString()) as Row[];
    return rows.map(toRecord);
  }

  claimReceipt(key: string): boolean {
    return this.db.transaction(() => {
      const claimed = this.db.prepare('UPDATE hospital_payments SET receipt_printed_at = ? WHERE payment_key = ? AND receipt_printed_at IS NULL').run(this.clock().toISOString(), key).changes === 1;
      if (claimed) this.audit.append({ action: 'hospital.payment.receipt', actor: 'kiosk', detail: { key } });
      return claimed;
    })();
  }

  /** Today's payments (the hospital's day) by method and state, and each payment, newest first: the staff's reconciliation. */
  dailyReport(day = localDay(this.clock(), this.options.timeZone)): DailyPaymentReport {
    const tallies = this.db
      .prepare(
        `SELECT method, state, COUNT(*) AS count, SUM(amount_vnd) AS amountVnd FROM hospital_payments
          WHERE local_day = ? GROUP BY method, state ORDER BY method, state`,
      )
      .all(day) as PaymentTally[];
    const rows = this.db.prepare('SELECT * FROM hospital_payments WHERE local_day = ? ORDER BY created_at DESC, rowid DESC').all(day) as Row[];
    return {
      day,
      tallies,
      payments: rows.map((r) => ({
        key: r.payment_key,
        at: r.created_at,
        method: r.method,
        amountVnd: r.amount_vnd,
        state: r.state,
        problem: r.problem,
        bills: (JSON.parse(r.bills) as PaidBill[]).map((b) => b.number),
      })),
    };
  }
}
