import { useEffect, useState } from 'preact/hooks';
import type { JourneyAction, JourneyView } from '../../../core/journey/view.ts';
import type { UiConfig } from '../../../core/api/kiosk-api.ts';
import type { T } from '../../App.tsx';
import type { KioskClient } from '../../api-client.ts';
import { translateCode, type Language } from '../../i18n.ts';
import { SiteStep } from '../sites/SiteStep.tsx';
import { FaceCapture } from './FaceCapture.tsx';
import { PresentCard } from './PresentCard.tsx';

export interface StepProps {
  t: T;
  lang: Language;
  client: KioskClient;
  view: JourneyView;
  config: UiConfig;
  act: (action: JourneyAction) => void;
}

/** One screen per journey step; every screen but the busy ones offers a way out. */
export function Journey(props: StepProps) {
  const { t, view, act, lang } = props;
  const s = view.state;
  const cancel = (
    <button type="button" class="secondary" data-testid="cancel" onClick={() => act({ action: 'cancel' })}>
      {t('cancel')}
    </button>
  );
  switch (s.step) {
    case 'consent':
      return (
        <section class="step consent" data-testid="step-consent">
          <h1>{t('consentTitle')}</h1>
          <div class="consent-text">
            <p>{s.mode === 'face' ? t('consentFaceWhat') : t('consentWhat')}</p>
            <p>{t('consentWhy', { site: props.config.siteName })}</p>
            <p>{t('consentKeep', { days: props.config.retentionDays })}</p>
          </div>
          <div class="actions">
            <button type="button" class="secondary" data-testid="consent-decline" onClick={() => act({ action: 'consent', accepted: false })}>{t('consentDecline')}</button>
            <button type="button" class="primary" data-testid="consent-accept" onClick={() => act({ action: 'consent', accepted: true })}>{t('consentAccept')}</button>
          </div>
        </section>
      );
    case 'face-identify':
      return (
        <section class="step face" data-testid="step-face-identify">
          <h1>{t('faceIdentifyTitle')}</h1>
          <FaceCapture client={props.client} enabled={props.config.cameraAdapter === 'renderer'} />
          <p class="lead" aria-live="polite">
            {s.guidance.length > 0 ? s.guidance.map((g) => translateCode(lang, 'guide_', g)).filter(Boolean).join(' ') : t('faceLead')}
          </p>
          {cancel}
        </section>
      );
    case 'present-card':
      return <PresentCard {...props} keyGiven={s.keyGiven} problem={s.problem} cancel={cancel} />;
    case 'reading': {
      const pct = s.totalBytes > 0 ? Math.min(100, Math.round((100 * s.bytesRead) / s.totalBytes)) : 0;
      return (
        <section class="step reading" data-testid="step-reading">
          <h1>{t('readingTitle')}</h1>
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div class="bar" style={{ width: `${pct}%` }} />
          </div>
          <p class="percent">{pct}%</p>
          <p class="lead">{t('readingHold')}</p>
        </section>
      );
    }
    case 'face':
      return (
        <section class="step face" data-testid="step-face">
          {view.holder && <p class="greeting">{t('greeting', { name: view.holder.fullName })}</p>}
          <h1>{t('faceTitle')}</h1>
          <FaceCapture client={props.client} enabled={props.config.cameraAdapter === 'renderer'} />
          <p class="lead" data-testid="face-guidance" aria-live="polite">
            {s.guidance.length > 0 ? s.guidance.map((g) => translateCode(lang, 'guide_', g)).filter(Boolean).join(' ') : t('faceLead')}
          </p>
          {cancel}
        </section>
      );
    case 'verifying':
      return (
        <section class="step verifying" data-testid="step-verifying">
          <div class="spinner" aria-hidden="true" />
          <h1>{t('verifyingTitle')}</h1>
          <p class="lead">{t('verifyingLead')}</p>
        </section>
      );
    case 'site':
      return <SiteStep {...props} cancel={cancel} />;
    case 'printing':
      return (
        <section class="step printing" data-testid="step-printing">
          <div class="spinner" aria-hidden="true" />
          <h1>{t('printingTitle')}</h1>
        </section>
      );
    case 'done':
      return <Done {...props} />;
    case 'failed':
      return (
        <section class="step failed" data-testid="step-failed" data-code={s.code}>
          <h1>{t('failedTitle')}</h1>
          <p class="lead" data-testid="failed-message">{translateCode(lang, 'err_', s.code)}</p>
          <p>{t('callStaff')}</p>
          <p class="code">{s.code}</p>
          <div class="actions">
            <button type="button" class="secondary" data-testid="home" onClick={() => act({ action: 'cancel' })}>{t('home')}</button>
            {s.retry && <button type="button" class="primary" data-testid="retry" onClick={() => act({ action: 'retry' })}>{t('retry')}</button>}
          </div>
        </section>
      );
    default:
      return null;
  }
}

/** The ticket stays on screen for people who lose paper; it goes with the session. */
/** Returning by face: the offer to save the face (came by card) or to delete it (came by face). */
function FaceEnrolment({ t, view, act, days }: Pick<StepProps, 't' | 'view' | 'act'> & { days: number }) {
  switch (view.faceEnrolment) {
    case 'offer':
      return (
        <div class="notice ok enrol" data-testid="enrol-offer">
          <p>{t('enrolOffer', { days })}</p>
          <div class="actions">
            <button type="button" class="secondary" data-testid="enrol-no" onClick={() => act({ action: 'face-enrolment', enrol: false })}>{t('enrolNo')}</button>
            <button type="button" class="primary" data-testid="enrol-yes" onClick={() => act({ action: 'face-enrolment', enrol: true })}>{t('enrolYes')}</button>
          </div>
        </div>
      );
    case 'enrolled':
      return <p class="ok" data-testid="enrol-done">{t('enrolDone')}</p>;
    case 'recognised':
      return (
        <div class="notice ok" data-testid="face-recognised">
          <p>{t('faceRemoveOffer')}</p>
          <button type="button" class="secondary" data-testid="face-remove" onClick={() => act({ action: 'face-removal' })}>{t('faceRemove')}</button>
        </div>
      );
    case 'removed':
      return <p class="ok" data-testid="face-removed">{t('faceRemoved')}</p>;
    default:
      return null;
  }
}

function Done({ t, view, act, config }: StepProps) {
  const [src, setSrc] = useState<string | undefined>();
  useEffect(() => {
    if (view.receipt) setSrc(`data:image/png;base64,${view.receipt.previewPngBase64}`);
  }, [view.receipt?.previewPngBase64]);
  return (
    <section class="step done" data-testid="step-done">
      <h1>{t('doneTitle')}</h1>
      <div class="done-layout">
        <div class="summary">
          {view.receipt && Object.entries(view.receipt.summary).map(([k, v]) => (
            <p key={k} class={`summary-${k}`} data-testid={`summary-${k}`}>{v}</p>
          ))}
          <p class="lead">{view.receipt?.printed === false ? t('doneNotPrinted') : t('donePrinted')}</p>
          <FaceEnrolment t={t} view={view} act={act} days={config.retentionDays} />
          <button type="button" class="primary" data-testid="done" onClick={() => act({ action: 'cancel' })}>{t('doneButton')}</button>
        </div>
        {src && <img class="ticket-preview" src={src} alt="" data-testid="ticket-preview" />}
      </div>
    </section>
  );
}
