import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NexoTerminal } from '../../app/platform/payments/nexo-terminal.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { startTerminalSim, type TerminalSim } from '../../app/sim/payment-terminal/server.ts';
import { selfSignedIdentity } from '../../app/sim/payment-terminal/tls.ts';
import { BillPayments, newPaymentKey, newTerminalAttempt } from '../../app/sites/hospital/common/bill-payments.ts';
import type { DueBill } from '../../app/sites/hospital/common/billing.ts';
import type { PaymentReconciliation } from '../../app/sites/hospital/common/fhir-types.ts';
import type { PaymentRecord } from '../../app/sites/hospital/common/payment-ledger.ts';
import { DEFAULT_CCCD_SYSTEM, DEFAULT_QUEUE_EXTENSION } from '../../app/sites/hospital/common/config.ts';
import { FhirHospitalSystem } from '../../app/sites/hospital/node/his/fhir-adapter.ts';
import { FhirHospitalBilling } from '../../app/sites/hospital/node/his/fhir-billing.ts';
import { PaymentLedgerStore } from '../../app/sites/hospital/node/payment-ledger-store.ts';
import { DEMO_RETURNING_PATIENTS } from '../../app/sites/hospital/sim/his/demo-hospital.ts';
import { startHisSim, type HisSim } from '../../app/sites/hospital/sim/his/server.ts';

/**
 * Bill payments end to end below the screens: the kiosk's ledger in SQLite, the nexo terminal
 * simulator over HTTPS and the FHIR HIS simulator over HTTP. Each case proves from the simulators'
 * own records (the terminal's ledger, the hospital's PaymentReconciliations) that money moved once.
 */
const CUONG = DEMO_RETURNING_PATIENTS.find((p) => p.fullName === 'Lê Văn Cường')!;

describe('paying bills: the ledger, the terminal and the hospital', () => {
  let pos: TerminalSim;
  let sim: HisSim;
  let db: Db;
  let audit: AuditLog;
  let ledger: PaymentLedgerStore;
  let billing: FhirHospitalBilling;
  let terminal: NexoTerminal;
  let patientId: string;
  let flagged: PaymentRecord[];

  const service = (o: { terminal?: NexoTerminal; billing?: FhirHospitalBilling } = {}) =>
    new BillPayments({
      ledger, billing: o.billing ?? billing, terminal: o.terminal ?? terminal, flagStaff: (r) => flagged.push(r), newKey: newPaymentKey, newAttempt: newTerminalAttempt,
    });
  const due = async (): Promise<DueBill[]> => billing.listDueBills(patientId);
  const hospitalRecords = (key: string) => sim.store.all<PaymentReconciliation>('PaymentReconciliation').filter((p) => p.identifier?.[0]?.value === key);

  beforeAll(async () => {
    pos = await startTerminalSim({ approveAfterMs: 50 });
    terminal = new NexoTerminal({
      url: pos.url, caPem: pos.caPem, saleId: 'BV-KIOSK-01', poiId: pos.poiId,
      connectTimeoutMs: 2000, paymentTimeoutMs: 1000, requestTimeoutMs: 1000, settleTimeoutMs: 500, pollMs: 100,
    });
  });
  afterAll(async () => {
    terminal?.close();
    await pos?.close();
  });
  beforeEach(async () => {
    // A fresh hospital each case: Lê Văn Cường owes a lab, an imaging and a pharmacy bill.
    sim = await startHisSim({ port: 0 });
    billing = new FhirHospitalBilling({ baseUrl: sim.url, timeoutMs: 2000 });
    const his = new FhirHospitalSystem({
      baseUrl: sim.url, timeoutMs: 2000, identifierSystem: DEFAULT_CCCD_SYSTEM, queueNumber: { source: 'extension', url: DEFAULT_QUEUE_EXTENSION }, queueLengths: false, timeZone: 'Asia/Ho_Chi_Minh',
    });
    patientId = (await his.findPatientByCccd(CUONG.idNumber))!.id;
    db = openDatabase(':memory:');
    audit = new AuditLog(db);
    ledger = new PaymentLedgerStore(db, audit, { timeZone: 'Asia/Ho_Chi_Minh' });
    flagged = [];
  });
  afterEach(async () => {
    db.close();
    await sim.close();
  });

  it('pays a lab bill by card: approved, confirmed by the hospital, charged once', async () => {
    const [lab] = await due();
    const paid = await service().payAtTerminal([lab!], 'card');
    expect(paid).toMatchObject({ state: 'hospital-confirmed', method: 'card', amountVnd: 43_000, terminal: { brand: 'NAPAS' } });
    expect(pos.charges(paid.key)).toHaveLength(1);
    expect(hospitalRecords(paid.key)).toHaveLength(1);
    expect((await due()).map((b) => b.kind)).toEqual(['imaging', 'pharmacy']);
    // Written before each call: started, then approved, then confirmed — in that order, with the key.
    const trail = audit.recent(20).reverse().filter((r) => r.action.startsWith('hospital.payment.') && r.detail.includes(paid.key)).map((r) => r.action);
    expect(trail).toEqual(['hospital.payment.started', 'hospital.payment.approved', 'hospital.payment.hospital-confirmed']);
  });

  it('takes nothing on a decline, and the bills stay due for another way', async () => {
    pos.next({ outcome: 'decline' });
    const bills = await due();
    const declined = await service().payAtTerminal(bills, 'card');
    expect(declined).toMatchObject({ state: 'declined', problem: 'Refusal' });
    expect(pos.charges(declined.key)).toEqual([]);
    expect(hospitalRecords(declined.key)).toEqual([]);
    expect(await due()).toHaveLength(3);
  });

  it('pays part of the bills with an e-wallet', async () => {
    const [, imaging, pharmacy] = await due();
    const paid = await service().payAtTerminal([imaging!, pharmacy!], 'ewallet');
    expect(paid).toMatchObject({ state: 'hospital-confirmed', method: 'ewallet', amountVnd: 34_000, terminal: { brand: 'MoMo' } });
    expect((await due()).map((b) => b.kind)).toEqual(['laboratory']);
  });

  it('gives the money back through the terminal when the hospital will not take it', async () => {
    const [lab] = await due();
    // The patient paid this bill at the desk a moment ago.
    await billing.recordPayment({ key: 'DESK-1', method: 'card', amountVnd: lab!.patientVnd, bills: [{ billId: lab!.billId, amountVnd: lab!.patientVnd }], at: new Date().toISOString() }, 'complete');
    const refunded = await service().payAtTerminal([lab!], 'card');
    expect(refunded).toMatchObject({ state: 'refunded', problem: 'HIS_REJECTED', refundReported: true });
    expect(pos.charges(refunded.key)).toEqual([expect.objectContaining({ state: 'reversed' })]);
    expect(hospitalRecords(`${refunded.key}-refund`)).toHaveLength(1);
    expect(flagged).toEqual([]);
  });

  it('flags staff when the terminal will not give the money back', async () => {
    const [lab] = await due();
    await billing.recordPayment({ key: 'DESK-2', method: 'card', amountVnd: lab!.patientVnd, bills: [{ billId: lab!.billId, amountVnd: lab!.patientVnd }], at: new Date().toISOString() }, 'complete');
    // A terminal that answers payments but not reversals (e.g. the acquirer's batch closed).
    const noRefunds = Object.assign(Object.create(terminal) as NexoTerminal, { refund: async () => ({ status: 'refused' as const, reason: 'NotAllowed' }) });
    const stuck = await service({ terminal: noRefunds }).payAtTerminal([lab!], 'card');
    expect(stuck).toMatchObject({ state: 'needs-staff', problem: 'POS_REFUND_REFUSED' });
    expect(flagged.map((r) => r.key)).toEqual([stuck.key]);
    expect(pos.charges(stuck.key)).toEqual([expect.objectContaining({ state: 'approved' })]);
  });

  it('after a silent terminal, asks again instead of charging again', async () => {
    pos.next({ outcome: 'timeout', offlineMs: 3500 });
    const [lab] = await due();
    const payments = service();
    const unknown = await payments.payAtTerminal([lab!], 'card');
    expect(unknown).toMatchObject({ state: 'started', problem: 'POS_NO_ANSWER' });
    await new Promise((r) => setTimeout(r, 1500));
    const settled = await payments.checkAgain(unknown.key);
    expect(settled.state).toBe('hospital-confirmed');
    expect(pos.charges(unknown.key)).toHaveLength(1);
    expect(pos.ledger().filter((e) => e.reference === unknown.key)).toHaveLength(1);
  }, 15_000);

  it('a restart settles a payment the terminal approved but the hospital never heard of, once', async () => {
    const [lab] = await due();
    sim.setPaymentFault('hang-before-record');
    const before = await service().payAtTerminal([lab!], 'card');
    expect(before).toMatchObject({ state: 'approved', problem: 'HIS_TIMEOUT' });
    sim.setPaymentFault(undefined);
    // A new process: a new service over the same ledger.
    const moved = await service().reconcile();
    expect(moved.map((r) => [r.key, r.state])).toEqual([[before.key, 'hospital-confirmed']]);
    expect(pos.charges(before.key)).toHaveLength(1);
    expect(hospitalRecords(before.key)).toHaveLength(1);
    expect(await service().reconcile()).toEqual([]);
  });

  it('a restart after the hospital recorded the payment but its answer was lost: confirmed, not recorded twice', async () => {
    const [lab] = await due();
    sim.setPaymentFault('hang-after-record');
    const before = await service().payAtTerminal([lab!], 'card');
    expect(before.state).toBe('approved');
    sim.setPaymentFault(undefined);
    await service().reconcile();
    expect(ledger.get(before.key)!.state).toBe('hospital-confirmed');
    expect(hospitalRecords(before.key)).toHaveLength(1);
  });

  it('a restart finds out that a payment cut off before the terminal answered was never taken', async () => {
    pos.next({ outcome: 'lost' });
    const [lab] = await due();
    const lost = await service().payAtTerminal([lab!], 'card');
    expect(lost).toMatchObject({ state: 'declined', problem: 'POS_NOT_RECEIVED' });
    expect(await due()).toHaveLength(3);
  });

  it('a terminal whose certificate is not trusted takes nothing, and the payment does not hang open', async () => {
    const stranger = new NexoTerminal({
      url: pos.url, caPem: selfSignedIdentity('localhost').certPem, saleId: 'BV-KIOSK-01', poiId: pos.poiId,
      connectTimeoutMs: 2000, paymentTimeoutMs: 1000, requestTimeoutMs: 1000,
    });
    try {
      const [lab] = await due();
      const refused = await service({ terminal: stranger }).payAtTerminal([lab!], 'card');
      expect(refused).toMatchObject({ state: 'declined', problem: 'POS_MISCONFIGURED' });
      expect(pos.ledger().filter((e) => e.reference === refused.key)).toEqual([]);
      expect(ledger.unsettled()).toEqual([]);
    } finally {
      stranger.close();
    }
  });

  it('VietQR: announced to the hospital, settled when the bank reports the transfer; a left QR is withdrawn', async () => {
    const [lab, imaging] = await due();
    const payments = service();
    const qr = await payments.announceTransfer([lab!]);
    expect(qr).toMatchObject({ state: 'started', method: 'vietqr' });
    await expect(payments.checkTransfer(qr.key)).resolves.toMatchObject({ state: 'started' });
    sim.bankTransfer(qr.key);
    await expect(payments.checkTransfer(qr.key)).resolves.toMatchObject({ state: 'hospital-confirmed' });
    const left = await payments.announceTransfer([imaging!]);
    await expect(payments.withdrawTransfer(left.key)).resolves.toMatchObject({ state: 'cancelled', problem: 'TRANSFER_WITHDRAWN' });
    expect((await due()).map((b) => b.kind)).toEqual(['imaging', 'pharmacy']);
  });

  it('prints a receipt once', async () => {
    const [lab] = await due();
    const paid = await service().payAtTerminal([lab!], 'card');
    expect(service().claimReceipt(paid.key)).toBe(true);
    expect(service().claimReceipt(paid.key)).toBe(false);
  });

  it('reports the day by method and state for staff', async () => {
    const [lab, imaging] = await due();
    pos.next({ outcome: 'decline' });
    await service().payAtTerminal([lab!], 'card');
    await service().payAtTerminal([lab!], 'card');
    await service().payAtTerminal([imaging!], 'ewallet');
    const report = ledger.dailyReport();
    expect(report.tallies).toEqual([
      { method: 'card', state: 'declined', count: 1, amountVnd: 43_000 },
      { method: 'card', state: 'hospital-confirmed', count: 1, amountVnd: 43_000 },
      { method: 'ewallet', state: 'hospital-confirmed', count: 1, amountVnd: 13_000 },
    ]);
    expect(report.payments).toHaveLength(3);
    expect(report.payments[0]!.bills).toEqual([imaging!.number]);
  });
});
