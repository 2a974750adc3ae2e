import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CCCD_SYSTEM, DEFAULT_QUEUE_EXTENSION } from '../../app/core/sites/hospital/config.ts';
import type { ExaminationType, PaymentStatus } from '../../app/core/sites/hospital/types.ts';
import { FhirHospitalSystem } from '../../app/platform/his/fhir-adapter.ts';
import { watchPayment } from '../../app/platform/his/payment-watch.ts';
import { DEMO_RETURNING_PATIENTS } from '../../app/sim/his/demo-hospital.ts';
import { startHisSim, type HisSim } from '../../app/sim/his/server.ts';

// Watching for the HIS to say "paid", over real HTTP against his-sim, whose simulated cashier
// records the payment 400 ms after the bill is issued.

const adapter = (url: string, authorization?: string) =>
  new FhirHospitalSystem({
    baseUrl: url, identifierSystem: DEFAULT_CCCD_SYSTEM, queueNumber: { source: 'extension', url: DEFAULT_QUEUE_EXTENSION },
    queueLengths: false, timeoutMs: 10_000, timeZone: 'Asia/Ho_Chi_Minh', ...(authorization ? { authorization } : {}),
  });

describe('payment watch', () => {
  let sim: HisSim;
  let his: FhirHospitalSystem;
  const register = async (examinationType: ExaminationType) => {
    const patient = (await his.findPatientByCccd(DEMO_RETURNING_PATIENTS[0]!.idNumber))!;
    return his.registerVisit({ patient, departmentId: 'dept-nhi', clinicId: 'p201', examinationType, terminalId: 'K1' });
  };

  beforeAll(async () => {
    sim = await startHisSim({ port: 0, serviceFeeVnd: 200_000, autoPayAfterMs: 400, bearerToken: 't' });
    his = adapter(sim.url, 'Bearer t');
  });
  afterAll(async () => sim.close());

  it('ends "paid" once the HIS records the payment, after seeing it unpaid', async () => {
    const v = await register('service');
    const seen: PaymentStatus[] = [];
    const end = await watchPayment(his, v.visitId, { intervalMs: 100, timeoutMs: 5000, onFee: (f) => seen.push(f.status) });
    expect(end).toBe('paid');
    expect(seen[0]).toBe('unpaid');
    expect(seen.at(-1)).toBe('paid');
  });

  it('ends "not-required" at once for an insurance visit', async () => {
    const v = await register('insurance');
    expect(await watchPayment(his, v.visitId, { intervalMs: 100, timeoutMs: 5000 })).toBe('not-required');
  });

  it('times out, and stops when the journey cancels', async () => {
    const v = await register('service');
    const t0 = Date.now();
    expect(await watchPayment(his, v.visitId, { intervalMs: 50, timeoutMs: 150 })).toBe('timed-out');
    expect(Date.now() - t0).toBeLessThan(5000); // generous: CI machines are shared
    const v2 = await register('service');
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    expect(await watchPayment(his, v2.visitId, { intervalMs: 1000, timeoutMs: 5000, signal: ctl.signal })).toBe('cancelled');
  });

  it('keeps asking through a HIS outage but stops on an error that will not go away', async () => {
    const gone = adapter('http://127.0.0.1:9/fhir'); // discard port: nothing listens
    expect(await watchPayment(gone, 'x', { intervalMs: 50, timeoutMs: 200 })).toBe('timed-out');
    await expect(watchPayment(adapter(sim.url, 'Bearer wrong'), 'x', { intervalMs: 50, timeoutMs: 10_000 })).rejects.toMatchObject({ code: 'HIS_AUTH_FAILED' });
  });
});
