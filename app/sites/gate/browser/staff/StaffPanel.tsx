/**
 * The gate's section of the staff screen: the guard's board first, then one tab per page the
 * logged-in member of staff may use (./tabs.ts).
 */
import { useState } from 'preact/hooks';
import type { SiteMaintenanceProps } from '../../../../ui/site-ui.ts';
import { GateBoardPanel } from '../Board.tsx';
import { gateStaffTabs } from './tabs.ts';

export function GateStaffPanel(props: SiteMaintenanceProps) {
  const tabs = gateStaffTabs.filter((tab) => tab.needs === '' || props.actions.includes(tab.needs));
  const [open, setOpen] = useState('board');
  const page = tabs.find((tab) => tab.id === open);
  return (
    <div class="gate-staff" data-testid="gate-staff">
      {tabs.length > 0 && (
        <nav class="gate-tabs" role="tablist">
          {[{ id: 'board', label: 'gateTab_board' }, ...tabs].map((tab) => (
            <button key={tab.id} type="button" role="tab" aria-selected={open === tab.id} class={open === tab.id ? 'active' : ''} data-testid={`gate-tab-${tab.id}`} onClick={() => setOpen(tab.id)}>
              {props.t(tab.label as Parameters<typeof props.t>[0])}
            </button>
          ))}
        </nav>
      )}
      {page ? <page.Page {...props} /> : <GateBoardPanel {...props} />}
    </div>
  );
}
