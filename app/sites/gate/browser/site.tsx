/** The gate site module, browser half: its screens (./GateStep.tsx) and its part of the staff screen (./staff/StaffPanel.tsx: the guard's board, reports, administration); its words are in ./texts.ts. */
import type { SiteUi } from '../../../ui/site-ui.ts';
import { GateStaffPanel } from './staff/StaffPanel.tsx';
import { GateStep } from './GateStep.tsx';
import './gate.css';

export const gateUi: SiteUi = { kind: 'gate', Step: GateStep, Maintenance: GateStaffPanel };
