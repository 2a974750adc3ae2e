/**
 * The pages of the gate's staff screen, each shown to the staff who may run its actions: the
 * guard's board and reports (./guard-tabs.tsx) and the site's administration (./admin-tabs.tsx).
 */
import type { JSX } from 'preact';
import type { SiteMaintenanceProps } from '../../../../ui/site-ui.ts';
import { adminTabs } from './admin-tabs.tsx';
import { guardTabs } from './guard-tabs.tsx';

export interface GateStaffTab {
  /** Stable id: the tab button's test id is `gate-tab-<id>`. */
  readonly id: string;
  /** Text key of the tab's label. */
  readonly label: string;
  /** Shown when the staff member may run this site action (an empty string: always). */
  readonly needs: string;
  readonly Page: (props: SiteMaintenanceProps) => JSX.Element | null;
}

export const gateStaffTabs: readonly GateStaffTab[] = [...guardTabs, ...adminTabs];
