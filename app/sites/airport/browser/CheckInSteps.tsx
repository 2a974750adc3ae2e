/** The check-in steps between the booking and the boarding pass (the seat map has its own file). */
import { useEffect, useState } from 'preact/hooks';
import type { z } from 'zod';
import { Button, formatVnd, Icon, InlineProblem, ProblemPanel, QrCode, Screen } from '../../../ui/kit/index.ts';
import type { TextKey } from '../../../ui/i18n.ts';
import type {
  bagsViewSchema, counterViewSchema, dangerousGoodsViewSchema, passengersViewSchema, paymentViewSchema, tokenConsentViewSchema, weighViewSchema,
} from '../common/views.ts';
import { calendarDate, clockTime, CounterButton, FlightCard, readableName, type AirProps } from './parts.tsx';

/** How often the payment screen asks the airline whether the money has come in. */
const PAYMENT_POLL_MS = 3000;

/** Why the passenger goes to the counter, in words; the airline's or the name check's code only small, for staff. */
export function Counter({ t, act, data }: AirProps<z.output<typeof counterViewSchema>>) {
  const at = data.at ? { time: clockTime(data.at), date: calendarDate(data.at) } : { time: '', date: '' };
  const nameDetail = data.reason === 'NAME_MISMATCH' && data.detail ? ` ${t(`airName_${data.detail}` as TextKey)}` : '';
  return (
    <Screen
      testId="site-counter"
      class="airport counter"
      data={{ reason: data.reason }}
      title={t('airCounterTitle')}
      actions={<Button kind="primary" icon="ok" large testId="counter-done" onClick={() => act({ action: 'cancel' })}>{t('doneButton')}</Button>}
    >
      <div class="counter-layout">
        <ProblemPanel
          words={t(`airCounter_${data.reason}`, at) + nameDetail}
          hint={t('airCounterHint')}
          {...(data.detail ? { staffCode: t('staffCode', { code: data.detail }) } : {})}
        />
        {data.flight && <FlightCard t={t} flight={data.flight} compact />}
      </div>
    </Screen>
  );
}

/** Who is on the booking and who checks in now: the verified person, their infant, the children they choose. */
export function Passengers({ t, data, choose, cancel }: AirProps<z.output<typeof passengersViewSchema>>) {
  // Children come along unless left; another adult only when chosen (they tap their own card next).
  const [included, setIncluded] = useState<string[]>(() => data.passengers.filter((p) => p.optional && p.status === 'with-you').map((p) => p.id));
  const toggle = (id: string) => setIncluded(included.includes(id) ? included.filter((x) => x !== id) : [...included, id]);
  const adults = data.passengers.filter((p) => p.status === 'own-card' && included.includes(p.id));
  const now = data.passengers.filter(
    (p) =>
      p.status === 'you' ||
      included.includes(p.id) ||
      (p.status === 'with-you' && !p.optional) ||
      (p.status === 'with-their-adult' && adults.some((a) => a.id === p.infantOf)),
  );
  const exits = <>{cancel}<CounterButton t={t} choose={choose} /></>;
  return (
    <Screen
      testId="site-passengers"
      class="airport passengers"
      title={t('airPassengersTitle')}
      exits={exits}
      actions={
        data.alreadyCheckedIn ? (
          <Button kind="primary" icon="ok" large testId="reprint" onClick={() => choose({ choose: 'reprint' })}>{t('airReprint')}</Button>
        ) : (
          <Button kind="primary" icon="ok" large testId="check-in" onClick={() => choose({ choose: 'passengers', include: included })}>{t('airCheckIn', { n: now.length })}</Button>
        )
      }
    >
      <FlightCard t={t} flight={data.flight} />
      {data.connections.map((f, i) => (
        <div class="connection" key={f.number}>
          <p class="connection-label">{t('airConnection')}</p>
          <FlightCard t={t} flight={f} testId={`connection-${i + 1}`} compact />
        </div>
      ))}
      <p class="lead locator" data-testid="locator">{t('airLocator', { code: data.locator })}</p>
      {data.alreadyCheckedIn && <p class="notice ok" data-testid="already-checked-in">{t('airAlreadyCheckedIn')}</p>}
      {data.faceToken === 'registered' && (
        <Button kind="secondary" icon="face" testId="token-delete" onClick={() => choose({ choose: 'token-delete' })}>{t('airTokenForget')}</Button>
      )}
      {data.faceToken === 'deleted' && <p class="notice ok" data-testid="token-deleted">{t('airTokenForgotten')}</p>}
      <ul class="passenger-list">
        {data.passengers.map((p) => (
          <li key={p.id} class={`passenger ${p.status}`} data-testid={`passenger-${p.id}`} data-status={p.status}>
            <Icon name="person" class="passenger-icon" />
            <div class="passenger-text">
              <p class="passenger-name">{readableName(p.name)}</p>
              <p class="passenger-status">{t(`airType_${p.type}`)} · {t(`airStatus_${p.status}`)}{p.seat ? ` · ${t('airSeat')} ${p.seat}` : ''}</p>
            </div>
            {p.optional && (
              <Button kind={included.includes(p.id) ? 'primary' : 'secondary'} testId={`include-${p.id}`} onClick={() => toggle(p.id)}>
                {p.status === 'own-card' ? (included.includes(p.id) ? t('airWithMeAdult') : t('airNotWithMeAdult')) : included.includes(p.id) ? t('airWithMe') : t('airNotWithMe')}
              </Button>
            )}
          </li>
        ))}
      </ul>
      {adults.length > 0 && <p class="notice" data-testid="others-next">{t('airOthersNext', { names: adults.map((a) => readableName(a.name)).join(', ') })}</p>}
    </Screen>
  );
}

/** The dangerous-goods question: every item in words; saying yes sends the passenger to the counter. */
export function DangerousGoods({ t, data, choose, cancel }: AirProps<z.output<typeof dangerousGoodsViewSchema>>) {
  return (
    <Screen
      testId="site-dangerous-goods"
      class="airport dangerous-goods"
      title={t('airDgTitle')}
      exits={<>{cancel}<CounterButton t={t} choose={choose} /></>}
      actions={<Button kind="primary" icon="ok" large testId="dg-accept" onClick={() => choose({ choose: 'dangerous-goods', accepted: true })}>{t('airDgAccept')}</Button>}
    >
      <p class="lead">{t('airDgLead')}</p>
      <ul class="dg-list">
        {data.items.map((item) => (
          <li key={item} data-testid={`dg-${item}`}><Icon name="cancel" class="dg-icon" /><span>{t(`airDg_${item}`)}</span></li>
        ))}
      </ul>
      <Button kind="secondary" testId="dg-decline" onClick={() => choose({ choose: 'dangerous-goods', accepted: false })}>{t('airDgDecline')}</Button>
    </Screen>
  );
}

/** How many bags, with each passenger's allowance. */
export function Bags({ t, data, choose, cancel }: AirProps<z.output<typeof bagsViewSchema>>) {
  return (
    <Screen testId="site-bags" class="airport bags" title={t('airBagsTitle')} exits={<>{cancel}<CounterButton t={t} choose={choose} /></>}>
      <ul class="allowance">
        {data.allowance.map((a) => (
          <li key={a.passengerId}>
            <Icon name="bag" class="bag-icon" />
            <span>{a.pieces > 0 ? t('airAllowance', { name: readableName(a.name), pieces: a.pieces, kg: a.kgPerPiece }) : t('airAllowanceNone', { name: readableName(a.name) })}</span>
          </li>
        ))}
      </ul>
      <h2>{t('airBagsHowMany')}</h2>
      <div class="choices fit">
        {Array.from({ length: data.maxBags + 1 }, (_, n) => (
          <Button key={n} kind="secondary" class="choice" testId={`bags-${n}`} onClick={() => choose({ choose: 'bags', count: n })}>
            {n === 0 ? t('airBagsNone') : t('airBagsCount', { n })}
          </Button>
        ))}
      </div>
      <p class="hint">{t('airBagsLimit', { kg: data.handlingLimitKg, max: data.maxBags })}</p>
    </Screen>
  );
}

/** One bag at a time on the scale; each weighed bag says whether it is included, extra or overweight. */
export function Weigh({ t, data, choose, cancel }: AirProps<z.output<typeof weighViewSchema>>) {
  // The scale answers within seconds; until the answer comes the button says so and waits.
  const [weighing, setWeighing] = useState(false);
  useEffect(() => setWeighing(false), [data]);
  return (
    <Screen
      testId="site-weigh"
      class="airport weigh"
      data={{ bag: String(data.bag), problem: data.problem ?? '' }}
      title={t('airWeighTitle', { n: data.bag, count: data.count })}
      exits={
        <>
          {cancel}
          <CounterButton t={t} choose={choose} />
          {/* Fewer bags than said: the ones weighed so far, or none (a bag too heavy goes to the counter). */}
          <Button kind="secondary" testId="weigh-stop" onClick={() => choose({ choose: 'bags', count: data.bags.length })}>
            {data.bags.length > 0 ? t('airWeighStop') : t('airBagsNone')}
          </Button>
        </>
      }
      actions={
        <Button kind="primary" icon="bag" large testId="weigh" disabled={weighing} onClick={() => { setWeighing(true); choose({ choose: 'weigh' }); }}>
          {weighing ? t('airWeighing') : t('airWeigh')}
        </Button>
      }
    >
      <p class="lead">{t('airWeighLead')}</p>
      {data.problem && <InlineProblem testId="weigh-problem" words={t(`airWeighProblem_${data.problem}`, { kg: data.handlingLimitKg })} />}
      {data.bags.length > 0 && (
        <ul class="weighed" data-testid="weighed">
          {data.bags.map((b, i) => (
            <li key={i} class={b.included && b.overweightKg === 0 ? 'ok' : 'charged'}>
              <span class="bag-weight">{t('airBagLine', { n: i + 1, kg: b.weightKg.toFixed(1) })}</span>
              <span class="bag-note">
                {!b.included ? t('airBagExtra') : b.overweightKg > 0 ? t('airBagOverweight', { kg: b.overweightKg.toFixed(1) }) : t('airBagIncluded')}
              </span>
            </li>
          ))}
        </ul>
      )}
    </Screen>
  );
}

/**
 * The airline's VietQR for paid seats and bags. The screen asks every few seconds and moves on by
 * itself once the airline has the money; the passenger may instead choose free seats and fewer bags.
 */
export function Payment({ t, data, choose, cancel }: AirProps<z.output<typeof paymentViewSchema>>) {
  useEffect(() => {
    const poll = setInterval(() => choose({ choose: 'payment-check' }), PAYMENT_POLL_MS);
    return () => clearInterval(poll);
  }, [data.billNumber]);
  const paid = data.status === 'paid';
  return (
    <Screen
      testId="site-payment"
      class="airport payment"
      data={{ status: data.status }}
      title={t('airPayTitle')}
      exits={
        <>
          {cancel}
          <CounterButton t={t} choose={choose} />
          <Button kind="secondary" icon="back" testId="pay-back" onClick={() => choose({ choose: 'payment-back' })}>{t('airPayBack')}</Button>
        </>
      }
    >
      <div class="payment-layout">
        <QrCode text={data.vietQr} class="vietqr" testId="vietqr" alt="VietQR" />
        <div class="payment-text">
          <table class="pay-lines" data-testid="pay-lines">
            <tbody>
              {data.lines.map((l, i) => (
                <tr key={i}>
                  <td>{t(`airPayLine_${l.kind}`, { item: l.item })}<span class="pay-name">{readableName(l.name)}</span></td>
                  <td class="amount-cell">{formatVnd(l.amountVnd)}</td>
                </tr>
              ))}
              <tr class="total">
                <td>{t('airPayTotal')}</td>
                <td class="amount-cell" data-testid="pay-total">{formatVnd(data.totalVnd)}</td>
              </tr>
            </tbody>
          </table>
          <p class="lead">{t('airPayLead', { amount: formatVnd(data.totalVnd) })}</p>
          <p class={`notice ${paid ? 'ok' : ''}`} data-testid="payment-status" data-status={data.status}>
            {paid && <Icon name="ok" />} {paid ? t('airPaid') : t('airPayWaiting')}
          </p>
        </div>
      </div>
    </Screen>
  );
}

/** The face token, asked plainly: what goes where, until when, and that no is fine. */
export function TokenConsent({ t, data, choose, cancel }: AirProps<z.output<typeof tokenConsentViewSchema>>) {
  return (
    <Screen
      testId="site-token-consent"
      class="airport token-consent"
      title={t('airTokenTitle')}
      exits={<>{cancel}<CounterButton t={t} choose={choose} /></>}
      actions={
        <>
          <Button kind="secondary" testId="token-no" onClick={() => choose({ choose: 'token', consent: false })}>{t('airTokenNo')}</Button>
          <Button kind="primary" icon="face" large testId="token-yes" onClick={() => choose({ choose: 'token', consent: true })}>{t('airTokenYes')}</Button>
        </>
      }
    >
      <p class="lead token-for" data-testid="token-for">{t('airTokenFor', { name: readableName(data.name) })}</p>
      <div class="consent-text">
        <p>{t('airTokenWhat')}</p>
        <p data-testid="token-delete-at">{t('airTokenDelete', { time: clockTime(data.deleteAt), date: calendarDate(data.deleteAt) })}</p>
        <p>{t('airTokenOptional')}</p>
        {data.nextPerson && <p data-testid="token-next">{t('airTokenNext')}</p>}
      </div>
    </Screen>
  );
}
