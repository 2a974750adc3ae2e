/**
 * The gate's section of the staff screen: the guard's board. Alarms first (a blocklist hit with
 * both photos, acknowledged with a note; a new one sounds), then who is inside each area (the
 * evacuation list), the latest passages, and today's counts as bars. Read again every few seconds.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { translateOr, type Language } from '../../../ui/i18n.ts';
import { formatTime } from '../../../ui/kit/index.ts';
import type { SiteMaintenanceProps } from '../../../ui/site-ui.ts';
import { gateBoardSchema } from '../common/site.ts';
import { AlarmCard } from './staff/guard/AlarmCard.tsx';
import { alarmCue } from './staff/guard/alarm-sound.ts';

/** How often the board asks for the station's summary again. */
const REFRESH_MS = 4000;

/** Counts as labelled bars (a label may be translated through `prefix`). */
export function Bars({ title, counts, lang, prefix }: { title: string; counts: Readonly<Record<string, number>>; lang: Language; prefix?: string }) {
  const max = Math.max(1, ...Object.values(counts));
  return (
    <figure class="gate-bars">
      <figcaption>{title}</figcaption>
      {Object.entries(counts).map(([k, n]) => (
        <div class="bar" key={k}>
          <span class="bar-label">{prefix ? translateOr(lang, `${prefix}${k}`, k) : k}</span>
          <span class="bar-track"><span class="bar-fill" style={{ width: `${(100 * n) / max}%` }} /></span>
          <span class="bar-n">{n}</span>
        </div>
      ))}
    </figure>
  );
}

export function GateBoardPanel(props: SiteMaintenanceProps) {
  const { t, lang, timeZone, summary, refresh } = props;
  const parsed = gateBoardSchema.safeParse(summary);
  const alarmIds = parsed.success ? parsed.data.alarms.map((a) => a.id) : [];
  const seen = useRef(new Set<number>());
  const [cues, setCues] = useState(0);
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    const timer = setInterval(() => latest.current(), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  // A new alarm sounds once (also one already open when the guard logs in).
  useEffect(() => {
    const fresh = alarmIds.filter((id) => !seen.current.has(id));
    for (const id of fresh) seen.current.add(id);
    if (fresh.length > 0 && alarmCue()) setCues((n) => n + 1);
  }, [alarmIds.join(',')]);
  if (!parsed.success) return null;
  const b = parsed.data;
  const time = (iso: string) => formatTime(iso, lang, timeZone);
  return (
    <div class="gate-board" data-testid="gate-board" data-alarm-cues={cues}>
      <h2>{t('gateBoardAlarms')}</h2>
      {b.alarms.length === 0 ? (
        <p class="quiet">{t('gateBoardNoAlarms')}</p>
      ) : (
        <ul class="gate-alarms" data-testid="gate-alarms">
          {b.alarms.map((a) => <AlarmCard key={a.id} alarm={a} props={props} onDone={refresh} />)}
        </ul>
      )}
      <h2>{t('gateBoardInside')}</h2>
      {b.areas.map((a) => (
        <details key={a.id} open={a.inside.length > 0 && a.inside.length <= 30} data-testid={`gate-inside-${a.id}`}>
          <summary>{a.name}: <strong data-testid={`gate-inside-count-${a.id}`}>{a.inside.length}</strong></summary>
          <ol class="gate-muster">
            {a.inside.map((p, i) => (
              <li key={i}>{p.name}{p.visitor ? ` (${t('gateBoardVisitor')})` : ''} · {time(p.since)}</li>
            ))}
          </ol>
        </details>
      ))}
      <h2>{t('gateBoardRecent')}</h2>
      <table data-testid="gate-recent">
        <thead>
          <tr><th>{t('colTime')}</th><th>{t('gateBoardDoor')}</th><th>{t('gateBoardWho')}</th><th>{t('gateBoardResult')}</th></tr>
        </thead>
        <tbody>
          {b.recent.map((e, i) => (
            <tr key={i} class={e.decision === 'refused' ? 'error' : ''}>
              <td>{time(e.at)}</td>
              <td>{e.door} · {t(e.direction === 'in' ? 'gateIn' : 'gateOut')}</td>
              <td>{e.name ?? '—'}</td>
              <td>{e.decision === 'opened' ? t('gateBoardOpened') : translateOr(lang, `gateRefused_${e.reason ?? ''}`, e.reason ?? '')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('gateBoardToday', { entries: b.today.entries, refusals: b.today.refusals, visitors: b.today.visitors })}</h2>
      <div class="gate-charts" data-testid="gate-stats">
        <Bars title={t('gateBoardByAge')} counts={b.today.byAgeBand} lang={lang} />
        <Bars title={t('gateBoardBySex')} counts={b.today.bySex} lang={lang} prefix="gateSex_" />
        <Bars title={t('gateBoardByDepartment')} counts={b.today.byDepartment} lang={lang} />
      </div>
      <p class="quiet">{t('gateBoardEnrolled', { people: b.people, templates: b.templates.people, blocked: b.templates.blocklist })}</p>
    </div>
  );
}
