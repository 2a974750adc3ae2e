import type { KioskAlert } from '../../core/api/kiosk-api.ts';
import type { T } from '../App.tsx';
import type { KioskClient } from '../api-client.ts';
import type { TextKey } from '../i18n.ts';
import { Button } from '../kit/index.ts';

/** An alert in words staff can act on: which ticket and room, and what the national system said. */
function describe(t: T, alert: KioskAlert): string {
  if (alert.kind !== 'central-verdict-late') return t('alertOther', { kind: alert.kind, code: alert.code });
  const verdictKey = `err_VERIFY_${alert.code}` as TextKey;
  const verdict = t(verdictKey);
  return t('alertCentralVerdictLate', {
    queue: String(alert.detail.queueNumber ?? '?').padStart(4, '0'),
    room: String(alert.detail.room ?? '?'),
    // A verdict the texts do not know shows as its code rather than as a text key.
    verdict: verdict === verdictKey ? alert.code : verdict,
  });
}

/** Open alerts on the maintenance screen, each until a member of staff takes it in hand. */
export function AlertsPanel({ t, client, adminToken, alerts, time, onChange }: {
  t: T;
  client: KioskClient;
  adminToken: string;
  alerts: readonly KioskAlert[];
  /** Formats a time in the site's time zone and the screen's language. */
  time: (iso: string) => string;
  onChange: () => void;
}) {
  if (alerts.length === 0) return null;
  const acknowledge = (alertId: number) => void client.call('acknowledgeAlert', { adminToken, alertId }).then(onChange).catch(onChange);
  return (
    <section class="alerts" data-testid="alerts" role="alert">
      <h2>{t('alertsTitle')}</h2>
      <table>
        <tbody>
          {alerts.map((a) => (
            <tr key={a.id} class="error" data-testid={`alert-${a.id}`} data-code={a.code}>
              <td>{time(a.raisedAt)}</td>
              <td>{describe(t, a)}</td>
              <td>
                <Button kind="secondary" testId={`acknowledge-${a.id}`} onClick={() => acknowledge(a.id)}>{t('alertAcknowledge')}</Button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
