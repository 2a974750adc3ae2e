import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CCCD_SYSTEM, DEFAULT_QUEUE_EXTENSION } from '../../app/sites/hospital/common/config.ts';
import type { ExaminationType, PaymentStatus } from '../../app/sites/hospital/common/types.ts';
import { FhirHospitalSystem } from '../../app/sites/hospital/node/his/fhir-adapter.ts';
import { DEMO_RETURNING_PATIENTS } from '../../app/sites/hospital/sim/his/demo-hospital.ts';
import { startHisSim, type HisSim } from '../../app/sites/hospital/sim/his/server.ts';

// The fee as the kiosk asks for it (the payment step's "check"), over real HTTP against his-sim,
// whose simulated cashier records the payment 400 ms after the bill is issued.

const adapter = (url: string, authorization?: string, queueLengths = false) =>
  new FhirHospitalSystem({
    baseUrl: url, identifierSystem: DEFAULT_CCCD_SYSTEM, queueNumber: { source: 'extension', url: DEFAULT_QUEUE_EXTENSION },
    queueLengths, timeoutMs: 10_000, timeZone: 'Asia/Ho_Chi_Minh', ...(authorization ? { authorization } : {}),
  });

describe('service fee from the HIS', () => {
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

  it('says "unpaid" right after billing and "paid" once the cashier has recorded it', async () => {
    const v = await register('service');
    const first = await his.getFee(v.visitId);
    expect(first).toMatchObject({ visitId: v.visitId, amountVnd: 200_000, status: 'unpaid' });
    expect(first.billNumber).not.toBe('');
    await new Promise((r) => setTimeout(r, 600));
    expect(await his.getFee(v.visitId)).toMatchObject({ status: 'paid', billNumber: first.billNumber });
  });

  it('cancels an unpaid visit: out of the queue, its bill withdrawn and never paid; a paid one is refused', async () => {
    const counting = adapter(sim.url, 'Bearer t', true);
    const queue = async () => (await counting.listDepartments()).flatMap((d) => d.clinics).find((c) => c.id === 'p201')!.queueLength!;
    const before = await queue();
    const v = await register('service');
    expect(await queue()).toBe(before + 1);
    await his.releaseVisit(v.visitId);
    expect(await queue()).toBe(before);
    await his.releaseVisit(v.visitId); // twice: no-op
    await new Promise((r) => setTimeout(r, 600));
    expect(await his.getFee(v.visitId)).toMatchObject({ status: 'not-required' });

    const paid = await register('service');
    await new Promise((r) => setTimeout(r, 600));
    expect(await his.getFee(paid.visitId)).toMatchObject({ status: 'paid' });
    await expect(his.releaseVisit(paid.visitId)).rejects.toMatchObject({ code: 'HIS_REJECTED' });
  });

  it('needs no payment for an insurance visit', async () => {
    const v = await register('insurance');
    expect((await his.getFee(v.visitId)).status).toBe('not-required' satisfies PaymentStatus);
  });

  it('tells an unreachable HIS from one that refuses the kiosk', async () => {
    await expect(adapter('http://127.0.0.1:9/fhir').getFee('x')).rejects.toMatchObject({ code: 'HIS_UNREACHABLE' });
    await expect(adapter(sim.url, 'Bearer wrong').getFee('x')).rejects.toMatchObject({ code: 'HIS_AUTH_FAILED' });
  });
});
