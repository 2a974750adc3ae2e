import type { T } from '../App.tsx';
import { Button, CardOnReader, Screen } from '../kit/index.ts';

export function Welcome({ t, onStart, onFaceStart }: { t: T; onStart: () => void; onFaceStart?: () => void }) {
  return (
    <Screen testId="welcome" class="welcome" title={<span data-testid="welcome-title">{t('welcomeTitle')}</span>}>
      <p class="lead" data-testid="welcome-lead">{t('welcomeLead')}</p>
      <CardOnReader readerLabel={t('readerLabel')} />
      <p class="hint">{t('welcomeHint')}</p>
      <Button kind="primary" class="start" testId="start" onClick={onStart}>{t('startButton')}</Button>
      {onFaceStart && (
        <div class="face-start">
          <Button kind="secondary" testId="start-face" onClick={onFaceStart}>{t('faceStartButton')}</Button>
          <p class="hint">{t('faceStartHint')}</p>
        </div>
      )}
    </Screen>
  );
}
