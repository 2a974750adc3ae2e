import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { translateCode } from '../../i18n.ts';
import { WedgeCapture } from '../../wedge.ts';
import type { StepProps } from './Journey.tsx';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'ok'] as const;

/**
 * The card's key: a scan of the card's QR (keyboard-wedge scanners are captured here; HID-POS
 * scanners arrive through the host) or the 12-digit ID typed on a large keypad. Then: the card on the reader.
 */
export function PresentCard({ t, lang, act, config, keyGiven, problem, cancel }: StepProps & { keyGiven: boolean; problem?: string; cancel: JSX.Element }) {
  const [typed, setTyped] = useState('');

  useEffect(() => {
    if (keyGiven) return;
    const wedge = new WedgeCapture((text) => act({ action: 'key', key: { kind: 'scan', text } }));
    const onKey = (e: KeyboardEvent) => {
      if (wedge.key(e.key, e.timeStamp)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keyGiven]);

  if (keyGiven) {
    return (
      <section class="step place-card" data-testid="step-place-card">
        <h1>{t('placeCardTitle')}</h1>
        <div class="card-illustration" aria-hidden="true">
          <div class="reader"><div class="id-card"><div class="chip" /><div class="lines"><span /><span /><span /></div></div></div>
        </div>
        <p class="lead">{t('placeCardLead')}</p>
        {cancel}
      </section>
    );
  }

  const press = (k: (typeof KEYS)[number]) => {
    if (k === 'clear') setTyped('');
    else if (k === 'ok') {
      if (typed.length === 12) act({ action: 'key', key: { kind: 'id-number', idNumber: typed, source: 'typed-id' } });
    } else if (typed.length < 12) setTyped(typed + k);
  };

  return (
    <section class="step present-card" data-testid="step-present-card">
      <h1>{t('presentTitle')}</h1>
      {problem && <p class="error" role="alert" data-testid="key-problem">{translateCode(lang, 'err_', problem)}</p>}
      <div class="present-options">
        <div class="option scan">
          <svg class="qr-icon" viewBox="0 0 21 21" aria-hidden="true">
            <path d="M0 0h7v7H0zM14 0h7v7h-7zM0 14h7v7H0z" fill="currentColor" />
            <path d="M2 2h3v3H2zM16 2h3v3h-3zM2 16h3v3H2z" fill="#fff" />
            <path d="M9 0h2v3H9zM9 5h3v2H9zM8 9h4v2H8zM13 9h2v3h-2zM17 9h4v2h-4zM9 13h2v4H9zM12 14h3v2h-3zM16 13h2v3h-2zM13 18h5v3h-5zM19 17h2v4h-2zM9 19h3v2H9z" fill="currentColor" />
          </svg>
          <p class="lead">{t('presentScan')}</p>
          {config.demoCardQr && (
            <button type="button" class="secondary" data-testid="demo-scan" onClick={() => act({ action: 'key', key: { kind: 'scan', text: config.demoCardQr! } })}>
              {t('presentDemoScan')}
            </button>
          )}
        </div>
        <p class="or">{t('presentOr')}</p>
        <div class="option type">
          <p class="lead">{t('presentType')}</p>
          <p class="typed" aria-label={t('presentTyped')} data-testid="typed-id">{typed.padEnd(12, '·').replace(/(.{3})(?=.)/g, '$1 ')}</p>
          <div class="pin-pad">
            {KEYS.map((k) => (
              <button type="button" key={k} class={`${k === 'ok' ? 'primary' : ''} ${k === 'ok' || k === 'clear' ? 'word' : ''}`} disabled={k === 'ok' && typed.length !== 12} data-testid={`id-${k}`} onClick={() => press(k)}>
                {k === 'clear' ? t('pinClear') : k === 'ok' ? t('pinOk') : k}
              </button>
            ))}
          </div>
        </div>
      </div>
      {cancel}
    </section>
  );
}
