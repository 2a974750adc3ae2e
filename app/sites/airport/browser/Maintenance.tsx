import type { Language } from '../../../ui/i18n.ts';
import type { T } from '../../../ui/App.tsx';
import { airportMaintenanceSchema } from '../common/maintenance.ts';
import { calendarDate, clockTime } from './parts.tsx';

/** The airport's section of the maintenance screen: today's check-ins by flight, and a gate's boarding list (initials only). */
export function AirportMaintenance({ t, summary }: { t: T; lang: Language; timeZone: string; summary: unknown }) {
  const parsed = airportMaintenanceSchema.safeParse(summary);
  if (!parsed.success) return null;
  const { checkIns, boarding } = parsed.data;
  return (
    <>
      {boarding === null && (
        <>
          <h2>{t('airMaintCheckIns')}</h2>
          <table data-testid="check-ins">
            <thead>
              <tr><th>{t('airFlight')}</th><th>{t('airDeparture')}</th><th>{t('airMaintPassengers')}</th><th>{t('airMaintBags')}</th></tr>
            </thead>
            <tbody>
              {checkIns.map((c) => (
                <tr key={`${c.flight}-${c.departure}`}>
                  <td>{c.flight}</td>
                  <td>{clockTime(c.departure)} {calendarDate(c.departure).slice(0, 5)}</td>
                  <td data-testid="check-in-initials">{c.passengers.join(', ')}</td>
                  <td>{c.bags}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {boarding && (
        <>
          <h2>{t('airMaintBoarding', { flight: boarding.flight, gate: boarding.gate ?? '—', boarded: boarding.passengers.filter((p) => p.boarded).length, total: boarding.passengers.length })}</h2>
          <table data-testid="boarding-list">
            <thead>
              <tr><th>{t('colInitials')}</th><th>{t('airSeat')}</th><th /></tr>
            </thead>
            <tbody>
              {boarding.passengers.map((p, i) => (
                <tr key={i} class={p.boarded ? 'ok' : ''}>
                  <td>{p.initials}</td>
                  <td>{p.seat ?? '—'}</td>
                  <td>{p.boarded ? t('airMaintBoarded') : t('airMaintNotYet')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}
