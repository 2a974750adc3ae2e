/**
 * The e-gate's steps inside the shared journey (kiosk roles `security-gate` and `boarding-gate`):
 * the journey has matched the face at the gate to a tapped card's chip, to a scanned pass's face
 * token, or found it among the gate's flight (./gate-service.ts); the gate decides and opens, or
 * sends the passenger to the staff with the reason.
 */
import type { SiteFlow, SiteResult } from '../../../core/journey/site-flow.ts';
import { siteView } from '../../../core/sites/site-module.ts';
import type { GateOutcome, GateService } from './gate-service.ts';
import { AirportError } from './ports.ts';
import { airportViews, flightViewOf } from './views.ts';

export function createGateFlow(gate: GateService): SiteFlow {
  let shown: SiteResult | undefined;
  const show = async (decided: Promise<GateOutcome>): Promise<SiteResult> => {
    const o = await decided;
    shown = o.open
      ? siteView(airportViews, 'gate-open', { flight: flightViewOf(o.flight), seat: o.seat })
      : siteView(airportViews, 'gate-refused', { code: o.code });
    return shown;
  };
  return {
    start: (ctx) => show(gate.byCardHolder(ctx.holder)),
    // The pass's passenger, or the passenger the face search found among this gate's flight.
    startWithCode: (subjectId) => show(gate.bySubject(subjectId)),
    startReturning: (subjectId) => show(gate.bySubject(subjectId)),
    async act() {
      // The gate has decided: nothing to choose (the person walks on, or the journey's cancel resets).
      if (!shown) throw new AirportError('SITE_NOT_STARTED', 'the gate has not decided yet');
      return shown;
    },
    dispose() {
      shown = undefined;
    },
  };
}
