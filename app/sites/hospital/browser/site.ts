/** The hospital site module, browser half: its screens and its words. */
import type { SiteUi } from '../../../ui/site-ui.ts';
import { HospitalStep } from './HospitalStep.tsx';

export const hospitalUi: SiteUi = { kind: 'hospital', serves: true, Step: HospitalStep };
