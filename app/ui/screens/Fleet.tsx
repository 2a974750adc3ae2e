import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { FleetRow, FleetView } from '../../core/api/kiosk-api.ts';
import type { T } from '../App.tsx';
import { ApiError, type KioskClient } from '../api-client.ts';
import type { Language } from '../i18n.ts';
import { Button, formatDateTime } from '../kit/index.ts';
import { ageWords, auditWords, deviceWords, healthWords, offsetWords, problemWords } from './fleet-words.ts';

interface FleetProps {
  t: T;
  lang: Language;
  timeZone: string;
  client: KioskClient;
  adminToken: string;
  /** This kiosk's terminal id, marked in the list. */
  terminalId: string;
  onBack: () => void;
  /** The staff session ended (the kiosk asks for the PIN again). */
  onLogout: () => void;
}

/** Heartbeats come every 15 s by default: reading as often keeps the page current. */
const REFRESH_MS = 15_000;

/**
 * The site's kiosks as the site hub last heard them: the stale and failing ones first, in
 * sentences; then every kiosk with its facts. Staff only, read with this kiosk's certificate.
 */
export function Fleet({ t, lang, timeZone, client, adminToken, terminalId, onBack, onLogout }: FleetProps) {
  const [view, setView] = useState<FleetView | undefined>();
  const [unavailable, setUnavailable] = useState(false);
  const refresh = () =>
    void client.call('siteFleet', { adminToken }).then(
      (v) => {
        setView(v);
        setUnavailable(false);
      },
      (e: unknown) => (e instanceof ApiError && e.code === 'ADMIN_REQUIRED' ? onLogout() : setUnavailable(true)),
    );
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, REFRESH_MS);
    return () => clearInterval(timer);
  }, [adminToken]);

  const time = (iso: string) => formatDateTime(iso, lang, timeZone);
  const attention = view?.kiosks.filter((k) => k.state !== 'ok') ?? [];
  return (
    <section class="screen maintenance fleet" data-testid="fleet">
      <header class="maintenance-head">
        <div>
          <h1>{t('fleetTitle')}</h1>
          {view && <p class="quiet" data-testid="fleet-from">{t('fleetFrom', { hub: view.hub, time: time(view.hubTime), seconds: view.staleAfterSeconds })}</p>}
        </div>
        <Button kind="primary" icon="back" testId="fleet-back" onClick={onBack}>{t('fleetBack')}</Button>
      </header>

      {unavailable && (
        <div class="alerts" role="alert" data-testid="fleet-unavailable">
          <p class="error">{t('fleetUnavailable')}</p>
          <Button kind="secondary" icon="retry" testId="fleet-retry" onClick={refresh}>{t('fleetRetry')}</Button>
        </div>
      )}
      {!view && !unavailable && <p class="lead">{t('connecting')}</p>}
      {view && view.kiosks.length === 0 && <p class="lead" data-testid="fleet-none">{t('fleetNone')}</p>}

      {attention.length > 0 && (
        <section class="alerts" role="alert" data-testid="fleet-attention">
          <h2>{t('fleetAttention', { n: attention.length })}</h2>
          <ul class="fleet-problems">
            {attention.map((k) => (
              <li key={k.terminalId} class="error" data-testid={`fleet-attention-${k.terminalId}`} data-state={k.state}>
                <strong>{k.terminalId}</strong> ({t(`fleetState_${k.state}`)}): {k.problems.map((p) => problemWords(t, lang, p)).join(' ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      {view && view.kiosks.length > 0 && attention.length === 0 && <p class="ok" data-testid="fleet-all-ok">{t('fleetAllOk', { n: view.kiosks.length })}</p>}

      {view && (
        <div class="fleet-list" data-testid="fleet-list">
          {view.kiosks.map((k) => <KioskCard key={k.terminalId} t={t} lang={lang} time={time} kiosk={k} self={k.terminalId === terminalId} />)}
        </div>
      )}
    </section>
  );
}

function KioskCard({ t, lang, time, kiosk: k, self }: { t: T; lang: Language; time: (iso: string) => string; kiosk: FleetRow; self: boolean }) {
  const row = (label: string, value: ComponentChildren, testId: string, bad = false) => (
    <>
      <dt>{label}</dt>
      <dd class={bad ? 'error' : ''} data-testid={testId}>{value}</dd>
    </>
  );
  // Devices not working first, in red: they are what staff look for.
  const devices = Object.entries(k.devices)
    .sort(([, a], [, b]) => Number(a === 'ok') - Number(b === 'ok'))
    .map(([d, s], i) => (
      <span key={d} class={s === 'ok' ? '' : 'error'}>
        {i > 0 && ', '}
        {deviceWords(lang, d)}: {healthWords(lang, s)}
      </span>
    ));
  return (
    <article class="fleet-kiosk" data-testid={`fleet-kiosk-${k.terminalId}`} data-state={k.state}>
      <h3>
        {k.terminalId}
        {self && <span class="quiet"> ({t('fleetThisKiosk')})</span>}
        <span class="fleet-state"> · {t(`fleetState_${k.state}`)}</span>
      </h3>
      <dl>
        {row(t('fleetProfile'), k.profile ?? t('fleetUnknown'), 'fleet-profile')}
        {row(t('fleetVersion'), k.softwareVersion ?? t('fleetUnknown'), 'fleet-version')}
        {row(t('fleetLastSeen'), t('fleetLastSeenValue', { time: time(k.lastSeen), age: ageWords(t, k.ageSeconds) }), 'fleet-last-seen', k.state === 'stale')}
        {row(t('fleetDevices'), devices.length > 0 ? devices : t('fleetUnknown'), 'fleet-devices')}
        {row(t('fleetPaper'), k.paperLow === null ? t('fleetUnknown') : k.paperLow ? t('fleetPaperLow') : t('fleetPaperOk'), 'fleet-paper', k.paperLow === true)}
        {row(t('fleetOutbox'), String(k.outboxDepth), 'fleet-outbox', k.problems.some((p) => p.kind === 'outbox'))}
        {row(t('fleetClock'), k.clockOffsetMs === null ? t('fleetUnknown') : t('fleetClockValue', { offset: offsetWords(lang, k.clockOffsetMs) }), 'fleet-clock', k.problems.some((p) => p.kind === 'clock'))}
        {row(t('fleetAudit'), auditWords(t, k), 'fleet-audit', k.auditRollback)}
        {row(t('fleetHub'), k.hub, 'fleet-hub')}
      </dl>
    </article>
  );
}
