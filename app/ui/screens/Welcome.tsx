import type { T } from '../App.tsx';

export function Welcome({ t, onStart, onFaceStart }: { t: T; onStart: () => void; onFaceStart?: () => void }) {
  return (
    <section class="welcome" data-testid="welcome">
      <h1 data-testid="welcome-title">{t('welcomeTitle')}</h1>
      <div class="card-illustration" aria-hidden="true">
        <div class="reader">
          <div class="id-card">
            <div class="chip" />
            <div class="lines"><span /><span /><span /></div>
          </div>
        </div>
      </div>
      <p class="lead" data-testid="welcome-lead">{t('welcomeLead')}</p>
      <p class="hint">{t('welcomeHint')}</p>
      <button type="button" class="primary start" data-testid="start" onClick={onStart}>{t('startButton')}</button>
      {onFaceStart && (
        <div class="face-start">
          <button type="button" class="secondary" data-testid="start-face" onClick={onFaceStart}>{t('faceStartButton')}</button>
          <p class="hint">{t('faceStartHint')}</p>
        </div>
      )}
    </section>
  );
}
