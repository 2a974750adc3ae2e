/**
 * The site hub under the faults a site meets: a hub process killed mid-burst, the database
 * stopped and started again, a kiosk that was offline for a day. Hubs run as real
 * `cccd-kiosk hub serve` processes (kill -9 is a real SIGKILL); PostgreSQL is a private cluster
 * with fsync on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SiteStoreError } from '../../app/core/site-store/errors.ts';
import type { SiteEvent } from '../../app/core/site-store/site-store.ts';
import { eventually, passage, storeCode } from '../contract/site-store.contract.ts';
import { postgresMissing } from '../support/postgres.ts';
import { freePort, startTestSite, type TestSite } from '../support/site-hub.ts';

const skip = postgresMissing() !== undefined;

/** How many of the site's events carry these keys, and with which seq each (from the database itself). */
async function stored(site: TestSite, keys: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await site.admin.pool.query<{ key: string; seq: string }>('SELECT key, seq FROM site_events WHERE key = ANY($1)', [keys]);
  return new Map(rows.map((r) => [r.key, Number(r.seq)]));
}

const accessEvent = (terminal: string, n: number, at = new Date()): SiteEvent => ({
  key: `${terminal}:${n}`,
  kind: 'access',
  at: at.toISOString(),
  terminalId: terminal,
  subject: `worker-${n % 97}`,
  data: { door: 'main', n },
});

describe.skipIf(skip)('site hub faults', { timeout: 180_000 }, () => {
  let site: TestSite;
  beforeAll(async () => {
    site = await startTestSite();
  });
  afterAll(async () => site?.close());

  it('kill -9 of a hub during a burst: no acknowledged event lost, none counted twice', async () => {
    const port = await freePort();
    const first = await site.childHub(port);
    const second = await site.childHub();
    // One kiosk may fail over to the second hub; the other knows only the first and must wait for it.
    const roaming = await site.kiosk('GATE-R', [first.url, second.url]);
    const bound = await site.kiosk('GATE-S', [first.url]);
    await roaming.store.whenOnline();
    await bound.store.whenOnline();

    const N = 1500;
    const acked = new Map<string, number>();
    let killed = false;
    const burst = async (k: typeof roaming) => {
      const all: Promise<void>[] = [];
      for (let i = 1; i <= N; i++) {
        const e = accessEvent(k.terminalId, i);
        all.push(
          k.store.appendEvent(e).then((r) => {
            expect(r.stored).toBe(true);
            if (r.seq > 0) acked.set(e.key, r.seq);
          }),
        );
        if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
        if (i === N / 3 && k === roaming && !killed) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      }
      await Promise.all(all);
    };
    await Promise.all([burst(roaming), burst(bound)]);
    await first.exited;
    expect(acked.size).toBeGreaterThan(0);

    // The roaming kiosk delivers everything through the second hub.
    await roaming.store.flush();
    // The bound one waits, offline, until its hub is back on the same address.
    await eventually(() => !bound.store.status().online, 20_000);
    expect(bound.store.status().outboxDepth).toBeGreaterThan(0);
    const restarted = await site.childHub(port);
    await eventually(() => bound.store.status().outboxDepth === 0, 60_000);

    const keys = ['GATE-R', 'GATE-S'].flatMap((t) => Array.from({ length: N }, (_, i) => `${t}:${i + 1}`));
    const inDb = await stored(site, keys);
    expect(inDb.size).toBe(2 * N);
    // Every event acknowledged before (or after) the kill kept the seq it was acknowledged with:
    // it was stored once and never again.
    for (const [key, seq] of acked) expect(inDb.get(key)).toBe(seq);
    const { rows } = await site.admin.pool.query<{ n: string }>("SELECT count(*) AS n FROM site_events WHERE terminal_id IN ('GATE-R', 'GATE-S')");
    expect(Number(rows[0]!.n)).toBe(2 * N);
    // A replay of the whole outbox after the fact stores nothing new.
    const again = await roaming.store.appendEvent(accessEvent('GATE-R', 7));
    expect(again).toEqual({ stored: false, seq: inDb.get('GATE-R:7') });

    await roaming.close();
    await bound.close();
    await Promise.all([restarted.stop(), second.stop()]);
  });

  it('PostgreSQL stopped: the kiosk goes offline, keeps its cached blocklist and queue, then catches up', async () => {
    const hub = await site.childHub();
    const gate = await site.kiosk('GATE-P', [hub.url]);
    const statuses: boolean[] = [];
    gate.store.onStatus((s) => statuses.push(s.online));
    await gate.store.whenOnline();
    await gate.store.put('blocklist', 'worker-13', { reason: 'badge reported stolen' });
    const area = 'plant-p';
    const inBefore = await gate.store.decidePassage(passage(area, 'worker-1', 'in', 'hard', 'GATE-P'));
    expect(inBefore.admitted).toBe(true);

    await site.cluster.stopServer();
    try {
      // The authority cannot be asked: the site module's failure rule decides, the store says why.
      expect(await storeCode(() => gate.store.decidePassage(passage(area, 'worker-2', 'in', 'hard', 'GATE-P')))).toBe('SITE_STORE_UNAVAILABLE');
      await eventually(() => !gate.store.status().online, 10_000);
      // The cached blocklist still answers, so it is still enforced offline.
      expect((await gate.store.get('blocklist', 'worker-13'))?.body).toEqual({ reason: 'badge reported stolen' });
      // Events and the door's outcome are kept in the outbox.
      const offline = Array.from({ length: 50 }, (_, i) => accessEvent('GATE-P', 10_000 + i));
      for (const e of offline) expect(await gate.store.appendEvent(e)).toEqual({ stored: true, seq: 0 });
      await gate.store.settlePassage((inBefore as { passageId: string }).passageId, true);
      expect(gate.store.status().outboxDepth).toBe(51);
      expect((await gate.store.put('blocklist', 'x', {}).catch((e: unknown) => e)) as SiteStoreError).toMatchObject({ code: 'SITE_STORE_UNAVAILABLE' });
    } finally {
      await site.cluster.startServer();
    }

    await eventually(() => gate.store.status().online && gate.store.status().outboxDepth === 0, 30_000);
    expect(statuses).toEqual([true, false, true]);
    const inDb = await stored(site, Array.from({ length: 50 }, (_, i) => `GATE-P:${10_000 + i}`));
    expect(inDb.size).toBe(50);
    // The settle reached the hub: the passage is opened, so it can no longer be undone.
    const { rows } = await site.admin.pool.query<{ state: string }>('SELECT state FROM site_passages WHERE id = $1', [(inBefore as { passageId: string }).passageId]);
    expect(rows[0]?.state).toBe('opened');
    // Changes flow again: the hub's LISTEN came back, and a change made elsewhere reaches the kiosk.
    await site.admin.put('blocklist', 'worker-14', { reason: 'expelled' });
    await eventually(async () => (await gate.store.get('blocklist', 'worker-14')) !== undefined, 5_000);
    await gate.close();
    await hub.stop();
  });

  it('a kiosk offline for a day with 10,000 queued events catches up, each stored once', async () => {
    const port = await freePort();
    const gate = await site.kiosk('GATE-D', [`https://127.0.0.1:${port}`], { requestTimeoutMs: 10_000 });
    await eventually(() => gate.store.status().outboxDepth === 0 && !gate.store.status().online, 10_000).catch(() => undefined);
    const N = 10_000;
    const dayAgo = Date.now() - 86_400_000;
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: N }, (_, i) => gate.store.appendEvent(accessEvent('GATE-D', i, new Date(dayAgo + i * 8_000)))));
    const queuedMs = performance.now() - t0;
    expect(results.every((r) => r.stored && r.seq === 0)).toBe(true);
    expect(gate.store.status().outboxDepth).toBe(N);

    const hub = await site.childHub(port);
    const t1 = performance.now();
    await eventually(() => gate.store.status().outboxDepth === 0, 120_000);
    const drainMs = performance.now() - t1;
    const inDb = await stored(site, Array.from({ length: N }, (_, i) => `GATE-D:${i}`));
    expect(inDb.size).toBe(N);
    expect(new Set(inDb.values()).size).toBe(N);
    // In the order they happened: the outbox sends in local order.
    const seqs = Array.from({ length: N }, (_, i) => inDb.get(`GATE-D:${i}`)!);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    console.log(`offline kiosk: ${N} events queued in ${queuedMs.toFixed(0)} ms, delivered in ${drainMs.toFixed(0)} ms (${((N / drainMs) * 1000).toFixed(0)} events/s)`);
    await gate.close();
    await hub.stop();
  });
});
