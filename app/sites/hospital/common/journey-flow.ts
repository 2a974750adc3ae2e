/**
 * The hospital's steps inside the shared journey: find or create the patient, check BHYT, let the
 * patient choose the examination type and the clinic, register the visit (queue number), offer a
 * VietQR payment for service visits, and hand back the queue ticket to print.
 */
import { randomUUID } from 'node:crypto';
import { KioskError } from '../../../core/errors.ts';
import type { Holder, PrintedReceipt, VerifiedFace } from '../../../core/journey/ports.ts';
import type { SiteContext, SiteFlow, SiteResult } from '../../../core/journey/site-flow.ts';
import { localizePlace } from '../../../core/receipts/format.ts';
import type { QueueTicketInput } from '../../../core/receipts/templates/queue-ticket.ts';
import { siteView } from '../../../core/sites/site-module.ts';
import type { HospitalConfig, PaymentAccount } from './config.ts';
import type { HospitalSystem } from './hospital-system.ts';
import { allowsInsuranceVisit, type InsuranceCheck, type InsuranceResult } from './insurance.ts';
import { hospitalViews } from './schemas.ts';
import type { ChipIdentity, Department, ExaminationType, LocalizedText, Patient, RegisteredVisit, Sex, VisitFee } from './types.ts';
import { buildVietQr } from '../../../core/payments/vietqr.ts';
import { centralVerdictOf, type CloneVerdict, type NewVisitRecord, type PaVerdict } from './visit-record.ts';

export interface HospitalFlowDeps {
  readonly his: HospitalSystem;
  readonly insurance: InsuranceCheck;
  readonly config: HospitalConfig;
  readonly terminalId: string;
  readonly recordVisit: (record: NewVisitRecord) => void;
  /** The hospital said the fee is paid: the kiosk's own record follows. */
  readonly markPaid: (visitId: string) => void;
  /** The hospital cancelled a visit the person left unpaid: the kiosk's own record goes too. */
  readonly forgetVisit: (visitId: string) => void;
  /** A cancellation the hospital refused or did not answer, for staff (never names the person). */
  readonly log: (message: string) => void;
  readonly printTicket: (input: QueueTicketInput) => Promise<PrintedReceipt>;
  /**
   * Keeps the face the journey verified for the visit's day (the clinic's kiosk matches the ticket's
   * holder against it). Absent: the hospital keeps no face. A failure costs the check, not the visit.
   */
  readonly keepVisitFace?: (visitId: string, face: VerifiedFace) => Promise<void>;
}

const SEX: Record<string, Sex> = { M: 'male', F: 'female' };

export function chipIdentity(holder: Holder): ChipIdentity {
  return {
    idNumber: holder.idNumber,
    fullName: holder.fullName,
    dateOfBirth: holder.dateOfBirth,
    sex: SEX[holder.sex] ?? 'unknown',
    ...(holder.placeOfResidence ? { address: holder.placeOfResidence } : {}),
  };
}

/** What the visit record says was verified, in the hospital's words. */
export function verificationSummary(ctx: SiteContext): NewVisitRecord['verification'] {
  const e = ctx.evidence;
  const pa: PaVerdict = e.passiveAuth === 'PA_OK' ? 'pass' : e.passiveAuth === 'PA_NO_TRUST_ANCHOR' || e.passiveAuth === 'NOT_RUN' ? 'not-run' : 'fail';
  const clone: CloneVerdict =
    e.chipAuth === 'CHIP_GENUINE' ? 'pass' : e.chipAuth === 'CHIP_NOT_CHECKED' ? 'unsupported' : e.chipAuth === 'NOT_RUN' ? 'not-run' : 'fail';
  return {
    pa,
    clone,
    faceScore: e.face ? Math.max(0, Math.min(1, e.face.score)) : null,
    central: centralVerdictOf(e.central),
    ...(e.centralRequestId ? { requestId: e.centralRequestId } : {}),
  };
}

const text = (t: LocalizedText, lang: 'vi' | 'en') => (lang === 'en' && t.en ? t.en : t.vi);

interface FlowState {
  ctx: SiteContext;
  /** One per registration attempt: asking the HIS again after a time-out returns the same visit. */
  requestId: string;
  patient: Patient;
  returning: boolean;
  insurance: InsuranceResult;
  examinationType?: ExaminationType;
  departments?: Department[];
  visit?: RegisteredVisit;
  fee?: VisitFee;
  /** The VietQR is on screen: leaving now (Cancel, idle, another card) gives the visit up. */
  awaitingPayment?: boolean;
}

export function createHospitalFlow(deps: HospitalFlowDeps): SiteFlow {
  let s: FlowState | undefined;

  const need = (): FlowState => {
    if (!s) throw new KioskError('SITE_NOT_STARTED', 'the hospital steps have not started');
    return s;
  };

  const examTypeView = (st: FlowState): SiteResult =>
    siteView(hospitalViews, 'exam-type', {
      returning: st.returning,
      insurance: { status: st.insurance.status, advice: st.insurance.advice, code: st.insurance.code, message: st.insurance.message },
      options: allowsInsuranceVisit(st.insurance) ? ['insurance', 'service'] : ['service'],
      serviceFeeVnd: deps.config.serviceFeeVnd,
    });

  const departmentView = (st: FlowState, examinationType: ExaminationType): SiteResult =>
    siteView(hospitalViews, 'department', {
      examinationType,
      departments: (st.departments ?? []).map((d) => ({
        id: d.id,
        name: text(d.name, st.ctx.language),
        clinics: d.clinics.map((c) => ({ id: c.id, name: text(c.name, st.ctx.language), room: localizePlace(c.room, st.ctx.language), ...(c.queueLength === undefined ? {} : { queueLength: c.queueLength }) })),
      })),
    });

  const paymentView = (fee: VisitFee, account: PaymentAccount): SiteResult =>
    siteView(hospitalViews, 'payment', {
      amountVnd: fee.amountVnd,
      billNumber: fee.billNumber,
      status: fee.status,
      vietQr: buildVietQr({ bankBin: account.bankBin, accountNumber: account.accountNumber, amountVnd: fee.amountVnd, billNumber: fee.billNumber, purpose: `KHAM BENH ${fee.billNumber}` }),
    });

  const finish = (st: FlowState): SiteResult => {
    st.awaitingPayment = false;
    const visit = st.visit!;
    const holder = st.ctx.holder;
    const lang = st.ctx.language;
    // Printed in the language the person chose on screen.
    const ticket: QueueTicketInput = {
      hospitalName: deps.config.hospitalName,
      queueNumber: visit.queueNumber,
      clinic: text(visit.clinicName, lang),
      room: visit.room,
      patientName: holder.fullName,
      birthYear: Number(holder.dateOfBirth.slice(0, 4)),
      sex: holder.sex === 'F' ? 'F' : 'M',
      patientType: visit.examinationType === 'insurance' ? 'BHYT' : 'DICH_VU',
      registeredAt: new Date(visit.registeredAt),
      waitingAhead: visit.waitingAhead ?? 0,
      encounterCode: visit.visitId,
      language: lang,
    };
    return {
      kind: 'done',
      enrolmentSubject: st.patient.id,
      receipt: {
        print: () => deps.printTicket(ticket),
        summary: {
          queueNumber: String(visit.queueNumber).padStart(4, '0'),
          clinic: `${text(visit.clinicName, lang)} – ${localizePlace(visit.room, lang)}`,
          patient: holder.fullName,
          ...(st.fee && st.fee.status !== 'not-required' ? { payment: st.fee.status } : {}),
        },
        ticket: {
          number: String(visit.queueNumber).padStart(4, '0'),
          place: { vi: visit.clinicName.vi, en: text(visit.clinicName, 'en') },
          room: visit.room,
          name: holder.fullName,
          birthYear: ticket.birthYear,
          issuedAt: ticket.registeredAt.toISOString(),
          code: visit.visitId,
          ...(st.fee && st.fee.status !== 'not-required' ? { payment: st.fee.status } : {}),
        },
      },
    };
  };

  const register = async (st: FlowState, departmentId: string, clinicId: string): Promise<SiteResult> => {
    const visit = await deps.his.registerVisit({
      patient: st.patient,
      departmentId,
      clinicId,
      examinationType: st.examinationType!,
      ...(st.examinationType === 'insurance' ? { insuranceCardNumber: st.insurance.card?.cardNumber ?? st.ctx.holder.idNumber } : {}),
      terminalId: deps.terminalId,
      requestId: st.requestId,
    });
    st.visit = visit;
    const fee = st.examinationType === 'service' ? await deps.his.getFee(visit.visitId) : undefined;
    if (fee) st.fee = fee;
    deps.recordVisit({
      visitId: visit.visitId,
      registeredAt: visit.registeredAt,
      examinationType: visit.examinationType,
      departmentName: visit.departmentName.vi,
      clinicId,
      room: visit.room,
      queueNumber: visit.queueNumber,
      insuranceCode: st.insurance.code,
      verification: verificationSummary(st.ctx),
      paymentStatus: fee?.status ?? 'not-required',
      feeVnd: fee?.amountVnd ?? 0,
      personal: { fullName: st.patient.fullName, patientId: st.patient.id },
    });
    const face = st.ctx.face;
    if (face && deps.keepVisitFace) {
      await deps.keepVisitFace(visit.visitId, face).catch((e: unknown) =>
        deps.log(`the face of a visit could not be kept for the clinic check (${e instanceof KioskError ? e.code : 'error'})`),
      );
    }
    if (fee && fee.status === 'unpaid' && fee.amountVnd > 0 && deps.config.payment) {
      st.awaitingPayment = true;
      return paymentView(fee, deps.config.payment);
    }
    return finish(st);
  };

  /** Asks the hospital whether the fee has come in; the screen asks every few seconds while the QR shows. */
  const checkPayment = async (st: FlowState, visit: RegisteredVisit): Promise<SiteResult> => {
    const account = deps.config.payment;
    let fee: VisitFee;
    try {
      fee = await deps.his.getFee(visit.visitId);
    } catch (e) {
      // A slow or unreachable HIS must not throw away a registered visit: keep waiting on the QR.
      if (e instanceof KioskError && (e.code === 'HIS_TIMEOUT' || e.code === 'HIS_UNREACHABLE') && st.fee && account) return paymentView(st.fee, account);
      throw e;
    }
    st.fee = fee;
    if (fee.status === 'paid') deps.markPaid(visit.visitId);
    return fee.status === 'paid' || fee.status === 'not-required' || !account ? finish(st) : paymentView(fee, account);
  };

  /** Gives the unpaid visit back to the hospital, so its queue number holds no one up. */
  const release = async (visit: RegisteredVisit): Promise<void> => {
    await deps.his.releaseVisit(visit.visitId);
    deps.forgetVisit(visit.visitId);
  };

  const cancelPayment = async (st: FlowState, visit: RegisteredVisit): Promise<SiteResult> => {
    try {
      await release(visit);
    } catch (e) {
      // Paid a moment ago (the hospital refuses to cancel a paid visit): the person gets their ticket.
      const after = await checkPayment(st, visit);
      if (after.kind === 'done') return after;
      throw e;
    }
    st.awaitingPayment = false;
    return siteView(hospitalViews, 'payment-cancelled', { queueNumberReleased: visit.queueNumber });
  };

  const begin = async (ctx: SiteContext, patient: Patient, returning: boolean): Promise<SiteResult> => {
    const insurance = await deps.insurance.check({ cardNumber: patient.idNumber, fullName: ctx.holder.fullName, dateOfBirth: ctx.holder.dateOfBirth });
    s = { ctx, patient, returning, insurance, requestId: randomUUID() };
    return examTypeView(s);
  };

  return {
    async start(ctx) {
      const identity = chipIdentity(ctx.holder);
      const found = await deps.his.findPatientByCccd(identity.idNumber);
      return begin(ctx, found ?? (await deps.his.createPatient(identity)), found !== null);
    },

    async startReturning(subjectId, partial) {
      // Recognised by face among the hospital's enrolled patients: the hospital says who they are.
      const patient = await deps.his.getPatient(subjectId);
      if (!patient || !patient.dateOfBirth) return { kind: 'failed', code: 'FACE_SUBJECT_UNKNOWN', retryable: false };
      const sex = patient.sex === 'female' ? 'F' : 'M';
      return begin({ ...partial, holder: { idNumber: patient.idNumber, fullName: patient.fullName, dateOfBirth: patient.dateOfBirth, sex } }, patient, true);
    },

    async act(action) {
      const st = need();
      switch (action.choose) {
        case 'exam-type': {
          const type = action.examinationType;
          if (type !== 'insurance' && type !== 'service') throw new KioskError('SITE_BAD_ACTION', 'examinationType must be insurance or service');
          if (type === 'insurance' && !allowsInsuranceVisit(st.insurance)) throw new KioskError('SITE_BAD_ACTION', 'insurance is not available for this patient');
          st.examinationType = type;
          st.departments ??= await deps.his.listDepartments();
          return departmentView(st, type);
        }
        case 'clinic': {
          if (!st.examinationType) return examTypeView(st);
          const { departmentId, clinicId } = action;
          const dept = st.departments?.find((d) => d.id === departmentId);
          if (typeof clinicId !== 'string' || !dept?.clinics.some((c) => c.id === clinicId)) throw new KioskError('SITE_BAD_ACTION', 'unknown clinic');
          if (st.visit) return finish(st); // a double tap must not register twice
          return register(st, dept.id, clinicId);
        }
        case 'payment-check':
          if (!st.visit) return examTypeView(st);
          return st.awaitingPayment ? checkPayment(st, st.visit) : finish(st);
        case 'payment-later':
          if (!st.visit) return examTypeView(st);
          return finish(st);
        case 'payment-cancel':
          if (!st.visit) return examTypeView(st);
          return st.awaitingPayment ? cancelPayment(st, st.visit) : finish(st);
        case 'back':
          if (st.visit) return finish(st);
          st.examinationType = undefined;
          return examTypeView(st);
        default:
          throw new KioskError('SITE_BAD_ACTION', 'unknown hospital action');
      }
    },

    dispose() {
      // Walked away from the QR (idle, the journey's own Cancel): the same as pressing Cancel.
      const left = s?.awaitingPayment ? s.visit : undefined;
      if (left) {
        release(left).catch((e: unknown) =>
          deps.log(`an abandoned unpaid visit could not be cancelled at the hospital (${e instanceof KioskError ? e.code : 'error'}); staff should cancel it`),
        );
      }
      s = undefined;
    },
  };
}
