import type { JSX } from 'preact';
import type { T } from '../App.tsx';
import { siteKey, translateOr, type Language } from '../i18n.ts';
import { Button, CardOnReader, Screen } from '../kit/index.ts';
import { useWedgeScan } from '../wedge.ts';

interface WelcomeProps {
  t: T;
  lang: Language;
  siteKind: string;
  /** The site's purposes: one big button each when there are several (else the single start button). */
  purposes: readonly string[];
  onStart: (purpose?: string) => void;
  onFaceStart?: () => void;
  /** The site takes its codes (tickets, passes) scanned here. */
  onCode?: (code: string) => void;
  /** An unattended station: the camera watches (the host starts by itself when a face is seen). */
  watching?: { consentGivenAt: string; camera: JSX.Element };
}

export function Welcome({ t, lang, siteKind, purposes, onStart, onFaceStart, onCode, watching }: WelcomeProps) {
  useWedgeScan((code) => onCode?.(code), onCode !== undefined);
  const codeHint = onCode && <p class="hint code-hint" data-testid="welcome-code">{t(siteKey('welcomeCodeHint', siteKind))}</p>;
  if (watching) {
    // No button: walking up is the start. Consent was given where the site says (enrolment, check-in).
    return (
      <Screen testId="welcome" class="welcome watching" title={<span data-testid="welcome-title">{t(siteKey('watchingTitle', siteKind))}</span>}>
        {watching.camera}
        <p class="lead" data-testid="welcome-lead">{t(siteKey('watchingLead', siteKind))}</p>
        {codeHint}
        <p class="hint" data-testid="watching-consent">{translateOr(lang, `consentGivenAt_${watching.consentGivenAt}_${siteKind}`, t('watchingConsent'))}</p>
      </Screen>
    );
  }
  return (
    <Screen testId="welcome" class="welcome" title={<span data-testid="welcome-title">{t('welcomeTitle')}</span>}>
      <p class="lead" data-testid="welcome-lead">{t('welcomeLead')}</p>
      <CardOnReader readerLabel={t('readerLabel')} />
      <p class="hint">{t('welcomeHint')}</p>
      {codeHint}
      {purposes.length > 1 ? (
        <div class="purposes">
          {purposes.map((p) => (
            <div class="purpose" key={p}>
              <Button kind="primary" class="start" testId={`start-${p}`} onClick={() => onStart(p)}>
                {translateOr(lang, `startPurpose_${p}_${siteKind}`, `${t('startButton')} · ${p}`)}
              </Button>
              {translateOr(lang, `startPurposeHint_${p}_${siteKind}`, '') && <p class="hint">{translateOr(lang, `startPurposeHint_${p}_${siteKind}`, '')}</p>}
            </div>
          ))}
        </div>
      ) : (
        <Button kind="primary" class="start" testId="start" onClick={() => onStart(purposes[0])}>{t('startButton')}</Button>
      )}
      {onFaceStart && (
        <div class="face-start">
          <Button kind="secondary" testId="start-face" onClick={onFaceStart}>{t(siteKey('faceStartButton', siteKind))}</Button>
          <p class="hint">{t(siteKey('faceStartHint', siteKind))}</p>
        </div>
      )}
    </Screen>
  );
}
