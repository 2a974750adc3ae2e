import type { VerifiedResponse } from '../../core/verification/contract.ts';
import type { VerificationConfig } from '../../core/verification/config.ts';
import { RarError } from '../../core/verification/errors.ts';
import type { AuditEntry } from '../store/audit-log.ts';
import type { AuditSink, RarClient } from './client.ts';
import type { QueuedRequest, RarOutbox } from './outbox.ts';

export interface OutboxWorkerOptions {
  readonly outbox: RarOutbox;
  readonly client: RarClient;
  readonly config: VerificationConfig['outbox'];
  /** How long a claimed request stays reserved for the delivery in flight (≥ the response timeout). */
  readonly leaseMs: number;
  /** The kiosk's audit log: call rows are written with the batch's results, in one transaction. */
  readonly audit: AuditSink;
  readonly clock?: () => Date;
  readonly random?: () => number;
  /** Called after a late verdict is durably stored (e.g. to update a "pending verification" visit). */
  readonly onVerdict?: (v: VerifiedResponse) => void;
  /** A drain pass failed outside the network (e.g. the store); the loop carries on at the next poll. */
  readonly onError?: (error: unknown) => void;
}

export interface DrainResult {
  readonly delivered: number;
  readonly failed: number;
  readonly remaining: number;
}

/**
 * Delivers queued verification requests. At least once: a request leaves the outbox only when a
 * checked verdict is stored. Never twice in practice: a request that may already have reached the
 * service (its attempt was counted before sending) is first looked up by request id, and is only
 * sent again if the service never received it; the service also answers a repeated id from its
 * record instead of deciding again.
 */
export class OutboxWorker {
  private running = false;
  private loopDone: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly clock: () => Date;
  private readonly random: () => number;

  constructor(private readonly o: OutboxWorkerOptions) {
    this.clock = o.clock ?? (() => new Date());
    this.random = o.random ?? Math.random;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /** Stops after the batch in flight has been stored. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loopDone;
  }

  /** Something was queued: deliver it now rather than at the next poll. */
  notify(): void {
    this.wake?.();
  }

  /** Delivers everything that is due now, batch after batch; stops early while the circuit is open. */
  async drain(): Promise<DrainResult> {
    let delivered = 0;
    let failed = 0;
    for (;;) {
      if (this.o.client.circuit.state === 'open' && this.o.client.circuit.retryInMs() > 0) break;
      const rows = this.o.outbox.claimDue(this.o.config.batchSize, this.o.leaseMs);
      if (rows.length === 0) break;
      const r = await this.deliverBatch(rows);
      delivered += r.delivered;
      failed += r.failed;
      if (r.delivered === 0) break;
    }
    return { delivered, failed, remaining: this.o.outbox.counts().queued };
  }

  private async loop(): Promise<void> {
    while (this.running) {
      try {
        await this.drain();
      } catch (e) {
        // A store or programming error must not kill the loop; it is reported and the next pass retries.
        this.o.onError?.(e);
      }
      if (!this.running) break;
      const now = this.clock().getTime();
      const next = this.o.outbox.nextDueAt();
      const circuitWait = this.o.client.circuit.retryInMs();
      const wait = Math.min(this.o.config.pollMs, Math.max(circuitWait, next === undefined ? this.o.config.pollMs : next - now, 10));
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  private async deliverBatch(rows: QueuedRequest[]): Promise<{ delivered: number; failed: number }> {
    const auditRows: AuditEntry[] = [];
    const buffer: AuditSink = { append: (e) => auditRows.push(e) };
    const outcomes = await mapLimit(rows, this.o.config.concurrency, (row) => this.deliverOne(row, buffer));
    const verdicts: VerifiedResponse[] = [];
    let failed = 0;
    this.o.outbox.batch(() => {
      for (const e of auditRows) this.o.audit.append(e);
      outcomes.forEach((out, i) => {
        const row = rows[i]!;
        if ('verified' in out) {
          if (this.o.outbox.complete(out.verified, row.createdAt)) verdicts.push(out.verified);
        } else {
          failed += 1;
          const notSent = out.error instanceof RarError && out.error.details.notSent === true;
          const tries = notSent ? row.previousAttempts : row.previousAttempts + 1;
          this.o.outbox.reschedule(row.requestId, out.error instanceof RarError ? out.error.code : 'ERROR', this.clock().getTime() + this.retryDelay(tries), notSent);
        }
      });
    });
    for (const v of verdicts) this.o.onVerdict?.(v);
    return { delivered: verdicts.length, failed };
  }

  private async deliverOne(row: QueuedRequest, audit: AuditSink): Promise<{ verified: VerifiedResponse } | { error: unknown }> {
    const opts = { attempts: 1, actor: 'rar-outbox', audit };
    try {
      if (row.previousAttempts > 0 && this.o.client.adapter.lookup) {
        try {
          return { verified: await this.o.client.lookup(row.requestId, opts) };
        } catch (e) {
          if (!(e instanceof RarError && e.code === 'RAR_UNKNOWN_REQUEST')) throw e;
        }
      }
      return { verified: await this.o.client.verify(row.request, opts) };
    } catch (error) {
      return { error };
    }
  }

  /** Back-off between deliveries of one request: exponential, half fixed and half jitter (never 0). */
  private retryDelay(tries: number): number {
    const ceiling = Math.min(this.o.config.retryMaxMs, this.o.config.retryBaseMs * 2 ** Math.max(0, tries - 1));
    return Math.floor(ceiling / 2 + (this.random() * ceiling) / 2);
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(lanes);
  return out;
}
