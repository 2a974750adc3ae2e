import { useEffect, useMemo, useState } from 'preact/hooks';
import type { UiConfig } from '../core/api/kiosk-api.ts';
import type { KioskClient } from './api-client.ts';
import { translate, type Language, type TextKey } from './i18n.ts';
import { IdleTimer, type IdlePhase } from './idle-timer.ts';
import { StatusBanner, type DeviceView } from './components/StatusBanner.tsx';
import { IdleDialog } from './components/IdleDialog.tsx';
import { Welcome } from './screens/Welcome.tsx';
import { StaffLogin } from './screens/StaffLogin.tsx';
import { Maintenance } from './screens/Maintenance.tsx';

export type T = (key: TextKey, params?: Record<string, string | number>) => string;

type Screen = { name: 'welcome' } | { name: 'staff-login' } | { name: 'maintenance'; adminToken: string };

export function App({ client, config }: { client: KioskClient; config: UiConfig }) {
  const [lang, setLang] = useState<Language>(config.defaultLanguage);
  const [screen, setScreen] = useState<Screen>({ name: 'welcome' });
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [idle, setIdle] = useState<IdlePhase>({ kind: 'active' });
  const t: T = (key, params) => translate(lang, key, params);

  const resetToWelcome = () => {
    if (screen.name === 'maintenance') void client.call('adminLogout', { adminToken: screen.adminToken }).catch(() => undefined);
    setScreen({ name: 'welcome' });
    setLang(config.defaultLanguage);
  };

  const timer = useMemo(
    () => new IdleTimer(config.idleSeconds * 1000, config.idleCountdownSeconds * 1000, setIdle, () => window.dispatchEvent(new Event('kiosk-idle-reset'))),
    [config],
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

  useEffect(() => {
    void client.call('status', {}).then((s) => setDevices(s.devices)).catch(() => undefined);
    return client.onEvent((event, data) => {
      if (event === 'devices') setDevices(data as DeviceView[]);
    });
  }, [client]);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  return (
    <div class="kiosk" data-screen={screen.name}>
      <header class="topbar">
        <div class="site-name">{config.siteName}</div>
        <button
          type="button"
          class="lang-toggle"
          aria-label={t('languageLabel')}
          data-testid="language-toggle"
          onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
        >
          {t('languageButton')}
        </button>
      </header>
      <main class="content">
        {screen.name === 'welcome' && <Welcome t={t} />}
        {screen.name === 'staff-login' && (
          <StaffLogin t={t} client={client} onBack={resetToWelcome} onLoggedIn={(adminToken) => setScreen({ name: 'maintenance', adminToken })} />
        )}
        {screen.name === 'maintenance' && <Maintenance t={t} client={client} adminToken={screen.adminToken} onLogout={resetToWelcome} />}
      </main>
      <footer class="footer">
        <StatusBanner t={t} devices={devices} />
        {screen.name === 'welcome' && (
          <button type="button" class="staff-button" data-testid="staff-button" onClick={() => setScreen({ name: 'staff-login' })}>
            {t('staffButton')}
          </button>
        )}
      </footer>
      {idle.kind === 'countdown' && <IdleDialog t={t} secondsLeft={idle.secondsLeft} onContinue={() => timer.activity()} />}
    </div>
  );
}
