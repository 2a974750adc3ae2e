import type { ComponentChildren } from 'preact';
import { Button, Screen } from '../../kit/index.ts';
import type { SiteStepProps } from '../../site-ui.ts';

/** The last screen of a site whose journey is not built: identity confirmed, and where to go instead. */
export function IdentityConfirmed({ t, view, act, children }: SiteStepProps & { children?: ComponentChildren }) {
  return (
    <Screen
      testId="site-identity-confirmed"
      title={t('identityConfirmedTitle')}
      actions={<Button kind="primary" icon="ok" large testId="done" onClick={() => act({ action: 'cancel' })}>{t('doneButton')}</Button>}
    >
      <p class="lead">{view.holder?.fullName}</p>
      {children}
      <p>{t('identityConfirmedLead')}</p>
    </Screen>
  );
}
