/** The gate's guard staff actions (see ./actions.ts). */
import type { SiteStaffAction } from '../../../site-node.ts';
import type { GateStaffContext } from './context.ts';

export function guardActions(_ctx: GateStaffContext): Record<string, SiteStaffAction> {
  return {};
}
