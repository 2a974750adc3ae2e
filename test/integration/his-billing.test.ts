import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HospitalPayment } from '../../app/sites/hospital/common/billing.ts';
import { DEFAULT_CCCD_SYSTEM, DEFAULT_QUEUE_EXTENSION } from '../../app/sites/hospital/common/config.ts';
import { BILL_KIND_SYSTEM, PAYMENT_KEY_SYSTEM, type Invoice, type PaymentReconciliation } from '../../app/sites/hospital/common/fhir-types.ts';
import { FhirHospitalSystem } from '../../app/sites/hospital/node/his/fhir-adapter.ts';
import { FhirHospitalBilling } from '../../app/sites/hospital/node/his/fhir-billing.ts';
import { DEMO_RETURNING_PATIENTS } from '../../app/sites/hospital/sim/his/demo-hospital.ts';
import { startHisSim, type HisSim } from '../../app/sites/hospital/sim/his/server.ts';

// Bills and payments between the kiosk's FHIR adapter and his-sim over real HTTP: what is due with
// its insurance and patient parts, and the hospital's rules for recording a payment once.

const CUONG = DEMO_RETURNING_PATIENTS.find((p) => p.fullName === 'Lê Văn Cường')!;

describe('bills and payments with the HIS (FHIR Invoice, PaymentReconciliation)', () => {
  let sim: HisSim;
  let billing: FhirHospitalBilling;
  let his: FhirHospitalSystem;
  let patientId: string;
  const payment = (key: string, bills: { billId: string; amountVnd: number }[], o: Partial<HospitalPayment> = {}): HospitalPayment => ({
    key, method: 'card', amountVnd: bills.reduce((s, b) => s + b.amountVnd, 0), bills,
    terminal: { transactionId: `T-${key}`, approvalCode: '123456', brand: 'NAPAS' }, at: new Date().toISOString(), ...o,
  });
  const records = (key: string) =>
    sim.store.all<PaymentReconciliation>('PaymentReconciliation').filter((p) => p.identifier?.some((i) => i.system === PAYMENT_KEY_SYSTEM && i.value === key));

  beforeAll(async () => {
    sim = await startHisSim({ port: 0, bearerToken: 't', ordersOnVisit: true });
    const options = { baseUrl: sim.url, timeoutMs: 10_000, authorization: 'Bearer t' };
    billing = new FhirHospitalBilling(options);
    his = new FhirHospitalSystem({
      ...options, identifierSystem: DEFAULT_CCCD_SYSTEM, queueNumber: { source: 'extension', url: DEFAULT_QUEUE_EXTENSION }, queueLengths: false, timeZone: 'Asia/Ho_Chi_Minh',
    });
    patientId = (await his.findPatientByCccd(CUONG.idNumber))!.id;
  });
  afterAll(async () => sim.close());

  it('lists what is due with the insurance part and the patient part, as the hospital reports them', async () => {
    const bills = await billing.listDueBills(patientId);
    expect(bills.map((b) => [b.kind, b.totalVnd, b.insuranceVnd, b.patientVnd])).toEqual([
      ['laboratory', 215_000, 172_000, 43_000],
      ['imaging', 65_000, 52_000, 13_000],
      ['pharmacy', 105_000, 84_000, 21_000],
    ]);
    expect(bills[0]!.lines).toEqual([
      { name: 'Tổng phân tích tế bào máu ngoại vi', priceVnd: 90_000, insuranceVnd: 72_000 },
      { name: 'Định lượng Glucose', priceVnd: 25_000, insuranceVnd: 20_000 },
      { name: 'Định lượng HbA1c', priceVnd: 100_000, insuranceVnd: 80_000 },
    ]);
    expect(bills[0]!.number).toMatch(/^HD\d{6}$/);
    expect(bills[0]!.title).toEqual({ vi: 'Xét nghiệm máu' });
  });

  it('records an approved payment once, whatever the retries, and the bill is no longer due', async () => {
    const [lab] = await billing.listDueBills(patientId);
    const p = payment('KP-ONCE', [{ billId: lab!.billId, amountVnd: lab!.patientVnd }]);
    await expect(billing.recordPayment(p, 'complete')).resolves.toBe('complete');
    await expect(billing.recordPayment(p, 'complete')).resolves.toBe('complete');
    expect(records('KP-ONCE')).toHaveLength(1);
    await expect(billing.findPayment('KP-ONCE')).resolves.toBe('complete');
    expect((await billing.listDueBills(patientId)).map((b) => b.kind)).toEqual(['imaging', 'pharmacy']);
    // Paid already (another key): the hospital refuses to take it twice.
    await expect(billing.recordPayment(payment('KP-TWICE', [{ billId: lab!.billId, amountVnd: lab!.patientVnd }]), 'complete')).rejects.toMatchObject({ code: 'HIS_REJECTED' });
    await expect(billing.findPayment('KP-TWICE')).resolves.toBeNull();
  });

  it('refuses a payment of another amount than the patient part', async () => {
    const [imaging] = await billing.listDueBills(patientId);
    await expect(billing.recordPayment(payment('KP-WRONG', [{ billId: imaging!.billId, amountVnd: imaging!.totalVnd }]), 'complete')).rejects.toMatchObject({ code: 'HIS_REJECTED' });
  });

  it('expects a VietQR transfer, settles the bill when the bank reports it, and can withdraw one that never came', async () => {
    const [imaging, pharmacy] = await billing.listDueBills(patientId);
    const qr = payment('KP-QR', [{ billId: imaging!.billId, amountVnd: imaging!.patientVnd }], { method: 'vietqr', terminal: undefined });
    await expect(billing.recordPayment(qr, 'expected')).resolves.toBe('expected');
    await expect(billing.findPayment('KP-QR')).resolves.toBe('expected');
    expect(sim.bankTransfer('KP-QR')).toBe(true);
    await expect(billing.findPayment('KP-QR')).resolves.toBe('complete');
    await expect(billing.withdrawPayment('KP-QR')).resolves.toBe('complete');

    const left = payment('KP-LEFT', [{ billId: pharmacy!.billId, amountVnd: pharmacy!.patientVnd }], { method: 'vietqr', terminal: undefined });
    await billing.recordPayment(left, 'expected');
    await expect(billing.withdrawPayment('KP-LEFT')).resolves.toBe('cancelled');
    expect(sim.bankTransfer('KP-LEFT')).toBe(false);
    expect((await billing.listDueBills(patientId)).map((b) => b.kind)).toEqual(['pharmacy']);
  });

  it('says "refused" when a transfer comes in for a bill paid meanwhile at the desk', async () => {
    const [pharmacy] = await billing.listDueBills(patientId);
    const share = [{ billId: pharmacy!.billId, amountVnd: pharmacy!.patientVnd }];
    await billing.recordPayment(payment('KP-LATE', share, { method: 'vietqr', terminal: undefined }), 'expected');
    await billing.recordPayment(payment('KP-DESK', share), 'complete');
    sim.bankTransfer('KP-LATE');
    await expect(billing.findPayment('KP-LATE')).resolves.toBe('refused');
  });

  it('records a refund once, for the bank reconciliation', async () => {
    const refund = { key: 'KP-ONCE', amountVnd: 43_000, terminalTransactionId: 'R1', reason: 'rejected by the hospital', at: new Date().toISOString() };
    await billing.recordRefund(refund);
    await billing.recordRefund(refund);
    expect(records('KP-ONCE-refund')).toEqual([expect.objectContaining({ paymentAmount: { value: -43_000, currency: 'VND' }, status: 'active' })]);
  });

  it('bills the doctor\'s orders of a visit registered at the kiosk (demo)', async () => {
    const patient = (await his.findPatientByCccd(DEMO_RETURNING_PATIENTS[0]!.idNumber))!;
    const before = (await billing.listDueBills(patient.id)).length;
    await his.registerVisit({ patient, departmentId: 'dept-nhi', clinicId: 'p201', examinationType: 'insurance', terminalId: 'K1' });
    const after = await billing.listDueBills(patient.id);
    expect(after.length).toBe(before + 2);
    expect(after.at(-1)).toMatchObject({ kind: 'pharmacy', totalVnd: 20_000, insuranceVnd: 16_000, patientVnd: 4_000 });
  });

  it('will not take money on a bill whose parts do not add up', async () => {
    sim.store.create<Invoice>({
      resourceType: 'Invoice', status: 'issued', subject: { reference: `Patient/${patientId}` },
      type: { coding: [{ system: BILL_KIND_SYSTEM, code: 'imaging' }] }, totalGross: { value: 10_000, currency: 'VND' }, totalNet: { value: 20_000, currency: 'VND' },
    });
    await expect(billing.listDueBills(patientId)).rejects.toMatchObject({ code: 'HIS_BAD_RESPONSE' });
  });
});
