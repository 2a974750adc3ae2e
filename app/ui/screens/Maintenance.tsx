import { useEffect, useState } from 'preact/hooks';
import type { MaintenanceSummary } from '../../core/api/kiosk-api.ts';
import type { T } from '../App.tsx';
import type { KioskClient } from '../api-client.ts';
import type { TextKey } from '../i18n.ts';

export function Maintenance({ t, client, adminToken, onLogout }: { t: T; client: KioskClient; adminToken: string; onLogout: () => void }) {
  const [summary, setSummary] = useState<MaintenanceSummary | undefined>();
  useEffect(() => {
    void client.call('maintenanceSummary', { adminToken }).then(setSummary).catch(onLogout);
  }, [adminToken]);

  if (!summary) return <p>{t('connecting')}</p>;
  const { status, config, audit } = summary;
  return (
    <section class="maintenance" data-testid="maintenance">
      <h1>{t('maintenanceTitle')}</h1>
      <p class="meta">v{status.version} · {status.profile} · {status.terminalId}</p>
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
