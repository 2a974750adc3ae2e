/**
 * RAR load benchmark (loopback only, bounded in count and time). Run: npm run bench:rar
 *   1. The reference server runs in a second process (`cccd-kiosk rar-server`); autocannon sends
 *      N verify calls over mutual TLS, each with a fresh request id, and prints requests/s, p50, p99.
 *   2. The kiosk client's outbox drains 10,000 queued requests into the same server (signature,
 *      echo and timestamp checks on every answer) and prints the drain rate.
 *      Every RAR_BENCH_WINDOW answers (3000) it prints that window's rate and the server process's CPU
 *      per request, so a run shows whether throughput stays flat as the registry grows.
 *      RAR_BENCH_WARMUP requests (3000) go first and are not counted.
 * Options (env): RAR_BENCH_REQUESTS (default 3000), RAR_BENCH_CONNECTIONS (10), RAR_BENCH_OUTBOX (10000),
 * RAR_BENCH_WINDOW (3000), RAR_BENCH_WARMUP (3000).
 */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildVerificationRequest } from '../../app/core/verification/subject.ts';
import { startVerification } from '../../app/platform/rar/verification-service.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';
import { getPersona } from '../../app/sim/personas/personas.ts';
import { spkiSha256 } from '../../app/sim/rar-server/demo-pki.ts';
import { cardSubject, testConfig } from '../integration/rar-support.ts';
import { listeningUrl } from '../support/child-url.ts';

/** The part of autocannon's result this benchmark prints (the package ships no types). */
interface AutocannonResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly '2xx': number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as (opts: Record<string, unknown>) => Tracker;

const REQUESTS = Number(process.env.RAR_BENCH_REQUESTS ?? 3000);
const CONNECTIONS = Number(process.env.RAR_BENCH_CONNECTIONS ?? 10);
const OUTBOX = Number(process.env.RAR_BENCH_OUTBOX ?? 10_000);
const WINDOW = Number(process.env.RAR_BENCH_WINDOW ?? 3000);
const WARMUP = Number(process.env.RAR_BENCH_WARMUP ?? 3000);
const TERMINAL = 'BENCH-0001';
const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'rar-bench-'));

/** CPU time (user + system) a process has used so far, in ms, from /proc (Linux; 0 elsewhere). */
function cpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return 0;
  }
}

/** The machine's CPU time so far, busy and total (all cores), in clock ticks, from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1, 9).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    return { busy, total: busy + idle! + iowait! };
  } catch {
    return { busy: 0, total: 0 };
  }
}

interface Tracker extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: () => void): void;
}

/**
 * Each window of `size` answers as it completes: its rate; the CPU the server process and this
 * (client) process spent per answer in it; and how busy the whole machine was (other work included).
 * If the rate falls while the server's CPU per answer does not grow, the server is not what slowed.
 */
function perWindow(tracker: Tracker, size: number, serverPid: number | undefined): void {
  let answered = 0;
  const mark = () => ({ at: performance.now(), server: cpuMs(serverPid), client: process.cpuUsage(), machine: machineTicks() });
  let from = mark();
  tracker.on('response', () => {
    if (++answered % size !== 0) return;
    const to = mark();
    const client = process.cpuUsage(from.client);
    const busy = (to.machine.busy - from.machine.busy) / Math.max(1, to.machine.total - from.machine.total);
    console.log(
      `        answers ${answered - size + 1}–${answered}: ${(size / ((to.at - from.at) / 1000)).toFixed(0)} requests/s; ` +
        `CPU per request: server ${((to.server - from.server) / size).toFixed(2)} ms, client ${((client.user + client.system) / 1000 / size).toFixed(2)} ms; ` +
        `machine ${(busy * 100).toFixed(0)} % busy, load average ${loadavg()[0]!.toFixed(1)}`,
    );
    from = to;
  });
}

async function startServerProcess(trustFile: string): Promise<{ url: string; pid: number | undefined; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [join(root, 'app/cli/bin.mjs'), 'rar-server', '--data-dir', join(dir, 'rar'), '--port', '0', '--enrol', TERMINAL, '--trust', trustFile, '--rate', '1000000', '--burst', '1000000'],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root },
  );
  const url = await listeningUrl(child, /listening on (https:\/\/\S+)/);
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

function ms(n: number): string {
  return `${n.toFixed(1)} ms`;
}

async function main(): Promise<void> {
  console.log(`RAR benchmark: ${cpus().length} CPU(s), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine: figures vary with load)`);
  const subject = await cardSubject('nguyen-van-an');
  const trustFile = join(dir, 'csca.der');
  writeFileSync(trustFile, getTestPki(getPersona('nguyen-van-an').pki).csca.certificate);
  const server = await startServerProcess(trustFile);
  const pki = join(dir, 'rar', 'pki');
  const tls = {
    cert: readFileSync(join(pki, 'terminals', `${TERMINAL}.crt`)),
    key: readFileSync(join(pki, 'terminals', `${TERMINAL}.key`)),
    ca: readFileSync(join(pki, 'ca.crt')),
  };
  try {
    // 1. Server load from this (second) process.
    const template = buildVerificationRequest(subject, { terminalId: TERMINAL, variant: 'basic' });
    const load = (amount: number) =>
      autocannon({
        url: server.url,
        connections: CONNECTIONS,
        amount,
        timeout: 30,
        tlsOptions: tls,
        requests: [
          {
            method: 'POST',
            path: '/v1/verifications',
            headers: { 'content-type': 'application/json' },
            setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ ...template, requestId: randomUUID(), createdAt: new Date().toISOString() }) }),
          },
        ],
      });
    // Warm-up, not counted: the server's CPU per request falls by a third to a half over its
    // first few thousand requests (JIT), so a 3,000-request run would otherwise measure mostly that.
    let warmed = 0;
    if (WARMUP > 0) {
      const w = await load(WARMUP);
      warmed = w['2xx'];
      console.log(`server  warm-up: ${warmed}/${WARMUP} answered 2xx, ${w.requests.average.toFixed(0)} requests/s (not counted)`);
    }
    const tracker = load(REQUESTS);
    perWindow(tracker, WINDOW, server.pid);
    const result = await tracker;
    const n2xx = result['2xx'];
    console.log(
      `server  verify over mTLS: ${n2xx}/${REQUESTS} answered 2xx (non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}), ` +
        `${CONNECTIONS} connections: ${result.requests.average.toFixed(0)} requests/s, p50 ${ms(result.latency.p50)}, p99 ${ms(result.latency.p99)}`,
    );

    // 2. The client's outbox draining OUTBOX queued requests.
    const db = openDatabase(join(dir, 'kiosk.sqlite'));
    const audit = new AuditLog(db);
    const v = startVerification({
      config: testConfig({ connectTimeoutMs: 5_000, responseTimeoutMs: 30_000, outbox: { concurrency: 16, batchSize: 256, pollMs: 60_000, retryBaseMs: 100, retryMaxMs: 1_000 } }),
      endpoint: {
        url: server.url,
        clientCertPem: tls.cert.toString(),
        clientKeyPem: tls.key.toString(),
        serverCaPem: tls.ca.toString(),
        serverSpkiSha256: [spkiSha256(readFileSync(join(pki, 'server.crt'), 'utf8'))],
        responseKeyPem: readFileSync(join(pki, 'signing-ec.pub.pem'), 'utf8'),
      },
      db,
      audit,
      terminalId: TERMINAL,
      startWorker: false,
    });
    v.outbox.batch(() => {
      for (let i = 0; i < OUTBOX; i++) v.outbox.enqueue(buildVerificationRequest(subject, { terminalId: TERMINAL, variant: 'basic' }), 'BENCH');
    });
    const t0 = performance.now();
    const deadline = Date.now() + 300_000;
    let delivered = 0;
    while (v.outbox.counts().queued > 0 && Date.now() < deadline) delivered += (await v.worker.drain()).delivered;
    const secs = (performance.now() - t0) / 1000;
    await v.stop();
    const registry = new Database(join(dir, 'rar', 'registry.sqlite'), { readonly: true });
    const stats = registry.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(receipts - 1), 0) AS d FROM transactions').get() as { n: number; d: number };
    registry.close();
    console.log(
      `client  outbox drain: ${delivered}/${OUTBOX} verdicts stored in ${secs.toFixed(1)} s = ${(delivered / secs).toFixed(0)} requests/s ` +
        `(concurrency 16, batches of 256, every answer signature/echo/timestamp-checked, audit rows in the batch transaction); ` +
        `server decided ${stats.n - n2xx - warmed} of them, duplicate receipts ${stats.d}; audit chain ${audit.verify().ok ? 'intact' : 'BROKEN'}`,
    );
    db.close();
    if (delivered !== OUTBOX || stats.d !== 0) process.exitCode = 1;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
