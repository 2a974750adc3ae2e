import { useEffect, useRef, useState } from 'preact/hooks';
import type { JourneyAction, JourneyView } from '../../../core/journey/view.ts';
import type { UiConfig } from '../../../core/api/kiosk-api.ts';
import type { T } from '../../App.tsx';
import type { KioskClient } from '../../api-client.ts';
import { siteKey, translateCode, translateOr, type Language, type TextKey } from '../../i18n.ts';
import { Button, CardOnReader, LookAtCamera, ProblemPanel, Screen, StepContext, WaitingScreen, type StepProgress } from '../../kit/index.ts';
import { SiteStep } from '../sites/SiteStep.tsx';
import { FaceCapture } from './FaceCapture.tsx';
import { PresentCard } from './PresentCard.tsx';
import { pathOf, progressOf, type JourneyPath } from './progress.ts';

export interface StepProps {
  t: T;
  lang: Language;
  client: KioskClient;
  view: JourneyView;
  config: UiConfig;
  act: (action: JourneyAction) => void;
}

/** The journey's screens, each told where it stands ("Bước 3/6"). */
export function Journey(props: StepProps & { onDecline: () => void }) {
  const { t, view, config } = props;
  const path = useRef<JourneyPath>('card');
  path.current = pathOf(view.state, path.current);
  const p = progressOf(view.state, path.current);
  const progress: StepProgress | undefined = p && {
    n: p.n,
    total: p.total,
    text: t('stepOf', { n: p.n, total: p.total }),
    name: t(siteKey(`stage_${p.stage}` as TextKey, config.siteKind)),
  };
  // The typed ID survives a refused read so a wrong digit can be corrected, not all twelve retyped.
  const typed = useState('');
  return (
    <StepContext.Provider value={progress}>
      <JourneyStep {...props} typed={typed} />
    </StepContext.Provider>
  );
}

/** One screen per journey step; every screen but the busy ones offers a way out. */
function JourneyStep(props: StepProps & { onDecline: () => void; typed: [string, (s: string) => void] }) {
  const { t, view, act, lang, config } = props;
  const s = view.state;
  const cancel = (
    <Button kind="cancel" icon="cancel" testId="cancel" onClick={() => act({ action: 'cancel' })}>
      {t('cancel')}
    </Button>
  );
  const guidance = (codes: readonly string[]) =>
    codes.length > 0 ? codes.map((g) => translateCode(lang, 'guide_', g)).filter(Boolean).join(' ') : t('faceLead');
  switch (s.step) {
    case 'consent': {
      const share = t(siteKey('consentShare', config.siteKind));
      return (
        <Screen
          testId="step-consent"
          class="consent"
          title={t('consentTitle')}
          exits={<Button kind="secondary" icon="cancel" testId="consent-decline" onClick={props.onDecline}>{t('consentDecline')}</Button>}
          actions={<Button kind="primary" icon="ok" large testId="consent-accept" onClick={() => act({ action: 'consent', accepted: true })}>{t('consentAccept')}</Button>}
        >
          <div class="consent-text">
            <p>{s.mode === 'face' ? t('consentFaceWhat') : t('consentWhat')}</p>
            <p>{t(s.mode === 'face' ? 'consentFaceWhy' : 'consentWhy', { site: config.siteName })}</p>
            {share && <p>{share}</p>}
            <p>{t('consentKeep', { days: config.retentionDays })}</p>
          </div>
        </Screen>
      );
    }
    case 'face-identify':
      return (
        <Screen testId="step-face-identify" class="face" title={t('faceIdentifyTitle')} exits={cancel}>
          <FaceStage {...props} />
          <p class="lead" aria-live="polite">{guidance(s.guidance)}</p>
        </Screen>
      );
    case 'present-card':
      return <PresentCard {...props} keyGiven={s.keyGiven} problem={s.problem} cancel={cancel} />;
    case 'reading': {
      const pct = s.totalBytes > 0 ? Math.min(100, Math.round((100 * s.bytesRead) / s.totalBytes)) : 0;
      return (
        <Screen testId="step-reading" class="reading" title={t('readingTitle')}>
          <CardOnReader readerLabel={t('readerLabel')} />
          <div class="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div class="bar" style={{ width: `${pct}%` }} />
          </div>
          <p class="percent">{pct}%</p>
          <p class="lead">{t('readingHold')}</p>
        </Screen>
      );
    }
    case 'face':
      return (
        <Screen
          testId="step-face"
          class="face"
          kicker={view.holder && <p class="greeting">{t('greeting', { name: view.holder.fullName })}</p>}
          title={t('faceTitle')}
          exits={cancel}
        >
          <FaceStage {...props} />
          <p class="lead" data-testid="face-guidance" aria-live="polite">{guidance(s.guidance)}</p>
        </Screen>
      );
    case 'verifying':
      return <WaitingScreen testId="step-verifying" title={t('verifyingTitle')} lead={t('verifyingLead')} />;
    case 'site':
      return <SiteStep {...props} cancel={cancel} />;
    case 'printing':
      return <WaitingScreen testId="step-printing" title={t('printingTitle')} lead={t('printingLead')} />;
    case 'done':
      return <Done {...props} />;
    case 'failed':
      return (
        <Screen
          testId="step-failed"
          class="failed"
          data={{ code: s.code }}
          title={t('failedTitle')}
          exits={<Button kind="secondary" icon="back" testId="home" onClick={() => act({ action: 'cancel' })}>{t('home')}</Button>}
          actions={s.retry && <Button kind="primary" icon="retry" large testId="retry" onClick={() => act({ action: 'retry' })}>{t('retry')}</Button>}
        >
          <ProblemPanel words={translateCode(lang, 'err_', s.code)} hint={s.retry ? t('failedRetryHint') : t('callStaff')} staffCode={t('staffCode', { code: s.code })} />
        </Screen>
      );
    default:
      return null;
  }
}

/** Where to look (the camera above the screen) beside what the camera sees. */
function FaceStage({ t, client, config }: StepProps) {
  return (
    <div class="face-stage">
      <LookAtCamera caption={t('cameraAbove')} />
      <FaceCapture client={client} enabled={config.cameraAdapter === 'renderer'} />
    </div>
  );
}

/** Returning by face: the offer to save the face (came by card) or to delete it (came by face). */
function FaceEnrolment({ t, view, act, days }: Pick<StepProps, 't' | 'view' | 'act'> & { days: number }) {
  switch (view.faceEnrolment) {
    case 'offer':
      return (
        <div class="notice ok enrol" data-testid="enrol-offer">
          <p>{t('enrolOffer', { days })}</p>
          <div class="actions">
            <Button kind="secondary" testId="enrol-no" onClick={() => act({ action: 'face-enrolment', enrol: false })}>{t('enrolNo')}</Button>
            <Button kind="primary" testId="enrol-yes" onClick={() => act({ action: 'face-enrolment', enrol: true })}>{t('enrolYes')}</Button>
          </div>
        </div>
      );
    case 'enrolled':
      return <p class="notice ok" data-testid="enrol-done">{t('enrolDone')}</p>;
    case 'recognised':
      return (
        <div class="notice ok" data-testid="face-recognised">
          <p>{t('faceRemoveOffer')}</p>
          <div class="actions">
            <Button kind="secondary" testId="face-remove" onClick={() => act({ action: 'face-removal' })}>{t('faceRemove')}</Button>
          </div>
        </div>
      );
    case 'removed':
      return <p class="notice ok" data-testid="face-removed">{t('faceRemoved')}</p>;
    default:
      return null;
  }
}

/** The ticket stays on screen for people who lose paper; it goes with the session. */
function Done({ t, lang, view, act, config }: StepProps) {
  const [src, setSrc] = useState<string | undefined>();
  useEffect(() => {
    if (view.receipt) setSrc(`data:image/png;base64,${view.receipt.previewPngBase64}`);
  }, [view.receipt?.previewPngBase64]);
  const { queueNumber, payment, ...rest } = view.receipt?.summary ?? {};
  return (
    <Screen
      testId="step-done"
      class="done"
      title={t('doneTitle')}
      actions={<Button kind="primary" icon="ok" large testId="done" onClick={() => act({ action: 'cancel' })}>{t('doneButton')}</Button>}
    >
      <div class="done-layout">
        <div class="summary">
          {queueNumber && (
            <div class="queue">
              <p class="queue-label">{t('doneQueueLabel')}</p>
              <p class="summary-queueNumber" data-testid="summary-queueNumber">{queueNumber}</p>
            </div>
          )}
          {Object.entries(rest).map(([k, v]) => (
            <p key={k} class={`summary-${k}`} data-testid={`summary-${k}`}>{v}</p>
          ))}
          {payment && <p class="summary-payment" data-testid="summary-payment">{translateOr(lang, `payment_${payment}`, '')}</p>}
          <p class="lead">{view.receipt?.printed === false ? t('doneNotPrinted') : t('donePrinted')}</p>
          <FaceEnrolment t={t} view={view} act={act} days={config.retentionDays} />
        </div>
        {src && <img class="ticket-preview" src={src} alt="" data-testid="ticket-preview" />}
      </div>
    </Screen>
  );
}
