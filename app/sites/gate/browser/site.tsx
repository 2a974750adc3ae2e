/** The gate site module, browser half: its screens (./GateStep.tsx); its words are in ./texts.ts. */
import type { SiteUi } from '../../../ui/site-ui.ts';
import { GateStep } from './GateStep.tsx';

export const gateUi: SiteUi = { kind: 'gate', serves: true, Step: GateStep };
