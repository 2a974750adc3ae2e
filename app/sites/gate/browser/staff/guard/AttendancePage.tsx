/** Attendance for a range of days: per person and day the first entry, the last exit and the hours; CSV for HR. */
import { useState } from 'preact/hooks';
import { Button } from '../../../../../ui/kit/index.ts';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { DayField, downloadCsv, Problem, TextField, todayIn, useAction } from './report-kit.tsx';

interface Row {
  readonly person: string;
  readonly day: string;
  readonly name: string | null;
  readonly employeeNo: string | null;
  readonly department: string | null;
  readonly firstIn: string | null;
  readonly lastOut: string | null;
  readonly hours: number | null;
}

export function AttendancePage(props: SiteMaintenanceProps) {
  const { t, lang, timeZone } = props;
  const today = todayIn(timeZone);
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [person, setPerson] = useState('');
  const [report, setReport] = useState<{ rows: readonly Row[]; total: number } | undefined>();
  const action = useAction<unknown>(props);
  const query = () => ({ from, to, ...(person.trim() ? { person: person.trim() } : {}) });
  const show = async () => {
    const r = (await action.call('attendance', query())) as { rows: Row[]; total: number } | undefined;
    if (r) setReport(r);
  };
  const csv = async () => {
    const r = (await action.call('attendance', { ...query(), format: 'csv' })) as { csv: string; fileName: string } | undefined;
    if (r) downloadCsv(r.csv, r.fileName);
  };
  const hours = (h: number | null) => (h === null ? '—' : h.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 2 }));
  return (
    <div class="gate-report" data-testid="gate-attendance">
      <form class="gate-report-form" onSubmit={(e) => (e.preventDefault(), void show())}>
        <TextField label={t('gateReportPerson')} value={person} onInput={setPerson} testId="gate-attendance-person" />
        <DayField label={t('gateReportFrom')} value={from} onInput={setFrom} testId="gate-attendance-from" />
        <DayField label={t('gateReportTo')} value={to} onInput={setTo} testId="gate-attendance-to" />
        <Button kind="primary" testId="gate-attendance-show" disabled={action.busy} onClick={() => void show()}>{t('gateReportShow')}</Button>
        <Button kind="secondary" testId="gate-attendance-csv" disabled={action.busy} onClick={() => void csv()}>{t('gateReportCsv')}</Button>
      </form>
      <Problem text={action.problem} />
      {report && report.total === 0 && <p class="quiet">{t('gateReportNone')}</p>}
      {report && report.rows.length > 0 && (
        <>
          {report.total > report.rows.length && <p class="quiet">{t('gateReportShown', { shown: report.rows.length, total: report.total })}</p>}
          <table data-testid="gate-attendance-rows">
            <thead>
              <tr><th>{t('gateColDay')}</th><th>{t('gateColWho')}</th><th>{t('gateColEmployeeNo')}</th><th>{t('gateColDepartment')}</th><th>{t('gateColFirstIn')}</th><th>{t('gateColLastOut')}</th><th>{t('gateColHours')}</th></tr>
            </thead>
            <tbody>
              {report.rows.map((r) => (
                <tr key={`${r.day}-${r.person}`} data-testid="gate-attendance-row" data-employee={r.employeeNo ?? ''}>
                  <td class="nowrap">{r.day}</td>
                  <td>{r.name ?? '—'}</td>
                  <td>{r.employeeNo ?? '—'}</td>
                  <td>{r.department ?? '—'}</td>
                  <td data-testid="gate-attendance-first-in">{r.firstIn ?? '—'}</td>
                  <td data-testid="gate-attendance-last-out">{r.lastOut ?? '—'}</td>
                  <td class="num">{hours(r.hours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
