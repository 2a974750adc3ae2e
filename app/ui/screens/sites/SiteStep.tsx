import type { JSX } from 'preact';
import { siteUiOf } from '../../../sites/registry.browser.ts';
import { siteKey } from '../../i18n.ts';
import { FinishButton, Screen, WaitingScreen } from '../../kit/index.ts';
import type { StepProps } from '../journey/Journey.tsx';

/** The site's own steps, drawn by the site's screens; a site this build does not know still offers a way out. */
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
  const ui = siteUiOf(config.siteKind);
  if (!ui) return <Screen testId={`site-${site.siteStep}`} title={t('err_generic')} exits={props.cancel} />;
  const finish = (
    <FinishButton seconds={config.doneSeconds} label={t('doneButton')} closesIn={(seconds) => t('doneClosesIn', { seconds })} onFinish={() => props.act({ action: 'cancel' })} />
  );
  return <ui.Step {...props} site={site} finish={finish} />;
}
