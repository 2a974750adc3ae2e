import { describe, expect, it, vi } from 'vitest';
import { hospitalConfig } from '../../app/sites/hospital/common/config.ts';
import { HospitalError } from '../../app/sites/hospital/common/types.ts';
import type { HospitalSystem } from '../../app/sites/hospital/common/hospital-system.ts';
import { insuranceResult, type InsuranceCheck } from '../../app/sites/hospital/common/insurance.ts';
import { createHospitalFlow } from '../../app/sites/hospital/common/journey-flow.ts';
import { hospital } from '../../app/sites/hospital/common/site.ts';
import { checkedFlow } from '../../app/core/sites/site-module.ts';
import type { SiteContext } from '../../app/core/journey/site-flow.ts';

const ctx: SiteContext = {
  holder: { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' },
  evidence: { by: 'card', passiveAuth: 'PA_OK', chipAuth: 'CHIP_NOT_CHECKED', central: 'PENDING', face: { decision: 'MATCH', score: 0.97 } },
  language: 'vi',
};

function setup(insuranceCode = '000', paidAfterChecks = 1) {
  let checks = 0;
  const his: HospitalSystem = {
    findPatientByCccd: vi.fn(async () => null),
    getPatient: vi.fn(async (id: string) => (id === 'pat-7' ? { id, idNumber: '079301000123', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '2001-02-28', sex: 'female' as const } : null)),
    createPatient: vi.fn(async (i) => ({ id: 'pat-1', idNumber: i.idNumber, fullName: i.fullName, sex: i.sex })),
    listDepartments: vi.fn(async () => [{ id: 'd1', name: { vi: 'Khoa Khám bệnh' }, clinics: [{ id: 'c1', departmentId: 'd1', name: { vi: 'Nội' }, room: 'P.101' }] }]),
    registerVisit: vi.fn(async (r) => ({
      visitId: 'enc-1', queueNumber: 12, departmentName: { vi: 'Khoa Khám bệnh' }, clinicName: { vi: 'Nội' }, room: 'P.101',
      examinationType: r.examinationType, registeredAt: '2026-11-24T01:00:00Z', waitingAhead: 3,
    })),
    getFee: vi.fn(async () => ({ visitId: 'enc-1', amountVnd: 150000, status: ++checks > paidAfterChecks ? ('paid' as const) : ('unpaid' as const), billNumber: 'HD0001' })),
    releaseVisit: vi.fn(async () => undefined),
    getVisit: vi.fn(async () => null),
  };
  const insurance: InsuranceCheck = { check: async () => insuranceResult(insuranceCode) };
  const recordVisit = vi.fn();
  const markPaid = vi.fn();
  const forgetVisit = vi.fn();
  const log = vi.fn();
  const printTicket = vi.fn(async () => ({ previewPng: new Uint8Array([1]), printed: true }));
  const config = hospitalConfig.parse({ hospitalName: 'BV Test', serviceFeeVnd: 150000, payment: { bankBin: '970436', accountNumber: '0011000123456' } });
  // Checked as the host checks it: every view these cases reach must match the hospital's view schemas.
  const flow = checkedFlow(hospital.views, createHospitalFlow({ his, insurance, config, terminalId: 'T1', recordVisit, markPaid, forgetVisit, log, printTicket }));
  return { flow, his, recordVisit, markPaid, forgetVisit, log, printTicket };
}

describe('hospital steps of the journey', () => {
  it('records a pending-verification visit and prints the queue ticket', async () => {
    const { flow, recordVisit, printTicket } = setup();
    expect(await flow.start(ctx)).toMatchObject({ kind: 'view', view: { siteStep: 'exam-type', data: { options: ['insurance', 'service'], returning: false } } });
    await flow.act({ choose: 'exam-type', examinationType: 'insurance' });
    const done = await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    expect(done).toMatchObject({ kind: 'done', receipt: { summary: { queueNumber: '0012', patient: 'Nguyễn Văn An' } } });
    expect(recordVisit).toHaveBeenCalledWith(expect.objectContaining({ verification: { pa: 'pass', clone: 'unsupported', faceScore: 0.97, central: 'unreachable' } }));
    if (done.kind === 'done') await done.receipt.print();
    expect(printTicket).toHaveBeenCalledWith(expect.objectContaining({ queueNumber: 12, encounterCode: 'enc-1', patientType: 'BHYT', birthYear: 1992 }));
  });

  it('in English, the ticket is printed in English and the room reads in English on screen and paper', async () => {
    const { flow, his, printTicket } = setup();
    vi.mocked(his.listDepartments).mockResolvedValue([{ id: 'd1', name: { vi: 'Khoa Khám bệnh', en: 'Outpatients' }, clinics: [{ id: 'c1', departmentId: 'd1', name: { vi: 'Nội', en: 'Internal Medicine' }, room: 'P.101 – Tầng 1' }] }]);
    vi.mocked(his.registerVisit).mockImplementation(async (r) => ({
      visitId: 'enc-1', queueNumber: 12, departmentName: { vi: 'Khoa Khám bệnh', en: 'Outpatients' }, clinicName: { vi: 'Nội', en: 'Internal Medicine' }, room: 'P.101 – Tầng 1',
      examinationType: r.examinationType, registeredAt: '2026-11-24T01:00:00Z', waitingAhead: 3,
    }));
    await flow.start({ ...ctx, language: 'en' });
    const picker = await flow.act({ choose: 'exam-type', examinationType: 'insurance' });
    expect(picker).toMatchObject({ view: { data: { departments: [{ clinics: [{ name: 'Internal Medicine', room: 'P.101 – Floor 1' }] }] } } });
    const done = await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    expect(done).toMatchObject({ kind: 'done', receipt: { summary: { clinic: 'Internal Medicine – P.101 – Floor 1' } } });
    if (done.kind === 'done') await done.receipt.print();
    expect(printTicket).toHaveBeenCalledWith(expect.objectContaining({ language: 'en', clinic: 'Internal Medicine' }));
  });

  it('offers only a paid visit when BHYT has expired', async () => {
    const { flow } = setup('010');
    expect(await flow.start(ctx)).toMatchObject({ view: { data: { options: ['service'], insurance: { status: 'expired' } } } });
    await expect(flow.act({ choose: 'exam-type', examinationType: 'insurance' })).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });
  });

  it('shows the VietQR payment, and marks the visit paid once the hospital says so', async () => {
    const { flow, markPaid } = setup('000', 2);
    await flow.start(ctx);
    await flow.act({ choose: 'exam-type', examinationType: 'service' });
    const pay = await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    expect(pay).toMatchObject({ kind: 'view', view: { siteStep: 'payment', data: { amountVnd: 150000, billNumber: 'HD0001' } } });
    expect(await flow.act({ choose: 'payment-check' })).toMatchObject({ view: { siteStep: 'payment' } });
    expect(markPaid).not.toHaveBeenCalled();
    expect(await flow.act({ choose: 'payment-check' })).toMatchObject({ kind: 'done', receipt: { summary: { payment: 'paid' } } });
    expect(markPaid).toHaveBeenCalledWith('enc-1');
  });

  it('cancelling on the payment screen gives the unpaid visit back to the hospital and forgets it', async () => {
    const { flow, his, forgetVisit } = setup('000', 99);
    await flow.start(ctx);
    await flow.act({ choose: 'exam-type', examinationType: 'service' });
    await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    expect(await flow.act({ choose: 'payment-cancel' })).toMatchObject({ kind: 'view', view: { siteStep: 'payment-cancelled', data: { queueNumberReleased: 12 } } });
    expect(his.releaseVisit).toHaveBeenCalledWith('enc-1');
    expect(forgetVisit).toHaveBeenCalledWith('enc-1');
    flow.dispose();
    expect(his.releaseVisit).toHaveBeenCalledTimes(1);
  });

  it('walking away from the QR (idle) releases the visit; paying at the cashier keeps it', async () => {
    const walked = setup('000', 99);
    await walked.flow.start(ctx);
    await walked.flow.act({ choose: 'exam-type', examinationType: 'service' });
    await walked.flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    walked.flow.dispose();
    await vi.waitFor(() => expect(walked.forgetVisit).toHaveBeenCalledWith('enc-1'));

    const cashier = setup('000', 99);
    await cashier.flow.start(ctx);
    await cashier.flow.act({ choose: 'exam-type', examinationType: 'service' });
    await cashier.flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    expect(await cashier.flow.act({ choose: 'payment-later' })).toMatchObject({ kind: 'done', receipt: { summary: { payment: 'unpaid' } } });
    cashier.flow.dispose();
    expect(cashier.his.releaseVisit).not.toHaveBeenCalled();
  });

  it('a cancel the hospital refuses because the payment just came in ends with the ticket', async () => {
    const { flow, his, markPaid } = setup('000', 1);
    vi.mocked(his.releaseVisit).mockRejectedValueOnce(new Error('409 paid'));
    await flow.start(ctx);
    await flow.act({ choose: 'exam-type', examinationType: 'service' });
    await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    expect(await flow.act({ choose: 'payment-cancel' })).toMatchObject({ kind: 'done', receipt: { summary: { payment: 'paid' } } });
    expect(markPaid).toHaveBeenCalledWith('enc-1');
  });

  it('a slow hospital while polling keeps the QR on screen', async () => {
    const { flow, his } = setup('000', 99);
    await flow.start(ctx);
    await flow.act({ choose: 'exam-type', examinationType: 'service' });
    await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    vi.mocked(his.getFee).mockRejectedValueOnce(new HospitalError('HIS_TIMEOUT', 'slow'));
    expect(await flow.act({ choose: 'payment-check' })).toMatchObject({ kind: 'view', view: { siteStep: 'payment', data: { status: 'unpaid' } } });
    expect(his.releaseVisit).not.toHaveBeenCalled();
    vi.mocked(his.getFee).mockRejectedValueOnce(new HospitalError('HIS_BAD_RESPONSE', 'junk'));
    await expect(flow.act({ choose: 'payment-check' })).rejects.toMatchObject({ code: 'HIS_BAD_RESPONSE' });
  });

  it('registers once even when the clinic is tapped twice, with one idempotency key', async () => {
    const { flow, his } = setup();
    await flow.start(ctx);
    await flow.act({ choose: 'exam-type', examinationType: 'insurance' });
    await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    expect(his.registerVisit).toHaveBeenCalledTimes(1);
    expect(vi.mocked(his.registerVisit).mock.calls[0]![0].requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('starts a patient recognised by face from the hospital record, and records what was (not) verified', async () => {
    const { flow, recordVisit } = setup();
    const start = await flow.startReturning!('pat-7', { evidence: { by: 'face', passiveAuth: 'NOT_RUN', chipAuth: 'NOT_RUN', central: 'NOT_RUN', face: { decision: 'MATCH', score: 0.95 } }, language: 'vi' });
    expect(start).toMatchObject({ kind: 'view', view: { siteStep: 'exam-type', data: { returning: true } } });
    await flow.act({ choose: 'exam-type', examinationType: 'service' });
    await flow.act({ choose: 'payment-later' }).catch(() => undefined);
    const done = await flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'c1' });
    expect(done.kind === 'view' || done.kind === 'done').toBe(true);
    expect(recordVisit).toHaveBeenCalledWith(expect.objectContaining({ verification: { pa: 'not-run', clone: 'not-run', faceScore: 0.95, central: 'not-run' } }));
    expect(await flow.startReturning!('pat-unknown', { evidence: { by: 'face', passiveAuth: 'NOT_RUN', chipAuth: 'NOT_RUN', central: 'NOT_RUN' }, language: 'vi' })).toEqual({ kind: 'failed', code: 'FACE_SUBJECT_UNKNOWN', retryable: false });
  });

  it('refuses an unknown clinic', async () => {
    const { flow } = setup();
    await flow.start(ctx);
    await flow.act({ choose: 'exam-type', examinationType: 'service' });
    await expect(flow.act({ choose: 'clinic', departmentId: 'd1', clinicId: 'nope' })).rejects.toMatchObject({ code: 'SITE_BAD_ACTION' });
  });
});
