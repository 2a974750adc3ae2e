import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { VerificationOutcome } from '../../app/core/verification/policy.ts';
import { buildVerificationRequest } from '../../app/core/verification/subject.ts';
import { startVerification, type Verification } from '../../app/platform/rar/verification-service.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { embeddedEndpoint } from '../../app/sim/rar-server/embedded.ts';
import { startRarServer } from '../../app/sim/rar-server/server.ts';
import { serverTrust, startFixture, testConfig, type Fixture } from './rar-support.ts';

/** Offline policy and the SQLite outbox against the reference server, through real mTLS. */

const TERMINAL = 'TEST-0001';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Kiosk {
  db: Db;
  audit: AuditLog;
  v: Verification;
  verdicts: string[];
}

function kiosk(f: Fixture, overrides: Record<string, unknown> = {}, endpoint = f.endpoint, startWorker = false): Kiosk {
  const db = openDatabase(join(f.dir, `kiosk-${cleanups.length}.sqlite`));
  const audit = new AuditLog(db);
  const verdicts: string[] = [];
  const v = startVerification({
    config: testConfig({ outbox: { concurrency: 4, batchSize: 8, pollMs: 60_000, retryBaseMs: 10, retryMaxMs: 20 }, ...overrides }),
    endpoint,
    db,
    audit,
    terminalId: TERMINAL,
    onVerdict: (r) => verdicts.push(r.response.requestId),
    startWorker,
  });
  cleanups.push(async () => {
    await v.stop();
    db.close();
  });
  return { db, audit, v, verdicts };
}

async function fixture(): Promise<Fixture> {
  const f = await startFixture(TERMINAL);
  cleanups.push(() => f.cleanup());
  return f;
}

const subject = (f: Fixture) => f.subject;
const deadEndpoint = (f: Fixture) => ({ ...f.endpoint, url: 'https://127.0.0.1:9' });

describe('offline policy', () => {
  it('allow-offline queues the request and reports pending; require-online and deny queue nothing', async () => {
    const f = await fixture();
    const outcomes: Record<string, VerificationOutcome> = {};
    for (const policy of ['allow-offline', 'require-online', 'deny'] as const) {
      const k = kiosk(f, { offlinePolicy: policy, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }, deadEndpoint(f));
      outcomes[policy] = await k.v.service.verify(subject(f));
      expect(k.v.outbox.counts().queued, policy).toBe(policy === 'allow-offline' ? 1 : 0);
    }
    expect(outcomes['allow-offline']).toMatchObject({ verdict: 'PENDING', code: 'RAR_CONNECT_FAILED' });
    expect(outcomes['require-online']).toMatchObject({ verdict: 'UNAVAILABLE', code: 'RAR_CONNECT_FAILED' });
    expect(outcomes['deny']).toMatchObject({ verdict: 'DENIED', code: 'RAR_CONNECT_FAILED' });
  });

  it('a forged answer is a failure under every policy and is never queued as "offline"', async () => {
    const f = await fixture();
    const k = kiosk(f, { offlinePolicy: 'allow-offline' });
    f.server.setFault({ kind: 'bad-signature' });
    const out = await k.v.service.verify(subject(f));
    f.server.setFault(undefined);
    expect(out).toMatchObject({ verdict: 'SECURITY_FAILURE', code: 'RAR_BAD_SIGNATURE' });
    expect(k.v.outbox.counts()).toEqual({ queued: 0, done: 0 });
  });

  it('online verdicts are recorded with the exact signed bytes and no request body', async () => {
    const f = await fixture();
    const k = kiosk(f);
    const out = await k.v.service.verify(subject(f));
    expect(out.transactionCode).toMatch(/\S/);
    const rec = k.v.outbox.get(out.requestId);
    expect(rec).toMatchObject({ state: 'done', origin: 'online', verdict: 'VERIFIED', hasRequestBody: false });
  });
});

describe('outbox', () => {
  it('server down then back: every queued request is delivered exactly once, late verdicts audited', async () => {
    const f = await fixture();
    const port = f.server.port;
    const k = kiosk(f, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await f.server.close();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const out = await k.v.service.verify(subject(f));
      expect(out.verdict).toBe('PENDING');
      ids.push(out.requestId);
    }
    // While down, drain passes fail and keep everything queued.
    await k.v.worker.drain();
    expect(k.v.outbox.counts().queued).toBe(20);
    expect(k.v.client.circuit.state).toBe('open');
    // Back up on the same address with the same registry; once the circuit's cool-down has passed a probe goes out.
    const back = await startRarServer({ dataDir: join(f.dir, 'rar'), port, trust: serverTrust() });
    cleanups.push(() => back.close());
    await new Promise((r) => setTimeout(r, 550));
    const r = await k.v.worker.drain();
    expect(r).toMatchObject({ delivered: 20, remaining: 0 });
    expect((await k.v.worker.drain()).delivered).toBe(0);
    expect(back.registry.stats()).toEqual({ transactions: 20, duplicateReceipts: 0 });
    expect(new Set(k.verdicts)).toEqual(new Set(ids));
    expect(k.verdicts).toHaveLength(20);
    for (const id of ids) expect(k.v.outbox.get(id)).toMatchObject({ state: 'done', origin: 'offline', verdict: 'VERIFIED', hasRequestBody: false });
    const late = k.audit.recent(500).filter((row) => row.action === 'rar.verdict.late');
    expect(late).toHaveLength(20);
    expect(k.audit.verify()).toMatchObject({ ok: true });
  });

  it('deduplicates by request id and looks up a request the service may already have instead of resending it', async () => {
    const f = await fixture();
    const k = kiosk(f);
    const req = buildVerificationRequest(subject(f), { terminalId: TERMINAL, variant: 'basic' });
    expect(k.v.outbox.enqueue(req, 'TEST')).toBe(true);
    expect(k.v.outbox.enqueue(req, 'TEST')).toBe(false);
    // The service received it once already (as if the kiosk died before storing the answer).
    await k.v.client.verify(req);
    k.db.prepare('UPDATE rar_verifications SET attempts = 1 WHERE request_id = ?').run(req.requestId);
    const r = await k.v.worker.drain();
    expect(r.delivered).toBe(1);
    expect(f.server.registry.transaction(req.requestId)?.receipts).toBe(1);
    expect(f.server.counters.lookup).toBe(1);
  });

  it('a verdict is final: the store refuses to overwrite it', async () => {
    const f = await fixture();
    const k = kiosk(f);
    const out = await k.v.service.verify(subject(f));
    expect(() => k.db.prepare("UPDATE rar_verifications SET verdict = 'REVOKED' WHERE request_id = ?").run(out.requestId)).toThrow(/final/);
  });

  it('the worker started by the host delivers a queued request on its own', async () => {
    const f = await fixture();
    const k = kiosk(f, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }, f.endpoint, true);
    f.server.setFault({ kind: 'status', status: 503 }, 1);
    const out = await k.v.service.verify(subject(f));
    expect(out.verdict).toBe('PENDING');
    for (let i = 0; i < 100 && k.verdicts.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(k.verdicts).toEqual([out.requestId]);
  });
});

export { embeddedEndpoint };
