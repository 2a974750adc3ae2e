import type { T } from '../App.tsx';
import { Button } from '../kit/index.ts';

export function IdleDialog({ t, secondsLeft, onContinue }: { t: T; secondsLeft: number; onContinue: () => void }) {
  return (
    <div class="overlay" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" data-testid="idle-dialog">
      <div class="dialog">
        <h2 id="idle-title">{t('idleTitle')}</h2>
        <p class="countdown" aria-live="assertive">{secondsLeft}</p>
        <p>{t('idleBody', { seconds: secondsLeft })}</p>
        <Button kind="primary" large testId="idle-continue" onClick={onContinue}>{t('idleContinue')}</Button>
      </div>
    </div>
  );
}
