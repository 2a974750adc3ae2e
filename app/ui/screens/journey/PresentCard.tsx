import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { siteKey, translateCode } from '../../i18n.ts';
import { Button, CardOnReader, InlineProblem, Keypad, Screen, yearAt } from '../../kit/index.ts';
import { speak } from '../../voice.ts';
import { useWedgeScan } from '../../wedge.ts';
import { typedIdProblem } from './id-entry.ts';
import type { StepProps } from './Journey.tsx';

const ID_LENGTH = 12;

interface PresentCardProps extends StepProps {
  keyGiven: boolean;
  problem?: string;
  /** Another person of the same visit is to be verified now. */
  next?: boolean;
  cancel: JSX.Element;
  /** The digits typed, kept by the journey across a refused read. */
  typed: [string, (s: string) => void];
}

/**
 * The card's key: a scan of the card's QR (keyboard-wedge scanners are captured here; HID-POS
 * scanners arrive through the host) or the 12-digit ID typed on a large keypad, checked digit by
 * digit. Then: the card on the reader.
 */
export function PresentCard({ t, lang, act, config, keyGiven, problem, next, cancel, typed: [typed, setTyped] }: PresentCardProps) {
  // The host's problem (a wrong key, an unreadable scan) shows until the person types again.
  const [hostProblem, setHostProblem] = useState(problem);
  useEffect(() => setHostProblem(problem), [problem]);

  useWedgeScan((text) => act({ action: 'key', key: { kind: 'scan', text } }), !keyGiven);

  const typedProblem = typedIdProblem(typed, yearAt(config.timeZone));
  const problemText = typedProblem ? t(typedProblem.key, typedProblem.params) : hostProblem ? translateCode(lang, 'err_', hostProblem) : undefined;
  useEffect(() => {
    if (config.voice && problemText) speak(lang, 'idWrongSpoken', problemText);
  }, [problemText]);

  if (keyGiven) {
    return (
      <Screen testId="step-place-card" class="place-card" title={t('placeCardTitle')} exits={cancel}>
        <CardOnReader readerLabel={t('readerLabel')} />
        <p class="lead">{t('placeCardLead')}</p>
      </Screen>
    );
  }

  const edit = (next: string) => {
    setHostProblem(undefined);
    setTyped(next);
  };
  const submit = () => {
    if (typed.length === ID_LENGTH && !typedProblem) act({ action: 'key', key: { kind: 'id-number', idNumber: typed, source: 'typed-id' } });
  };

  return (
    <Screen testId="step-present-card" class="present-card" title={t('presentTitle')} exits={cancel}>
      {next && <p class="notice" role="status" data-testid="next-person">{t(siteKey('nextPersonLead', config.siteKind))}</p>}
      {problemText && <InlineProblem words={problemText} testId="key-problem" />}
      <div class="present-options">
        <div class="option scan">
          <QrIcon />
          <p class="lead">{t('presentScan')}</p>
          {config.demoCardQr && (
            <Button kind="secondary" testId="demo-scan" onClick={() => act({ action: 'key', key: { kind: 'scan', text: config.demoCardQr! } })}>
              {t('presentDemoScan')}
            </Button>
          )}
        </div>
        <p class="or">{t('presentOr')}</p>
        <div class="option type">
          <p class="lead">{t('presentType')}</p>
          <div class="typed-row">
            <TypedDigits digits={typed} label={t('presentTyped')} />
            {typed.length > 0 && <Button kind="cancel" testId="id-clear-all" onClick={() => edit('')}>{t('idClearAll')}</Button>}
          </div>
          <Keypad
            testPrefix="id"
            backspaceLabel={t('idBackspace')}
            okLabel={t('pinOk')}
            okDisabled={typed.length !== ID_LENGTH || typedProblem !== undefined}
            onDigit={(d) => typed.length < ID_LENGTH && edit(typed + d)}
            onBackspace={() => edit(typed.slice(0, -1))}
            onOk={submit}
          />
        </div>
      </div>
    </Screen>
  );
}

/** "001 092 0__ ___": what is typed, in groups of three, and the places still to fill. */
function TypedDigits({ digits, label }: { digits: string; label: string }) {
  const groups = Array.from({ length: ID_LENGTH / 3 }, (_, g) => {
    const part = digits.slice(g * 3, g * 3 + 3);
    return (
      <span key={g} class="group">
        {part}
        <span class="pending">{'_'.repeat(3 - part.length)}</span>
      </span>
    );
  });
  return (
    <p class="digits" aria-label={label} aria-live="polite" data-testid="typed-id" data-digits={digits}>
      {groups}
    </p>
  );
}

function QrIcon() {
  return (
    <svg class="qr-icon" viewBox="0 0 21 21" aria-hidden="true">
      <path d="M0 0h7v7H0zM14 0h7v7h-7zM0 14h7v7H0z" fill="currentColor" />
      <path d="M2 2h3v3H2zM16 2h3v3h-3zM2 16h3v3H2z" style={{ fill: 'var(--paper)' }} />
      <path d="M9 0h2v3H9zM9 5h3v2H9zM8 9h4v2H8zM13 9h2v3h-2zM17 9h4v2h-4zM9 13h2v4H9zM12 14h3v2h-3zM16 13h2v3h-2zM13 18h5v3h-5zM19 17h2v4h-2zM9 19h3v2H9z" fill="currentColor" />
    </svg>
  );
}
