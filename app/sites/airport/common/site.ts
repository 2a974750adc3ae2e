/**
 * The airport site module, pure half: self check-in (booking, passengers, dangerous goods, seats,
 * bags, payment, face token, boarding pass and bag tags; ./checkin-flow.ts) against the airline's
 * DCS, and the e-gate rules (./gate.ts). A kiosk whose profile names no DCS shows the placeholder:
 * identity confirmed, go to the counter. Its Node half is ../node/site.ts.
 */
import type { SiteFlow } from '../../../core/journey/site-flow.ts';
import { confirmedIdentity, placeholderFlow } from '../../../core/sites/placeholder-flow.ts';
import { defineSite, siteView } from '../../../core/sites/site-module.ts';
import { airportConfig, type AirportConfig } from './config.ts';
import { airportViews } from './views.ts';

export const airport = defineSite({
  kind: 'airport',
  config: airportConfig,
  views: airportViews,
  returningByFace: () => false,
  // Identity confirmed and nothing recorded: the site keeps no personal data (the consent says so).
  personalDataDays: () => 0,
  // An unattended e-gate serves people who agreed to their face token at check-in.
  unattended: (settings) => (settings.role !== 'check-in' && settings.unattended && settings.dcs ? { consentGivenAt: 'check-in' } : undefined),
});

/** The steps of an airport kiosk without a DCS: the identity is confirmed and the passenger goes to the counter. */
export function airportPlaceholderFlow(settings: Pick<AirportConfig, 'iataCode'>): SiteFlow {
  return placeholderFlow((ctx) => siteView(airport.views, 'identity-confirmed', { ...confirmedIdentity(ctx), iataCode: settings.iataCode }));
}
