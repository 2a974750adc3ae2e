/**
 * Paying bills, as an elderly patient reads it: every bill as a large card with what insurance pays
 * and what is left to pay, chosen by a touch (all chosen at first); the amount to pay in display
 * type; one big button per way to pay; then what to do at the terminal or with the QR, in words.
 */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import QRCode from 'qrcode';
import type { z } from 'zod';
import { translateOr } from '../../../ui/i18n.ts';
import { Button, Icon, InlineProblem, Screen, useClosing, WaitingScreen } from '../../../ui/kit/index.ts';
import type { SiteStepProps } from '../../../ui/site-ui.ts';
import { BILL_KIND_WORDS } from '../common/bill-words.ts';
import type {
  billsViewSchema, noBillsViewSchema, payPaidViewSchema, payRefundedViewSchema, payStaffViewSchema, payTerminalViewSchema, payUnknownViewSchema,
  payVietQrViewSchema,
} from '../common/schemas.ts';
import './bills.css';

type Choose = (payload: Record<string, unknown>) => void;
type Props<S extends z.ZodType> = SiteStepProps & { data: z.output<S>; choose: Choose };

export const vnd = (n: number) => `${n.toLocaleString('vi-VN')} đ`;

/** How often a payment screen asks how the payment goes. */
const CHECK_MS = 2000;

function usePolling(choose: Choose, key: string): void {
  useEffect(() => {
    const timer = setInterval(() => choose({ choose: 'check' }), CHECK_MS);
    return () => clearInterval(timer);
  }, [key]);
}

const home = (props: SiteStepProps): JSX.Element => (
  <Button kind="primary" icon="ok" large testId="home" onClick={() => props.act({ action: 'cancel' })}>{props.t('home')}</Button>
);

export function Bills(props: Props<typeof billsViewSchema>) {
  const { t, lang, view, cancel, data, choose } = props;
  const [chosen, setChosen] = useState<ReadonlySet<string>>(() => new Set(data.bills.map((b) => b.billId)));
  // A new list (after a decline, or bills paid elsewhere) starts again with every bill chosen.
  const listKey = data.bills.map((b) => b.billId).join();
  useEffect(() => setChosen(new Set(data.bills.map((b) => b.billId))), [listKey]);
  const toggle = (id: string) => setChosen((c) => {
    const next = new Set(c);
    if (!next.delete(id)) next.add(id);
    return next;
  });
  const amount = data.bills.filter((b) => chosen.has(b.billId)).reduce((s, b) => s + b.patientVnd, 0);
  const methodWord = (m: string) => translateOr(lang, `payMethod_${m}`, m).toLocaleLowerCase(lang);
  return (
    <Screen
      testId="site-bills"
      class="hospital bills"
      kicker={view.holder && <p class="greeting">{t('greeting', { name: view.holder.fullName })}</p>}
      title={t('billsTitle')}
      exits={cancel}
    >
      {data.problem && (
        <InlineProblem testId="bills-problem" words={translateOr(lang, `billsProblem_${data.problem.code}`, '', { method: data.problem.method ? methodWord(data.problem.method) : '' })} />
      )}
      <p class="lead">{t('billsLead')}</p>
      <ul class="bill-list" data-testid="bill-list">
        {data.bills.map((b) => {
          const on = chosen.has(b.billId);
          return (
            <li key={b.billId}>
              <button
                type="button"
                class={`bill-card ${on ? 'chosen' : ''}`}
                aria-pressed={on}
                data-testid={`bill-${b.kind}`}
                data-bill={b.billId}
                onClick={() => toggle(b.billId)}
              >
                <span class="bill-check" aria-hidden="true">{on && <Icon name="ok" />}</span>
                <span class="bill-body">
                  <span class="bill-kind">{BILL_KIND_WORDS[b.kind][lang]}</span>
                  <span class="bill-title">{[b.title, t('billNumber', { number: b.number })].filter(Boolean).join(' · ')}</span>
                  <span class="bill-lines">
                    {b.lines.map((l, i) => (
                      <span key={i} class="bill-line"><span>{l.name}</span><span>{vnd(l.priceVnd)}</span></span>
                    ))}
                  </span>
                  <span class="bill-parts">
                    <span>{t('billTotal')}: {vnd(b.totalVnd)}</span>
                    <span>{t('billInsurance')}: {vnd(b.insuranceVnd)}</span>
                  </span>
                  <span class="bill-you" data-testid="bill-you">{t('billYou')}: <strong>{vnd(b.patientVnd)}</strong></span>
                  <span class="sr-only">{on ? t('billSelected') : t('billNotSelected')}</span>
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {chosen.size < data.bills.length && (
        <Button kind="secondary" testId="bills-all" onClick={() => setChosen(new Set(data.bills.map((b) => b.billId)))}>{t('billsSelectAll')}</Button>
      )}
      <p class="bills-amount" data-testid="bills-amount" data-amount={amount}>{t('billsToPay', { amount: vnd(amount) })}</p>
      {chosen.size === 0 ? (
        <p class="lead" data-testid="bills-none">{t('billsNoneChosen')}</p>
      ) : (
        <>
          <h2>{t('billsHowToPay')}</h2>
          <div class="choices fit pay-methods">
            {data.methods.map((m) => (
              <Button key={m} kind="secondary" class="choice" testId={`pay-${m}`} onClick={() => choose({ choose: 'pay', method: m, billIds: [...chosen] })}>
                {translateOr(lang, `payMethod_${m}`, m)}
                <span class="sub">{translateOr(lang, `payMethodHint_${m}`, '')}</span>
              </Button>
            ))}
          </div>
        </>
      )}
    </Screen>
  );
}

export function NoBills(props: Props<typeof noBillsViewSchema>) {
  const { t, data } = props;
  return (
    <Screen testId="site-no-bills" class="hospital no-bills" title={t('noBillsTitle')} actions={home(props)}>
      <p class="lead">{t(data.known ? 'noBillsLead_known' : 'noBillsLead_unknown')}</p>
    </Screen>
  );
}

export function PayTerminal(props: Props<typeof payTerminalViewSchema>) {
  const { t, data, choose } = props;
  usePolling(choose, `${data.method}-${data.amountVnd}`);
  return (
    <WaitingScreen
      testId="site-pay-terminal"
      title={t(data.method === 'card' ? 'payTerminalTitle_card' : 'payTerminalTitle_ewallet')}
      exits={<Button kind="cancel" icon="cancel" testId="pay-cancel" onClick={() => choose({ choose: 'cancel-payment' })}>{t('payCancel')}</Button>}
    >
      <p class="bills-amount" data-testid="pay-amount">{vnd(data.amountVnd)}</p>
      <p class="lead pay-instructions" data-testid="pay-instructions" data-method={data.method}>
        {t(data.method === 'card' ? 'payTerminalLead_card' : 'payTerminalLead_ewallet')}
      </p>
      <p class="quiet">{t('payTerminalWaiting')}</p>
    </WaitingScreen>
  );
}

export function PayVietQr(props: Props<typeof payVietQrViewSchema>) {
  const { t, data, choose } = props;
  const [qr, setQr] = useState<string | undefined>();
  useEffect(() => {
    void QRCode.toDataURL(data.vietQr, { errorCorrectionLevel: 'M', margin: 2, width: 440 }).then(setQr);
  }, [data.vietQr]);
  usePolling(choose, data.reference);
  return (
    <Screen
      testId="site-pay-vietqr"
      class="hospital payment"
      title={t('payVietQrTitle')}
      exits={<Button kind="cancel" icon="cancel" testId="pay-cancel" onClick={() => choose({ choose: 'cancel-payment' })}>{t('payCancel')}</Button>}
    >
      <div class="payment-layout">
        {qr && <img class="vietqr" src={qr} alt="VietQR" data-testid="vietqr" data-payload={data.vietQr} />}
        <div class="payment-text">
          <p class="bills-amount">{vnd(data.amountVnd)}</p>
          <p class="lead">{t('payVietQrLead', { amount: vnd(data.amountVnd) })}</p>
          <p data-testid="pay-reference">{t('payVietQrReference', { reference: data.reference })}</p>
          <p class="notice" data-testid="payment-status">{t('payVietQrWaiting')}</p>
        </div>
      </div>
    </Screen>
  );
}

export function PayUnknown(props: Props<typeof payUnknownViewSchema>) {
  const { t, data, choose, cancel } = props;
  return (
    <Screen
      testId="site-pay-unknown"
      class="hospital pay-unknown"
      title={t('payUnknownTitle')}
      exits={cancel}
      actions={<Button kind="primary" icon="retry" large testId="pay-ask-again" onClick={() => choose({ choose: 'ask-again' })}>{t('payUnknownAction')}</Button>}
    >
      <p class="bills-amount">{vnd(data.amountVnd)}</p>
      <div class="notice warn"><p class="lead">{t('payUnknownLead')}</p></div>
    </Screen>
  );
}

export function PayRefunded(props: Props<typeof payRefundedViewSchema>) {
  const { t, data } = props;
  return (
    <Screen testId="site-pay-refunded" class="hospital pay-refunded" title={t('payRefundedTitle')} actions={home(props)}>
      <p class="lead" data-testid="refund-status" data-returned={String(data.returned)}>
        {t(data.returned ? 'payRefundedLead_true' : 'payRefundedLead_false', { amount: vnd(data.amountVnd) })}
      </p>
      <p>{t('payRefundedHint')}</p>
    </Screen>
  );
}

export function PayStaff(props: Props<typeof payStaffViewSchema>) {
  const { t, data } = props;
  return (
    <Screen testId="site-pay-staff" class="hospital pay-staff" title={t('payStaffTitle')} actions={home(props)}>
      <p class="lead">{t('payStaffLead', { amount: vnd(data.amountVnd) })}</p>
    </Screen>
  );
}

export function PayPaid(props: Props<typeof payPaidViewSchema>) {
  const { t, lang, config, data } = props;
  const left = useClosing(config.doneSeconds);
  const how = [translateOr(lang, `payMethod_${data.method}`, data.method), data.brand, data.approvalCode && t('payPaidApproval', { code: data.approvalCode })].filter(Boolean).join(' · ');
  return (
    <Screen
      testId="site-pay-paid"
      class="hospital pay-paid"
      title={<><Icon name="ok" class="icon paid-icon" /> {t('payPaidTitle')}</>}
      actions={<Button kind="primary" icon="ok" large testId="done" onClick={() => props.act({ action: 'cancel' })}>{t('doneButton')}</Button>}
    >
      <p class="bills-amount" data-testid="paid-amount">{vnd(data.amountVnd)}</p>
      <p class="lead" data-testid="paid-how">{t('payPaidHow')}: {how}</p>
      <section class="paid-block">
        <h2>{t('payPaidBills')}</h2>
        <ul class="paid-bills" data-testid="paid-bills">
          {data.bills.map((b) => (
            <li key={b.number} class="bill-line"><span>{BILL_KIND_WORDS[b.kind][lang]} · {b.number}</span><span>{vnd(b.amountVnd)}</span></li>
          ))}
        </ul>
      </section>
      <section class="paid-block next">
        <h2>{t('payPaidNext')}</h2>
        <ul class="next-steps" data-testid="paid-next">
          {data.nextSteps.map((step, i) => <li key={i}>{step[lang]}</li>)}
        </ul>
      </section>
      {data.pending && <p class="notice warn" data-testid="paid-pending">{t('payPaidPending')}</p>}
      <p class={data.printed ? 'lead' : 'notice problem'} data-testid="paid-printed" data-printed={String(data.printed)}>
        {data.printed ? t('payPaidPrinted') : t('payPaidNotPrinted', { reference: data.reference })}
      </p>
      <p class="quiet" data-testid="done-closes">{t('doneClosesIn', { seconds: left })}</p>
    </Screen>
  );
}
