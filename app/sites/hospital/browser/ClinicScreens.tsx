/**
 * The clinic's door: checked in, with the person's number and the numbers to be called next; or
 * sent on (another clinic's ticket, no visit here today). A check that does not confirm never has a
 * screen of its own here: staff are told, the waiting room is not.
 */
import type { z } from 'zod';
import { Icon, Screen } from '../../../ui/kit/index.ts';
import type { SiteStepProps } from '../../../ui/site-ui.ts';
import type { clinicCheckedViewSchema, clinicElsewhereViewSchema, clinicNoVisitViewSchema } from '../common/schemas.ts';

type Props<S extends z.ZodType> = SiteStepProps & { data: z.output<S> };

const number = (n: number) => String(n).padStart(4, '0');

export function ClinicChecked(props: Props<typeof clinicCheckedViewSchema>) {
  const { t, data } = props;
  return (
    <Screen testId="site-clinic-checked" class="hospital clinic-checked" title={<><Icon name="ok" class="icon paid-icon" /> {t('clinicCheckedTitle')}</>} actions={props.finish}>
      {data.queueNumber !== null && (
        <div class="clinic-number">
          <p class="lead">{t('clinicYourNumber')}</p>
          <p class="bills-amount" data-testid="clinic-number">{number(data.queueNumber)}</p>
        </div>
      )}
      <section class="paid-block">
        <h2>{t('clinicCalledNext')}</h2>
        <ol class="called" data-testid="clinic-called">
          {data.called.map((n) => (
            <li key={n} class={n === data.queueNumber ? 'mine' : ''}>{number(n)}</li>
          ))}
        </ol>
      </section>
      {data.ahead !== null && <p class="lead" data-testid="clinic-ahead">{data.ahead === 0 ? t('clinicNext') : t('clinicAhead', { n: data.ahead })}</p>}
    </Screen>
  );
}

export function ClinicElsewhere(props: Props<typeof clinicElsewhereViewSchema>) {
  const { t, data } = props;
  return (
    <Screen testId="site-clinic-elsewhere" class="hospital clinic-elsewhere" title={t('clinicElsewhereTitle')} actions={props.finish}>
      <p class="lead" data-testid="clinic-room">{data.room ? t('clinicElsewhereLead', { room: data.room }) : t('clinicElsewhereUnknown')}</p>
    </Screen>
  );
}

export function ClinicNoVisit(props: Props<typeof clinicNoVisitViewSchema>) {
  const { t } = props;
  return (
    <Screen testId="site-clinic-no-visit" class="hospital clinic-no-visit" title={t('clinicNoVisitTitle')} actions={props.finish}>
      <p class="lead">{t('clinicNoVisitLead')}</p>
    </Screen>
  );
}
