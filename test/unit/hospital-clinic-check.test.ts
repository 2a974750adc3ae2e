import { describe, expect, it, vi } from 'vitest';
import type { SiteContext, SiteFlow } from '../../app/core/journey/site-flow.ts';
import { ClinicChecks, createClinicCheckFlow, type CheckRecord, type ClinicDesk } from '../../app/sites/hospital/common/clinic-check.ts';
import { purposeFlow } from '../../app/sites/hospital/common/purpose-flow.ts';
import type { VisitStatus } from '../../app/sites/hospital/common/types.ts';

// The clinic check's decisions with the hospital system faked: which visit, whether it is checked
// in, what the screen then shows; and the watch over tickets whose face never matched.

const visit = (o: Partial<VisitStatus> = {}): VisitStatus => ({ visitId: 'enc-7', patientId: 'pat-1', status: 'arrived', queueNumber: 7, clinicId: 'p101', ...o });
const ctx: SiteContext = {
  holder: { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' },
  evidence: { by: 'card', passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', central: 'VERIFIED' },
  language: 'vi',
};

function setup(found: VisitStatus | null) {
  const desk: ClinicDesk = {
    todaysVisit: vi.fn(async () => found),
    recordCheck: vi.fn(async () => undefined),
    flagCheck: vi.fn(async () => undefined),
    queueAt: vi.fn(async () => ({ called: [3, 5, 7, 9], waiting: [11] })),
  };
  const records: CheckRecord[] = [];
  const settled: string[] = [];
  const flow = createClinicCheckFlow({
    his: {
      findPatientByCccd: vi.fn(async () => ({ id: 'pat-1', idNumber: ctx.holder.idNumber, fullName: ctx.holder.fullName, sex: 'male' as const })),
      getVisit: vi.fn(async () => found),
      listDepartments: vi.fn(async () => [{ id: 'd', name: { vi: 'Khoa' }, clinics: [{ id: 'p103', departmentId: 'd', name: { vi: 'Tim mạch' }, room: 'P.103 – Tầng 1' }] }]),
    },
    desk,
    clinicId: 'p101',
    terminalId: 'K-P101',
    record: async (r) => void records.push(r),
    settled: (id) => settled.push(id),
  });
  return { desk, flow, records, settled };
}

describe('the check at the clinic\'s door', () => {
  it('a ticket whose face matched: the visit is checked in once, listed, and the screen shows the numbers to be called', async () => {
    const { desk, flow, records, settled } = setup(visit());
    const result = await flow.startWithCode!('enc-7', { evidence: { ...ctx.evidence, by: 'code' }, language: 'vi' });
    expect(result).toEqual({ kind: 'view', view: { siteStep: 'clinic-checked', data: { queueNumber: 7, called: [3, 5, 7, 9], ahead: 2 } } });
    expect(desk.recordCheck).toHaveBeenCalledWith(expect.objectContaining({ visitId: 'enc-7', method: 'ticket-face', terminalId: 'K-P101' }));
    expect(records).toEqual([expect.objectContaining({ visitId: 'enc-7', result: 'confirmed', method: 'ticket-face', queueNumber: 7 })]);
    expect(settled).toEqual(['enc-7']);
  });

  it('a card at the door finds today\'s visit at this clinic', async () => {
    const { desk, flow } = setup(visit());
    await expect(flow.start(ctx)).resolves.toMatchObject({ view: { siteStep: 'clinic-checked' } });
    expect(desk.todaysVisit).toHaveBeenCalledWith('pat-1', 'p101');
    expect(desk.recordCheck).toHaveBeenCalledWith(expect.objectContaining({ method: 'card-face' }));
  });

  it('sends another clinic\'s ticket on to its room without checking it in here', async () => {
    const { desk, flow, records } = setup(visit({ clinicId: 'p103' }));
    await expect(flow.startWithCode!('enc-7', { evidence: ctx.evidence, language: 'vi' })).resolves.toEqual({
      kind: 'view', view: { siteStep: 'clinic-elsewhere', data: { room: 'P.103 – Tầng 1' } },
    });
    expect(desk.recordCheck).not.toHaveBeenCalled();
    expect(records).toEqual([]);
  });

  it('has no visit to check in for a finished or unknown one; one already in progress is not written twice', async () => {
    await expect(setup(visit({ status: 'finished' })).flow.startWithCode!('enc-7', { evidence: ctx.evidence, language: 'vi' })).resolves.toMatchObject({ view: { siteStep: 'clinic-no-visit' } });
    await expect(setup(null).flow.start(ctx)).resolves.toMatchObject({ view: { siteStep: 'clinic-no-visit' } });
    const again = setup(visit({ status: 'in-progress' }));
    await expect(again.flow.startWithCode!('enc-7', { evidence: ctx.evidence, language: 'vi' })).resolves.toMatchObject({ view: { siteStep: 'clinic-checked' } });
    expect(again.desk.recordCheck).not.toHaveBeenCalled();
  });

  it('counts a scanned ticket as not confirmed only once its time has run out without a match', () => {
    let now = 0;
    const checks = new ClinicChecks({ withinMs: 90_000, clock: () => new Date(now) });
    checks.scanned('a');
    checks.scanned('b');
    now = 30_000;
    checks.scanned('a'); // scanned again: the first scan's time still counts
    checks.settled('b');
    expect(checks.overdue()).toEqual([]);
    now = 90_000;
    expect(checks.overdue()).toEqual(['a']);
    expect(checks.overdue()).toEqual([]);
  });
});

describe('the reception kiosk\'s purposes', () => {
  const fake = (name: string): SiteFlow => ({
    start: vi.fn(async () => ({ kind: 'view' as const, view: { siteStep: name, data: {} } })),
    startWithCode: vi.fn(async () => ({ kind: 'view' as const, view: { siteStep: `${name}-code`, data: {} } })),
    act: vi.fn(async () => ({ kind: 'view' as const, view: { siteStep: `${name}-act`, data: {} } })),
    dispose: vi.fn(),
  });

  it('registers, or pays bills, as the person chose; a scanned ticket opens its bills', async () => {
    const register = fake('register');
    const pay = fake('pay');
    const flow = purposeFlow({ register: () => register, pay: () => pay });
    await expect(flow.start({ ...ctx, purpose: 'pay' })).resolves.toMatchObject({ view: { siteStep: 'pay' } });
    await expect(flow.act({ choose: 'x' })).resolves.toMatchObject({ view: { siteStep: 'pay-act' } });
    await expect(flow.start({ ...ctx, purpose: 'register' })).resolves.toMatchObject({ view: { siteStep: 'register' } });
    expect(pay.dispose).toHaveBeenCalledOnce();
    await expect(flow.startWithCode!('enc-7', { evidence: ctx.evidence, language: 'vi' })).resolves.toMatchObject({ view: { siteStep: 'pay-code' } });
  });

  it('offers no bills where the kiosk cannot take money', async () => {
    const flow = purposeFlow({ register: () => fake('register') });
    await expect(flow.start({ ...ctx, purpose: 'pay' })).resolves.toEqual({ kind: 'failed', code: 'SITE_NOT_AVAILABLE', retryable: false });
    expect(() => flow.act({})).toThrow(expect.objectContaining({ code: 'SITE_NOT_STARTED' }));
  });
});
