import type { KeyObject } from 'node:crypto';
import { verificationResponse, type VerificationRequest, type VerifiedResponse } from '../../core/verification/contract.ts';
import { RarError } from '../../core/verification/errors.ts';
import type { GatewayAdapter, GatewayCall } from '../../core/verification/gateway.ts';
import { strictUtf8 } from '../../core/verification/raw-json.ts';
import { verifyBytes } from '../../core/verification/signature.ts';
import type { AuditEntry } from '../store/audit-log.ts';
import { backoffMs, retryAfterMs } from './backoff.ts';
import type { CircuitBreaker } from './circuit-breaker.ts';
import type { HttpResult } from './transport.ts';

export interface Transport {
  send(call: GatewayCall): Promise<HttpResult>;
  close(): void;
}

/** Where call records go; the AuditLog satisfies it. Entries hold codes and ids only. */
export interface AuditSink {
  append(entry: AuditEntry): unknown;
}

export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface RarClientOptions {
  readonly transport: Transport;
  readonly adapter: GatewayAdapter;
  /** The service's pinned response-signing key. */
  readonly responseKey: KeyObject;
  readonly maxClockSkewMs: number;
  readonly retry: RetryPolicy;
  readonly breaker: CircuitBreaker;
  readonly audit: AuditSink;
  readonly clock?: () => Date;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface CallOptions {
  /** Overrides the retry policy's attempt count (the outbox worker retries on its own schedule). */
  readonly attempts?: number;
  /** Audit actor; `kiosk` for a live journey, `rar-outbox` for queued deliveries. */
  readonly actor?: string;
  /** Where the audit row goes for this call (the outbox batches rows into its own transaction). */
  readonly audit?: AuditSink;
}

/** Failures that say the service (or the path to it) is unhealthy; they count against the circuit. */
const HEALTH_FAILURES = new Set(['RAR_CONNECT_FAILED', 'RAR_CONNECT_TIMEOUT', 'RAR_RESPONSE_TIMEOUT', 'RAR_SERVER_ERROR']);

/**
 * The hardened client of the central verification service. A verdict is returned only when the
 * response's signature verifies against the pinned key, it echoes our request id and its timestamp
 * is within the window; anything else is a RarError. Retries reuse the request id, which the
 * service treats as idempotent, so a retried request can never be decided twice.
 */
export class RarClient {
  private readonly clock: () => Date;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly o: RarClientOptions) {
    this.clock = o.clock ?? (() => new Date());
    this.random = o.random ?? Math.random;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get adapter(): GatewayAdapter {
    return this.o.adapter;
  }

  get circuit(): CircuitBreaker {
    return this.o.breaker;
  }

  verify(request: VerificationRequest, opts: CallOptions = {}): Promise<VerifiedResponse> {
    return this.call('rar.verify', request.requestId, this.o.adapter.verify(request), opts);
  }

  /** The stored answer to an earlier request; RAR_UNKNOWN_REQUEST when the service never received it. */
  lookup(requestId: string, opts: CallOptions = {}): Promise<VerifiedResponse> {
    if (!this.o.adapter.lookup) throw new RarError('RAR_REQUEST_REJECTED', `the ${this.o.adapter.name} gateway has no lookup`);
    return this.call('rar.lookup', requestId, this.o.adapter.lookup(requestId), opts);
  }

  close(): void {
    this.o.transport.close();
  }

  private async call(action: string, requestId: string, call: GatewayCall, opts: CallOptions): Promise<VerifiedResponse> {
    const attempts = opts.attempts ?? this.o.retry.attempts;
    const started = performance.now();
    let attempt = 0;
    let status = 0;
    const audit = (outcome: string, extra: Record<string, string | number> = {}) =>
      (opts.audit ?? this.o.audit).append({
        action,
        actor: opts.actor ?? 'kiosk',
        detail: { requestId, outcome, attempts: attempt, httpStatus: status, ms: Math.round(performance.now() - started), gateway: this.o.adapter.name, ...extra },
      });
    for (;;) {
      attempt += 1;
      if (!this.o.breaker.allow()) {
        const e = new RarError('RAR_CIRCUIT_OPEN', `retry in ${this.o.breaker.retryInMs()} ms`, { notSent: true });
        audit(e.code);
        throw e;
      }
      let floor = 0;
      try {
        const res = await this.o.transport.send(call);
        status = res.status;
        floor = retryAfterMs(res.headers['retry-after'], this.clock().getTime());
        const verified = this.accept(res, requestId);
        this.o.breaker.success();
        audit(verified.response.verdict, { transactionCode: verified.response.transactionCode });
        return verified;
      } catch (err) {
        const e = err instanceof RarError ? err : new RarError('RAR_MALFORMED_RESPONSE', (err as Error).message);
        // A 429 or a bad answer says nothing about availability; only transport/5xx failures open the circuit.
        if (HEALTH_FAILURES.has(e.code)) this.o.breaker.failure();
        else this.o.breaker.neutral();
        if (!e.retryable || attempt >= attempts) {
          audit(e.code);
          throw e;
        }
        await this.sleep(backoffMs(attempt - 1, this.o.retry.baseDelayMs, this.o.retry.maxDelayMs, this.random, floor));
      }
    }
  }

  /** Turns an HTTP answer into a checked verdict, or the RarError that explains why not. */
  private accept(res: HttpResult, requestId: string): VerifiedResponse {
    // 429 and 401/403 mean the service refused before processing: the request is "not sent".
    if (res.status === 429) throw new RarError('RAR_RATE_LIMITED', undefined, { notSent: true });
    if (res.status >= 500) throw new RarError('RAR_SERVER_ERROR', `HTTP ${res.status}`);
    if (res.status === 404) throw new RarError('RAR_UNKNOWN_REQUEST');
    if (res.status === 401 || res.status === 403) throw new RarError('RAR_TERMINAL_REJECTED', `HTTP ${res.status}`, { notSent: true });
    if (res.status !== 200) throw new RarError('RAR_REQUEST_REJECTED', `HTTP ${res.status}`);
    let decoded;
    try {
      decoded = this.o.adapter.decode(strictUtf8(res.body));
    } catch (e) {
      throw new RarError('RAR_MALFORMED_RESPONSE', (e as Error).message.slice(0, 120));
    }
    const signedBytes = Buffer.from(decoded.signedText, 'utf8');
    if (!verifyBytes(this.o.responseKey, signedBytes, decoded.signature, this.o.adapter.ecdsaEncoding)) throw new RarError('RAR_BAD_SIGNATURE');
    const parsed = verificationResponse.safeParse(decoded.response);
    if (!parsed.success) throw new RarError('RAR_MALFORMED_RESPONSE', `response field ${parsed.error.issues[0]!.path.join('.')} is invalid`);
    const response = parsed.data;
    // A genuine answer to someone else's request, replayed to us, fails here.
    if (response.requestId !== requestId) throw new RarError('RAR_REPLAYED_RESPONSE', undefined, { echoed: response.requestId });
    const skew = Math.abs(Date.parse(response.respondedAt) - this.clock().getTime());
    if (skew > this.o.maxClockSkewMs) throw new RarError('RAR_CLOCK_SKEW', `${Math.round(skew / 1000)} s`);
    return { response, signedBytes, signature: decoded.signature };
  }
}
