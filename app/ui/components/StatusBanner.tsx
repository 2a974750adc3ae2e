import type { T } from '../App.tsx';
import type { TextKey } from '../i18n.ts';

export interface DeviceView {
  device: string;
  state: 'ok' | 'missing' | 'error';
  adapter: string;
  reason?: string;
}

/** One calm line when all is well; the failing devices, by name, when not. */
export function StatusBanner({ t, devices }: { t: T; devices: DeviceView[] }) {
  const failing = devices.filter((d) => d.state !== 'ok');
  if (devices.length === 0) return <div class="status-banner" role="status">{t('connecting')}</div>;
  if (failing.length === 0) {
    return (
      <div class="status-banner ok" role="status" data-testid="status-banner">
        <span class="dot" aria-hidden="true" /> {t('devicesOk')}
      </div>
    );
  }
  return (
    <div class="status-banner problem" role="alert" data-testid="status-banner">
      <strong>{t('deviceProblem')}</strong>
      <ul>
        {failing.map((d) => (
          <li key={d.device}>
            {t(`device_${d.device}` as TextKey)}: {t(`state_${d.state}` as TextKey)}
          </li>
        ))}
      </ul>
    </div>
  );
}
