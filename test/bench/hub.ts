/**
 * Site hub load benchmark (loopback only, bounded in time). Run: npm run bench:hub
 *   1. paced: 50 simulated gates, each deciding 2 passages a second (and settling each: the door
 *      opened) through its own hub client (SQLite cache and outbox, its own client certificate)
 *      against one `cccd-kiosk hub serve` process on a private PostgreSQL (fsync on): decision
 *      latency p50/p99 and the rate achieved;
 *   2. ceiling: the same gates deciding as fast as they can (closed loop), then appending events
 *      as fast as they can (local outbox commit → batch → one group commit at the hub);
 *   3. the bare ceiling in the same run: a Fastify with the same mutual TLS answering each POST with
 *      an ECDSA-signed echo, driven by the same gates the same way; the ratio hub / bare.
 * The gates run in HUB_BENCH_PROCESSES child processes (test/bench/hub-gates.ts), standing for
 * separate machines: one gate's local disk commits must not stall the others' clocks.
 * Options (env): HUB_BENCH_GATES (50), HUB_BENCH_RATE (2 per gate per second), HUB_BENCH_SECONDS (20),
 * HUB_BENCH_CEILING_SECONDS (10), HUB_BENCH_PROCESSES (5).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { startTestSite } from '../support/site-hub.ts';
import type { GatesConfig, Phase, PhaseResult } from './hub-gates.ts';
import { listeningUrl } from '../support/child-url.ts';

const GATES = Number(process.env.HUB_BENCH_GATES ?? 50);
const RATE = Number(process.env.HUB_BENCH_RATE ?? 2);
const SECONDS = Number(process.env.HUB_BENCH_SECONDS ?? 20);
const CEILING_SECONDS = Number(process.env.HUB_BENCH_CEILING_SECONDS ?? 10);
const PROCESSES = Math.min(GATES, Number(process.env.HUB_BENCH_PROCESSES ?? 5));
const root = resolve(import.meta.dirname, '../..');

function percentile(samples: readonly number[], q: number): number {
  const s = [...samples].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

/** A child process printing `listening on URL`. */
async function startChild(args: string[], pattern: RegExp): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await listeningUrl(child, pattern);
  return { url, stop: () => new Promise((done) => (child.once('exit', () => done()), child.kill('SIGTERM'))) };
}

/** The gate processes, driven phase by phase; each answers one JSON line per phase. */
function gateProcess(configFile: string): { ready: Promise<void>; run(i: number): Promise<PhaseResult>; child: ChildProcess } {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/bench/hub-gates.ts'), configFile], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line));
  const next = () => new Promise<string>((ok) => waiting.push(ok));
  return {
    child,
    ready: next().then(() => undefined),
    async run(i) {
      const answer = next();
      child.stdin!.write(`go ${i}\n`);
      return JSON.parse(await answer) as PhaseResult;
    },
  };
}

async function main(): Promise<void> {
  console.log(`site hub benchmark: ${cpus().length} CPU(s), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine: figures vary with load)`);
  const site = await startTestSite({ maxConnections: 200 });
  try {
    const hub = await site.childHub();
    const echo = await startChild(['--import', 'tsx', join(root, 'test/bench/echo-server.ts'), join(site.dir, 'pki')], /listening on (\S+)/);
    const phases: Phase[] = [
      { kind: 'paced', seconds: SECONDS, rate: RATE },
      { kind: 'decide', seconds: CEILING_SECONDS },
      { kind: 'append', seconds: CEILING_SECONDS },
      { kind: 'echo', seconds: CEILING_SECONDS },
    ];
    const gates: GatesConfig['gates'][number][] = [];
    for (let i = 0; i < GATES; i++) {
      const terminalId = `GATE-${String(i).padStart(2, '0')}`;
      gates.push({ terminalId, endpoint: await site.endpoint(terminalId, [hub.url]), dbFile: join(site.dir, `${terminalId}.sqlite`) });
    }
    const workers = Array.from({ length: PROCESSES }, (_, p) => {
      const file = join(site.dir, `gates-${p}.json`);
      const config: GatesConfig = { gates: gates.filter((_, i) => i % PROCESSES === p), echoUrl: echo.url, phases };
      writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
      return gateProcess(file);
    });
    await Promise.all(workers.map((w) => w.ready));

    const results: PhaseResult[] = [];
    for (let i = 0; i < phases.length; i++) {
      const parts = await Promise.all(workers.map((w) => w.run(i)));
      results.push({
        latencies: parts.flatMap((p) => p.latencies),
        refused: parts.reduce((n, p) => n + p.refused, 0),
        errors: parts.reduce((n, p) => n + p.errors, 0),
        extraRequests: parts.reduce((n, p) => n + p.extraRequests, 0),
        seconds: Math.max(...parts.map((p) => p.seconds)),
      });
    }
    for (const w of workers) w.child.stdin!.end();
    await Promise.all(workers.map((w) => new Promise((done) => w.child.once('exit', done))));

    const [paced, decide, append, bare] = results as [PhaseResult, PhaseResult, PhaseResult, PhaseResult];
    const rate = (r: PhaseResult) => r.latencies.length / r.seconds;
    const p99 = percentile(paced.latencies, 0.99);
    console.log(
      `paced   ${GATES} gates × ${RATE}/s for ${SECONDS} s (${PROCESSES} gate processes): ${paced.latencies.length} decisions (${rate(paced).toFixed(0)}/s), ` +
        `decision p50 ${ms(percentile(paced.latencies, 0.5))}, p99 ${ms(p99)} (goal p99 < 50 ms: ${p99 < 50 ? 'met' : 'NOT met'}); refused ${paced.refused}, failed ${paced.errors}`,
    );
    const line = (what: string, r: PhaseResult) =>
      `${what.padEnd(46)} ${rate(r).toFixed(0).padStart(6)}/s   p50 ${ms(percentile(r.latencies, 0.5)).padStart(9)}   p99 ${ms(percentile(r.latencies, 0.99)).padStart(9)}   errors ${r.errors}`;
    console.log(`ceiling, ${GATES} callers in a closed loop for ${CEILING_SECONDS} s each:`);
    console.log(`  ${line('hub decidePassage (row lock, one commit)', decide)}`);
    console.log(`  ${line('hub appendEvent (outbox → hub group commit)', append)}`);
    console.log(`  ${line('bare Fastify + mTLS + ECDSA-signed echo', bare)}`);
    // Each admitted passage is two requests to the hub (the decision, then the door's settle); the echo is one.
    const hubRequests = (decide.latencies.length + decide.extraRequests) / decide.seconds;
    console.log(`  hub requests (decisions + settles)            ${hubRequests.toFixed(0).padStart(6)}/s`);
    console.log(
      `  hub requests / bare ceiling = ${(hubRequests / rate(bare)).toFixed(2)} (goal ≥ 0.5); decisions alone / bare = ${(rate(decide) / rate(bare)).toFixed(2)}; ` +
        `events stored / bare = ${(rate(append) / rate(bare)).toFixed(2)}`,
    );

    const { rows } = await site.admin.pool.query<{ n: string; d: string }>('SELECT count(*) AS n, count(DISTINCT key) AS d FROM site_events');
    console.log(`database: ${rows[0]!.n} events, ${rows[0]!.d} distinct keys (none counted twice: ${rows[0]!.n === rows[0]!.d ? 'yes' : 'NO'})`);
    if (paced.errors > 0 || decide.errors > 0 || rows[0]!.n !== rows[0]!.d) process.exitCode = 1;
    await echo.stop();
  } finally {
    await site.close();
  }
}

await main();
