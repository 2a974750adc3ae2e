import { useEffect, useState } from 'preact/hooks';
import type { MaintenanceSummary } from '../../core/api/kiosk-api.ts';
import type { T } from '../App.tsx';
import type { KioskClient } from '../api-client.ts';
import { translateOr, type Language } from '../i18n.ts';
import { Button, formatDateTime, formatTime } from '../kit/index.ts';
import { AlertsPanel } from '../components/AlertsPanel.tsx';
import { Fleet } from './Fleet.tsx';
import { siteUiOf } from '../../sites/registry.browser.ts';

interface MaintenanceProps {
  t: T;
  lang: Language;
  /** The site's time zone: every time here reads as the wall clock and the printed ticket do. */
  timeZone: string;
  client: KioskClient;
  adminToken: string;
  onLogout: () => void;
}

/** Staff's view: devices, the site's own section (e.g. today's registrations), print jobs, configuration and the audit log, in words. */
export function Maintenance({ t, lang, timeZone, client, adminToken, onLogout }: MaintenanceProps) {
  const [summary, setSummary] = useState<MaintenanceSummary | undefined>();
  const [fleetOpen, setFleetOpen] = useState(false);
  const refresh = () => void client.call('maintenanceSummary', { adminToken }).then(setSummary).catch(onLogout);
  useEffect(refresh, [adminToken]);

  if (!summary) return <p class="lead">{t('connecting')}</p>;
  if (fleetOpen) {
    const back = () => {
      setFleetOpen(false);
      refresh();
    };
    return <Fleet t={t} lang={lang} timeZone={timeZone} client={client} adminToken={adminToken} terminalId={summary.status.terminalId} onBack={back} onLogout={onLogout} />;
  }
  const { status, config, audit, printJobs, staff } = summary;
  // Guards and reception see the alerts and the site's own section; the kiosk's insides (and the
  // fleet) are for technicians and the administrator.
  const technical = staff.role === 'administrator' || staff.role === 'technician';
  const run = (action: string, input: unknown) => client.call('siteAdmin', { adminToken, action, input });
  const SitePanel = summary.site && siteUiOf(summary.site.kind)?.Maintenance;
  const reprint = (jobId: number) => void client.call('reprintJob', { adminToken, jobId }).then(refresh).catch(refresh);
  const words = (prefix: string, code: string) => translateOr(lang, `${prefix}${code}`, code);
  const time = (iso: string) => formatTime(iso, lang, timeZone);
  return (
    <section class="screen maintenance" data-testid="maintenance">
      <header class="maintenance-head">
        <div>
          <h1>{t('maintenanceTitle')}</h1>
          <p class="quiet">{t('maintenanceVersion', { version: status.version, profile: status.profile, terminal: status.terminalId })}</p>
          <p class="quiet" data-testid="staff-who">{t('maintenanceStaff', { name: staff.name, role: t(`staffRole_${staff.role}`) })}</p>
        </div>
        <div class="maintenance-actions">
          {summary.siteHub && technical && <Button kind="secondary" icon="desk" testId="fleet-open" onClick={() => setFleetOpen(true)}>{t('fleetOpen')}</Button>}
          <Button kind="primary" icon="back" testId="logout" onClick={onLogout}>{t('logout')}</Button>
        </div>
      </header>

      <AlertsPanel t={t} client={client} adminToken={adminToken} alerts={summary.alerts} time={(iso) => formatDateTime(iso, lang, timeZone)} onChange={refresh} />

      {SitePanel && !technical && <SitePanel t={t} lang={lang} timeZone={timeZone} summary={summary.site} staff={staff} actions={summary.siteActions} run={run} refresh={refresh} />}
      {technical && <>
      <h2>{t('maintenanceDevices')}</h2>
      <table>
        <tbody>
          {status.devices.map((d) => (
            <tr key={d.device} class={d.state}>
              <th>{words('device_', d.device)}</th>
              <td>{d.adapter}</td>
              <td>{words('state_', d.state)}{d.reason ? ` — ${d.reason}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>

      {SitePanel && <SitePanel t={t} lang={lang} timeZone={timeZone} summary={summary.site} staff={staff} actions={summary.siteActions} run={run} refresh={refresh} />}

      <h2>{t('maintenancePrintJobs')}</h2>
      <table data-testid="print-jobs">
        <thead>
          <tr><th>{t('colJob')}</th><th>{t('colTime')}</th><th>{t('colState')}</th><th /></tr>
        </thead>
        <tbody>
          {printJobs.map((j) => (
            <tr key={j.id} class={j.state === 'failed' ? 'error' : ''} data-testid={`print-job-${j.id}`}>
              <td>
                #{j.id} · {words('printKind_', j.kind)}
                {j.reference && <strong> · {t('printTicket', { number: j.reference })}</strong>}
                {j.reprintOf !== null && <span class="quiet"> ({t('printReprintOf', { id: j.reprintOf })})</span>}
              </td>
              <td data-testid="print-job-time">{time(j.createdAt)}</td>
              <td>{words('printState_', j.state)}{j.errorCode ? ` — ${words('err_', j.errorCode)}` : ''}</td>
              <td>{j.canReprint && <Button kind="secondary" testId={`reprint-${j.id}`} onClick={() => reprint(j.id)}>{t('maintenanceReprint')}</Button>}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('maintenanceConfig')}</h2>
      <table data-testid="config">
        <tbody>
          {config.map((row) => (
            <tr key={row.key}>
              <th>{row.label ? translateOr(lang, `cfg_${row.label}`, row.key) : row.key}</th>
              <td>{row.text ? translateOr(lang, `cfgValue_${row.text}`, row.value, row.params) : row.value}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('maintenanceAudit')}</h2>
      <p class={audit.chainOk ? 'ok' : 'error'} data-testid="audit-chain">
        {audit.chainOk ? t('auditChainOk', { rows: audit.rows }) : t('auditChainBroken', { id: audit.firstBrokenId ?? '?' })}
      </p>
      <table class="audit" data-testid="audit">
        <thead>
          <tr><th>#</th><th>{t('colTime')}</th><th>{t('colActor')}</th><th>{t('colEvent')}</th></tr>
        </thead>
        <tbody>
          {audit.recent.map((row) => (
            <tr key={row.id}>
              <td>{row.id}</td>
              <td>{formatDateTime(row.at, lang, timeZone)}</td>
              <td>{words('actor_', row.actor)}</td>
              <td title={row.action}>{words('audit_', row.action)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </>}
    </section>
  );
}
