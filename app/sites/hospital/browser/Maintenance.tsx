import { translateOr, type Language } from '../../../ui/i18n.ts';
import { formatTime } from '../../../ui/kit/index.ts';
import type { T } from '../../../ui/App.tsx';
import { hospitalMaintenanceSchema } from '../common/schemas.ts';
import { vnd } from './BillScreens.tsx';

/**
 * The hospital's section of the maintenance screen: today's registrations (a pending one, or a
 * patient's repeat visit today, flagged); the day's payments by method and state, then each one
 * (the staff's reconciliation); at a clinic's door, the identity checks (the nurse's list).
 */
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
      {parsed.data.payments && <Payments t={t} lang={lang} time={time} report={parsed.data.payments} />}
      {parsed.data.checks && <Checks t={t} lang={lang} time={time} checks={parsed.data.checks} />}
    </>
  );
}

type Summary = ReturnType<typeof hospitalMaintenanceSchema.parse>;
type Words = { t: T; lang: Language; time: (iso: string) => string };

function Payments({ t, lang, time, report }: Words & { report: NonNullable<Summary['payments']> }) {
  const word = (prefix: string, code: string) => translateOr(lang, `${prefix}${code}`, code);
  const flagged = (state: string) => state === 'needs-staff' || state === 'started' || state === 'approved' || state === 'refunding';
  return (
    <>
      <h2>{t('maintenancePayments')}</h2>
      <table data-testid="payment-tallies">
        <thead>
          <tr><th>{t('colMethod')}</th><th>{t('colState')}</th><th>{t('colCount')}</th><th>{t('colAmount')}</th></tr>
        </thead>
        <tbody>
          {report.tallies.map((r) => (
            <tr key={`${r.method}-${r.state}`} class={flagged(r.state) ? 'error' : ''} data-method={r.method} data-state={r.state}>
              <td>{word('payMethod_', r.method)}</td><td>{word('payState_', r.state)}</td><td>{r.count}</td><td>{vnd(r.amountVnd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <table data-testid="payments">
        <thead>
          <tr><th>{t('colTime')}</th><th>{t('colBills')}</th><th>{t('colMethod')}</th><th>{t('colAmount')}</th><th>{t('colState')}</th></tr>
        </thead>
        <tbody>
          {report.payments.map((p) => (
            <tr key={p.key} class={flagged(p.state) ? 'error' : ''} data-key={p.key}>
              <td>{time(p.at)}</td><td>{p.bills.join(', ')}</td><td>{word('payMethod_', p.method)}</td><td>{vnd(p.amountVnd)}</td>
              <td>{word('payState_', p.state)}{p.problem ? ` · ${p.problem}` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function Checks({ t, lang, time, checks }: Words & { checks: NonNullable<Summary['checks']> }) {
  return (
    <>
      <h2>{t('maintenanceChecks')}</h2>
      <table data-testid="clinic-checks">
        <thead>
          <tr><th>{t('colTime')}</th><th>{t('colQueue')}</th><th>{t('colCheck')}</th></tr>
        </thead>
        <tbody>
          {checks.map((c) => (
            <tr key={`${c.at}-${c.queueNumber}`} class={c.result === 'confirmed' ? '' : 'error'} data-result={c.result}>
              <td>{time(c.at)}</td>
              <td>{c.queueNumber === null ? '—' : String(c.queueNumber).padStart(4, '0')}</td>
              <td>{translateOr(lang, `checkResult_${c.result}_${c.method}`, translateOr(lang, `checkResult_${c.result}`, c.result))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
