/**
 * The gate's administration staff actions (see ./actions.ts): people and the roster
 * (./admin-people.ts), access groups, week plans and holidays (./admin-access.ts), invitations and
 * the blocklist (./admin-visitors.ts). Reception may run the invitations' actions; the rest is the
 * administrator's. The host checks the role and audits each call by name; the actions audit what
 * they changed (keys only, never an ID number).
 */
import type { SiteStaffAction } from '../../../site-node.ts';
import { accessActions } from './admin-access.ts';
import { peopleActions } from './admin-people.ts';
import { visitorActions } from './admin-visitors.ts';
import type { GateStaffContext } from './context.ts';

export function adminActions(ctx: GateStaffContext): Record<string, SiteStaffAction> {
  return { ...peopleActions(ctx), ...accessActions(ctx), ...visitorActions(ctx) };
}
