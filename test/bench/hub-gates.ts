/**
 * bench:hub's simulated gates, run in a child process of their own so that several such processes
 * stand for many machines: each gate has its own hub client (SQLite file, client certificate) and
 * a kiosk's local work (its outbox commits) does not stall the other gates' clocks.
 *   node --import tsx test/bench/hub-gates.ts CONFIG.json
 * CONFIG: { gates: [{ terminalId, endpoint, dbFile }], echoUrl, phases: [{ kind, seconds, rate? }] }.
 * Waits for a line "go <phase index>" on stdin before each phase; prints one JSON line per phase.
 */
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { PassageRequest } from '../../app/core/site-store/site-store.ts';
import { HttpsTransport } from '../../app/platform/rar/transport.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { HubSiteStore, type HubEndpoint } from '../../app/platform/store/site-store/hub-client.ts';

export type Phase = { readonly kind: 'paced'; readonly seconds: number; readonly rate: number } | { readonly kind: 'decide' | 'append' | 'echo'; readonly seconds: number };
export interface GatesConfig {
  readonly gates: readonly { readonly terminalId: string; readonly endpoint: HubEndpoint; readonly dbFile: string }[];
  readonly echoUrl: string;
  readonly phases: readonly Phase[];
}
export interface PhaseResult {
  readonly latencies: number[];
  readonly refused: number;
  readonly errors: number;
  /** Requests besides the timed ones (a settle after each admitted passage). */
  readonly extraRequests: number;
  readonly seconds: number;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as GatesConfig;
const gates = config.gates.map((g) => {
  const db = openDatabase(g.dbFile);
  return { ...g, db, store: HubSiteStore.open({ endpoint: g.endpoint, db, terminalId: g.terminalId, heartbeatMs: 15_000, requestTimeoutMs: 10_000 }) };
});
await Promise.all(gates.map((g) => g.store.whenOnline(60_000)));

/** Each gate lets its own workers in and out in turn; a refusal is a decision too (counted apart). */
const traffic = gates.map((g) => {
  let n = 0;
  return (): PassageRequest => {
    n++;
    const worker = `${g.terminalId}-worker-${Math.floor((n - 1) / 2) % 20}`;
    const direction = n % 2 === 1 ? 'in' : 'out';
    return {
      area: 'plant',
      subject: worker,
      direction,
      antiPassback: 'hard',
      event: { key: `${g.terminalId}:${process.pid}-${Date.now()}-${n}`, kind: `passage-${direction}`, at: new Date().toISOString(), terminalId: g.terminalId, subject: worker, data: { door: g.terminalId } },
    };
  };
});
const echo = new HttpsTransport({ ...gates[0]!.endpoint, url: config.echoUrl, connectTimeoutMs: 5000, responseTimeoutMs: 10_000, maxSockets: gates.length });

async function run(phase: Phase): Promise<PhaseResult> {
  const latencies: number[] = [];
  let refused = 0;
  let errors = 0;
  let settled = 0;
  let appended = 0;
  const timed = async (op: () => Promise<unknown>) => {
    const t = performance.now();
    try {
      const r = await op();
      latencies.push(performance.now() - t);
      if ((r as { admitted?: boolean } | undefined)?.admitted === false) refused++;
    } catch {
      errors++;
    }
  };
  const decide = async (i: number) => {
    const d = await gates[i]!.store.decidePassage(traffic[i]!());
    if (d.admitted) void gates[i]!.store.settlePassage(d.passageId, true).then(() => settled++, () => errors++);
    return d;
  };
  const ops: Record<Exclude<Phase['kind'], 'paced'>, (i: number) => Promise<unknown>> = {
    decide,
    append: async (i) => {
      const g = gates[i]!;
      const r = await g.store.appendEvent({ key: `${g.terminalId}:bench-${process.pid}-${++appended}`, kind: 'access', at: new Date().toISOString(), terminalId: g.terminalId, data: { n: appended } });
      // Counted only when the hub acknowledged it (committed), not when merely queued.
      if (r.seq === 0) throw new Error('not acknowledged in time');
    },
    echo: async (i) => {
      const r = await echo.send({ method: 'POST', path: '/v1/echo', headers: { 'content-type': 'application/json' }, body: JSON.stringify(traffic[i]!()) });
      if (r.status !== 200) throw new Error(`echo ${r.status}`);
    },
  };
  const t0 = performance.now();
  const until = t0 + phase.seconds * 1000;
  if (phase.kind === 'paced') {
    // Open loop: every gate on its own clock, with a random phase; a slow answer does not slow the clock.
    const inFlight = new Set<Promise<void>>();
    const timers: NodeJS.Timeout[] = [];
    gates.forEach((_, i) => {
      const tick = () => {
        const p: Promise<void> = timed(() => decide(i)).then(() => void inFlight.delete(p));
        inFlight.add(p);
      };
      timers.push(setTimeout(() => timers.push(setInterval(tick, 1000 / phase.rate)), Math.random() * (1000 / phase.rate)));
    });
    await new Promise((r) => setTimeout(r, phase.seconds * 1000));
    timers.forEach((t) => clearInterval(t));
    await Promise.all(inFlight);
  } else {
    const op = ops[phase.kind];
    await Promise.all(
      gates.map(async (_, i) => {
        while (performance.now() < until) await timed(() => op(i));
      }),
    );
  }
  return { latencies, refused, errors, extraRequests: settled, seconds: (performance.now() - t0) / 1000 };
}

const lines = createInterface({ input: process.stdin });
console.log('ready');
for await (const line of lines) {
  const m = /^go (\d+)$/.exec(line);
  if (!m) break;
  console.log(JSON.stringify(await run(config.phases[Number(m[1])]!)));
}
echo.close();
for (const g of gates) {
  await g.store.flush().catch(() => undefined);
  await g.store.close();
  g.db.close();
}
