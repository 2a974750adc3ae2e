/**
 * Settles bill payments left unsettled: once when the kiosk starts (a crash or a power cut between
 * the terminal's approval and the hospital's confirmation), then on a timer for answers that were
 * slow to come. The start-up run also prints the receipt of a recent payment that a crash kept from
 * printing — once: the ledger lets a receipt be claimed one time only.
 */
import type { PrintedReceipt } from '../../../core/journey/ports.ts';
import type { BillPayments } from '../common/bill-payments.ts';
import type { PaymentRecord } from '../common/payment-ledger.ts';
import type { PaymentLedgerStore } from './payment-ledger-store.ts';

export interface PaymentRecovery {
  /** Resolves when the start-up run (and its receipts) is done. */
  readonly started: Promise<void>;
  stop(): void;
}

export function startPaymentRecovery(
  payments: BillPayments,
  ledger: PaymentLedgerStore,
  o: {
    printReceipt: (record: PaymentRecord) => Promise<PrintedReceipt>;
    log: (line: string) => void;
    intervalMs?: number;
    /** A payment older than this when the kiosk comes back has no one waiting for its receipt. */
    receiptWithinMs?: number;
    clock?: () => Date;
  },
): PaymentRecovery {
  const clock = o.clock ?? (() => new Date());
  const failed = (what: string) => (e: unknown) => o.log(`hospital payments: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);

  const recover = async () => {
    await payments.reconcile();
    for (const record of ledger.confirmedUnprinted(new Date(clock().getTime() - (o.receiptWithinMs ?? 30 * 60_000)))) {
      if (payments.claimReceipt(record.key)) await o.printReceipt(record).catch(failed('a recovered receipt'));
    }
  };
  const started = recover().catch(failed('reconciliation at start'));
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    payments.reconcile().catch(failed('reconciliation')).finally(() => (running = false));
  }, o.intervalMs ?? 60_000);
  timer.unref();
  return { started, stop: () => clearInterval(timer) };
}
