import type { VerifiedResponse } from '../../core/verification/contract.ts';
import type { VerificationConfig } from '../../core/verification/config.ts';
import { RarError } from '../../core/verification/errors.ts';
import { outcomeWithoutVerdict, type SentRequestOutcome } from '../../core/verification/policy.ts';
import { buildVerificationRequest, type VerificationSubject } from '../../core/verification/subject.ts';
import type { Db } from '../store/db.ts';
import type { AuditSink, RarClient } from './client.ts';
import { createRarClient, type RarEndpoint } from './from-config.ts';
import { RarOutbox } from './outbox.ts';
import { OutboxWorker } from './worker.ts';

/**
 * The verification step of a journey: asks the service for a verdict and, when none can be had,
 * applies the site's offline policy (queue and mark pending, report unavailable, or deny).
 */
export class VerificationService {
  constructor(
    private readonly o: {
      readonly client: RarClient;
      readonly outbox: RarOutbox;
      readonly worker?: OutboxWorker;
      readonly config: VerificationConfig;
      readonly terminalId: string;
      readonly audit: AuditSink;
    },
  ) {}

  async verify(subject: VerificationSubject): Promise<SentRequestOutcome> {
    const request = buildVerificationRequest(subject, { terminalId: this.o.terminalId, variant: this.o.config.variant, evidence: this.o.config.evidence });
    try {
      const v = await this.o.client.verify(request);
      this.o.outbox.recordOnline(v);
      const { requestId, verdict, reasons, transactionCode } = v.response;
      return { verdict, requestId, reasons, transactionCode };
    } catch (e) {
      if (!(e instanceof RarError)) throw e;
      const outcome = outcomeWithoutVerdict(this.o.config.offlinePolicy, request.requestId, e);
      if (outcome.verdict === 'PENDING') {
        this.o.outbox.enqueue(request, e.code);
        this.o.worker?.notify();
      }
      this.o.audit.append({ action: 'rar.outcome', actor: 'kiosk', detail: { requestId: request.requestId, outcome: outcome.verdict, code: e.code } });
      return outcome;
    }
  }
}

export interface Verification {
  readonly service: VerificationService;
  readonly client: RarClient;
  readonly outbox: RarOutbox;
  readonly worker: OutboxWorker;
  /** Stops the outbox worker (after its batch in flight) and closes connections. */
  stop(): Promise<void>;
}

/**
 * Wires the verification step for the host: client from the profile's section and an endpoint
 * (remoteEndpoint() for `service.mode: remote`, embeddedEndpoint() for the in-process reference
 * server), the outbox on the kiosk database, and the outbox worker, started.
 */
export function startVerification(opts: {
  readonly config: VerificationConfig;
  readonly endpoint: RarEndpoint;
  readonly db: Db;
  readonly audit: AuditSink;
  readonly terminalId: string;
  readonly onVerdict?: (v: VerifiedResponse) => void;
  readonly onError?: (error: unknown) => void;
  readonly clock?: () => Date;
  /** Start the outbox worker now (default); tests drive `worker.drain()` themselves. */
  readonly startWorker?: boolean;
}): Verification {
  const client = createRarClient(opts.config, opts.endpoint, { audit: opts.audit, ...(opts.clock ? { clock: opts.clock } : {}) });
  const outbox = new RarOutbox(opts.db, opts.audit, opts.clock);
  const worker = new OutboxWorker({
    outbox,
    client,
    config: opts.config.outbox,
    leaseMs: opts.config.connectTimeoutMs + opts.config.responseTimeoutMs + 1_000,
    audit: opts.audit,
    ...(opts.onVerdict ? { onVerdict: opts.onVerdict } : {}),
    ...(opts.onError ? { onError: opts.onError } : {}),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  if (opts.startWorker !== false) worker.start();
  const service = new VerificationService({ client, outbox, worker, config: opts.config, terminalId: opts.terminalId, audit: opts.audit });
  return {
    service,
    client,
    outbox,
    worker,
    async stop() {
      await worker.stop();
      client.close();
    },
  };
}
