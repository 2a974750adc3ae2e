/** The gate's guard pages of the staff screen (see ./tabs.ts). */
import type { GateStaffTab } from './tabs.ts';

export const guardTabs: readonly GateStaffTab[] = [];
