/** The gate's admin staff actions (see ./actions.ts). */
import type { SiteStaffAction } from '../../../site-node.ts';
import type { GateStaffContext } from './context.ts';

export function adminActions(_ctx: GateStaffContext): Record<string, SiteStaffAction> {
  return {};
}
