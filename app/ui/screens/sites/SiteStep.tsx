import type { JSX } from 'preact';
import type { StepProps } from '../journey/Journey.tsx';

/** The site's own steps. Each site kind renders its views; an unknown view still offers a way out. */
export function SiteStep(props: StepProps & { cancel: JSX.Element }) {
  const site = props.view.site;
  if (!site || site.siteStep === 'start') {
    return (
      <section class="step site-loading" data-testid="step-site-loading">
        <div class="spinner" aria-hidden="true" />
        {props.cancel}
      </section>
    );
  }
  return (
    <section class="step site" data-testid={`site-${site.siteStep}`}>
      <p class="lead">{site.siteStep}</p>
      {props.cancel}
    </section>
  );
}
