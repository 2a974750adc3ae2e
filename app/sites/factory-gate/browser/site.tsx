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

export const factoryGateTexts = {
  vi: {
    gateAt: 'Cổng: {gate}',
    'welcomeTitle_factory-gate': 'Ki-ốt chưa mở cổng',
    'welcomeLead_factory-gate': 'Ki-ốt này chưa ghi nhận ra vào hay mở cổng được. Vui lòng trình thẻ cho bảo vệ tại cổng.',
  },
  en: {
    gateAt: 'Gate: {gate}',
    'welcomeTitle_factory-gate': 'This kiosk cannot open the gate yet',
    'welcomeLead_factory-gate': 'This kiosk cannot record entry or open the gate yet. Please show your card to the guard at the gate.',
  },
} satisfies { vi: Record<string, string>; en: Record<string, string> };
