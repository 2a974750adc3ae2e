import { useEffect, useState } from 'preact/hooks';
import type { MaintenanceSummary } from '../../core/api/kiosk-api.ts';
import type { T } from '../App.tsx';
import type { KioskClient } from '../api-client.ts';
import type { TextKey } from '../i18n.ts';
import { AlertsPanel } from '../components/AlertsPanel.tsx';

export function Maintenance({ t, client, adminToken, onLogout }: { t: T; client: KioskClient; adminToken: string; onLogout: () => void }) {
  const [summary, setSummary] = useState<MaintenanceSummary | undefined>();
  useEffect(() => {
    void client.call('maintenanceSummary', { adminToken }).then(setSummary).catch(onLogout);
  }, [adminToken]);

  const refresh = () => void client.call('maintenanceSummary', { adminToken }).then(setSummary).catch(onLogout);
  if (!summary) return <p>{t('connecting')}</p>;
  const { status, config, audit, printJobs, registrations } = summary;
  const reprint = (jobId: number) => void client.call('reprintJob', { adminToken, jobId }).then(refresh).catch(refresh);
  return (
    <section class="maintenance" data-testid="maintenance">
      <h1>{t('maintenanceTitle')}</h1>
      <p class="meta">v{status.version} · {status.profile} · {status.terminalId}</p>
      <AlertsPanel t={t} client={client} adminToken={adminToken} alerts={summary.alerts} onChange={refresh} />
      <h2>{t('maintenanceDevices')}</h2>
      <table>
        <tbody>
          {status.devices.map((d) => (
            <tr key={d.device} class={d.state}>
              <th>{t(`device_${d.device}` as TextKey)}</th>
              <td>{d.adapter}</td>
              <td>{t(`state_${d.state}` as TextKey)}{d.reason ? ` — ${d.reason}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {registrations && (
        <>
          <h2>{t('maintenanceRegistrations')}</h2>
          <table data-testid="registrations">
            <tbody>
              {registrations.map((r) => (
                <tr key={`${r.registeredAt}-${r.queueNumber}`} class={r.pendingVerification ? 'error' : ''}>
                  <td>{new Date(r.registeredAt).toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' })}</td>
                  <td>{String(r.queueNumber).padStart(4, '0')}</td>
                  <td>{r.initials ?? '—'}</td>
                  <td>{r.room}</td>
                  <td>{r.examinationType === 'insurance' ? 'BHYT' : t('hospService')}</td>
                  <td>{r.pendingVerification ? t('maintenancePending') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>{t('maintenancePrintJobs')}</h2>
      <table data-testid="print-jobs">
        <tbody>
          {printJobs.map((j) => (
            <tr key={j.id}>
              <td>#{j.id}</td>
              <td>{j.kind}</td>
              <td>{j.state}{j.errorCode ? ` — ${j.errorCode}` : ''}</td>
              <td>{j.canReprint && <button type="button" class="secondary" data-testid={`reprint-${j.id}`} onClick={() => reprint(j.id)}>{t('maintenanceReprint')}</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('maintenanceConfig')}</h2>
      <table>
        <tbody>
          {config.map((row) => (
            <tr key={row.key}><th>{row.key}</th><td colSpan={2}>{row.value}</td></tr>
          ))}
        </tbody>
      </table>
      <h2>{t('maintenanceAudit')}</h2>
      <p class={audit.chainOk ? 'ok' : 'error'} data-testid="audit-chain">
        {audit.chainOk ? t('auditChainOk', { rows: audit.rows }) : t('auditChainBroken', { id: audit.firstBrokenId ?? '?' })}
      </p>
      <table class="audit">
        <tbody>
          {audit.recent.map((row) => (
            <tr key={row.id}><td>{row.id}</td><td>{row.at.replace('T', ' ').slice(0, 19)}</td><td>{row.actor}</td><td>{row.action}</td></tr>
          ))}
        </tbody>
      </table>
      <button type="button" class="primary" data-testid="logout" onClick={onLogout}>{t('logout')}</button>
    </section>
  );
}
