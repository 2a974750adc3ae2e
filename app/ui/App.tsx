import { useEffect, useMemo, useState } from 'preact/hooks';
import type { UiConfig } from '../core/api/kiosk-api.ts';
import type { JourneyAction, JourneyView } from '../core/journey/view.ts';
import type { KioskClient } from './api-client.ts';
import { translate, type Language, type TextKey } from './i18n.ts';
import { IdleTimer, type IdlePhase } from './idle-timer.ts';
import { StaffKeyboard } from './components/StaffKeyboard.tsx';
import { StatusBanner, type DeviceView } from './components/StatusBanner.tsx';
import { IdleDialog } from './components/IdleDialog.tsx';
import { Welcome } from './screens/Welcome.tsx';
import { StaffLogin } from './screens/StaffLogin.tsx';
import { Maintenance } from './screens/Maintenance.tsx';
import { Journey } from './screens/journey/Journey.tsx';
import { FaceCapture } from './screens/journey/FaceCapture.tsx';
import { Declined } from './screens/Declined.tsx';
import { applyViewMode, Button, ViewModeToggle, type ViewMode } from './kit/index.ts';
import { useVoice } from './voice.ts';

export type T = (key: TextKey, params?: Record<string, string | number>) => string;

/** How much longer the kiosk waits for a person in the accessible mode before it asks and resets. */
const ACCESSIBLE_PATIENCE = 2;

type Screen = { name: 'kiosk' } | { name: 'declined' } | { name: 'staff-login' } | { name: 'maintenance'; adminToken: string };

export function App({ client, config }: { client: KioskClient; config: UiConfig }) {
  const [lang, setLang] = useState<Language>(config.defaultLanguage);
  const [viewMode, setViewMode] = useState<ViewMode>('normal');
  const [screen, setScreen] = useState<Screen>({ name: 'kiosk' });
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [journey, setJourney] = useState<JourneyView>({ state: { step: 'welcome' }, busy: false });
  const [idle, setIdle] = useState<IdlePhase>({ kind: 'active' });
  const t: T = (key, params) => translate(lang, key, params);
  // An action's answer may arrive after a newer pushed view (a fast step): keep the newer. A view
  // that carries no order is shown as it comes.
  const showJourney = (next: JourneyView) =>
    setJourney((shown) => (next.seq === undefined || shown.seq === undefined || next.seq >= shown.seq ? next : shown));
  const act = (action: JourneyAction) => void client.call('journeyAction', action).then(showJourney).catch(() => undefined);

  const resetToWelcome = () => {
    if (screen.name === 'maintenance') void client.call('adminLogout', { adminToken: screen.adminToken }).catch(() => undefined);
    if (journey.state.step !== 'welcome') act({ action: 'cancel' });
    setScreen({ name: 'kiosk' });
    setLang(config.defaultLanguage);
    setViewMode('normal');
  };
  const decline = () => {
    act({ action: 'consent', accepted: false });
    setScreen({ name: 'declined' });
  };

  // The accessible mode (large text, high contrast) also speaks each step and waits longer for a person.
  const accessible = viewMode === 'clear';
  const patience = accessible ? ACCESSIBLE_PATIENCE : 1;
  // The staff screen waits as long as the site says (a guard desk: the whole shift), not as the hall's kiosk does.
  const staffScreen = screen.name === 'maintenance';
  const idleSeconds = staffScreen ? config.staffIdleSeconds : config.idleSeconds * patience;
  const timer = useMemo(
    () => new IdleTimer(idleSeconds * 1000, config.idleCountdownSeconds * 1000 * patience, setIdle, () => window.dispatchEvent(new Event('kiosk-idle-reset'))),
    [config, patience, idleSeconds],
  );
  useEffect(() => {
    timer.start();
    const activity = () => timer.activity();
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    events.forEach((e) => window.addEventListener(e, activity, { passive: true }));
    return () => {
      timer.stop();
      events.forEach((e) => window.removeEventListener(e, activity));
    };
  }, [timer]);
  useEffect(() => {
    const onReset = () => resetToWelcome();
    window.addEventListener('kiosk-idle-reset', onReset);
    return () => window.removeEventListener('kiosk-idle-reset', onReset);
  });
  // Never reset the kiosk under a read, a capture, a verification or a print.
  useEffect(() => (journey.busy ? timer.hold() : undefined), [journey.busy, timer]);

  useEffect(() => {
    void client.call('status', {}).then((s) => setDevices(s.devices)).catch(() => undefined);
    void client.call('journeyState', {}).then(showJourney).catch(() => undefined);
    return client.onEvent((event, data) => {
      if (event === 'devices') setDevices(data as DeviceView[]);
      if (event === 'journey') showJourney(data as JourneyView);
    });
  }, [client]);

  useEffect(() => applyViewMode(viewMode), [viewMode]);
  useEffect(() => {
    document.documentElement.lang = lang;
    void client.call('setLanguage', { language: lang }).catch(() => undefined);
  }, [lang]);

  useVoice(config.voice || accessible, lang, screen.name === 'kiosk' ? journey : undefined, config.siteKind);

  const inJourney = screen.name === 'kiosk' && journey.state.step !== 'welcome';
  return (
    <div class="kiosk" data-screen={screen.name} data-step={journey.state.step}>
      <header class="topbar unscaled">
        <div class="site-name">{config.siteName}</div>
        <div class="topbar-tools">
          <ViewModeToggle mode={viewMode} onChange={setViewMode} labels={{ on: t('viewModeOn'), off: t('viewModeOff'), label: t('viewModeLabel') }} />
          <Button kind="secondary" class="on-topbar lang-toggle" label={t('languageLabel')} testId="language-toggle" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
            {t('languageButton')}
          </Button>
        </div>
      </header>
      <main class="content" data-testid="content">
        {screen.name === 'kiosk' && !inJourney && (
          <Welcome
            t={t}
            lang={lang}
            siteKind={config.siteKind}
            purposes={config.purposes}
            onStart={(purpose) => act({ action: 'start', ...(purpose ? { purpose } : {}) })}
            {...(config.faceStart ? { onFaceStart: () => act({ action: 'start-face' }) } : {})}
            {...(config.codeEntry ? { onCode: (code: string) => act({ action: 'code', code }) } : {})}
            {...(config.unattended
              ? { watching: { consentGivenAt: config.unattended.consentGivenAt, camera: <FaceCapture client={client} enabled={config.cameraAdapter === 'renderer'} /> } }
              : {})}
          />
        )}
        {inJourney && <Journey t={t} lang={lang} client={client} view={journey} config={config} act={act} onDecline={decline} />}
        {screen.name === 'declined' && <Declined t={t} lang={lang} siteKind={config.siteKind} voice={config.voice} onHome={resetToWelcome} />}
        {screen.name === 'staff-login' && (
          <StaffLogin t={t} client={client} onBack={resetToWelcome} onLoggedIn={(adminToken) => setScreen({ name: 'maintenance', adminToken })} />
        )}
        {screen.name === 'maintenance' && (
          <>
            <Maintenance t={t} lang={lang} timeZone={config.timeZone} client={client} adminToken={screen.adminToken} onLogout={resetToWelcome} />
            <StaffKeyboard t={t} />
          </>
        )}
      </main>
      <footer class="footer">
        <StatusBanner t={t} devices={devices} />
        {/* An unattended station starts a journey for every face it sees, the guard's too: there the
            way to the staff screen stays open during a journey, and ends it. */}
        {screen.name === 'kiosk' && (!inJourney || config.unattended) && (
          <Button
            kind="cancel"
            class="staff-button"
            testId="staff-button"
            onClick={() => {
              if (inJourney) act({ action: 'cancel' });
              setScreen({ name: 'staff-login' });
            }}
          >
            {t('staffButton')}
          </Button>
        )}
      </footer>
      {idle.kind === 'countdown' && <IdleDialog t={t} secondsLeft={idle.secondsLeft} onContinue={() => timer.activity()} />}
    </div>
  );
}
