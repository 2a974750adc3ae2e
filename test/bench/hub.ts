/**
 * Site hub load benchmark (loopback only, bounded in time). Run: npm run bench:hub
 *   1. paced: 50 simulated gates, each deciding 2 passages a second (and settling each: the door
 *      opened) through its own hub client (SQLite cache and outbox, its own client certificate)
 *      against one `cccd-kiosk hub serve` process on a private PostgreSQL (fsync on): decision
 *      latency p50/p99 and the rate achieved;
 *   2. ceiling: the same gates deciding as fast as they can (closed loop), then appending events
 *      as fast as they can (outbox → batches → one group commit each);
 *   3. the bare ceiling in the same run: a Fastify with the same mutual TLS answering each POST with
 *      an ECDSA-signed echo, driven by the same client the same way; the ratio hub / echo.
 * Options (env): HUB_BENCH_GATES (50), HUB_BENCH_RATE (2 per gate per second), HUB_BENCH_SECONDS (20),
 * HUB_BENCH_CEILING_SECONDS (10).
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import type { PassageRequest } from '../../app/core/site-store/site-store.ts';
import { HttpsTransport } from '../../app/platform/rar/transport.ts';
import { startTestSite, type Kiosk } from '../support/site-hub.ts';

const GATES = Number(process.env.HUB_BENCH_GATES ?? 50);
const RATE = Number(process.env.HUB_BENCH_RATE ?? 2);
const SECONDS = Number(process.env.HUB_BENCH_SECONDS ?? 20);
const CEILING_SECONDS = Number(process.env.HUB_BENCH_CEILING_SECONDS ?? 10);
const root = resolve(import.meta.dirname, '../..');

function percentile(samples: readonly number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Each gate lets its own workers in and out in turn, so hard anti-passback admits every passage. */
function gateTraffic(k: Kiosk, gate: number) {
  let n = 0;
  return (): PassageRequest => {
    n++;
    const worker = `worker-${gate}-${Math.floor((n - 1) / 2) % 20}`;
    const direction = n % 2 === 1 ? 'in' : 'out';
    return {
      area: 'plant',
      subject: worker,
      direction,
      antiPassback: 'hard',
      event: { key: `${k.terminalId}:${Date.now()}-${n}`, kind: `passage-${direction}`, at: new Date().toISOString(), terminalId: k.terminalId, subject: worker, data: { door: `gate-${gate}` } },
    };
  };
}

async function startEcho(pkiDir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/bench/echo-server.ts'), pkiDir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((ok, fail) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) ok(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`echo server exited ${code}`)));
  });
  return { url, stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) };
}

/** `loops` callers each repeating `op` until `seconds` pass: completed operations per second and latencies. */
async function closedLoop(loops: number, seconds: number, op: (i: number) => Promise<unknown>): Promise<{ perSecond: number; p50: number; p99: number; errors: number }> {
  const until = performance.now() + seconds * 1000;
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: loops }, async (_, i) => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await op(i);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  return { perSecond: latencies.length / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}

async function main(): Promise<void> {
  console.log(`site hub benchmark: ${cpus().length} CPU(s), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine: figures vary with load)`);
  const site = await startTestSite({ maxConnections: 200 });
  try {
    const hub = await site.childHub();
    const echo = await startEcho(join(site.dir, 'pki'));
    const gates: Kiosk[] = [];
    for (let i = 0; i < GATES; i++) gates.push(await site.kiosk(`GATE-${String(i).padStart(2, '0')}`, [hub.url], { heartbeatMs: 15_000, requestTimeoutMs: 10_000 }));
    await Promise.all(gates.map((g) => g.store.whenOnline(30_000)));
    const traffic = gates.map((g, i) => gateTraffic(g, i));
    const passage = async (i: number) => {
      const d = await gates[i]!.store.decidePassage(traffic[i]!());
      if (!d.admitted) throw new Error(`refused: ${d.reason}`);
      return d;
    };

    // 1. Paced: open loop, every gate on its own clock with a random phase.
    const latencies: number[] = [];
    let refused = 0;
    let failed = 0;
    const timers: NodeJS.Timeout[] = [];
    const inFlight = new Set<Promise<void>>();
    const t0 = performance.now();
    gates.forEach((g, i) => {
      const tick = () => {
        const t = performance.now();
        const p = passage(i)
          .then(async (d) => {
            latencies.push(performance.now() - t);
            await g.store.settlePassage(d.passageId, true);
          })
          .catch((e: unknown) => (String(e).includes('refused') ? refused++ : failed++))
          .then(() => void inFlight.delete(p));
        inFlight.add(p);
      };
      timers.push(setTimeout(() => timers.push(setInterval(tick, 1000 / RATE)), Math.random() * (1000 / RATE)));
    });
    await new Promise((r) => setTimeout(r, SECONDS * 1000));
    timers.forEach((t) => clearInterval(t));
    await Promise.all(inFlight);
    const pacedSeconds = (performance.now() - t0) / 1000;
    const p99 = percentile(latencies, 0.99);
    console.log(
      `paced   ${GATES} gates × ${RATE}/s for ${SECONDS} s: ${latencies.length} decisions (${(latencies.length / pacedSeconds).toFixed(0)}/s), ` +
        `decision p50 ${ms(percentile(latencies, 0.5))}, p99 ${ms(p99)} (goal p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'}); refused ${refused}, failed ${failed}`,
    );

    // 2. Ceilings: the hub deciding, the hub storing events, and the bare echo.
    const decide = await closedLoop(GATES, CEILING_SECONDS, passage);
    let n = 0;
    const append = await closedLoop(GATES, CEILING_SECONDS, async (i) => {
      const g = gates[i]!;
      const r = await g.store.appendEvent({ key: `${g.terminalId}:bench-${++n}`, kind: 'access', at: new Date().toISOString(), terminalId: g.terminalId, data: { n } });
      // Counted only when the hub acknowledged it (committed), not when merely queued.
      if (r.seq === 0) throw new Error('not acknowledged in time');
    });
    const creds = await site.endpoint('ECHO-CLIENT', [echo.url]);
    const echoClient = new HttpsTransport({ url: echo.url, clientCertPem: creds.clientCertPem, clientKeyPem: creds.clientKeyPem, serverCaPem: creds.serverCaPem, serverSpkiSha256: creds.serverSpkiSha256, connectTimeoutMs: 5000, responseTimeoutMs: 10_000, maxSockets: GATES });
    const body = JSON.stringify(traffic[0]!());
    const bare = await closedLoop(GATES, CEILING_SECONDS, async () => {
      const r = await echoClient.send({ method: 'POST', path: '/v1/echo', headers: { 'content-type': 'application/json' }, body });
      if (r.status !== 200) throw new Error(`echo ${r.status}`);
    });
    echoClient.close();
    const line = (what: string, r: Awaited<ReturnType<typeof closedLoop>>) =>
      `${what.padEnd(44)} ${r.perSecond.toFixed(0).padStart(6)}/s   p50 ${ms(r.p50).padStart(9)}   p99 ${ms(r.p99).padStart(9)}   errors ${r.errors}`;
    console.log(`ceiling, ${GATES} callers in a closed loop for ${CEILING_SECONDS} s each:`);
    console.log(`  ${line('hub decidePassage (row lock, one commit)', decide)}`);
    console.log(`  ${line('hub appendEvent (outbox → group commit)', append)}`);
    console.log(`  ${line('bare Fastify + mTLS + ECDSA-signed echo', bare)}`);
    console.log(`  hub decisions / bare ceiling = ${(decide.perSecond / bare.perSecond).toFixed(2)} (goal ≥ 0.5); events stored / bare = ${(append.perSecond / bare.perSecond).toFixed(2)}`);

    const { rows } = await site.admin.pool.query<{ n: string; d: string }>('SELECT count(*) AS n, count(DISTINCT key) AS d FROM site_events');
    console.log(`database: ${rows[0]!.n} events, ${rows[0]!.d} distinct keys (none counted twice: ${rows[0]!.n === rows[0]!.d ? 'yes' : 'NO'})`);
    if (failed > 0 || decide.errors > 0 || append.errors > 0 || rows[0]!.n !== rows[0]!.d) process.exitCode = 1;
    await echo.stop();
  } finally {
    await site.close();
  }
}

await main();
