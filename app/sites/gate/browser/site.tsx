/** The gate site module, browser half: its screens come with the door and enrolment journeys; until then the welcome screen says so. */
import { Screen } from '../../../ui/kit/index.ts';
import type { SiteStepProps, SiteUi } from '../../../ui/site-ui.ts';

function GateStep(props: SiteStepProps) {
  return <Screen testId={`site-${props.site.siteStep}`} title={props.t('err_generic')} exits={props.cancel} />;
}

export const gateUi: SiteUi = { kind: 'gate', serves: false, Step: GateStep };
