import type { VerificationRequest, VerifiedResponse } from '../../core/verification/contract.ts';
import type { Db } from '../store/db.ts';
import type { AuditSink } from './client.ts';

/**
 * The RAR verification records (table rar_verifications, migration 020). Queued rows are the
 * outbox: inserted once per request id (a second enqueue of the same id is a no-op), claimed with
 * the attempt counted *before* the request goes out (so after a crash we know it may have been
 * received), completed at most once (the verdict column is write-once by trigger).
 * A queued body (ID number, DG13, portrait) is stored sealed with the store key (SQL seal(), the
 * request id as additional data), erased on the verdict, and deleted by retention if none comes.
 */
export interface QueuedRequest {
  readonly requestId: string;
  readonly request: VerificationRequest;
  /** Deliveries counted before this claim: > 0 means the service may already have it. */
  readonly previousAttempts: number;
  readonly createdAt: string;
}

export interface VerificationRecord {
  readonly requestId: string;
  readonly state: 'queued' | 'done';
  readonly origin: 'online' | 'offline';
  readonly attempts: number;
  readonly verdict: string | null;
  readonly transactionCode: string | null;
  readonly lastError: string | null;
  readonly hasRequestBody: boolean;
}

const UNREADABLE = 'STORE_UNSEAL_FAILED';

export class RarOutbox {
  private readonly q;

  constructor(readonly db: Db, private readonly audit: AuditSink, private readonly clock: () => Date = () => new Date()) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO rar_verifications (request_id, created_at, state, origin, request_body, next_attempt_at)
         VALUES (@requestId, @at, 'queued', 'offline', seal(@body, @requestId), 0) ON CONFLICT (request_id) DO NOTHING`,
      ),
      insertDone: db.prepare(
        `INSERT INTO rar_verifications (request_id, created_at, state, origin, verdict, reasons, transaction_code, responded_at, signed_response, signature, verdict_at)
         VALUES (@requestId, @at, 'done', 'online', @verdict, @reasons, @transactionCode, @respondedAt, @signed, @signature, @at)
         ON CONFLICT (request_id) DO NOTHING`,
      ),
      due: db.prepare(
        `SELECT request_id, unseal(request_body, request_id) AS body, attempts, created_at, last_error FROM rar_verifications
         WHERE state = 'queued' AND next_attempt_at <= ? ORDER BY created_at, request_id LIMIT ?`,
      ),
      lease: db.prepare(`UPDATE rar_verifications SET attempts = attempts + 1, next_attempt_at = ? WHERE request_id = ? AND state = 'queued'`),
      unreadable: db.prepare(`UPDATE rar_verifications SET next_attempt_at = ?, last_error = '${UNREADABLE}' WHERE request_id = ? AND state = 'queued'`),
      purge: db.prepare(`DELETE FROM rar_verifications WHERE state = 'queued' AND created_at < ? RETURNING request_id`),
      complete: db.prepare(
        `UPDATE rar_verifications SET state = 'done', verdict = @verdict, reasons = @reasons, transaction_code = @transactionCode,
           responded_at = @respondedAt, signed_response = @signed, signature = @signature, verdict_at = @at, request_body = NULL, last_error = NULL
         WHERE request_id = @requestId AND state = 'queued'`,
      ),
      reschedule: db.prepare(
        `UPDATE rar_verifications SET next_attempt_at = ?, last_error = ?, attempts = attempts - ? WHERE request_id = ? AND state = 'queued'`,
      ),
      get: db.prepare('SELECT * FROM rar_verifications WHERE request_id = ?'),
      counts: db.prepare(`SELECT state, COUNT(*) AS n FROM rar_verifications GROUP BY state`),
      nextDue: db.prepare(`SELECT MIN(next_attempt_at) AS t FROM rar_verifications WHERE state = 'queued'`),
    };
  }

  /** Queues a request; returns false when this request id is already known (deduplicated). */
  enqueue(request: VerificationRequest, reason: string): boolean {
    return this.db.transaction(() => {
      const added = this.q.insert.run({ requestId: request.requestId, at: this.clock().toISOString(), body: JSON.stringify(request) }).changes === 1;
      if (added) this.audit.append({ action: 'rar.queued', actor: 'kiosk', detail: { requestId: request.requestId, reason } });
      return added;
    })();
  }

  /** Keeps the record of a verdict obtained online (no request body is stored). */
  recordOnline(v: VerifiedResponse): void {
    this.q.insertDone.run(this.verdictRow(v));
  }

  /**
   * Claims up to `limit` due requests for delivery and counts the attempt, durably, before any is
   * sent. The lease keeps them from being claimed again while in flight. A body that does not open
   * (the store key was replaced, or the row was altered) is never sent: it waits, marked
   * STORE_UNSEAL_FAILED, until the right key is back or retention deletes it.
   */
  claimDue(limit: number, leaseMs: number): QueuedRequest[] {
    return this.db.transaction(() => {
      const now = this.clock().getTime();
      const rows = this.q.due.all(now, limit) as { request_id: string; body: string | null; attempts: number; created_at: string; last_error: string | null }[];
      const claimed: QueuedRequest[] = [];
      for (const r of rows) {
        if (r.body === null) {
          this.q.unreadable.run(now + leaseMs, r.request_id);
          if (r.last_error !== UNREADABLE) this.audit.append({ action: 'rar.unreadable', actor: 'rar-outbox', detail: { requestId: r.request_id } });
          continue;
        }
        this.q.lease.run(now + leaseMs, r.request_id);
        claimed.push({ requestId: r.request_id, request: JSON.parse(r.body) as VerificationRequest, previousAttempts: r.attempts, createdAt: r.created_at });
      }
      return claimed;
    }).immediate();
  }

  /**
   * The retention purge: deletes requests still queued that were made before `before` (their body
   * is personal data and no verdict came in time); returns how many. Each id is audited.
   */
  purgeQueuedBefore(before: Date): number {
    return this.db.transaction(() => {
      const gone = this.q.purge.all(before.toISOString()) as { request_id: string }[];
      for (const r of gone) this.audit.append({ action: 'rar.purged', actor: 'retention-job', detail: { requestId: r.request_id } });
      return gone.length;
    })();
  }

  /** Stores a late verdict; false if the request already had one (a duplicate delivery changes nothing). */
  complete(v: VerifiedResponse, queuedSince: string, audit: AuditSink = this.audit): boolean {
    const changed = this.q.complete.run(this.verdictRow(v)).changes === 1;
    if (changed) {
      audit.append({
        action: 'rar.verdict.late',
        actor: 'rar-outbox',
        detail: {
          requestId: v.response.requestId,
          verdict: v.response.verdict,
          transactionCode: v.response.transactionCode,
          queuedMs: this.clock().getTime() - Date.parse(queuedSince),
        },
      });
    }
    return changed;
  }

  /** A failed delivery; `notSent` undoes the attempt counted at claim time (the service cannot have it). */
  reschedule(requestId: string, errorCode: string, nextAttemptAt: number, notSent = false): void {
    this.q.reschedule.run(nextAttemptAt, errorCode, notSent ? 1 : 0, requestId);
  }

  /** Runs `fn` in one transaction (one fsync for a whole batch of results). */
  batch<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  get(requestId: string): VerificationRecord | undefined {
    const r = this.q.get.get(requestId) as Record<string, string | number | null> | undefined;
    if (!r) return undefined;
    return {
      requestId: r.request_id as string,
      state: r.state as 'queued' | 'done',
      origin: r.origin as 'online' | 'offline',
      attempts: r.attempts as number,
      verdict: r.verdict as string | null,
      transactionCode: r.transaction_code as string | null,
      lastError: r.last_error as string | null,
      hasRequestBody: r.request_body !== null,
    };
  }

  counts(): { queued: number; done: number } {
    const out = { queued: 0, done: 0 };
    for (const r of this.q.counts.all() as { state: 'queued' | 'done'; n: number }[]) out[r.state] = r.n;
    return out;
  }

  /** Epoch ms of the earliest queued request's next attempt, or undefined when nothing is queued. */
  nextDueAt(): number | undefined {
    return (this.q.nextDue.get() as { t: number | null }).t ?? undefined;
  }

  private verdictRow(v: VerifiedResponse) {
    return {
      requestId: v.response.requestId,
      at: this.clock().toISOString(),
      verdict: v.response.verdict,
      reasons: JSON.stringify(v.response.reasons),
      transactionCode: v.response.transactionCode,
      respondedAt: v.response.respondedAt,
      signed: v.signedBytes.toString('utf8'),
      signature: v.signature.toString('base64'),
    };
  }
}
