import QRCode from 'qrcode';
import type { ComponentChild } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ScreenTicket } from '../../../core/journey/site-flow.ts';
import { siteKey, translateOr } from '../../i18n.ts';
import { Button, formatTime, Screen, useClosing } from '../../kit/index.ts';
import type { StepProps } from './Journey.tsx';
import './done.css';

/**
 * The end of a visit: the ticket set for the screen (large, in the person's language), one way on
 * ("Finish"), and the face offer as its own calm step behind a quiet button. The whole screen goes
 * back to the start by itself after kiosk.doneSeconds, whether or not anyone is still there: the next
 * person must not find this one's name, ticket or face offer.
 */
export function Done(props: StepProps) {
  const { t, view, act, config } = props;
  const secondsLeft = useClosing(config.doneSeconds);
  const [asking, setAsking] = useState(false);
  const offer = view.faceEnrolment === 'offer' || view.faceEnrolment === 'recognised' ? view.faceEnrolment : undefined;
  const closes = <p class="done-closes" data-testid="done-closes" aria-live="off">{t('doneClosesIn', { seconds: secondsLeft })}</p>;
  if (asking && offer) return <FaceOffer {...props} kind={offer} closes={closes} onAnswered={() => setAsking(false)} />;

  const receipt = view.receipt;
  return (
    <Screen
      testId="step-done"
      class="done"
      title={t('doneTitle')}
      exits={
        offer && (
          <Button kind="secondary" icon={offer === 'offer' ? 'face' : 'cancel'} testId={offer === 'offer' ? 'enrol-ask' : 'face-remove-ask'} onClick={() => setAsking(true)}>
            {t(offer === 'offer' ? 'enrolAsk' : 'faceRemoveAsk')}
          </Button>
        )
      }
      actions={<Button kind="primary" icon="ok" large testId="done" onClick={() => act({ action: 'cancel' })}>{t('doneButton')}</Button>}
    >
      <div class="done-layout">
        {receipt?.ticket ? <TicketCard {...props} ticket={receipt.ticket} /> : <Summary {...props} />}
        <div class="done-side">
          <p class="lead" data-testid="done-printed">{receipt?.printed === false ? t('doneNotPrinted') : t('donePrinted')}</p>
          {view.faceEnrolment === 'enrolled' && <p class="notice ok" data-testid="enrol-done">{t('enrolDone')}</p>}
          {view.faceEnrolment === 'removed' && <p class="notice ok" data-testid="face-removed">{t('faceRemoved')}</p>}
          {closes}
        </div>
      </div>
    </Screen>
  );
}

/** The ticket's facts as the screen shows them: big number, where to go, whose, when, and its QR. */
function TicketCard({ t, lang, config, ticket }: StepProps & { ticket: ScreenTicket }) {
  const qr = useQrSvg(ticket.code);
  const facts: [string, string, string | undefined][] = [
    ['place', t(siteKey('ticketPlace', config.siteKind)), ticket.place?.[lang]],
    ['room', t('ticketRoom'), ticket.room],
    ['name', t('ticketName'), ticket.name],
    ['born', t('ticketBorn'), ticket.birthYear?.toString()],
    ['time', t('ticketTime'), formatTime(ticket.issuedAt, lang, config.timeZone)],
  ];
  return (
    <article class="screen-ticket" data-testid="screen-ticket">
      <div class="ticket-main">
        <p class="ticket-site">{config.siteName}</p>
        {ticket.number && (
          <>
            <p class="ticket-number-label">{t('doneQueueLabel')}</p>
            <p class="ticket-number" data-testid="ticket-number">{ticket.number}</p>
          </>
        )}
        <dl class="ticket-facts">
          {facts
            .filter(([, , value]) => value)
            .map(([key, label, value]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd data-testid={`ticket-${key}`}>{value}</dd>
              </div>
            ))}
        </dl>
        {ticket.payment && (
          <p class={`ticket-payment ${ticket.payment}`} data-testid="ticket-payment">{translateOr(lang, `payment_${ticket.payment}`, '')}</p>
        )}
      </div>
      <div class="ticket-qr">
        {qr && <img src={qr} alt="" data-testid="ticket-qr" />}
        <p class="ticket-code" data-testid="ticket-code">{t(siteKey('ticketCode', config.siteKind))}: {ticket.code}</p>
      </div>
    </article>
  );
}

/** The ticket's QR drawn as vectors, sharp at any screen size (the paper one is a 203-dpi raster). */
function useQrSvg(text: string): string | undefined {
  const [src, setSrc] = useState<string | undefined>();
  useEffect(() => {
    let live = true;
    void QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })
      .then((svg) => live && setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`))
      .catch(() => live && setSrc(undefined));
    return () => {
      live = false;
    };
  }, [text]);
  return src;
}

/** A site without ticket facts: its summary lines, large. */
function Summary({ lang, view }: StepProps) {
  const { payment, ...rest } = view.receipt?.summary ?? {};
  return (
    <div class="summary">
      {Object.entries(rest).map(([k, v]) => (
        <p key={k} class={`summary-${k}`} data-testid={`summary-${k}`}>{v}</p>
      ))}
      {payment && <p class="summary-payment" data-testid="summary-payment">{translateOr(lang, `payment_${payment}`, '')}</p>}
    </div>
  );
}

/** Returning by face, asked on its own screen: save the face (came by card) or delete it (came by face). */
function FaceOffer({ t, act, config, kind, closes, onAnswered }: StepProps & { kind: 'offer' | 'recognised'; closes: ComponentChild; onAnswered: () => void }) {
  const answer = (action: Parameters<StepProps['act']>[0]) => {
    act(action);
    onAnswered();
  };
  if (kind === 'offer') {
    return (
      <Screen
        testId="step-enrol"
        class="enrol"
        title={t('enrolTitle')}
        exits={<Button kind="secondary" icon="cancel" testId="enrol-no" onClick={() => answer({ action: 'face-enrolment', enrol: false })}>{t('enrolNo')}</Button>}
        actions={<Button kind="primary" icon="ok" large testId="enrol-yes" onClick={() => answer({ action: 'face-enrolment', enrol: true })}>{t('enrolYes')}</Button>}
      >
        <div class="enrol-text" data-testid="enrol-offer">
          <p>{t('enrolOffer', { days: config.retentionDays })}</p>
          <p>{t('enrolHow')}</p>
          {closes}
        </div>
      </Screen>
    );
  }
  return (
    <Screen
      testId="step-face-remove"
      class="enrol"
      title={t('faceRemoveTitle')}
      exits={<Button kind="secondary" icon="back" testId="face-remove-back" onClick={onAnswered}>{t('back')}</Button>}
      actions={<Button kind="primary" icon="ok" large testId="face-remove" onClick={() => answer({ action: 'face-removal' })}>{t('faceRemove')}</Button>}
    >
      <div class="enrol-text" data-testid="face-recognised">
        <p>{t('faceRemoveOffer')}</p>
        <p>{t('faceRemoveHow')}</p>
        {closes}
      </div>
    </Screen>
  );
}
