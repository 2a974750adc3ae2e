/**
 * The factory/office gate site module, pure half: a skeleton. Enrolment, visitors and attendance
 * are not built yet, so the person sees their identity confirmed at this gate and asks the guard.
 */
import { z } from 'zod';
import type { SiteFlow } from '../../../core/journey/site-flow.ts';
import { confirmedIdentity, identityConfirmedView, placeholderFlow } from '../../../core/sites/placeholder-flow.ts';
import { defineSite, siteView } from '../../../core/sites/site-module.ts';

const factoryGateConfig = z
  .object({
    /** The gate as people know it, e.g. "Cổng A – Nhà máy 1": shown on the screen, later on visitor passes. */
    gateName: z.string().min(1),
  })
  .strict();

export const factoryGate = defineSite({
  kind: 'factory-gate',
  config: factoryGateConfig,
  views: { 'identity-confirmed': identityConfirmedView.extend({ gateName: z.string() }) },
  returningByFace: () => false,
  // Identity confirmed and nothing recorded: the site keeps no personal data (the consent says so).
  personalDataDays: () => 0,
});

export function factoryGateFlow(settings: z.output<typeof factoryGateConfig>): SiteFlow {
  return placeholderFlow((ctx) => siteView(factoryGate.views, 'identity-confirmed', { ...confirmedIdentity(ctx), gateName: settings.gateName }));
}
