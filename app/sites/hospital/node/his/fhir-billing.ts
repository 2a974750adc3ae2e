/**
 * HospitalBilling over HL7 FHIR R4 REST (docs/hospital-integration.md, "Bills and payments"):
 *   Invoice: search `subject=Patient/…&status=issued` — the bills due, with insurance deductions
 *     (priceComponent `deduction` coded `urn:cccd-kiosk:fhir:price-component|insurance`) and the
 *     patient's part (`totalNet`)
 *   PaymentReconciliation: conditional create (If-None-Exist on the kiosk's payment key) of a payment
 *     the terminal approved (`active`/`complete`) or of a VietQR transfer to expect (`draft`/`queued`);
 *     search by identifier; PUT (If-Match) to `cancelled` to withdraw an expected transfer; a refund
 *     is its own PaymentReconciliation with a negative amount
 */
import {
  BILL_KIND_SYSTEM, invoiceSchema, PAYMENT_KEY_SYSTEM, PAYMENT_METHOD_EXTENSION, PAYMENT_TYPE_SYSTEM, paymentReconciliationSchema,
  PRICE_COMPONENT_SYSTEM, TERMINAL_TRANSACTION_SYSTEM, type Invoice, type PaymentReconciliation,
} from '../../common/fhir-types.ts';
import { BILL_KINDS, type BillKind, type BillLine, type DueBill, type HospitalBilling, type HospitalPayment, type HospitalPaymentState } from '../../common/billing.ts';
import { HospitalError } from '../../common/types.ts';
import { asResource, entriesOf, FhirClient, type FhirClientOptions } from './fhir-client.ts';

const money = (value: number) => ({ value, currency: 'VND' });
const keyToken = (key: string) => `${PAYMENT_KEY_SYSTEM}|${key}`;

export class FhirHospitalBilling implements HospitalBilling {
  private readonly fhir: FhirClient;

  constructor(options: FhirClientOptions) {
    this.fhir = new FhirClient(options);
  }

  async listDueBills(patientId: string): Promise<DueBill[]> {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(patientId)) throw new HospitalError('HOSPITAL_INVALID_INPUT', 'not a FHIR id', { field: 'patientId' });
    const bundle = await this.fhir.search('Invoice', { subject: `Patient/${patientId}`, status: 'issued' });
    return entriesOf(bundle, invoiceSchema)
      .filter((i) => i.status === 'issued')
      .map(dueBill)
      .filter((b) => b.patientVnd > 0)
      .sort((a, b) => a.issuedAt.localeCompare(b.issuedAt));
  }

  async recordPayment(payment: HospitalPayment, state: 'complete' | 'expected'): Promise<HospitalPaymentState> {
    const resource: PaymentReconciliation = {
      resourceType: 'PaymentReconciliation',
      extension: [{ url: PAYMENT_METHOD_EXTENSION, valueCode: payment.method }],
      identifier: [{ system: PAYMENT_KEY_SYSTEM, value: payment.key }],
      status: state === 'complete' ? 'active' : 'draft',
      created: payment.at,
      outcome: state === 'complete' ? 'complete' : 'queued',
      ...(payment.terminal?.approvalCode ? { disposition: `${payment.terminal.brand ?? payment.method} approval ${payment.terminal.approvalCode}` } : {}),
      paymentDate: payment.at.slice(0, 10),
      paymentAmount: money(payment.amountVnd),
      ...(payment.terminal ? { paymentIdentifier: { system: TERMINAL_TRANSACTION_SYSTEM, value: payment.terminal.transactionId } } : {}),
      detail: payment.bills.map((b) => ({
        type: { coding: [{ system: PAYMENT_TYPE_SYSTEM, code: 'payment' }] },
        request: { reference: `Invoice/${b.billId}` },
        amount: money(b.amountVnd),
      })),
    };
    return stateOf(await this.create(resource, payment.key));
  }

  async findPayment(key: string): Promise<HospitalPaymentState | null> {
    const found = await this.find(key);
    return found ? stateOf(found) : null;
  }

  async withdrawPayment(key: string): Promise<HospitalPaymentState> {
    const found = await this.find(key);
    if (!found?.id) throw new HospitalError('HIS_NOT_FOUND', 'the hospital has no record of this payment', { key });
    if (stateOf(found) !== 'expected') return stateOf(found);
    const version = found.meta?.versionId;
    const res = await this.fhir.send('PUT', `PaymentReconciliation/${encodeURIComponent(found.id)}`, { ...found, status: 'cancelled' }, version ? { 'if-match': `W/"${version}"` } : {});
    // The transfer came in meanwhile (the hospital refuses, or the version moved on): its record says so.
    if (res.status === 409 || res.status === 412 || res.status === 422) {
      const now = await this.find(key);
      if (now) return stateOf(now);
    }
    this.fhir.expectStatus(res, [200], 'withdraw PaymentReconciliation');
    return stateOf(asResource(res.body, paymentReconciliationSchema));
  }

  async recordRefund(refund: { key: string; amountVnd: number; terminalTransactionId: string; reason: string; at: string }): Promise<void> {
    const key = `${refund.key}-refund`;
    await this.create(
      {
        resourceType: 'PaymentReconciliation',
        identifier: [{ system: PAYMENT_KEY_SYSTEM, value: key }],
        status: 'active',
        created: refund.at,
        outcome: 'complete',
        disposition: `refund of kiosk payment ${refund.key}: ${refund.reason}`,
        paymentDate: refund.at.slice(0, 10),
        paymentAmount: money(-refund.amountVnd),
        paymentIdentifier: { system: TERMINAL_TRANSACTION_SYSTEM, value: refund.terminalTransactionId },
        detail: [{ type: { coding: [{ system: PAYMENT_TYPE_SYSTEM, code: 'adjustment' }] }, amount: money(-refund.amountVnd) }],
      },
      key,
    );
  }

  private async create(resource: PaymentReconciliation, key: string): Promise<PaymentReconciliation> {
    const res = await this.fhir.send('POST', 'PaymentReconciliation', resource, {
      'if-none-exist': `identifier=${encodeURIComponent(keyToken(key))}`,
      prefer: 'return=representation',
    });
    this.fhir.expectStatus(res, [200, 201], 'create PaymentReconciliation');
    return res.body === undefined ? this.fhir.readCreated(res, paymentReconciliationSchema) : asResource(res.body, paymentReconciliationSchema);
  }

  private async find(key: string): Promise<PaymentReconciliation | undefined> {
    const matches = entriesOf(await this.fhir.search('PaymentReconciliation', { identifier: keyToken(key) }), paymentReconciliationSchema);
    if (matches.length > 1) throw new HospitalError('HIS_BAD_RESPONSE', 'the hospital has several records of one payment', { count: matches.length });
    return matches[0];
  }
}

function stateOf(p: PaymentReconciliation): HospitalPaymentState {
  if (p.status === 'cancelled' || p.status === 'entered-in-error') return 'cancelled';
  if (p.status === 'active' && p.outcome === 'complete') return 'complete';
  if (p.status === 'active' && p.outcome === 'error') return 'refused';
  if (p.status === 'draft' || p.outcome === 'queued') return 'expected';
  throw new HospitalError('HIS_BAD_RESPONSE', `a PaymentReconciliation in status ${p.status}/${p.outcome ?? '-'} says nothing the kiosk can act on`);
}

/** A whole number of đồng, or the HIS answered something the kiosk must not take money on. */
function vnd(m: { value?: number; currency?: string } | undefined, what: string, billId: string): number {
  if (m?.value === undefined || !Number.isSafeInteger(m.value) || m.value < 0 || (m.currency !== undefined && m.currency !== 'VND')) {
    throw new HospitalError('HIS_BAD_RESPONSE', `an Invoice's ${what} is not a whole number of đồng`, { billId });
  }
  return m.value;
}

const isInsurance = (c: { code?: { coding?: { system?: string; code?: string }[] } }) =>
  c.code?.coding?.some((x) => x.system === PRICE_COMPONENT_SYSTEM && x.code === 'insurance') ?? false;

function dueBill(invoice: Invoice): DueBill {
  const billId = invoice.id;
  if (!billId) throw new HospitalError('HIS_BAD_RESPONSE', 'an Invoice has no id');
  const lines: BillLine[] = (invoice.lineItem ?? []).map((line) => {
    const components = line.priceComponent ?? [];
    const sum = (pick: (c: (typeof components)[number]) => boolean, what: string) =>
      components.filter(pick).reduce((s, c) => s + vnd(c.amount, what, billId), 0);
    return {
      name: line.chargeItemCodeableConcept?.text ?? line.chargeItemCodeableConcept?.coding?.[0]?.display ?? line.chargeItemReference?.display ?? '—',
      priceVnd: sum((c) => c.type === 'base', 'line price'),
      insuranceVnd: sum((c) => c.type === 'deduction' && isInsurance(c), 'insurance part'),
    };
  });
  const totalVnd = vnd(invoice.totalGross, 'totalGross', billId);
  const patientVnd = vnd(invoice.totalNet, 'totalNet', billId);
  const insuranceVnd = lines.reduce((s, l) => s + l.insuranceVnd, 0);
  if (patientVnd > totalVnd || insuranceVnd > totalVnd) throw new HospitalError('HIS_BAD_RESPONSE', 'an Invoice asks the patient for more than its total', { billId });
  const code = invoice.type?.coding?.find((c) => c.system === BILL_KIND_SYSTEM)?.code;
  const kind: BillKind = BILL_KINDS.find((k) => k === code) ?? 'other';
  return {
    billId,
    number: invoice.identifier?.[0]?.value ?? billId,
    kind,
    ...(invoice.type?.text ? { title: { vi: invoice.type.text } } : {}),
    issuedAt: invoice.date ?? invoice.meta?.lastUpdated ?? '',
    lines,
    totalVnd,
    insuranceVnd,
    patientVnd,
  };
}
