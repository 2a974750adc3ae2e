/** The gate site module, browser half: its screens (./GateStep.tsx) and the guard's board on the staff screen (./Board.tsx); its words are in ./texts.ts. */
import type { SiteUi } from '../../../ui/site-ui.ts';
import { GateBoardPanel } from './Board.tsx';
import { GateStep } from './GateStep.tsx';
import './gate.css';

export const gateUi: SiteUi = { kind: 'gate', serves: true, Step: GateStep, Maintenance: GateBoardPanel };
