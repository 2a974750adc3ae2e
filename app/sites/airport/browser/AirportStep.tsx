import type { z } from 'zod';
import { Screen } from '../../../ui/kit/index.ts';
import type { SiteStepProps } from '../../../ui/site-ui.ts';
import { IdentityConfirmed } from '../../../ui/screens/sites/IdentityConfirmed.tsx';
import { airportViews } from '../common/views.ts';
import { BoardingPass } from './BoardingPass.tsx';
import { Bags, Counter, DangerousGoods, Passengers, Payment, TokenConsent, Weigh } from './CheckInSteps.tsx';
import { FindBooking } from './FindBooking.tsx';
import { GateOpen, GateRefused } from './Gate.tsx';
import { SeatMap } from './SeatMap.tsx';
import type { AirProps } from './parts.tsx';
import './airport.css';

type Views = typeof airportViews;
type Step = keyof Views;

/** The screen of each airport view, given the view's data as its schema reads it. */
const SCREENS: { [S in Step]: (props: AirProps<z.output<Views[S]>>) => preact.JSX.Element } = {
  'identity-confirmed': (props) => (
    <IdentityConfirmed {...props}>
      <p class="lead" data-testid="airport-code">{props.t('airportAt', { code: props.data.iataCode })}</p>
    </IdentityConfirmed>
  ),
  'find-booking': FindBooking,
  counter: Counter,
  passengers: Passengers,
  'dangerous-goods': DangerousGoods,
  seats: SeatMap,
  bags: Bags,
  weigh: Weigh,
  payment: Payment,
  'token-consent': TokenConsent,
  'boarding-pass': BoardingPass,
  'gate-open': GateOpen,
  'gate-refused': GateRefused,
};

/**
 * The airport's screens. The view crossed the kiosk API: it is read with the schema the flow built
 * it with, never cast; a view this build cannot read still offers the way out.
 */
export function AirportStep(props: SiteStepProps) {
  const { site, act, t, cancel } = props;
  const step = site.siteStep as Step;
  const schema = Object.hasOwn(airportViews, step) ? airportViews[step] : undefined;
  const parsed = schema?.safeParse(site.data);
  if (!parsed?.success) return <Screen testId={`site-${site.siteStep}`} title={t('err_generic')} exits={cancel} />;
  const Shown = SCREENS[step] as (p: AirProps<unknown>) => preact.JSX.Element;
  return <Shown {...props} data={parsed.data} choose={(payload) => act({ action: 'site', payload })} />;
}
