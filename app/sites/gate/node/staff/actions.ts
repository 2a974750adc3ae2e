/**
 * The gate's staff actions (kiosk API `siteAdmin`), by name: the site's administration
 * (./admin.ts: people, groups, plans, invitations, blocklist, roster) and the guard station and
 * reports (./guard.ts: alarms, who is inside, history, attendance, statistics).
 */
import type { SiteStaffAction } from '../../../site-node.ts';
import { adminActions } from './admin.ts';
import type { GateStaffContext } from './context.ts';
import { guardActions } from './guard.ts';

export function gateStaffActions(ctx: GateStaffContext): Readonly<Record<string, SiteStaffAction>> {
  return { ...adminActions(ctx), ...guardActions(ctx) };
}
