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

export const airportTexts = {
  vi: {
    airportAt: 'Sân bay {code}',
    welcomeTitle_airport: 'Ki-ốt chưa làm thủ tục bay',
    welcomeLead_airport: 'Ki-ốt này chưa làm được thủ tục lên máy bay, gửi hành lý hay in thẻ lên máy bay. Vui lòng đến quầy làm thủ tục của hãng bay.',
  },
  en: {
    airportAt: 'Airport {code}',
    welcomeTitle_airport: 'No check-in at this kiosk yet',
    welcomeLead_airport: 'This kiosk cannot check you in, take bags or print boarding passes yet. Please go to your airline\'s check-in counter.',
  },
} satisfies { vi: Record<string, string>; en: Record<string, string> };
