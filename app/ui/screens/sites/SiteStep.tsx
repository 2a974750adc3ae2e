import type { JSX } from 'preact';
import { siteKey } from '../../i18n.ts';
import { Button, Screen, WaitingScreen } from '../../kit/index.ts';
import type { StepProps } from '../journey/Journey.tsx';
import { HospitalStep } from './HospitalStep.tsx';

/** The site's own steps. Each site kind renders its views; an unknown view still offers a way out. */
export function SiteStep(props: StepProps & { cancel: JSX.Element }) {
  const site = props.view.site;
  const { t, config } = props;
  if (!site || site.siteStep === 'start') {
    return (
      <WaitingScreen
        testId="step-site-loading"
        title={t(siteKey('siteLoadingTitle', config.siteKind))}
        lead={t(siteKey('siteLoadingLead', config.siteKind))}
        exits={props.cancel}
      />
    );
  }
  if (site.siteStep === 'identity-confirmed') {
    return (
      <Screen
        testId="site-identity-confirmed"
        title={t('identityConfirmedTitle')}
        actions={<Button kind="primary" icon="ok" large testId="done" onClick={() => props.act({ action: 'cancel' })}>{t('doneButton')}</Button>}
      >
        <p class="lead">{props.view.holder?.fullName}</p>
        <p>{t('identityConfirmedLead')}</p>
      </Screen>
    );
  }
  return <HospitalStep {...props} site={site} />;
}
