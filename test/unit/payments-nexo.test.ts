import { describe, expect, it } from 'vitest';
import {
  abortRequest, NexoFormatError, paymentRequest, readPaymentResponse, readReversalResponse, readTransactionStatus, reversalRequest, transactionStatusRequest,
} from '../../app/core/payments/nexo.ts';
import { assertTerminalPayment } from '../../app/core/payments/terminal.ts';

// The nexo Sale to POI messages the kiosk sends, and how it reads what comes back: an answer to
// another request, or one that does not say what happened, must never settle a payment.

const ids = { saleId: 'BV-KIOSK-01', poiId: 'P400-1' };
const payment = { reference: 'KP1234567890AB', attempt: 'A1B2C3D4E5', amountVnd: 43_000, method: 'card' as const };
const header = (category: string, serviceId: string, o: Record<string, string> = {}) => ({
  ProtocolVersion: '3.0', MessageClass: 'Service', MessageCategory: category, MessageType: 'Response', ServiceID: serviceId, SaleID: ids.saleId, POIID: ids.poiId, ...o,
});
const approved = {
  Response: { Result: 'Success' },
  POIData: { POITransactionID: { TransactionID: 'T1', TimeStamp: '2026-12-04T03:00:00Z' } },
  PaymentResult: { PaymentInstrumentData: { PaymentInstrumentType: 'Card', CardData: { PaymentBrand: 'VISA' } }, AmountsResp: { Currency: 'VND', AuthorizedAmount: 43_000 }, PaymentAcquirerData: { ApprovalCode: '654321' } },
};
const answer = (body: Record<string, unknown>, category = 'Payment', serviceId = payment.attempt, o: Record<string, string> = {}) => ({
  SaleToPOIResponse: { MessageHeader: header(category, serviceId, o), ...body },
});

describe('nexo Sale to POI messages', () => {
  it('asks for the amount in VND with the kiosk\'s reference, and the instrument the person chose', () => {
    const req = paymentRequest(ids, { ...payment, method: 'ewallet' }, new Date('2026-12-04T03:00:00Z')).SaleToPOIRequest;
    expect(req.MessageHeader).toMatchObject({ MessageCategory: 'Payment', MessageType: 'Request', ServiceID: payment.attempt, SaleID: ids.saleId, POIID: ids.poiId });
    expect(req.PaymentRequest.SaleData.SaleTransactionID.TransactionID).toBe(payment.reference);
    expect(req.PaymentRequest.PaymentTransaction.AmountsReq).toEqual({ Currency: 'VND', RequestedAmount: 43_000 });
    expect(req.PaymentRequest.PaymentData.PaymentInstrumentData.PaymentInstrumentType).toBe('Mobile');
    expect(abortRequest(ids, 'X', payment.attempt).SaleToPOIRequest.AbortRequest.MessageReference).toMatchObject({ MessageCategory: 'Payment', ServiceID: payment.attempt });
    expect(transactionStatusRequest(ids, 'S', { category: 'Reversal', attempt: 'R1' }).SaleToPOIRequest.TransactionStatusRequest.MessageReference).toMatchObject({ MessageCategory: 'Reversal', ServiceID: 'R1' });
    const rev = reversalRequest(ids, { reference: payment.reference, attempt: 'R1', original: { transactionId: 'T1', timeStamp: 't' }, amountVnd: 43_000 }).SaleToPOIRequest;
    expect(rev.ReversalRequest.OriginalPOITransaction.POITransactionID).toEqual({ TransactionID: 'T1', TimeStamp: 't' });
  });

  it('reads approval, decline, cancel and a partial approval as the terminal said them', () => {
    expect(readPaymentResponse(answer({ PaymentResponse: approved }), ids, payment.attempt)).toEqual({
      status: 'approved', transaction: { transactionId: 'T1', timeStamp: '2026-12-04T03:00:00Z' }, amountVnd: 43_000, approvalCode: '654321', brand: 'VISA',
    });
    const failure = (ErrorCondition: string) => answer({ PaymentResponse: { Response: { Result: 'Failure', ErrorCondition } } });
    expect(readPaymentResponse(failure('Refusal'), ids, payment.attempt)).toEqual({ status: 'declined', reason: 'Refusal' });
    expect(readPaymentResponse(failure('Cancel'), ids, payment.attempt)).toEqual({ status: 'cancelled' });
    expect(readPaymentResponse(failure('Aborted'), ids, payment.attempt)).toEqual({ status: 'cancelled' });
    // A condition the kiosk does not know is still "nothing taken", never approval.
    expect(readPaymentResponse(failure('SomethingNew'), ids, payment.attempt)).toEqual({ status: 'declined', reason: 'Refusal' });
    const partial = { ...approved, Response: { Result: 'Partial' }, PaymentResult: { ...approved.PaymentResult, AmountsResp: { Currency: 'VND', AuthorizedAmount: 20_000 } } };
    expect(readPaymentResponse(answer({ PaymentResponse: partial }), ids, payment.attempt)).toMatchObject({ status: 'approved', amountVnd: 20_000 });
  });

  it('never takes an answer to another request, another kiosk or another terminal', () => {
    const body = { PaymentResponse: approved };
    expect(() => readPaymentResponse(answer(body, 'Payment', 'OTHER'), ids, payment.attempt)).toThrow(NexoFormatError);
    expect(() => readPaymentResponse(answer(body, 'Payment', payment.attempt, { SaleID: 'KIOSK-2' }), ids, payment.attempt)).toThrow(NexoFormatError);
    expect(() => readPaymentResponse(answer(body, 'Payment', payment.attempt, { POIID: 'P400-9' }), ids, payment.attempt)).toThrow(NexoFormatError);
    expect(() => readPaymentResponse(answer(body, 'Reversal'), ids, payment.attempt)).toThrow(NexoFormatError);
    expect(() => readPaymentResponse({ hello: 1 }, ids, payment.attempt)).toThrow(NexoFormatError);
  });

  it('refuses an approval that does not say which transaction or how much, or in another currency', () => {
    const without = (part: 'POIData' | 'PaymentResult') => {
      const copy: Record<string, unknown> = { ...approved };
      delete copy[part];
      return answer({ PaymentResponse: copy });
    };
    expect(() => readPaymentResponse(without('POIData'), ids, payment.attempt)).toThrow(NexoFormatError);
    expect(() => readPaymentResponse(without('PaymentResult'), ids, payment.attempt)).toThrow(NexoFormatError);
    const usd = { ...approved, PaymentResult: { ...approved.PaymentResult, AmountsResp: { Currency: 'USD', AuthorizedAmount: 2 } } };
    expect(() => readPaymentResponse(answer({ PaymentResponse: usd }), ids, payment.attempt)).toThrow(NexoFormatError);
  });

  it('reads a transaction status only when it repeats the very request asked about', () => {
    const status = (repeated: Record<string, unknown> | undefined, response: Record<string, unknown> = { Result: 'Success' }) =>
      answer({ TransactionStatusResponse: { Response: response, ...(repeated ? { RepeatedMessageResponse: repeated } : {}) } }, 'TransactionStatus', 'S1');
    const of = { category: 'Payment' as const, attempt: payment.attempt };
    const repeated = (serviceId: string) => ({ MessageHeader: header('Payment', serviceId), RepeatedResponseMessageBody: { PaymentResponse: approved } });
    expect(readTransactionStatus(status(repeated(payment.attempt)), ids, 'S1', of)).toMatchObject({ status: 'approved', amountVnd: 43_000 });
    expect(() => readTransactionStatus(status(repeated('OTHER')), ids, 'S1', of)).toThrow(NexoFormatError);
    expect(readTransactionStatus(status(undefined, { Result: 'Failure', ErrorCondition: 'InProgress' }), ids, 'S1', of)).toEqual({ status: 'in-progress' });
    expect(readTransactionStatus(status(undefined, { Result: 'Failure', ErrorCondition: 'NotFound' }), ids, 'S1', of)).toEqual({ status: 'not-found' });
    expect(readTransactionStatus(status(undefined, { Result: 'Failure', ErrorCondition: 'Busy' }), ids, 'S1', of)).toMatchObject({ status: 'unknown' });
  });

  it('reads a reversal', () => {
    const ok = answer({ ReversalResponse: { Response: { Result: 'Success' }, POIData: { POITransactionID: { TransactionID: 'R9', TimeStamp: 't' } } } }, 'Reversal', 'R1');
    expect(readReversalResponse(ok, ids, 'R1')).toEqual({ status: 'refunded', transaction: { transactionId: 'R9', timeStamp: 't' } });
    const refused = answer({ ReversalResponse: { Response: { Result: 'Failure', ErrorCondition: 'NotAllowed' } } }, 'Reversal', 'R1');
    expect(readReversalResponse(refused, ids, 'R1')).toEqual({ status: 'refused', reason: 'NotAllowed' });
  });

  it('refuses to send a payment it could not account for', () => {
    expect(() => assertTerminalPayment({ ...payment, amountVnd: 0 })).toThrow(expect.objectContaining({ code: 'POS_BAD_REQUEST' }));
    expect(() => assertTerminalPayment({ ...payment, amountVnd: 1.5 })).toThrow(expect.objectContaining({ code: 'POS_BAD_REQUEST' }));
    expect(() => assertTerminalPayment({ ...payment, attempt: 'TOO-LONG-ATTEMPT' })).toThrow(expect.objectContaining({ code: 'POS_BAD_REQUEST' }));
    expect(() => assertTerminalPayment({ ...payment, reference: 'has space' })).toThrow(expect.objectContaining({ code: 'POS_BAD_REQUEST' }));
  });
});
