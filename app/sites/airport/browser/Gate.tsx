/** The e-gate's answer, readable while walking up to it: go through, or see the staff with the reason. */
import type { z } from 'zod';
import { translateCode } from '../../../ui/i18n.ts';
import { Icon, ProblemPanel, Screen } from '../../../ui/kit/index.ts';
import type { gateOpenViewSchema, gateRefusedViewSchema } from '../common/views.ts';
import { type AirProps } from './parts.tsx';

export function GateOpen(props: AirProps<z.output<typeof gateOpenViewSchema>>) {
  const { t, data } = props;
  const { flight } = data;
  return (
    <Screen
      testId="site-gate-open"
      class="airport gate gate-open"
      title={t('airGateOpenTitle')}
      actions={props.finish}
    >
      <Icon name="ok" class="gate-icon" />
      <p class="gate-flight" data-testid="gate-flight">{t('airGateOpenLead', { flight: `${flight.carrier} ${flight.number}`, city: flight.toCity })}</p>
      {data.seat && <p class="gate-seat" data-testid="gate-seat">{t('airSeat')} {data.seat}</p>}
    </Screen>
  );
}

export function GateRefused(props: AirProps<z.output<typeof gateRefusedViewSchema>>) {
  const { t, lang, data } = props;
  return (
    <Screen
      testId="site-gate-refused"
      class="airport gate gate-refused"
      data={{ code: data.code }}
      title={t('airGateRefusedTitle')}
      actions={props.finish}
    >
      <ProblemPanel words={translateCode(lang, 'err_', data.code)} hint={t('airGateSeeStaff')} staffCode={t('staffCode', { code: data.code })} />
    </Screen>
  );
}
