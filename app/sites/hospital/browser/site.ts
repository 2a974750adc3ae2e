/** The hospital site module, browser half: its screens and its maintenance section (its words: ./texts.ts). */
import type { SiteUi } from '../../../ui/site-ui.ts';
import { HospitalStep } from './HospitalStep.tsx';
import { HospitalMaintenance } from './Maintenance.tsx';

export const hospitalUi: SiteUi = { kind: 'hospital', Step: HospitalStep, Maintenance: HospitalMaintenance };
