/**
 * The e-gate's steps inside the shared journey (kiosk roles `security-gate` and `boarding-gate`):
 * the passenger tapped their card and looked at the camera, the journey verified them, and the gate
 * finds their pass in the DCS and opens or sends them to staff with the reason (./gate-service.ts).
 */
import type { SiteFlow, SiteResult } from '../../../core/journey/site-flow.ts';
import { siteView } from '../../../core/sites/site-module.ts';
import type { GateOutcome, GateService } from './gate-service.ts';
import { AirportError } from './ports.ts';
import { airportViews, flightViewOf } from './views.ts';

export function createGateFlow(gate: GateService): SiteFlow {
  let shown: SiteResult | undefined;
  const show = (o: GateOutcome): SiteResult =>
    o.open
      ? siteView(airportViews, 'gate-open', { flight: flightViewOf(o.flight), seat: o.seat })
      : siteView(airportViews, 'gate-refused', { code: o.code });
  return {
    async start(ctx) {
      shown = show(await gate.byCardHolder(ctx.holder));
      return shown;
    },
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
