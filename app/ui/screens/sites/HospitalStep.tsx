import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { SiteView } from '../../../core/journey/site-flow.ts';
import { Button, Icon, Screen } from '../../kit/index.ts';
import type { StepProps } from '../journey/Journey.tsx';

interface LocalizedText { vi: string; en?: string }
interface ExamTypeData {
  returning: boolean;
  insurance: { status: string; advice: string; code: string | null; message: LocalizedText };
  options: ('insurance' | 'service')[];
  serviceFeeVnd: number;
}
interface DepartmentData {
  departments: { id: string; name: string; clinics: { id: string; name: string; room: string; queueLength?: number }[] }[];
}
interface PaymentData { amountVnd: number; billNumber: string; status: string; vietQr: string }

const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đ`;

/** The hospital's screens: examination type (with the BHYT result in words), clinic, payment. */
export function HospitalStep(props: StepProps & { site: SiteView; cancel: JSX.Element }) {
  const { t, lang, site, act, cancel } = props;
  const choose = (payload: Record<string, unknown>) => act({ action: 'site', payload });

  if (site.siteStep === 'exam-type') {
    const d = site.data as unknown as ExamTypeData;
    const ok = d.insurance.advice === 'insurance';
    return (
      <Screen
        testId="site-exam-type"
        class="hospital exam-type"
        kicker={props.view.holder && <p class="greeting">{t('greeting', { name: props.view.holder.fullName })}</p>}
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

  if (site.siteStep === 'department') {
    const d = site.data as unknown as DepartmentData;
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

  if (site.siteStep === 'payment') {
    const d = site.data as unknown as PaymentData;
    return <Payment {...props} data={d} choose={choose} />;
  }
  return <Screen testId={`site-${site.siteStep}`} exits={cancel} />;
}

function Payment({ t, data, choose }: StepProps & { data: PaymentData; choose: (p: Record<string, unknown>) => void }) {
  const [qr, setQr] = useState<string | undefined>();
  useEffect(() => {
    void QRCode.toDataURL(data.vietQr, { errorCorrectionLevel: 'M', margin: 2, width: 420 }).then(setQr);
  }, [data.vietQr]);
  const paid = data.status === 'paid';
  return (
    <Screen
      testId="site-payment"
      class="hospital payment"
      title={t('hospPayTitle')}
      exits={<Button kind="secondary" testId="pay-later" onClick={() => choose({ choose: 'payment-later' })}>{t('hospPayLater')}</Button>}
      actions={<Button kind="primary" icon="ok" large testId="pay-check" onClick={() => choose({ choose: 'payment-check' })}>{t('hospPayCheck')}</Button>}
    >
      <div class="payment-layout">
        {qr && <img class="vietqr" src={qr} alt="VietQR" data-testid="vietqr" data-payload={data.vietQr} />}
        <div class="payment-text">
          <p class="amount">{vnd(data.amountVnd)}</p>
          <p class="lead">{t('hospPayLead', { fee: vnd(data.amountVnd) })}</p>
          <p class={`notice ${paid ? 'ok' : 'warn'}`} data-testid="payment-status">
            {paid && <Icon name="ok" />} {paid ? t('hospPayStatus_paid') : t('hospPayStatus_unpaid')}
          </p>
        </div>
      </div>
    </Screen>
  );
}
