/**
 * The simulated hospital's cashier: bills (FHIR Invoice) and the payments recorded against them
 * (PaymentReconciliation), with the business rules a hospital's system holds — a payment settles
 * bills that are still due and exactly their patient parts; a VietQR transfer is expected first and
 * settled when the bank's money comes in; one record per kiosk payment key.
 */
import {
  BILL_KIND_SYSTEM, PAYMENT_KEY_SYSTEM, PRICE_COMPONENT_SYSTEM, type Invoice, type Patient, type PaymentReconciliation,
} from '../../common/fhir-types.ts';
import type { ChipIdentity } from '../../common/types.ts';
import { ordersForVisit, type DemoBill } from './demo-bills.ts';
import { allowOnly, FhirProblem, searchset, values, type Query } from './fhir-helpers.ts';
import type { FhirStore } from './fhir-store.ts';

const INVOICE_SYSTEM = 'urn:his-sim:invoice';
const money = (value: number) => ({ value, currency: 'VND' });

export interface SimBillingOptions {
  readonly clock: () => Date;
  readonly identifierSystem: string;
  /** Demo: an expected VietQR transfer arrives this long after it was announced. */
  readonly autoPayAfterMs?: number;
}

export function simBilling(store: FhirStore, o: SimBillingOptions) {
  const invoices = () => store.all<Invoice>('Invoice');

  function issue(patientId: string, bill: DemoBill): Invoice {
    const lines = bill.lines.map((l, i) => {
      const insurance = Math.round((l.priceVnd * l.insurancePercent) / 100);
      return {
        sequence: i + 1,
        chargeItemCodeableConcept: { text: l.name },
        priceComponent: [
          { type: 'base' as const, amount: money(l.priceVnd) },
          ...(insurance > 0 ? [{ type: 'deduction' as const, code: { coding: [{ system: PRICE_COMPONENT_SYSTEM, code: 'insurance' }], text: 'BHYT chi trả' }, amount: money(insurance) }] : []),
        ],
        insurance,
      };
    });
    const gross = bill.lines.reduce((s, l) => s + l.priceVnd, 0);
    const covered = lines.reduce((s, l) => s + l.insurance, 0);
    return store.create<Invoice>({
      resourceType: 'Invoice',
      identifier: [{ system: INVOICE_SYSTEM, value: `HD${String(store.count('Invoice') + 1).padStart(6, '0')}` }],
      status: 'issued',
      type: { coding: [{ system: BILL_KIND_SYSTEM, code: bill.kind }], text: bill.title },
      subject: { reference: `Patient/${patientId}` },
      date: o.clock().toISOString(),
      lineItem: lines.map(({ insurance: _insurance, ...l }) => l),
      totalGross: money(gross),
      totalNet: money(gross - covered),
    });
  }

  /** Bills due from the start for known patients (once: a restarted simulator keeps its state). */
  function seed(patients: readonly ChipIdentity[], bills: Readonly<Record<string, readonly DemoBill[]>>): void {
    store.transaction(() => {
      for (const p of patients) {
        const due = bills[p.idNumber];
        const patient = store.all<Patient>('Patient').find((r) => r.identifier?.some((i) => i.system === o.identifierSystem && i.value === p.idNumber));
        if (!due || !patient?.id || invoices().some((i) => i.subject?.reference === `Patient/${patient.id}`)) continue;
        for (const bill of due) issue(patient.id, bill);
      }
    });
  }

  /** The doctor's orders for a visit just registered. */
  function orderFor(patientId: string, onInsurance: boolean): void {
    for (const bill of ordersForVisit(onInsurance)) issue(patientId, bill);
  }

  function searchInvoice(q: Query): ReturnType<typeof searchset> {
    allowOnly(q, ['subject', 'status']);
    const subject = values(q, 'subject')[0];
    if (!subject) throw new FhirProblem(400, 'required', 'search Invoice by subject=Patient/id');
    const status = values(q, 'status')[0];
    return searchset(invoices().filter((i) => i.subject?.reference === subject && (status === undefined || i.status === status)));
  }

  const byKey = (key: string) =>
    store.all<PaymentReconciliation>('PaymentReconciliation').filter((p) => p.identifier?.some((i) => i.system === PAYMENT_KEY_SYSTEM && i.value === key));

  function searchPaymentReconciliation(q: Query): ReturnType<typeof searchset> {
    allowOnly(q, ['identifier']);
    const [system, value] = (values(q, 'identifier')[0] ?? '').split('|', 2);
    if (system !== PAYMENT_KEY_SYSTEM || !value) throw new FhirProblem(400, 'required', `search PaymentReconciliation by identifier=${PAYMENT_KEY_SYSTEM}|key`);
    if (o.autoPayAfterMs !== undefined) {
      for (const p of byKey(value)) if (p.status === 'draft' && o.clock().getTime() - Date.parse(p.created) >= o.autoPayAfterMs) transferArrived(p);
    }
    return searchset(byKey(value));
  }

  /** The bills a payment settles, checked: still due, and paid exactly their patient parts. */
  function billsOf(p: PaymentReconciliation): (Invoice & { id: string })[] {
    const details = p.detail ?? [];
    if (details.length === 0) throw new FhirProblem(422, 'required', 'a payment must name the bills it pays (detail.request)');
    const sum = details.reduce((s, d) => s + (d.amount?.value ?? NaN), 0);
    if (sum !== p.paymentAmount.value) throw new FhirProblem(422, 'business-rule', 'the details do not add up to the payment amount');
    return details.map((d) => {
      const id = d.request?.reference?.match(/^Invoice\/(.+)$/)?.[1];
      const invoice = id ? store.read<Invoice>('Invoice', id) : undefined;
      if (!invoice?.id) throw new FhirProblem(422, 'not-found', 'detail.request must be a known Invoice');
      if (invoice.status !== 'issued') throw new FhirProblem(409, 'business-rule', `Invoice/${invoice.id} is ${invoice.status}, not due`);
      if (d.amount?.value !== invoice.totalNet?.value) throw new FhirProblem(422, 'business-rule', `the amount for Invoice/${invoice.id} is not its patient part`);
      return invoice as Invoice & { id: string };
    });
  }

  function settle(bills: (Invoice & { id: string })[]): void {
    for (const b of bills) store.update({ ...b, status: 'balanced' as const });
  }

  function createPaymentReconciliation(p: PaymentReconciliation): PaymentReconciliation {
    const key = p.identifier?.find((i) => i.system === PAYMENT_KEY_SYSTEM)?.value;
    if (!key) throw new FhirProblem(422, 'required', `PaymentReconciliation.identifier (${PAYMENT_KEY_SYSTEM}) is required`);
    const amount = p.paymentAmount?.value;
    if (!Number.isSafeInteger(amount) || p.paymentAmount.currency !== 'VND') throw new FhirProblem(422, 'value', 'paymentAmount must be whole đồng');
    return store.transaction(() => {
      if (amount! < 0) {
        // A refund the kiosk's terminal made: recorded for the bank reconciliation, no bill changes.
        if (p.status !== 'active') throw new FhirProblem(422, 'business-rule', 'a refund is recorded as active');
        return store.create(p);
      }
      const bills = billsOf(p);
      if (p.status === 'active' && p.outcome === 'complete') settle(bills);
      else if (p.status !== 'draft') throw new FhirProblem(422, 'business-rule', 'a payment is recorded as active/complete or announced as draft');
      return store.create(p);
    });
  }

  /** The bank's transfer for an expected payment came in: it settles the bills, or the cashier gives it back. */
  function transferArrived(p: PaymentReconciliation): PaymentReconciliation {
    return store.transaction(() => {
      let bills: (Invoice & { id: string })[] | undefined;
      try {
        bills = billsOf(p);
      } catch {
        bills = undefined;
      }
      if (bills) settle(bills);
      return store.update({
        ...p,
        id: p.id!,
        status: 'active' as const,
        outcome: bills ? ('complete' as const) : ('error' as const),
        ...(bills ? {} : { disposition: 'the bills were settled otherwise; the cashier refunds the transfer' }),
      });
    });
  }

  /** The one change the kiosk may make: withdraw an expected transfer that has not come in. */
  function updatePaymentReconciliation(id: string, body: PaymentReconciliation, ifMatch: string | undefined): PaymentReconciliation {
    const current = store.read<PaymentReconciliation>('PaymentReconciliation', id);
    if (!current) throw new FhirProblem(404, 'not-found', `PaymentReconciliation/${id} is not known`);
    if (ifMatch !== undefined && ifMatch !== `W/"${current.meta?.versionId}"`) throw new FhirProblem(412, 'conflict', 'the PaymentReconciliation has changed (If-Match)');
    if (body.status !== 'cancelled') throw new FhirProblem(422, 'business-rule', 'the kiosk may only withdraw an expected payment (status cancelled)');
    if (current.status === 'cancelled') return current;
    if (current.status !== 'draft') throw new FhirProblem(409, 'business-rule', 'the money has come in: the cashier handles it');
    return store.update({ ...current, id, status: 'cancelled' as const });
  }

  /** Test and demo hook: the bank reports the transfer for this kiosk payment key. */
  function bankTransfer(key: string): boolean {
    const draft = byKey(key).find((p) => p.status === 'draft');
    if (!draft) return false;
    transferArrived(draft);
    return true;
  }

  return { seed, orderFor, searchInvoice, searchPaymentReconciliation, createPaymentReconciliation, updatePaymentReconciliation, bankTransfer };
}
