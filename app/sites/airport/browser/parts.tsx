/** What the airport's screens share: their props, the flight card, the way to the counter, names and times. */
import { Button, Icon } from '../../../ui/kit/index.ts';
import type { SiteStepProps } from '../../../ui/site-ui.ts';
import { parseAirlineName } from '../common/name-match.ts';
import { localParts } from '../common/time-rules.ts';
import type { FlightView } from '../common/views.ts';

export type Choose = (payload: Record<string, unknown>) => void;
export type AirProps<D> = SiteStepProps & { data: D; choose: Choose };

/** `08:30` of an offset date-time as the airport's clock shows it (the DCS writes the airport's offset). */
export const clockTime = (at: string) => localParts(at).time;
/** `15/03/2026`. */
export const calendarDate = (at: string) => {
  const d = localParts(at).date;
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;
};

/** A booked name as people read it: `NGUYEN/VAN AN MR` → `NGUYEN VAN AN`. */
export function readableName(booked: string): string {
  const n = parseAirlineName(booked);
  return [...n.surname, ...n.given].join(' ');
}

/** The passenger's own "go to the counter", offered on every step of check-in. */
export function CounterButton({ t, choose }: Pick<AirProps<unknown>, 't' | 'choose'>) {
  return (
    <Button kind="secondary" icon="desk" testId="to-counter" onClick={() => choose({ choose: 'counter' })}>
      {t('airToCounter')}
    </Button>
  );
}

/** The flight as a card: route with city names, number, date, departure, boarding and gate. */
export function FlightCard({ t, flight, testId = 'flight-card', compact }: Pick<SiteStepProps, 't'> & { flight: FlightView; testId?: string; compact?: boolean }) {
  const facts: [string, string, string][] = [
    ['flight', t('airFlight'), `${flight.carrier} ${flight.number}`],
    ['date', t('airDate'), calendarDate(flight.departure)],
    ['departure', t('airDeparture'), clockTime(flight.departure)],
    ['boarding', t('airBoarding'), clockTime(flight.boardingTime)],
    ['gate', t('airGate'), flight.gate ?? t('airGateLater')],
  ];
  return (
    <article class={`flight-card ${compact ? 'compact' : ''}`} data-testid={testId}>
      <p class="airline">{flight.airlineName}</p>
      <div class="route">
        <p class="place"><span class="iata">{flight.from}</span><span class="city">{flight.fromCity}</span></p>
        <Icon name="plane" class="route-icon" />
        <p class="place"><span class="iata">{flight.to}</span><span class="city">{flight.toCity}</span></p>
      </div>
      <dl class="facts">
        {facts.map(([key, label, value]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`${testId}-${key}`}>{value}</dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
