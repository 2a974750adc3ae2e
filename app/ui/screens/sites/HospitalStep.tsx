import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { SiteView } from '../../../core/journey/site-flow.ts';
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
      <section class="step hospital exam-type" data-testid="site-exam-type">
        {props.view.holder && <p class="greeting">{t('greeting', { name: props.view.holder.fullName })}</p>}
        <p class="lead">{d.returning ? t('hospReturning') : t('hospNew')}</p>
        <div class={`notice ${ok ? 'ok' : 'warn'}`} data-testid="insurance-result" data-status={d.insurance.status}>
          <strong>{t('hospInsuranceResult')}:</strong> {lang === 'en' && d.insurance.message.en ? d.insurance.message.en : d.insurance.message.vi}
        </div>
        <h1>{t('hospExamTitle')}</h1>
        <div class="choices">
          {d.options.includes('insurance') && (
            <button type="button" class="choice" data-testid="exam-insurance" onClick={() => choose({ choose: 'exam-type', examinationType: 'insurance' })}>
              {t('hospInsurance')}
            </button>
          )}
          <button type="button" class="choice" data-testid="exam-service" onClick={() => choose({ choose: 'exam-type', examinationType: 'service' })}>
            {t('hospService')}
            {d.serviceFeeVnd > 0 && <span class="sub">{t('hospServiceFee', { fee: vnd(d.serviceFeeVnd) })}</span>}
          </button>
        </div>
        {cancel}
      </section>
    );
  }

  if (site.siteStep === 'department') {
    const d = site.data as unknown as DepartmentData;
    return (
      <section class="step hospital department" data-testid="site-department">
        <h1>{t('hospDeptTitle')}</h1>
        <div class="departments">
          {d.departments.map((dept) => (
            <div key={dept.id} class="department">
              <h2>{dept.name}</h2>
              <div class="choices">
                {dept.clinics.map((c) => (
                  <button type="button" key={c.id} class="choice" data-testid={`clinic-${c.id}`} onClick={() => choose({ choose: 'clinic', departmentId: dept.id, clinicId: c.id })}>
                    {c.name}
                    <span class="sub">{c.room}</span>
                    <span class="sub">{c.queueLength === undefined ? t('hospWaitingUnknown') : c.queueLength === 1 ? t('hospWaitingOne') : t('hospWaiting', { n: c.queueLength })}</span>
                  </button>
                ))}
              </div>
            </div>
          ))}
        </div>
        <div class="actions">
          <button type="button" class="secondary" data-testid="back" onClick={() => choose({ choose: 'back' })}>{t('back')}</button>
          {cancel}
        </div>
      </section>
    );
  }

  if (site.siteStep === 'payment') {
    const d = site.data as unknown as PaymentData;
    return <Payment {...props} data={d} choose={choose} />;
  }
  return (
    <section class="step site" data-testid={`site-${site.siteStep}`}>
      {cancel}
    </section>
  );
}

function Payment({ t, data, choose }: StepProps & { data: PaymentData; choose: (p: Record<string, unknown>) => void }) {
  const [qr, setQr] = useState<string | undefined>();
  useEffect(() => {
    void QRCode.toDataURL(data.vietQr, { errorCorrectionLevel: 'M', margin: 2, width: 420 }).then(setQr);
  }, [data.vietQr]);
  return (
    <section class="step hospital payment" data-testid="site-payment">
      <h1>{t('hospPayTitle')}</h1>
      <div class="payment-layout">
        {qr && <img class="vietqr" src={qr} alt="VietQR" data-testid="vietqr" data-payload={data.vietQr} />}
        <div>
          <p class="amount">{vnd(data.amountVnd)}</p>
          <p class="lead">{t('hospPayLead', { fee: vnd(data.amountVnd) })}</p>
          <p data-testid="payment-status">{data.status === 'paid' ? t('hospPayStatus_paid') : t('hospPayStatus_unpaid')}</p>
          <div class="actions">
            <button type="button" class="secondary" data-testid="pay-later" onClick={() => choose({ choose: 'payment-later' })}>{t('hospPayLater')}</button>
            <button type="button" class="primary" data-testid="pay-check" onClick={() => choose({ choose: 'payment-check' })}>{t('hospPayCheck')}</button>
          </div>
        </div>
      </div>
    </section>
  );
}
