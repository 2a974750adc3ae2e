/**
 * Statistics: who is inside each area now (workers, visitors, visitors' vehicles) with the
 * evacuation list to print, the active workforce by age band, sex, province and department, and
 * visitors per day.
 */
import { useEffect, useState } from 'preact/hooks';
import { formatDateTime, formatTime } from '../../../../../ui/kit/index.ts';
import type { SiteMaintenanceProps } from '../../../../../ui/site-ui.ts';
import { Bars } from '../../Board.tsx';
import { Printable, Problem, useAction } from './report-kit.tsx';

type Counts = Readonly<Record<string, number>>;
interface Muster {
  readonly name: string | null;
  readonly employeeNo: string | null;
  readonly department: string | null;
  readonly visitor: boolean;
  readonly plate: string | null;
  readonly since: string;
}
interface Statistics {
  readonly at: string;
  readonly areas: readonly { id: string; name: string; inside: number; workers: number; visitors: number; vehicles: number; people: readonly Muster[] }[];
  readonly workforce: { total: number; byAgeBand: Counts; bySex: Counts; byBirthProvince: Counts; byResidenceProvince: Counts; byDepartment: Counts };
  readonly visitorsPerDay: Counts;
}

/** The largest `n` counts, largest first (a province chart of 63 bars would not be read). */
const top = (c: Counts, n = 10): Counts => Object.fromEntries(Object.entries(c).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1]).slice(0, n));

function PerDay({ title, counts }: { title: string; counts: Counts }) {
  const max = Math.max(1, ...Object.values(counts));
  return (
    <figure class="gate-columns" data-testid="gate-stats-per-day">
      <figcaption>{title}</figcaption>
      <div class="gate-columns-plot">
        {Object.entries(counts).map(([day, n]) => (
          <div class="gate-column" key={day} title={`${day}: ${n}`}>
            <span class="gate-column-n">{n}</span>
            <span class="gate-column-bar" style={{ height: `${(100 * n) / max}%` }} />
            <span class="gate-column-day">{day.slice(8)}/{day.slice(5, 7)}</span>
          </div>
        ))}
      </div>
    </figure>
  );
}

export function StatisticsPage(props: SiteMaintenanceProps) {
  const { t, lang, timeZone } = props;
  const [s, setS] = useState<Statistics | undefined>();
  const action = useAction<Statistics>(props);
  useEffect(() => void action.call('statistics', {}).then((r) => r && setS(r)), []);
  if (!s) return <Problem text={action.problem} />;
  const unknown = (c: Counts) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k === '?' ? t('gateStatsUnknown') : k, v]));
  return (
    <div class="gate-report gate-statistics" data-testid="gate-statistics">
      <p class="quiet">{t('gateStatsAt', { time: formatDateTime(s.at, lang, timeZone) })}</p>
      <h2>{t('gateStatsInside')}</h2>
      <div class="gate-stat-cards">
        {s.areas.map((a) => (
          <div class="gate-stat-card" key={a.id} data-testid={`gate-stats-area-${a.id}`}>
            <strong class="gate-stat-big" data-testid={`gate-stats-inside-${a.id}`}>{a.inside}</strong>
            <span>{a.name}</span>
            <span class="quiet">{t('gateStatsWorkers', { n: a.workers })} · {t('gateStatsVisitors', { n: a.visitors })}</span>
            <span class="quiet" data-testid={`gate-stats-vehicles-${a.id}`}>{t('gateStatsVehicles', { n: a.vehicles })}</span>
          </div>
        ))}
      </div>
      {s.areas.filter((a) => a.id === s.areas[0]?.id || a.inside > 0).map((a) => (
        <Printable key={a.id} t={t} title={`${t('gateStatsMuster', { name: a.name })} · ${a.inside}`} testId={`gate-muster-${a.id}`}>
          {a.people.length === 0 ? <p class="quiet">{t('gateStatsMusterEmpty')}</p> : (
            <table class="gate-muster-table">
              <thead>
                <tr><th>#</th><th>{t('gateColWho')}</th><th>{t('gateColEmployeeNo')}</th><th>{t('gateColDepartment')}</th><th>{t('gateColSince')}</th><th>{t('gateColPlate')}</th></tr>
              </thead>
              <tbody>
                {a.people.map((p, i) => (
                  <tr key={i} data-testid="gate-muster-row">
                    <td>{i + 1}</td>
                    <td>{p.name ?? '?'}{p.visitor ? ` (${t('gateBoardVisitor')})` : ''}</td>
                    <td>{p.employeeNo ?? '—'}</td>
                    <td>{p.department ?? '—'}</td>
                    <td>{formatTime(p.since, lang, timeZone)}</td>
                    <td>{p.plate ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Printable>
      ))}
      <h2>{t('gateStatsWorkforce', { n: s.workforce.total })}</h2>
      <div class="gate-charts" data-testid="gate-stats-charts">
        <Bars title={t('gateStatsByAge')} counts={s.workforce.byAgeBand} lang={lang} />
        <Bars title={t('gateStatsBySex')} counts={s.workforce.bySex} lang={lang} prefix="gateSex_" />
        <Bars title={t('gateStatsByDepartment')} counts={unknown(top(s.workforce.byDepartment))} lang={lang} />
        <Bars title={t('gateStatsByBirthProvince')} counts={unknown(top(s.workforce.byBirthProvince))} lang={lang} />
        <Bars title={t('gateStatsByResidence')} counts={unknown(top(s.workforce.byResidenceProvince))} lang={lang} />
        <PerDay title={t('gateStatsVisitorsPerDay')} counts={s.visitorsPerDay} />
      </div>
    </div>
  );
}
