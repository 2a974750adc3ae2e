import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { z } from 'zod';
import { Button, Icon, Screen } from '../../../ui/kit/index.ts';
import type { SiteStepProps } from '../../../ui/site-ui.ts';
import {
  billsViewSchema, clinicCheckedViewSchema, clinicElsewhereViewSchema, clinicNoVisitViewSchema, departmentViewSchema, examTypeViewSchema, noBillsViewSchema, paymentCancelledViewSchema, paymentViewSchema, payPaidViewSchema, payRefundedViewSchema,
  payStaffViewSchema, payTerminalViewSchema, payUnknownViewSchema, payVietQrViewSchema,
} from '../common/schemas.ts';
import { Bills, NoBills, PayPaid, PayRefunded, PayStaff, PayTerminal, PayUnknown, PayVietQr } from './BillScreens.tsx';
import { ClinicChecked, ClinicElsewhere, ClinicNoVisit } from './ClinicScreens.tsx';

type Choose = (payload: Record<string, unknown>) => void;

/** How often the payment screen asks the hospital whether the money has come in. */
const PAYMENT_POLL_MS = 3000;

const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đ`;

type ScreenProps<S extends z.ZodType> = SiteStepProps & { data: z.output<S>; choose: Choose };
type Shown = (props: SiteStepProps, choose: Choose) => JSX.Element;

/**
 * A screen for a view: the view crossed the kiosk API, so it is read with the schema the flow built
 * it with, never cast; a view that does not parse gets the way-out screen.
 */
function screen<S extends z.ZodType>(schema: S, View: (props: ScreenProps<S>) => JSX.Element): Shown {
  return (props, choose) => {
    const parsed = schema.safeParse(props.site.data);
    return parsed.success ? <View {...props} data={parsed.data} choose={choose} /> : <Unreadable {...props} />;
  };
}

/** The hospital's screens by step: registration (examination type, clinic, fee) and bills (list, terminal, VietQR, outcomes). */
const SCREENS: Readonly<Record<string, Shown>> = {
  'exam-type': screen(examTypeViewSchema, ExamType),
  department: screen(departmentViewSchema, Departments),
  payment: screen(paymentViewSchema, Payment),
  'payment-cancelled': screen(paymentCancelledViewSchema, PaymentCancelled),
  bills: screen(billsViewSchema, Bills),
  'no-bills': screen(noBillsViewSchema, NoBills),
  'pay-terminal': screen(payTerminalViewSchema, PayTerminal),
  'pay-vietqr': screen(payVietQrViewSchema, PayVietQr),
  'pay-unknown': screen(payUnknownViewSchema, PayUnknown),
  'pay-refunded': screen(payRefundedViewSchema, PayRefunded),
  'pay-staff': screen(payStaffViewSchema, PayStaff),
  'pay-paid': screen(payPaidViewSchema, PayPaid),
  'clinic-checked': screen(clinicCheckedViewSchema, ClinicChecked),
  'clinic-elsewhere': screen(clinicElsewhereViewSchema, ClinicElsewhere),
  'clinic-no-visit': screen(clinicNoVisitViewSchema, ClinicNoVisit),
};

export function HospitalStep(props: SiteStepProps) {
  const choose: Choose = (payload) => props.act({ action: 'site', payload });
  const shown = Object.hasOwn(SCREENS, props.site.siteStep) ? SCREENS[props.site.siteStep] : undefined;
  return shown ? shown(props, choose) : <Unreadable {...props} />;
}

/** A view this screen cannot read (a newer host, a fault): still a way out, never a blank trap. */
function Unreadable({ t, site, cancel }: SiteStepProps) {
  return <Screen testId={`site-${site.siteStep}`} title={t('err_generic')} exits={cancel} />;
}

function ExamType({ t, lang, view, cancel, data: d, choose }: ScreenProps<typeof examTypeViewSchema>) {
  const ok = d.insurance.advice === 'insurance';
  return (
    <Screen
      testId="site-exam-type"
      class="hospital exam-type"
      kicker={view.holder && <p class="greeting">{t('greeting', { name: view.holder.fullName })}</p>}
      title={t('hospExamTitle')}
      exits={cancel}
    >
      <p class="lead" data-testid="patient-record">{d.returning ? t('hospReturning') : t('hospNew')}</p>
      <div class={`notice ${ok ? 'ok' : 'warn'}`} data-testid="insurance-result" data-status={d.insurance.status}>
        <p><strong>{t('hospInsuranceResult')}:</strong> {lang === 'en' && d.insurance.message.en ? d.insurance.message.en : d.insurance.message.vi}</p>
      </div>
      <div class="choices fit">
        {d.options.includes('insurance') && (
          <Button kind="secondary" class="choice" testId="exam-insurance" onClick={() => choose({ choose: 'exam-type', examinationType: 'insurance' })}>
            {t('hospInsurance')}
          </Button>
        )}
        <Button kind="secondary" class="choice" testId="exam-service" onClick={() => choose({ choose: 'exam-type', examinationType: 'service' })}>
          {t('hospService')}
          {d.serviceFeeVnd > 0 && <span class="sub">{t('hospServiceFee', { fee: vnd(d.serviceFeeVnd) })}</span>}
        </Button>
      </div>
    </Screen>
  );
}

function Departments({ t, cancel, data: d, choose }: ScreenProps<typeof departmentViewSchema>) {
  return (
    <Screen
      testId="site-department"
      class="hospital department"
      title={t('hospDeptTitle')}
      exits={
        <>
          <Button kind="secondary" icon="back" testId="back" onClick={() => choose({ choose: 'back' })}>{t('back')}</Button>
          {cancel}
        </>
      }
    >
      <div class="departments">
        {d.departments.map((dept) => (
          <div key={dept.id} class="department">
            <h2>{dept.name}</h2>
            <div class="choices">
              {dept.clinics.map((c) => (
                <Button kind="secondary" class="choice" key={c.id} testId={`clinic-${c.id}`} onClick={() => choose({ choose: 'clinic', departmentId: dept.id, clinicId: c.id })}>
                  {c.name}
                  <span class="sub">{c.room}</span>
                  <span class="sub">{c.queueLength === undefined ? t('hospWaitingUnknown') : t('hospWaiting', { n: c.queueLength })}</span>
                </Button>
              ))}
            </div>
          </div>
        ))}
      </div>
    </Screen>
  );
}

/**
 * The VietQR fee. The screen asks the hospital every few seconds and moves on by itself once the
 * bank's money is in; the person may instead pay at the cashier (ticket now) or cancel (the visit
 * and its queue number are given back).
 */
function Payment({ t, data, choose }: ScreenProps<typeof paymentViewSchema>) {
  const [qr, setQr] = useState<string | undefined>();
  useEffect(() => {
    void QRCode.toDataURL(data.vietQr, { errorCorrectionLevel: 'M', margin: 2, width: 420 }).then(setQr);
  }, [data.vietQr]);
  useEffect(() => {
    const poll = setInterval(() => choose({ choose: 'payment-check' }), PAYMENT_POLL_MS);
    return () => clearInterval(poll);
  }, [data.billNumber]);
  const paid = data.status === 'paid';
  return (
    <Screen
      testId="site-payment"
      class="hospital payment"
      title={t('hospPayTitle')}
      exits={
        <>
          <Button kind="cancel" icon="cancel" testId="pay-cancel" onClick={() => choose({ choose: 'payment-cancel' })}>{t('cancel')}</Button>
          <Button kind="secondary" testId="pay-later" onClick={() => choose({ choose: 'payment-later' })}>{t('hospPayLater')}</Button>
        </>
      }
    >
      <div class="payment-layout">
        {qr && <img class="vietqr" src={qr} alt="VietQR" data-testid="vietqr" data-payload={data.vietQr} />}
        <div class="payment-text">
          <p class="amount">{vnd(data.amountVnd)}</p>
          <p class="lead">{t('hospPayLead', { fee: vnd(data.amountVnd) })}</p>
          <p class={`notice ${paid ? 'ok' : ''}`} data-testid="payment-status" data-status={data.status}>
            {paid && <Icon name="ok" />} {paid ? t('hospPayStatus_paid') : t('hospPayWaiting')}
          </p>
          <p>{t('hospPayLaterHint')}</p>
        </div>
      </div>
    </Screen>
  );
}

function PaymentCancelled({ t, act, data }: ScreenProps<typeof paymentCancelledViewSchema>) {
  return (
    <Screen
      testId="site-payment-cancelled"
      class="hospital payment-cancelled"
      title={t('hospPayCancelledTitle')}
      actions={<Button kind="primary" icon="ok" large testId="home" onClick={() => act({ action: 'cancel' })}>{t('home')}</Button>}
    >
      <div>
        <p class="lead">{t('hospPayCancelledLead', { n: data.queueNumberReleased })}</p>
        <p>{t('hospPayCancelledHint')}</p>
      </div>
    </Screen>
  );
}
