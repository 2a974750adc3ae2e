import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { startFixture, subjectToJson, type Fixture } from './rar-support.ts';

/**
 * kill -9 of the kiosk-side process while it drains 1,000 queued requests: after a restart every
 * request has exactly one verdict, the service decided each exactly once and received none twice.
 */
const TERMINAL = 'CRASH-0001';
const COUNT = 1000;
const child = join(import.meta.dirname, 'rar-crash-child.ts');
let f: Fixture;
let setupFile: string;
let dbFile: string;

beforeAll(async () => {
  f = await startFixture(TERMINAL, { rateLimit: { perSecond: 100_000, burst: 100_000 } });
  dbFile = join(f.dir, 'kiosk.sqlite');
  setupFile = join(f.dir, 'child.json');
  writeFileSync(setupFile, JSON.stringify({ db: dbFile, endpoint: f.endpoint, subject: subjectToJson(f.subject), terminalId: TERMINAL }));
});
afterAll(async () => {
  await f?.cleanup();
});

function run(mode: 'enqueue' | 'drain', killWhen?: () => boolean): Promise<{ code: number | null; signal: string | null; out: string }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, RAR_CHILD_MODE: mode, RAR_CHILD_COUNT: String(COUNT), RAR_CHILD_SETUP: setupFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = killWhen
      ? setInterval(() => {
          if (killWhen()) {
            clearInterval(timer);
            p.kill('SIGKILL');
          }
        }, 2)
      : undefined;
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (timer) clearInterval(timer);
      console.log(`${mode}: ${Date.now() - t0} ms`);
      resolve({ code, signal, out });
    });
  });
}

it('kill -9 with 1,000 queued requests: none lost, none sent twice', { timeout: 120_000 }, async () => {
  const queued = await run('enqueue');
  expect(queued.code, queued.out).toBe(0);
  expect(queued.out).toContain(`queued ${COUNT}`);

  // Slow answers a little so the kill lands with requests in flight (decided by the service, answer never stored).
  f.server.setFault({ kind: 'delay', ms: 20 });
  const killed = await run('drain', () => (f.server.counters.decided ?? 0) >= 300);
  expect(killed.signal, killed.out).toBe('SIGKILL');
  f.server.setFault(undefined);
  const decidedAtKill = f.server.counters.decided ?? 0;
  expect(decidedAtKill).toBeGreaterThanOrEqual(300);
  expect(decidedAtKill).toBeLessThan(COUNT);

  const restarted = await run('drain');
  expect(restarted.code, restarted.out).toBe(0);

  const db = openDatabase(dbFile);
  try {
    const rows = db.prepare("SELECT state, verdict, request_body IS NULL AS erased, COUNT(*) AS n FROM rar_verifications GROUP BY state, verdict, erased").all();
    expect(rows).toEqual([{ state: 'done', verdict: 'VERIFIED', erased: 1, n: COUNT }]);
    // The service decided each request once and never received one twice.
    expect(f.server.registry.stats()).toEqual({ transactions: COUNT, duplicateReceipts: 0 });
    // Requests that were in flight at the kill were recovered by lookup, not resent.
    console.log(`kill -9 after ${decidedAtKill} decisions; recovered by lookup: ${f.server.counters.lookup ?? 0}`);
    const audit = new AuditLog(db);
    expect(audit.verify()).toMatchObject({ ok: true });
    const late = db.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT json_extract(detail, '$.requestId')) AS d FROM audit_log WHERE action = 'rar.verdict.late'").get();
    expect(late).toEqual({ n: COUNT, d: COUNT });
  } finally {
    db.close();
  }
});
