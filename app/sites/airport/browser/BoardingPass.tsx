import type { z } from 'zod';
import { Button, formatVnd, Icon, Pdf417, QrCode, Screen } from '../../../ui/kit/index.ts';
import type { boardingPassViewSchema } from '../common/views.ts';
import { calendarDate, clockTime, readableName, type AirProps } from './parts.tsx';

type Issued = z.output<typeof boardingPassViewSchema>;

/**
 * What the kiosk issued, before it prints: each pass with the PDF417 the paper carries and a QR of
 * the same BCBP for a phone, the bag receipt (licence plates and weights), what was paid and whether
 * the gates will know the passenger's face. "Print" prints the passes, the bag tags and the receipt.
 */
export function BoardingPass({ t, data, choose }: AirProps<Issued>) {
  const { flight } = data;
  return (
    <Screen
      testId="site-boarding-pass"
      class="airport boarding-pass"
      title={t('airPassTitle')}
      actions={
        <Button kind="primary" icon="ok" large testId="print" onClick={() => choose({ choose: 'print' })}>
          {data.bags.length > 0 ? t('airPrintWithTags') : t('airPrint')}
        </Button>
      }
    >
      <div class="passes">
        {data.passes.map((p, i) => (
          <article class="pass" key={p.bcbp} data-testid={`pass-${i + 1}`}>
            <div class="pass-text">
              <p class="pass-name" data-testid={`pass-${i + 1}-name`}>{p.name}</p>
              <p class="pass-route">
                <span class="iata">{flight.from}</span>
                <Icon name="plane" class="route-icon" />
                <span class="iata">{flight.to}</span>
                <span class="cities">{flight.fromCity} → {flight.toCity}</span>
              </p>
              <dl class="facts">
                <div><dt>{t('airFlight')}</dt><dd>{flight.carrier} {flight.number}</dd></div>
                <div><dt>{t('airDate')}</dt><dd>{calendarDate(flight.departure)}</dd></div>
                <div><dt>{t('airDeparture')}</dt><dd>{clockTime(flight.departure)}</dd></div>
                <div><dt>{t('airSeat')}</dt><dd class="big" data-testid={`pass-${i + 1}-seat`}>{p.infant ? '—' : p.seat}</dd></div>
                <div><dt>{t('airGate')}</dt><dd class="big">{flight.gate ?? t('airGateLater')}</dd></div>
                <div><dt>{t('airBoarding')}</dt><dd class="big">{clockTime(flight.boardingTime)}</dd></div>
                <div><dt>{t('airSequence')}</dt><dd>{String(p.sequence).padStart(3, '0')}</dd></div>
              </dl>
              {p.infant && <p class="pass-infant">{t('airPassInfant')}</p>}
              {data.connections.map((f) => (
                <p class="pass-connection" key={f.number}>
                  {t('airConnection')}: {f.carrier} {f.number} · {f.from} → {f.to} · {calendarDate(f.departure)} {clockTime(f.departure)}
                </p>
              ))}
            </div>
            <div class="pass-codes">
              <Pdf417 text={p.bcbp} class="pass-pdf417" testId={`pass-${i + 1}-pdf417`} />
              <div class="pass-qr">
                <QrCode text={p.bcbp} testId={`pass-${i + 1}-qr`} />
                <p class="hint">{t('airPassQr')}</p>
              </div>
            </div>
          </article>
        ))}
      </div>
      {data.bags.length > 0 && (
        <section class="bag-receipt" data-testid="bag-receipt">
          <h2>{t('airBagReceipt')}</h2>
          <ul>
            {data.bags.map((b, i) => (
              <li key={b.licencePlate} data-testid={`bag-${i + 1}`}>
                <Icon name="bag" class="bag-icon" />
                <span>{t('airBagReceiptLine', { n: i + 1, plate: b.licencePlate, kg: b.weightKg.toFixed(1) })}</span>
                <span class="bag-owner">{readableName(b.name)}</span>
              </li>
            ))}
          </ul>
          <p class={`notice ${data.bagsToCounter ? 'warn' : 'ok'}`} data-testid="bags-next">{data.bagsToCounter ? t('airBagsToCounter') : t('airBagsDrop')}</p>
        </section>
      )}
      {data.paid.length > 0 && (
        <p class="paid-lines" data-testid="paid-lines">
          {t('airPaidLines')}: {data.paid.map((l) => `${t(`airPayLine_${l.kind}`, { item: l.item })} ${formatVnd(l.amountVnd)}`).join(' · ')}
        </p>
      )}
      {data.token && <p class="notice ok" data-testid="token-registered"><Icon name="face" /> {t('airTokenRegistered')}</p>}
    </Screen>
  );
}
