/**
 * The airport site module, pure half: a skeleton. Self check-in (booking, seat, bags, boarding pass
 * and bag tag) is not built yet, so the passenger sees their identity confirmed at this airport
 * and goes to the counter.
 */
import { z } from 'zod';
import type { SiteFlow } from '../../../core/journey/site-flow.ts';
import { confirmedIdentity, identityConfirmedView, placeholderFlow } from '../../../core/sites/placeholder-flow.ts';
import { defineSite, siteView } from '../../../core/sites/site-module.ts';

const airportConfig = z
  .object({
    /** The airport's IATA code, e.g. SGN: shown to the passenger, and later on boarding passes. */
    iataCode: z.string().regex(/^[A-Z]{3}$/, 'three capital letters (the IATA airport code)'),
  })
  .strict();

export const airport = defineSite({
  kind: 'airport',
  config: airportConfig,
  views: { 'identity-confirmed': identityConfirmedView.extend({ iataCode: z.string() }) },
  returningByFace: () => false,
  // Identity confirmed and nothing recorded: the site keeps no personal data (the consent says so).
  personalDataDays: () => 0,
});

export function airportFlow(settings: z.output<typeof airportConfig>): SiteFlow {
  return placeholderFlow((ctx) => siteView(airport.views, 'identity-confirmed', { ...confirmedIdentity(ctx), iataCode: settings.iataCode }));
}
