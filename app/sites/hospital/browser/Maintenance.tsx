import { translateOr, type Language } from '../../../ui/i18n.ts';
import { formatTime } from '../../../ui/kit/index.ts';
import type { T } from '../../../ui/App.tsx';
import { hospitalMaintenanceSchema } from '../common/schemas.ts';

/** The hospital's section of the maintenance screen: today's registrations; a pending one, or a patient's repeat visit today, flagged. */
export function HospitalMaintenance({ t, lang, timeZone, summary }: { t: T; lang: Language; timeZone: string; summary: unknown }) {
  const parsed = hospitalMaintenanceSchema.safeParse(summary);
  if (!parsed.success) return null;
  const time = (iso: string) => formatTime(iso, lang, timeZone);
  return (
    <>
      <h2>{t('maintenanceRegistrations')}</h2>
      <table data-testid="registrations">
        <thead>
          <tr><th>{t('colTime')}</th><th>{t('colQueue')}</th><th>{t('colInitials')}</th><th>{t('colRoom')}</th><th>{t('colType')}</th><th /></tr>
        </thead>
        <tbody>
          {parsed.data.registrations.map((r) => (
            <tr key={`${r.registeredAt}-${r.queueNumber}`} class={r.pendingVerification || r.sameDayVisits > 1 ? 'error' : ''}>
              <td data-testid="registration-time">{time(r.registeredAt)}</td>
              <td>{String(r.queueNumber).padStart(4, '0')}</td>
              <td>{r.initials ?? '—'}</td>
              <td>{r.room}</td>
              <td>{translateOr(lang, `examType_${r.examinationType}`, r.examinationType)}</td>
              <td data-testid="registration-flags">
                {[
                  r.pendingVerification ? t('maintenancePending') : '',
                  r.sameDayVisits > 1 ? translateOr(lang, 'hospRepeatToday', `×${r.sameDayVisits}`, { n: r.sameDayVisits }) : '',
                ].filter(Boolean).join(' · ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
