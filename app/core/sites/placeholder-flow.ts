/**
 * The steps of a site whose journey is not built yet: the person sees their identity confirmed,
 * with what the site adds from its profile (e.g. where to go instead), and finishes. Nothing is
 * printed that the site has not defined.
 */
import { z } from 'zod';
import type { SiteContext, SiteFlow, SiteResult } from '../journey/site-flow.ts';

/** The view of a placeholder site (step `identity-confirmed`); a site extends it with its own fields. */
export const identityConfirmedView = z.object({
  fullName: z.string(),
  /** The central service's verdict code (VERIFIED, PENDING, …). */
  verdict: z.string(),
});

/** The part of the view every placeholder site shows. */
export function confirmedIdentity(ctx: SiteContext): z.input<typeof identityConfirmedView> {
  return { fullName: ctx.holder.fullName, verdict: ctx.evidence.central };
}

/** A flow that shows one view and offers nothing further (the person finishes with "done"). */
export function placeholderFlow(show: (ctx: SiteContext) => SiteResult): SiteFlow {
  return {
    start: async (ctx) => show(ctx),
    act: async () => ({ kind: 'failed', code: 'SITE_JOURNEY_NOT_AVAILABLE', retryable: false }),
    dispose: () => undefined,
  };
}
