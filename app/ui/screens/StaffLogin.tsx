import { useState } from 'preact/hooks';
import type { T } from '../App.tsx';
import type { KioskClient } from '../api-client.ts';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'ok'] as const;

export function StaffLogin({ t, client, onBack, onLoggedIn }: { t: T; client: KioskClient; onBack: () => void; onLoggedIn: (token: string) => void }) {
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<string | undefined>();

  const submit = async () => {
    if (!pin) return;
    const result = await client.call('adminLogin', { pin });
    setPin('');
    if (result.ok) onLoggedIn(result.adminToken);
    else setMessage(result.reason === 'LOCKED_OUT' ? t('pinLocked', { seconds: result.retryAfterSeconds ?? 60 }) : t('pinWrong'));
  };

  const press = (key: (typeof KEYS)[number]) => {
    setMessage(undefined);
    if (key === 'clear') setPin('');
    else if (key === 'ok') void submit();
    else if (pin.length < 12) setPin(pin + key);
  };

  return (
    <section class="staff-login" data-testid="staff-login">
      <h1>{t('pinTitle')}</h1>
      <p class="pin-display" aria-label={t('pinPrompt')} data-testid="pin-display">{pin ? '●'.repeat(pin.length) : t('pinPrompt')}</p>
      {message && <p class="error" role="alert">{message}</p>}
      <div class="pin-pad">
        {KEYS.map((k) => (
          <button type="button" key={k} class={k === 'ok' ? 'primary' : ''} data-testid={`pin-${k}`} onClick={() => press(k)}>
            {k === 'clear' ? t('pinClear') : k === 'ok' ? t('pinOk') : k}
          </button>
        ))}
      </div>
      <button type="button" class="secondary" onClick={onBack}>{t('back')}</button>
    </section>
  );
}
