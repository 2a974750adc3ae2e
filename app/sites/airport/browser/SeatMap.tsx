import { useEffect, useRef, useState } from 'preact/hooks';
import type { z } from 'zod';
import { Button, formatVnd, InlineProblem, Screen } from '../../../ui/kit/index.ts';
import type { seatsViewSchema } from '../common/views.ts';
import { CounterButton, readableName, type AirProps } from './parts.tsx';

type SeatsView = z.output<typeof seatsViewSchema>;

/**
 * The cabin as rows of seats, aisles where the airline draws them: free, taken, blocked, paid (₫)
 * and ours; exit rows marked. Each seated passenger of the party chooses in turn (a tab each);
 * touching a free seat asks the airline's rules through the flow, which answers with the new map.
 */
export function SeatMap({ t, data, choose, cancel }: AirProps<SeatsView>) {
  const [who, setWho] = useState(data.passengers[0]?.id ?? '');
  const passenger = data.passengers.find((p) => p.id === who) ?? data.passengers[0];
  const priceOf = (code: string | null) => {
    const m = code ? /^(\d+)([A-Z])$/.exec(code) : null;
    return m ? data.rows.find((r) => r.row === Number(m[1]))?.seats.find((s) => s.letter === m[2])?.priceVnd ?? 0 : 0;
  };
  const prices = [...new Set(data.rows.flatMap((r) => r.seats.filter((s) => s.status === 'free' && s.priceVnd > 0).map((s) => s.priceVnd)))].sort((a, b) => a - b);

  // The cabin scrolls on its own and opens where the passenger sits, not forty rows away; the
  // screen itself stays at its top (title, choice and legend in view).
  const cabin = useRef<HTMLDivElement>(null);
  const mine = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (cabin.current && mine.current) cabin.current.scrollTop = mine.current.offsetTop - cabin.current.clientHeight / 2;
  }, [data, who]);
  const mineRow = passenger?.seat ? Number(/^\d+/.exec(passenger.seat)?.[0]) : undefined;

  return (
    <Screen
      testId="site-seats"
      class="airport seats"
      title={t('airSeatsTitle')}
      exits={<>{cancel}<CounterButton t={t} choose={choose} /></>}
      actions={<Button kind="primary" icon="ok" large testId="seats-done" onClick={() => choose({ choose: 'seats-done' })}>{t('airContinue')}</Button>}
    >
      <div class="seats-layout">
        <div class="seats-side">
          <p class="lead">{t('airSeatsLead')}</p>
          {data.problem && <InlineProblem testId="seat-problem" words={t(`airSeatProblem_${data.problem}`)} />}
          <div class="seat-owners">
            {data.passengers.map((p) => (
              <button
                type="button"
                key={p.id}
                class={`btn seat-owner ${p.id === passenger?.id ? 'primary' : 'secondary'}`}
                aria-pressed={p.id === passenger?.id}
                data-testid={`seat-owner-${p.id}`}
                onClick={() => setWho(p.id)}
              >
                <span>{t('airSeatOf', { name: readableName(p.name) })}</span>
                <span class="owner-seat" data-testid={`seat-of-${p.id}`}>
                  {p.seat ?? t('airSeatLater')}
                  {p.changed && priceOf(p.seat) > 0 ? ` · ${formatVnd(priceOf(p.seat))}` : ''}
                </span>
              </button>
            ))}
          </div>
          <ul class="seat-legend">
            {(['free', 'occupied', 'blocked', 'ours'] as const).map((s) => (
              <li key={s}><span class={`seat-swatch ${s}`} aria-hidden="true" />{t(`airSeat_${s}`)}</li>
            ))}
            <li><span class="seat-swatch free paid" aria-hidden="true">₫</span>{t('airSeatPaid')}</li>
            <li><span class="seat-swatch exit" aria-hidden="true" />{t('airSeatExit')}</li>
          </ul>
          {prices.length > 0 && <p class="hint" data-testid="seat-prices">{t('airSeatPrices', { prices: prices.map(formatVnd).join(', ') })}</p>}
        </div>
        <div class="cabin" ref={cabin} role="grid" aria-label={data.compartment} style={{ '--cabin-columns': `2em ${data.columns.map((c) => (c ? 'minmax(0, 1fr)' : 'minmax(0, 0.5fr)')).join(' ')}` }}>
          {data.rows.map((r) => (
            <div class={`cabin-row ${r.exit ? 'exit' : ''}`} role="row" key={r.row} ref={r.row === mineRow ? mine : undefined}>
              <span class="row-number">{r.row}</span>
              {data.columns.map((letter, i) => {
                const seat = letter ? r.seats.find((s) => s.letter === letter) : undefined;
                if (!seat) return <span class="aisle" key={`aisle-${i}`} aria-hidden="true" />;
                const code = `${r.row}${seat.letter}`;
                const label = `${code}, ${t(`airSeat_${seat.status}`)}${seat.priceVnd > 0 ? `, ${formatVnd(seat.priceVnd)}` : ''}`;
                return (
                  <button
                    type="button"
                    key={code}
                    role="gridcell"
                    class={`seat ${seat.status} ${seat.priceVnd > 0 ? 'paid' : ''}`}
                    data-testid={`seat-${code}`}
                    data-status={seat.status}
                    aria-label={label}
                    disabled={seat.status === 'occupied' || seat.status === 'blocked' || !passenger}
                    onClick={() => passenger && choose({ choose: 'seat', passengerId: passenger.id, seat: code })}
                  >
                    {code}
                    {seat.priceVnd > 0 && seat.status === 'free' && <span class="paid-mark" aria-hidden="true">₫</span>}
                  </button>
                );
              })}
            </div>
          ))}
        </div>
      </div>
    </Screen>
  );
}
