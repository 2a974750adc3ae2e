import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { JourneyAction, JourneyView } from '../../../core/journey/view.ts';
import type { UiConfig } from '../../../core/api/kiosk-api.ts';
import type { T } from '../../App.tsx';
import type { KioskClient } from '../../api-client.ts';
import { siteKey, translateCode, translateOr, type Language, type TextKey } from '../../i18n.ts';
import { Button, CardOnReader, LookAtCamera, ProblemPanel, Screen, StepContext, WaitingScreen, type StepProgress } from '../../kit/index.ts';
import { SiteStep } from '../sites/SiteStep.tsx';
import { Done } from './Done.tsx';
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

/** What the consent screen says, by how the person began. */
const CONSENT_TEXTS = {
  card: { what: 'consentWhat', why: 'consentWhy' },
  face: { what: 'consentFaceWhat', why: 'consentFaceWhy' },
  code: { what: 'consentCodeWhat', why: 'consentCodeWhy' },
} as const satisfies Record<string, { what: TextKey; why: TextKey }>;

/** One screen per journey step; every screen but the busy ones offers a way out. */
function JourneyStep(props: StepProps & { onDecline: () => void; typed: [string, (s: string) => void] }) {
  const { t, view, act, lang, config } = props;
  const s = view.state;
  const cancel = (
    <Button kind="cancel" icon="cancel" testId="cancel" onClick={() => act({ action: 'cancel' })}>
      {t('cancel')}
    </Button>
  );
  // A code's face step (and its failures) keeps the card path open.
  const useCard = (
    <Button kind="secondary" icon="person" testId="use-card" onClick={() => act({ action: 'use-card' })}>
      {t('useCardInstead')}
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
            {s.next && <p class="notice" role="status" data-testid="next-person">{t(siteKey('nextPersonLead', config.siteKind))}</p>}
            <p>{t(CONSENT_TEXTS[s.mode ?? 'card'].what)}</p>
            <p>{t(CONSENT_TEXTS[s.mode ?? 'card'].why, { site: config.siteName })}</p>
            {share && <p>{share}</p>}
            {/* Only what the site keeps: a site that only confirms identity keeps nothing. */}
            <p data-testid="consent-keep">{config.retentionDays > 0 ? t('consentKeep', { days: config.retentionDays }) : t('consentKeepNothing')}</p>
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
      return <PresentCard {...props} keyGiven={s.keyGiven} problem={s.problem} next={s.next === true} cancel={cancel} />;
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
    case 'checking-code':
      return <WaitingScreen testId="step-checking-code" title={t('checkingCodeTitle')} lead={t('checkingCodeLead')} />;
    case 'face':
      return (
        <Screen
          testId="step-face"
          class="face"
          kicker={view.holder && <p class="greeting">{t('greeting', { name: view.holder.fullName })}</p>}
          title={t('faceTitle')}
          exits={<>{s.against === 'code' && useCard}{cancel}</>}
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
      return <Failed {...props} code={s.code} retry={s.retry !== undefined} {...(s.against === 'code' ? { useCard } : {})} />;
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

/**
 * A step that failed: plain words, "try again" where the step may be tried again (a face mismatch
 * while attempts remain), and always a way to call staff, who are then told.
 */
function Failed({ t, lang, view, act, code, retry, useCard }: StepProps & { code: string; retry: boolean; useCard?: JSX.Element }) {
  return (
    <Screen
      testId="step-failed"
      class="failed"
      data={{ code }}
      title={t('failedTitle')}
      exits={
        <>
          <Button kind="secondary" icon="back" testId="home" onClick={() => act({ action: 'cancel' })}>{t('home')}</Button>
          {!view.staffCalled && <Button kind="secondary" icon="person" testId="call-staff" onClick={() => act({ action: 'call-staff' })}>{t('callStaffButton')}</Button>}
          {useCard}
        </>
      }
      actions={retry && <Button kind="primary" icon="retry" large testId="retry" onClick={() => act({ action: 'retry' })}>{t('retry')}</Button>}
    >
      <ProblemPanel
        words={useCard ? translateOr(lang, `err_${code}_code`, translateCode(lang, 'err_', code)) : translateCode(lang, 'err_', code)}
        {...(view.staffCalled ? {} : { hint: retry ? t('failedRetryHint') : t('callStaff') })}
        staffCode={t('staffCode', { code })}
      />
      {view.staffCalled && <p class="notice ok staff-called" role="status" data-testid="staff-called">{t('staffCalled')}</p>}
    </Screen>
  );
}
