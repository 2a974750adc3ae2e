import type { JSX } from 'preact';
import type { StepProps } from '../journey/Journey.tsx';
import { HospitalStep } from './HospitalStep.tsx';

/** The site's own steps. Each site kind renders its views; an unknown view still offers a way out. */
export function SiteStep(props: StepProps & { cancel: JSX.Element }) {
  const site = props.view.site;
  const { t } = props;
  if (!site || site.siteStep === 'start') {
    return (
      <section class="step site-loading" data-testid="step-site-loading">
        <div class="spinner" aria-hidden="true" />
        {props.cancel}
      </section>
    );
  }
  if (site.siteStep === 'identity-confirmed') {
    return (
      <section class="step identity-confirmed" data-testid="site-identity-confirmed">
        <h1>{t('identityConfirmedTitle')}</h1>
        <p class="lead">{props.view.holder?.fullName}</p>
        <p>{t('identityConfirmedLead')}</p>
        <button type="button" class="primary" data-testid="done" onClick={() => props.act({ action: 'cancel' })}>{t('doneButton')}</button>
      </section>
    );
  }
  return <HospitalStep {...props} site={site} />;
}
