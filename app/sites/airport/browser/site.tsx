/** The airport site module, browser half: check-in and e-gate screens (its words: ./texts.ts). */
import type { SiteUi } from '../../../ui/site-ui.ts';
import { AirportStep } from './AirportStep.tsx';
import { AirportMaintenance } from './Maintenance.tsx';

export const airportUi: SiteUi = { kind: 'airport', Step: AirportStep, Maintenance: AirportMaintenance };
