/** The gate's guard pages of the staff screen (see ./tabs.ts): passages, attendance, the logbook and statistics. */
import { AttendancePage } from './guard/AttendancePage.tsx';
import { HistoryPage } from './guard/HistoryPage.tsx';
import { LogbookPage } from './guard/LogbookPage.tsx';
import { StatisticsPage } from './guard/StatisticsPage.tsx';
import type { GateStaffTab } from './tabs.ts';
import './guard.css';

export const guardTabs: readonly GateStaffTab[] = [
  { id: 'statistics', label: 'gateTab_statistics', needs: 'statistics', Page: StatisticsPage },
  { id: 'history', label: 'gateTab_history', needs: 'history', Page: HistoryPage },
  { id: 'attendance', label: 'gateTab_attendance', needs: 'attendance', Page: AttendancePage },
  { id: 'logbook', label: 'gateTab_logbook', needs: 'logbook', Page: LogbookPage },
];
