/**
 * The gate's admin pages of the staff screen (see ./tabs.ts): people, access (groups, week plans,
 * holidays), invitations, the blocklist and the roster CSV; each shown to whoever may run its first
 * action (reception: invitations; the administrator: all).
 */
import './admin.css';
import { AccessPage } from './admin/Access.tsx';
import { BlocklistPage } from './admin/Blocklist.tsx';
import { InvitationsPage } from './admin/Invitations.tsx';
import { PeoplePage } from './admin/People.tsx';
import { RosterPage } from './admin/Roster.tsx';
import type { GateStaffTab } from './tabs.ts';

export const adminTabs: readonly GateStaffTab[] = [
  { id: 'invitations', label: 'gateTab_invitations', needs: 'invitation-list', Page: InvitationsPage },
  { id: 'people', label: 'gateTab_people', needs: 'people-search', Page: PeoplePage },
  { id: 'access', label: 'gateTab_access', needs: 'access-list', Page: AccessPage },
  { id: 'blocklist', label: 'gateTab_blocklist', needs: 'blocklist-list', Page: BlocklistPage },
  { id: 'roster', label: 'gateTab_roster', needs: 'roster-export', Page: RosterPage },
];
