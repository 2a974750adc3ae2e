/** The history of passages: by person, door and days, newest first, a page at a time. */
import { useState } from 'preact/hooks';
import { translateOr } from '../../../../../ui/i18n.ts';
import { Button, formatDateTime } from '../../../../../ui/kit/index.ts';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import type { HistoryRow } from '../../../common/report-rows.ts';
import { gateBoardSchema } from '../../../common/site.ts';
import { DayField, Problem, TextField, todayIn, useAction } from './report-kit.tsx';

interface Page {
  readonly rows: readonly HistoryRow[];
  readonly next: { at: string; seq: number } | null;
}

export function HistoryPage(props: SiteMaintenanceProps) {
  const { t, lang, timeZone } = props;
  const today = todayIn(timeZone);
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [person, setPerson] = useState('');
  const [door, setDoor] = useState('');
  const [rows, setRows] = useState<readonly HistoryRow[] | undefined>();
  const [next, setNext] = useState<Page['next']>(null);
  const action = useAction<Page>(props);
  const doors = doorsOf(props.summary);
  const load = async (more: boolean) => {
    const page = await action.call('history', { from, to, limit: 50, ...(person.trim() ? { person: person.trim() } : {}), ...(door ? { door } : {}), ...(more && next ? { before: next } : {}) });
    if (!page) return;
    setRows(more && rows ? [...rows, ...page.rows] : page.rows);
    setNext(page.next);
  };
  return (
    <div class="gate-report" data-testid="gate-history">
      <form class="gate-report-form" onSubmit={(e) => (e.preventDefault(), void load(false))}>
        <TextField label={t('gateReportPerson')} value={person} onInput={setPerson} testId="gate-history-person" />
        {doors.length > 0 && (
          <label class="gate-report-field">
            <span>{t('gateReportDoor')}</span>
            <select value={door} data-testid="gate-history-door" onChange={(e) => setDoor((e.target as HTMLSelectElement).value)}>
              <option value="">{t('gateReportAllDoors')}</option>
              {doors.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
            </select>
          </label>
        )}
        <DayField label={t('gateReportFrom')} value={from} onInput={setFrom} testId="gate-history-from" />
        <DayField label={t('gateReportTo')} value={to} onInput={setTo} testId="gate-history-to" />
        <Button kind="primary" testId="gate-history-show" disabled={action.busy} onClick={() => void load(false)}>{t('gateReportShow')}</Button>
      </form>
      <Problem text={action.problem} />
      {rows && rows.length === 0 && <p class="quiet">{t('gateReportNone')}</p>}
      {rows && rows.length > 0 && (
        <table data-testid="gate-history-rows">
          <thead>
            <tr><th>{t('colTime')}</th><th>{t('gateColWho')}</th><th>{t('gateReportDoor')}</th><th>{t('gateColMethod')}</th><th>{t('gateBoardResult')}</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.seq} class={r.decision === 'refused' ? 'error' : ''}>
                <td class="nowrap">{formatDateTime(r.at, lang, timeZone)}</td>
                <td>{r.name ?? '—'}{r.employeeNo ? ` · ${r.employeeNo}` : ''}{r.visitor ? ` (${t('gateBoardVisitor')})` : ''}</td>
                <td>{r.door === 'auto' ? translateOr(lang, 'gateMethod_auto', 'auto') : r.door} · {t(r.direction === 'in' ? 'gateIn' : 'gateOut')}</td>
                <td>{translateOr(lang, `gateMethod_${r.method}`, r.method)}</td>
                <td>{r.decision === 'opened' ? t('gateBoardOpened') : translateOr(lang, `gateRefused_${r.reason ?? ''}`, r.reason ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && <Button kind="secondary" testId="gate-history-more" disabled={action.busy} onClick={() => void load(true)}>{t('gateReportMore')}</Button>}
    </div>
  );
}

/** The site's doors, as the station's summary names them (the history filters by door id). */
function doorsOf(summary: unknown): { id: string; name: string }[] {
  const b = gateBoardSchema.safeParse(summary);
  return b.success && b.data.doors ? b.data.doors : [];
}
