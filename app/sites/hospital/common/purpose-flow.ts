/**
 * The hospital kiosk serves two purposes at its welcome screen, registering a visit and paying bills:
 * one flow per person, chosen by the purpose the journey hands over. A queue ticket scanned at the
 * welcome screen (a visit already registered) leads to its bills.
 */
import { KioskError } from '../../../core/errors.ts';
import type { SiteContext, SiteFlow, SiteResult } from '../../../core/journey/site-flow.ts';

export interface HospitalFlows {
  readonly register: () => SiteFlow;
  /** Absent when the kiosk offers no way to pay. */
  readonly pay?: () => SiteFlow;
}

const notAvailable: SiteResult = { kind: 'failed', code: 'SITE_NOT_AVAILABLE', retryable: false };

export function purposeFlow(flows: HospitalFlows): SiteFlow {
  let current: SiteFlow | undefined;
  const choose = (purpose: string | undefined): SiteFlow | undefined => {
    current?.dispose();
    current = purpose === 'pay' ? flows.pay?.() : flows.register();
    return current;
  };
  return {
    start: (ctx: SiteContext) => choose(ctx.purpose)?.start(ctx) ?? Promise.resolve(notAvailable),
    startReturning(subjectId, ctx) {
      const flow = choose(ctx.purpose);
      return flow?.startReturning?.(subjectId, ctx) ?? Promise.resolve(notAvailable);
    },
    startWithCode(subjectId, ctx) {
      const flow = choose('pay');
      return flow?.startWithCode?.(subjectId, ctx) ?? Promise.resolve(notAvailable);
    },
    act(action) {
      if (!current) throw new KioskError('SITE_NOT_STARTED', 'the hospital steps have not started');
      return current.act(action);
    },
    dispose() {
      current?.dispose();
      current = undefined;
    },
  };
}
