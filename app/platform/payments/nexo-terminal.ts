/**
 * PaymentTerminal over the nexo Sale to POI protocol, JSON messages POSTed over HTTPS to the
 * terminal on the LAN (the "local communication" of nexo terminals, e.g. `https://10.0.0.60:8443/nexo`).
 * The terminal's TLS certificate must chain to the CA the profile names (terminals carry a device
 * certificate from their vendor or acquirer, often self-signed: then that certificate is the CA).
 *
 * A payment whose answer is lost (time-out, broken connection) is never guessed: the adapter sends
 * an Abort, then asks TransactionStatus for that very request until the terminal says what became
 * of it, and returns `unknown` only when the terminal cannot be asked at all.
 */
import { randomBytes } from 'node:crypto';
import { Agent, request as httpsRequest } from 'node:https';
import {
  abortRequest, NexoFormatError, paymentRequest, readPaymentResponse, readReversalResponse, readTransactionStatus, reversalRequest,
  transactionStatusRequest, type NexoIds,
} from '../../core/payments/nexo.ts';
import {
  assertTerminalPayment, PaymentTerminalError, type PaymentTerminal, type RefundOutcome, type TerminalOutcome, type TerminalPayment, type TerminalRefund,
} from '../../core/payments/terminal.ts';

export interface NexoTerminalOptions extends NexoIds {
  /** The terminal's nexo endpoint, https only. */
  readonly url: string;
  /** PEM of the CA (or the self-signed certificate) the terminal's TLS certificate must chain to. */
  readonly caPem: string;
  readonly connectTimeoutMs: number;
  /** How long a payment may take on the terminal (card, PIN, the bank's answer) before the kiosk asks what became of it. */
  readonly paymentTimeoutMs: number;
  /** Deadline of the short requests (status, reversal). */
  readonly requestTimeoutMs: number;
  /** After a lost answer: how long to keep asking a terminal that says the payment is still running. */
  readonly settleTimeoutMs?: number;
  readonly pollMs?: number;
}

/** Why no nexo answer came: the request may or may not have reached the terminal. */
class NoAnswer extends Error {}

/** A fresh ServiceID for a request whose answer needs no ledger entry (abort, status). */
export function newAttemptId(): string {
  return randomBytes(8).toString('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 10).padEnd(10, '0');
}

export class NexoTerminal implements PaymentTerminal {
  private readonly agent: Agent;
  private readonly endpoint: URL;

  constructor(private readonly o: NexoTerminalOptions) {
    this.endpoint = new URL(o.url);
    if (this.endpoint.protocol !== 'https:') throw new PaymentTerminalError('POS_MISCONFIGURED', 'the payment terminal must be reached over https');
    this.agent = new Agent({ keepAlive: false, ca: o.caPem, rejectUnauthorized: true, minVersion: 'TLSv1.2' });
  }

  async pay(payment: TerminalPayment, signal?: AbortSignal): Promise<TerminalOutcome> {
    assertTerminalPayment(payment);
    const onAbort = () => void this.abort(payment.attempt);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const body = await this.post(paymentRequest(this.o, payment, new Date()), this.o.paymentTimeoutMs);
      return readPaymentResponse(body, this.o, payment.attempt);
    } catch (e) {
      if (!(e instanceof NoAnswer) && !(e instanceof NexoFormatError)) throw e;
      // The answer is lost or unreadable: stop whatever runs on the terminal, then ask what happened.
      await this.abort(payment.attempt);
      return this.settle(payment.attempt, e.message);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async paymentStatus(attempt: string): Promise<TerminalOutcome> {
    try {
      const serviceId = newAttemptId();
      const body = await this.post(transactionStatusRequest(this.o, serviceId, { category: 'Payment', attempt }), this.o.requestTimeoutMs);
      return readTransactionStatus(body, this.o, serviceId, { category: 'Payment', attempt });
    } catch (e) {
      if (e instanceof NoAnswer || e instanceof NexoFormatError) return { status: 'unknown', reason: e.message };
      throw e;
    }
  }

  async refund(refund: TerminalRefund): Promise<RefundOutcome> {
    try {
      const body = await this.post(reversalRequest(this.o, refund), this.o.requestTimeoutMs);
      return readReversalResponse(body, this.o, refund.attempt);
    } catch (e) {
      if (!(e instanceof NoAnswer) && !(e instanceof NexoFormatError)) throw e;
      const status = await this.refundStatus(refund.attempt);
      return status.status === 'not-found' ? { status: 'unknown', reason: e.message } : status;
    }
  }

  async refundStatus(attempt: string): Promise<RefundOutcome> {
    try {
      const serviceId = newAttemptId();
      const body = await this.post(transactionStatusRequest(this.o, serviceId, { category: 'Reversal', attempt }), this.o.requestTimeoutMs);
      return readTransactionStatus(body, this.o, serviceId, { category: 'Reversal', attempt });
    } catch (e) {
      if (e instanceof NoAnswer || e instanceof NexoFormatError) return { status: 'unknown', reason: e.message };
      throw e;
    }
  }

  close(): void {
    this.agent.destroy();
  }

  /** Asks the terminal until it says what became of the payment, or the settle time runs out. */
  private async settle(attempt: string, why: string): Promise<TerminalOutcome> {
    const deadline = Date.now() + (this.o.settleTimeoutMs ?? 30_000);
    for (;;) {
      const status = await this.paymentStatus(attempt);
      if (status.status !== 'in-progress' && status.status !== 'unknown') return status;
      if (Date.now() >= deadline) return status.status === 'unknown' ? status : { status: 'unknown', reason: `${why}; still in progress` };
      await new Promise((r) => setTimeout(r, this.o.pollMs ?? 1000));
    }
  }

  /** nexo Abort has no response: whatever comes back (or not) is ignored. */
  private async abort(paymentAttempt: string): Promise<void> {
    try {
      await this.post(abortRequest(this.o, newAttemptId(), paymentAttempt), this.o.requestTimeoutMs, true);
    } catch {
      // The status request that follows finds out what the terminal did.
    }
  }

  private post(message: unknown, timeoutMs: number, emptyOk = false): Promise<unknown> {
    const payload = Buffer.from(JSON.stringify(message), 'utf8');
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (error: Error | undefined, value?: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve(value);
      };
      const req = httpsRequest(this.endpoint, {
        method: 'POST',
        agent: this.agent,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': String(payload.length) },
      });
      const timer = setTimeout(() => finish(new NoAnswer(`no answer within ${timeoutMs} ms`)), timeoutMs);
      req.setTimeout(this.o.connectTimeoutMs, () => {
        if (!req.socket || (req.socket as { connecting?: boolean }).connecting) finish(new NoAnswer('could not connect'));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        const code = e.code ?? 'network error';
        // A certificate the profile does not trust is a set-up fault, not a lost answer.
        if (/^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED|ERR_CERT)/.test(code)) {
          finish(new PaymentTerminalError('POS_MISCONFIGURED', `the payment terminal's TLS certificate is not trusted (${code})`));
        } else finish(new NoAnswer(`request failed: ${code}`));
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 256 * 1024) finish(new NoAnswer('answer too large'));
          else chunks.push(c);
        });
        res.on('error', () => finish(new NoAnswer('connection broke mid-answer')));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) return finish(new NoAnswer(`HTTP ${res.statusCode ?? 0}`));
          if (text.trim() === '') return emptyOk ? finish(undefined, undefined) : finish(new NoAnswer('empty answer'));
          try {
            finish(undefined, JSON.parse(text) as unknown);
          } catch {
            finish(new NexoFormatError('the answer is not JSON'));
          }
        });
      });
      req.end(payload);
    });
  }
}
