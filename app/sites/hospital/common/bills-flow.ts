/**
 * Paying bills at the kiosk (the welcome screen's "pay" purpose, or a scanned queue ticket): the
 * patient sees what is due with the insurance part and their own, chooses all or some bills and
 * a way to pay — a bank card or an e-wallet on the terminal, or VietQR — and leaves with a receipt
 * and where to go next. The money itself is handled by BillPayments (write-ahead ledger); this flow
 * only asks it and shows what it says.
 */
import { KioskError } from '../../../core/errors.ts';
import type { PrintedReceipt } from '../../../core/journey/ports.ts';
import type { SiteContext, SiteFlow, SiteResult } from '../../../core/journey/site-flow.ts';
import { buildVietQr } from '../../../core/payments/vietqr.ts';
import type { ReceiptInput } from '../../../core/receipts/index.ts';
import { siteView } from '../../../core/sites/site-module.ts';
import type { BillPayments } from './bill-payments.ts';
import { billReceipt } from './bill-receipt.ts';
import { nextSteps } from './bill-words.ts';
import type { DueBill, HospitalBilling, PaymentMethod } from './billing.ts';
import type { HospitalConfig } from './config.ts';
import type { HospitalSystem } from './hospital-system.ts';
import type { PaymentRecord } from './payment-ledger.ts';
import { billView, hospitalViews } from './schemas.ts';

export interface BillsFlowDeps {
  readonly his: Pick<HospitalSystem, 'findPatientByCccd' | 'getVisit'>;
  readonly billing: Pick<HospitalBilling, 'listDueBills'>;
  readonly payments: BillPayments;
  readonly config: Pick<HospitalConfig, 'hospitalName' | 'nextSteps' | 'payment'>;
  readonly printReceipt: (input: ReceiptInput) => Promise<PrintedReceipt>;
  /** A payment left behind (the person walked away from the QR or the terminal) could not be withdrawn: for staff. */
  readonly log: (message: string) => void;
}

type TerminalMethod = 'card' | 'ewallet';

/** A payment on its way: a terminal payment runs in the background while the screen asks how it goes. */
interface Underway {
  readonly method: PaymentMethod;
  readonly amountVnd: number;
  readonly bills: number;
  key?: string;
  running?: Promise<PaymentRecord>;
  abort?: AbortController;
  settled?: PaymentRecord;
}

interface FlowState {
  language: 'vi' | 'en';
  patientId: string;
  bills: DueBill[];
  underway?: Underway;
}

export function createBillsFlow(deps: BillsFlowDeps): SiteFlow {
  let s: FlowState | undefined;

  const need = (): FlowState => {
    if (!s) throw new KioskError('SITE_NOT_STARTED', 'the bill steps have not started');
    return s;
  };

  const methods = (): PaymentMethod[] => [...deps.payments.terminalMethods, ...(deps.config.payment ? (['vietqr'] as const) : [])];

  const billsView = (st: FlowState, problem?: { code: 'declined' | 'cancelled' | 'bills-changed'; method?: PaymentMethod }): SiteResult => {
    if (st.bills.length === 0) return siteView(hospitalViews, 'no-bills', { known: true });
    return siteView(hospitalViews, 'bills', { bills: st.bills.map(billView), methods: methods(), ...(problem ? { problem } : {}) });
  };

  const begin = async (ctx: Omit<SiteContext, 'holder'>, patientId: string | undefined): Promise<SiteResult> => {
    if (methods().length === 0) return { kind: 'failed', code: 'PAYMENT_NOT_OFFERED', retryable: false };
    if (!patientId) return siteView(hospitalViews, 'no-bills', { known: false });
    s = { language: ctx.language, patientId, bills: await deps.billing.listDueBills(patientId) };
    return billsView(s);
  };

  /** What is due now (after a try, a bill may have been paid elsewhere). */
  const refresh = async (st: FlowState) => {
    st.bills = await deps.billing.listDueBills(st.patientId);
  };

  /** Paid: the receipt prints (once per payment: a reconciliation after a crash may have printed it) and the screen says what next. */
  const paid = async (st: FlowState, record: PaymentRecord): Promise<SiteResult> => {
    st.underway = undefined;
    const printed = deps.payments.claimReceipt(record.key) ? await deps.printReceipt(billReceipt(record, deps.config)) : { printed: true };
    return siteView(hospitalViews, 'pay-paid', {
      amountVnd: record.amountVnd,
      method: record.method,
      ...(record.terminal?.brand ? { brand: record.terminal.brand } : {}),
      ...(record.terminal?.approvalCode ? { approvalCode: record.terminal.approvalCode } : {}),
      reference: record.key,
      bills: record.bills.map((b) => ({ kind: b.kind, number: b.number, amountVnd: b.amountVnd })),
      nextSteps: nextSteps(record.bills.map((b) => b.kind), deps.config),
      printed: printed.printed,
      ...('printerProblem' in printed && printed.printerProblem ? { printerProblem: printed.printerProblem } : {}),
      pending: record.state === 'approved',
    });
  };

  /** Where a payment's state leads the person. */
  const outcome = async (st: FlowState, record: PaymentRecord): Promise<SiteResult> => {
    const base = { amountVnd: record.amountVnd, method: record.method };
    switch (record.state) {
      case 'hospital-confirmed':
      case 'approved':
        return paid(st, record);
      case 'declined':
      case 'cancelled':
        st.underway = undefined;
        await refresh(st);
        return billsView(st, { code: record.problem === 'HIS_REJECTED' ? 'bills-changed' : record.state, method: record.method });
      case 'started':
        return record.method === 'vietqr' ? vietQrView(record) : siteView(hospitalViews, 'pay-unknown', base);
      case 'refunding':
      case 'refunded':
        return siteView(hospitalViews, 'pay-refunded', { ...base, returned: record.state === 'refunded' });
      case 'needs-staff':
        return siteView(hospitalViews, 'pay-staff', base);
    }
  };

  const vietQrView = (record: PaymentRecord): SiteResult => {
    const account = deps.config.payment!;
    return siteView(hospitalViews, 'pay-vietqr', {
      amountVnd: record.amountVnd,
      reference: record.key,
      vietQr: buildVietQr({ bankBin: account.bankBin, accountNumber: account.accountNumber, amountVnd: record.amountVnd, billNumber: record.key, purpose: `VIEN PHI ${record.key}` }),
    });
  };

  const chosen = (st: FlowState, ids: unknown): DueBill[] => {
    if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) throw new KioskError('SITE_BAD_ACTION', 'billIds must name at least one bill');
    const picked = st.bills.filter((b) => ids.includes(b.billId));
    if (picked.length !== new Set(ids).size) throw new KioskError('SITE_BAD_ACTION', 'a chosen bill is not due');
    return picked;
  };

  const pay = async (st: FlowState, method: unknown, ids: unknown): Promise<SiteResult> => {
    if (st.underway) return check(st);
    if (typeof method !== 'string' || !methods().includes(method as PaymentMethod)) throw new KioskError('SITE_BAD_ACTION', 'this way to pay is not offered here');
    const bills = chosen(st, ids);
    const amountVnd = bills.reduce((sum, b) => sum + b.patientVnd, 0);
    if (method === 'vietqr') {
      const record = await deps.payments.announceTransfer(bills);
      st.underway = { method, amountVnd, bills: bills.length, key: record.key };
      return outcome(st, record);
    }
    const abort = new AbortController();
    const terminalMethod = method as TerminalMethod;
    const underway: Underway = { method: terminalMethod, amountVnd, bills: bills.length, abort };
    underway.running = deps.payments.payAtTerminal(bills, terminalMethod, abort.signal).then((r) => {
      underway.settled = r;
      underway.key = r.key;
      return r;
    });
    // A failure of the ledger or the terminal's set-up surfaces when the screen next asks.
    underway.running.catch(() => undefined);
    st.underway = underway;
    return siteView(hospitalViews, 'pay-terminal', { method: terminalMethod, amountVnd, bills: bills.length });
  };

  /** The screen asks every few seconds how the payment goes. */
  const check = async (st: FlowState): Promise<SiteResult> => {
    const u = st.underway;
    if (!u) return billsView(st);
    if (u.method === 'vietqr') return outcome(st, await deps.payments.checkTransfer(u.key!));
    if (!u.settled) {
      await Promise.race([u.running, new Promise((r) => setTimeout(r, 0))]);
      if (!u.settled) return siteView(hospitalViews, 'pay-terminal', { method: u.method as TerminalMethod, amountVnd: u.amountVnd, bills: u.bills });
    }
    // A payment whose outcome was unknown may have settled since (reconciliation, or asking again).
    return outcome(st, u.settled);
  };

  const cancelPayment = async (st: FlowState): Promise<SiteResult> => {
    const u = st.underway;
    if (!u) return billsView(st);
    if (u.method === 'vietqr') return outcome(st, await deps.payments.withdrawTransfer(u.key!));
    u.abort?.abort();
    // The terminal answers the abort (cancelled), or had already approved: either way its answer decides.
    return outcome(st, await u.running!);
  };

  const askAgain = async (st: FlowState): Promise<SiteResult> => {
    const u = st.underway;
    if (!u?.key) return check(st);
    const record = await deps.payments.checkAgain(u.key);
    u.settled = record;
    return outcome(st, record);
  };

  return {
    async start(ctx) {
      const patient = await deps.his.findPatientByCccd(ctx.holder.idNumber);
      return begin(ctx, patient?.id);
    },

    async startReturning(subjectId, ctx) {
      // Recognised by face among enrolled patients: the enrolment's subject is the hospital's patient id.
      return begin(ctx, subjectId);
    },

    async startWithCode(visitId, ctx) {
      // A queue ticket whose face matched: the bills of that visit's patient.
      const visit = await deps.his.getVisit(visitId);
      return begin(ctx, visit?.patientId);
    },

    async act(action) {
      const st = need();
      switch (action.choose) {
        case 'pay':
          return pay(st, action.method, action.billIds);
        case 'check':
          return check(st);
        case 'cancel-payment':
          return cancelPayment(st);
        case 'ask-again':
          return askAgain(st);
        case 'back':
          if (st.underway) return check(st);
          await refresh(st);
          return billsView(st);
        default:
          throw new KioskError('SITE_BAD_ACTION', 'unknown bill action');
      }
    },

    dispose() {
      const u = s?.underway;
      s = undefined;
      if (!u || u.settled) return;
      // Walked away mid-payment: the terminal is told to stop; an expected transfer is withdrawn (unless it came).
      if (u.abort) u.abort.abort();
      else if (u.key) {
        deps.payments.withdrawTransfer(u.key).catch((e: unknown) =>
          deps.log(`a VietQR payment left on screen could not be withdrawn (${e instanceof KioskError ? e.code : 'error'}); reconciliation retries`),
        );
      }
    },
  };
}
