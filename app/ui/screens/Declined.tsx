import { useEffect } from 'preact/hooks';
import type { T } from '../App.tsx';
import { siteKey, type Language } from '../i18n.ts';
import { Button, Icon, Screen } from '../kit/index.ts';
import { speak } from '../voice.ts';

/** After "I do not agree": what it means, and where to go instead, before the start screen. */
export function Declined({ t, lang, siteKind, voice, onHome }: { t: T; lang: Language; siteKind: string; voice: boolean; onHome: () => void }) {
  const counter = siteKey('declinedCounter', siteKind);
  useEffect(() => {
    if (voice) speak(lang, counter);
  }, [lang]);
  return (
    <Screen
      testId="declined"
      class="declined"
      title={t('declinedTitle')}
      actions={<Button kind="primary" icon="ok" large testId="home" onClick={onHome}>{t('home')}</Button>}
    >
      <Icon name="alert" class="declined-icon" />
      <p class="lead">{t('declinedLead')}</p>
      <p class="lead strong" data-testid="declined-counter">{t(counter)}</p>
    </Screen>
  );
}
