import { useState } from 'preact/hooks';
import type { T } from '../App.tsx';
import type { KioskClient } from '../api-client.ts';
import { Button, InlineProblem, Keypad, Screen } from '../kit/index.ts';

const MAX_PIN = 12;

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
  const edit = (next: string) => {
    setMessage(undefined);
    setPin(next);
  };

  return (
    <Screen
      testId="staff-login"
      class="staff-login"
      title={t('pinTitle')}
      exits={<Button kind="cancel" icon="back" testId="staff-back" onClick={onBack}>{t('back')}</Button>}
    >
      <p class="digits" aria-label={t('pinPrompt')} data-testid="pin-display">{pin ? '●'.repeat(pin.length) : t('pinPrompt')}</p>
      {message && <InlineProblem words={message} testId="pin-problem" />}
      <Keypad
        testPrefix="pin"
        backspaceLabel={t('idBackspace')}
        okLabel={t('pinOk')}
        okDisabled={pin.length === 0}
        onDigit={(d) => pin.length < MAX_PIN && edit(pin + d)}
        onBackspace={() => edit(pin.slice(0, -1))}
        onOk={() => void submit()}
      />
    </Screen>
  );
}
