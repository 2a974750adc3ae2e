/** The factory gate site module, browser half: not serving yet, so the welcome screen says so in its words. */
import { IdentityConfirmed } from '../../../ui/screens/sites/IdentityConfirmed.tsx';
import type { SiteStepProps, SiteUi } from '../../../ui/site-ui.ts';
import { factoryGate } from '../common/site.ts';

function GateStep(props: SiteStepProps) {
  const view = factoryGate.views['identity-confirmed'].safeParse(props.site.data);
  return (
    <IdentityConfirmed {...props}>
      {view.success && <p class="lead" data-testid="gate-name">{props.t('gateAt', { gate: view.data.gateName })}</p>}
    </IdentityConfirmed>
  );
}

export const factoryGateUi: SiteUi = { kind: 'factory-gate', serves: false, Step: GateStep };
