import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { z } from 'zod';
import type { SiteView } from '../../../core/journey/site-flow.ts';
import { Button, Icon, Screen } from '../../../ui/kit/index.ts';
import type { StepProps } from '../../../ui/screens/journey/Journey.tsx';
import { departmentViewSchema, examTypeViewSchema, paymentCancelledViewSchema, paymentViewSchema } from '../common/schemas.ts';

type Choose = (payload: Record<string, unknown>) => void;
type HospitalStepProps = StepProps & { site: SiteView; cancel: JSX.Element };

/** How often the payment screen asks the hospital whether the money has come in. */
const PAYMENT_POLL_MS = 3000;

const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đ`;

/** The hospital's screens: examination type (with the BHYT result in words), clinic, payment. */
export function HospitalStep(props: HospitalStepProps) {
  const { site, act } = props;
  const choose: Choose = (payload) => act({ action: 'site', payload });
  // The view crossed the kiosk API: read it with the schema the flow built it with, never cast it.
  const read = <S extends z.ZodType>(schema: S) => {
    const parsed = schema.safeParse(site.data);
    return parsed.success ? (parsed.data as z.output<S>) : undefined;
  };
  switch (site.siteStep) {
    case 'exam-type': {
      const d = read(examTypeViewSchema);
      return d ? <ExamType {...props} data={d} choose={choose} /> : <Unreadable {...props} />;
    }
    case 'department': {
      const d = read(departmentViewSchema);
      return d ? <Departments {...props} data={d} choose={choose} /> : <Unreadable {...props} />;
    }
    case 'payment': {
      const d = read(paymentViewSchema);
      return d ? <Payment {...props} data={d} choose={choose} /> : <Unreadable {...props} />;
    }
    case 'payment-cancelled': {
      const d = read(paymentCancelledViewSchema);
      return d ? <PaymentCancelled {...props} data={d} /> : <Unreadable {...props} />;
    }
    default:
      return <Unreadable {...props} />;
  }
}

/** A view this screen cannot read (a newer host, a fault): still a way out, never a blank trap. */
function Unreadable({ t, site, cancel }: HospitalStepProps) {
  return <Screen testId={`site-${site.siteStep}`} title={t('err_generic')} exits={cancel} />;
}

function ExamType({ t, lang, view, cancel, data: d, choose }: HospitalStepProps & { data: z.output<typeof examTypeViewSchema>; choose: Choose }) {
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

function Departments({ t, cancel, data: d, choose }: HospitalStepProps & { data: z.output<typeof departmentViewSchema>; choose: Choose }) {
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
function Payment({ t, data, choose }: HospitalStepProps & { data: z.output<typeof paymentViewSchema>; choose: Choose }) {
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

function PaymentCancelled({ t, act, data }: HospitalStepProps & { data: z.output<typeof paymentCancelledViewSchema> }) {
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
