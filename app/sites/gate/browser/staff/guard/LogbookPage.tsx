/** The duty logbook of one day: every passage, alarm and its handling, and visit, oldest first; printable and as CSV. */
import { useState } from 'preact/hooks';
import { translateOr } from '../../../../../ui/i18n.ts';
import { Button, formatTime } from '../../../../../ui/kit/index.ts';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import type { LogbookLine } from '../../../common/report-rows.ts';
import { DayField, downloadCsv, Printable, Problem, todayIn, useAction } from './report-kit.tsx';

export function LogbookPage(props: SiteMaintenanceProps) {
  const { t, lang, timeZone } = props;
  const [day, setDay] = useState(todayIn(timeZone));
  const [shown, setShown] = useState<{ day: string; lines: readonly LogbookLine[]; total: number } | undefined>();
  const action = useAction<unknown>(props);
  const show = async () => {
    const r = (await action.call('logbook', { day })) as { lines: LogbookLine[]; total: number } | undefined;
    if (r) setShown({ day, ...r });
  };
  const csv = async () => {
    const r = (await action.call('logbook', { day, format: 'csv' })) as { csv: string; fileName: string } | undefined;
    if (r) downloadCsv(r.csv, r.fileName);
  };
  const what = (l: LogbookLine) => {
    // A refusal in the guard's words: an alarm's name where it raised one, else the reason the person was told.
    if (l.kind === 'access') return l.what === 'opened' ? t('gateBoardOpened') : translateOr(lang, `gateAlarm_${l.what}`, translateOr(lang, `gateRefused_${l.what}`, l.what));
    if (l.kind === 'alarm' || l.kind === 'acknowledged') return translateOr(lang, `gateAlarm_${l.what}`, l.what);
    if (l.kind === 'visit') return translateOr(lang, `gateVisit_${l.what}`, l.what);
    return l.what;
  };
  return (
    <div class="gate-report" data-testid="gate-logbook">
      <form class="gate-report-form no-print" onSubmit={(e) => (e.preventDefault(), void show())}>
        <DayField label={t('gateReportDay')} value={day} onInput={setDay} testId="gate-logbook-day" />
        <Button kind="primary" testId="gate-logbook-show" disabled={action.busy} onClick={() => void show()}>{t('gateReportShow')}</Button>
        <Button kind="secondary" testId="gate-logbook-csv" disabled={action.busy} onClick={() => void csv()}>{t('gateReportCsv')}</Button>
      </form>
      <Problem text={action.problem} />
      {shown && (
        <Printable t={t} title={t('gateLogbookTitle', { day: shown.day })} testId="gate-logbook-sheet">
          {shown.total > shown.lines.length && <p class="quiet">{t('gateReportShown', { shown: shown.lines.length, total: shown.total })}</p>}
          {shown.lines.length === 0 ? <p class="quiet">{t('gateReportNone')}</p> : (
            <table data-testid="gate-logbook-rows">
              <thead>
                <tr><th>{t('colTime')}</th><th>{t('gateColWhat')}</th><th>{t('gateColWho')}</th><th>{t('gateReportDoor')}</th><th>{t('gateColNote')}</th></tr>
              </thead>
              <tbody>
                {shown.lines.map((l, i) => (
                  <tr key={i} class={l.kind === 'alarm' || (l.kind === 'access' && l.what !== 'opened') ? 'error' : ''} data-kind={l.kind}>
                    <td class="nowrap">{formatTime(l.at, lang, timeZone)}</td>
                    <td>{translateOr(lang, `gateLog_${l.kind}`, l.kind)}: {what(l)}</td>
                    <td>{l.name ?? '—'}</td>
                    <td>{l.door === null ? '—' : l.door === 'auto' ? `${t('gateMethod_auto')} · ${t(l.direction === 'in' ? 'gateIn' : 'gateOut')}` : l.door}</td>
                    <td>{l.note ? `${l.note}${l.by ? ` (${l.by})` : ''}` : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Printable>
      )}
    </div>
  );
}
