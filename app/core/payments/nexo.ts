/**
 * The nexo Sale to POI protocol (nexo Retailer Protocol, ISO 20022-based, nexo-standards.org), JSON
 * encoding, as spoken between a sale system (here: the kiosk, `SaleID`) and a payment terminal
 * (`POIID`). Pure: builds the requests the kiosk sends and reads the responses it gets; the transport
 * (HTTPS POST on the LAN) is app/platform/payments/nexo-terminal.ts.
 *
 * Messages used, each `{ SaleToPOIRequest: { MessageHeader, <Category>Request } }`:
 *   Payment            take an amount (PaymentInstrumentType Card, or Mobile for an e-wallet QR)
 *   Abort              cancel the payment running on the terminal (no response body)
 *   TransactionStatus  the outcome of an earlier Payment or Reversal, by its ServiceID
 *   Reversal           give an approved transaction back (the refund of a payment)
 */
import { z } from 'zod';
import type { RefundOutcome, TerminalMethod, TerminalOutcome, TerminalPayment, TerminalRefund, TerminalTransaction } from './terminal.ts';

export const NEXO_PROTOCOL_VERSION = '3.0';

export interface NexoIds {
  /** The kiosk as a sale system (its terminal id). */
  readonly saleId: string;
  /** The payment terminal's id. */
  readonly poiId: string;
}

type Category = 'Payment' | 'Abort' | 'TransactionStatus' | 'Reversal';

function header(ids: NexoIds, category: Category, serviceId: string) {
  return {
    ProtocolVersion: NEXO_PROTOCOL_VERSION,
    MessageClass: 'Service',
    MessageCategory: category,
    MessageType: 'Request',
    ServiceID: serviceId,
    SaleID: ids.saleId,
    POIID: ids.poiId,
  };
}

const INSTRUMENT: Record<TerminalMethod, string> = { card: 'Card', ewallet: 'Mobile' };

export function paymentRequest(ids: NexoIds, p: TerminalPayment, at: Date) {
  return {
    SaleToPOIRequest: {
      MessageHeader: header(ids, 'Payment', p.attempt),
      PaymentRequest: {
        SaleData: { SaleTransactionID: { TransactionID: p.reference, TimeStamp: at.toISOString() } },
        PaymentTransaction: { AmountsReq: { Currency: 'VND', RequestedAmount: p.amountVnd } },
        PaymentData: { PaymentInstrumentData: { PaymentInstrumentType: INSTRUMENT[p.method] } },
      },
    },
  };
}

export function abortRequest(ids: NexoIds, serviceId: string, paymentAttempt: string) {
  return {
    SaleToPOIRequest: {
      MessageHeader: header(ids, 'Abort', serviceId),
      AbortRequest: {
        MessageReference: { MessageCategory: 'Payment', ServiceID: paymentAttempt, SaleID: ids.saleId, POIID: ids.poiId },
        AbortReason: 'MerchantAbort',
      },
    },
  };
}

export function transactionStatusRequest(ids: NexoIds, serviceId: string, of: { category: 'Payment' | 'Reversal'; attempt: string }) {
  return {
    SaleToPOIRequest: {
      MessageHeader: header(ids, 'TransactionStatus', serviceId),
      TransactionStatusRequest: {
        MessageReference: { MessageCategory: of.category, ServiceID: of.attempt, SaleID: ids.saleId, POIID: ids.poiId },
      },
    },
  };
}

export function reversalRequest(ids: NexoIds, r: TerminalRefund) {
  return {
    SaleToPOIRequest: {
      MessageHeader: header(ids, 'Reversal', r.attempt),
      ReversalRequest: {
        OriginalPOITransaction: { POIID: ids.poiId, POITransactionID: { TransactionID: r.original.transactionId, TimeStamp: r.original.timeStamp } },
        ReversalReason: 'MerchantCancel',
        ReversedAmount: r.amountVnd,
        SaleData: { SaleTransactionID: { TransactionID: r.reference, TimeStamp: r.original.timeStamp } },
      },
    },
  };
}

// ---- responses ----

const str = z.string();
const responseSchema = z.looseObject({
  Result: z.enum(['Success', 'Failure', 'Partial']),
  ErrorCondition: str.optional(),
  AdditionalResponse: str.optional(),
});
const transactionIdSchema = z.looseObject({ TransactionID: str.min(1), TimeStamp: str.min(1) });
const headerSchema = z.looseObject({ MessageCategory: str, MessageType: str, ServiceID: str.optional(), SaleID: str, POIID: str });

const paymentResponseSchema = z.looseObject({
  Response: responseSchema,
  POIData: z.looseObject({ POITransactionID: transactionIdSchema }).optional(),
  PaymentResult: z
    .looseObject({
      PaymentInstrumentData: z
        .looseObject({
          PaymentInstrumentType: str.optional(),
          CardData: z.looseObject({ PaymentBrand: str.optional() }).optional(),
          MobileData: z.looseObject({ MobileBrand: str.optional() }).optional(),
        })
        .optional(),
      AmountsResp: z.looseObject({ Currency: str.optional(), AuthorizedAmount: z.number() }).optional(),
      PaymentAcquirerData: z.looseObject({ ApprovalCode: str.optional() }).optional(),
    })
    .optional(),
});
const reversalResponseSchema = z.looseObject({
  Response: responseSchema,
  POIData: z.looseObject({ POITransactionID: transactionIdSchema }).optional(),
});
const transactionStatusResponseSchema = z.looseObject({
  Response: responseSchema,
  RepeatedMessageResponse: z
    .looseObject({
      MessageHeader: headerSchema,
      RepeatedResponseMessageBody: z.looseObject({ PaymentResponse: paymentResponseSchema.optional(), ReversalResponse: reversalResponseSchema.optional() }),
    })
    .optional(),
});

/** A response the kiosk cannot read as the nexo message it asked for. */
export class NexoFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NexoFormatError';
  }
}

function envelope(body: unknown, ids: NexoIds, category: Category, serviceId: string): Record<string, unknown> {
  const parsed = z.looseObject({ SaleToPOIResponse: z.looseObject({ MessageHeader: headerSchema }) }).safeParse(body);
  if (!parsed.success) throw new NexoFormatError('not a SaleToPOIResponse');
  const res = parsed.data.SaleToPOIResponse;
  const h = res.MessageHeader;
  // An answer to another request (another kiosk, an older attempt) must never settle this one.
  if (h.MessageCategory !== category || h.MessageType !== 'Response' || h.SaleID !== ids.saleId || h.POIID !== ids.poiId || h.ServiceID !== serviceId) {
    throw new NexoFormatError(`the response does not answer this ${category} request`);
  }
  return res;
}

function parseAs<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new NexoFormatError(`${what} is malformed at ${parsed.error.issues[0]?.path.join('.') ?? '?'}`);
  return parsed.data;
}

/** nexo ErrorCondition values that mean the customer or the bank turned the payment down (nothing taken). */
const DECLINED = new Set(['Refusal', 'WrongPIN', 'PaymentRestriction', 'NotAllowed', 'Busy', 'DeviceOut', 'UnavailableDevice', 'UnavailableService', 'UnreachableHost', 'LoggedOut', 'InsertedCard', 'MessageFormat']);

function transactionOf(t: z.output<typeof transactionIdSchema>): TerminalTransaction {
  return { transactionId: t.TransactionID, timeStamp: t.TimeStamp };
}

function paymentOutcome(p: z.output<typeof paymentResponseSchema>): TerminalOutcome {
  const { Result, ErrorCondition } = p.Response;
  if (Result === 'Failure') {
    if (ErrorCondition === 'Cancel' || ErrorCondition === 'Aborted') return { status: 'cancelled' };
    if (ErrorCondition === 'NotFound') return { status: 'not-found' };
    if (ErrorCondition === 'InProgress') return { status: 'in-progress' };
    return { status: 'declined', reason: ErrorCondition && DECLINED.has(ErrorCondition) ? ErrorCondition : 'Refusal' };
  }
  // Success or Partial: money was authorised; how much is what AmountsResp says (the kiosk gives a partial back).
  const poi = p.POIData?.POITransactionID;
  const amount = p.PaymentResult?.AmountsResp;
  if (!poi || !amount) throw new NexoFormatError('an approved PaymentResponse lacks POITransactionID or AmountsResp');
  if (amount.Currency !== undefined && amount.Currency !== 'VND') throw new NexoFormatError('the authorised amount is not in VND');
  const instrument = p.PaymentResult?.PaymentInstrumentData;
  const brand = instrument?.CardData?.PaymentBrand ?? instrument?.MobileData?.MobileBrand;
  const approval = p.PaymentResult?.PaymentAcquirerData?.ApprovalCode;
  return {
    status: 'approved',
    transaction: transactionOf(poi),
    amountVnd: amount.AuthorizedAmount,
    ...(approval ? { approvalCode: approval } : {}),
    ...(brand ? { brand } : {}),
  };
}

function refundOutcome(r: z.output<typeof reversalResponseSchema>): RefundOutcome {
  if (r.Response.Result === 'Failure') {
    return r.Response.ErrorCondition === 'NotFound' ? { status: 'not-found' } : { status: 'refused', reason: r.Response.ErrorCondition ?? 'Refusal' };
  }
  const poi = r.POIData?.POITransactionID;
  if (!poi) throw new NexoFormatError('a successful ReversalResponse lacks POITransactionID');
  return { status: 'refunded', transaction: transactionOf(poi) };
}

export function readPaymentResponse(body: unknown, ids: NexoIds, attempt: string): TerminalOutcome {
  const res = envelope(body, ids, 'Payment', attempt);
  return paymentOutcome(parseAs(paymentResponseSchema, res.PaymentResponse, 'PaymentResponse'));
}

export function readReversalResponse(body: unknown, ids: NexoIds, attempt: string): RefundOutcome {
  const res = envelope(body, ids, 'Reversal', attempt);
  return refundOutcome(parseAs(reversalResponseSchema, res.ReversalResponse, 'ReversalResponse'));
}

/**
 * The outcome of an earlier Payment or Reversal, from a TransactionStatusResponse. The repeated
 * message must be the very request asked about (same category and ServiceID), or it says nothing.
 */
export function readTransactionStatus<C extends 'Payment' | 'Reversal'>(
  body: unknown,
  ids: NexoIds,
  serviceId: string,
  of: { category: C; attempt: string },
): C extends 'Payment' ? TerminalOutcome : RefundOutcome;
export function readTransactionStatus(body: unknown, ids: NexoIds, serviceId: string, of: { category: 'Payment' | 'Reversal'; attempt: string }): TerminalOutcome | RefundOutcome {
  const res = envelope(body, ids, 'TransactionStatus', serviceId);
  const status = parseAs(transactionStatusResponseSchema, res.TransactionStatusResponse, 'TransactionStatusResponse');
  if (status.Response.Result === 'Failure') {
    if (status.Response.ErrorCondition === 'InProgress' && of.category === 'Payment') return { status: 'in-progress' };
    if (status.Response.ErrorCondition === 'NotFound') return { status: 'not-found' };
    return { status: 'unknown', reason: `status ${status.Response.ErrorCondition ?? 'Failure'}` };
  }
  const repeated = status.RepeatedMessageResponse;
  if (!repeated || repeated.MessageHeader.MessageCategory !== of.category || repeated.MessageHeader.ServiceID !== of.attempt) {
    throw new NexoFormatError('the transaction status repeats another message');
  }
  const inner = of.category === 'Payment' ? repeated.RepeatedResponseMessageBody.PaymentResponse : repeated.RepeatedResponseMessageBody.ReversalResponse;
  if (!inner) throw new NexoFormatError(`the transaction status holds no ${of.category}Response`);
  return of.category === 'Payment' ? paymentOutcome(inner as z.output<typeof paymentResponseSchema>) : refundOutcome(inner);
}
