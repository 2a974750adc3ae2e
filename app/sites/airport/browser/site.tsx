/** The airport site module, browser half: not serving yet, so the welcome screen says so in its words. */
import { IdentityConfirmed } from '../../../ui/screens/sites/IdentityConfirmed.tsx';
import type { SiteStepProps, SiteUi } from '../../../ui/site-ui.ts';
import { airport } from '../common/site.ts';

function AirportStep(props: SiteStepProps) {
  const view = airport.views['identity-confirmed'].safeParse(props.site.data);
  return (
    <IdentityConfirmed {...props}>
      {view.success && <p class="lead" data-testid="airport-code">{props.t('airportAt', { code: view.data.iataCode })}</p>}
    </IdentityConfirmed>
  );
}

export const airportUi: SiteUi = { kind: 'airport', serves: false, Step: AirportStep };
