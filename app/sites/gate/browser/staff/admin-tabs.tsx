/** The gate's admin pages of the staff screen (see ./tabs.ts). */
import type { GateStaffTab } from './tabs.ts';

export const adminTabs: readonly GateStaffTab[] = [];
