/**
 * What the hub refuses, at its real boundary (HTTPS with client certificates): certificates it does
 * not know, kiosks speaking in another's name, malformed bodies, a withdrawn enrolment; and what a
 * kiosk hears when the hub's database is down. Also `cccd-kiosk hub` keeping passwords off the
 * command line.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSiteHub } from '../../app/platform/site-hub/server.ts';
import { withdrawTerminal } from '../../app/platform/site-hub/terminals.ts';
import { HttpsTransport } from '../../app/platform/rar/transport.ts';
import { ensureDemoPki, ensureTerminalCredentials, spkiSha256 } from '../../app/sim/rar-server/demo-pki.ts';
import { RarError } from '../../app/core/verification/errors.ts';
import { event, passage, storeCode } from '../contract/site-store.contract.ts';
import { postgresMissing } from '../support/postgres.ts';
import { startTestSite, type TestSite } from '../support/site-hub.ts';

describe.skipIf(postgresMissing() !== undefined)('the hub at its boundary', { timeout: 120_000 }, () => {
  let site: TestSite;
  let hub: RunningSiteHub;
  beforeAll(async () => {
    site = await startTestSite({ durable: false });
    // This site keeps 20 days of events whatever a kiosk asks.
    hub = await site.hub({ keepEventsDays: 20 });
  });
  afterAll(async () => site?.close());

  /** A client with these credentials, pinning the hub's certificate as a kiosk does. */
  const client = (cert: string, key: string) =>
    new HttpsTransport({
      url: hub.url, clientCertPem: cert, clientKeyPem: key, serverCaPem: site.pki.caCert,
      serverSpkiSha256: [spkiSha256(readFileSync(site.pki.serverCertFile, 'utf8'))], connectTimeoutMs: 5000, responseTimeoutMs: 5000,
    });
  const fromFiles = (c: { certFile: string; keyFile: string }) => client(readFileSync(c.certFile, 'utf8'), readFileSync(c.keyFile, 'utf8'));
  /** A kiosk enrolled as `terminal`. */
  async function as(terminal: string) {
    const e = await site.endpoint(terminal, [hub.url]);
    return client(e.clientCertPem, e.clientKeyPem);
  }
  const post = (t: HttpsTransport, path: string, body: unknown) => t.send({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const code = (r: { body: Buffer }) => (JSON.parse(r.body.toString()) as { error?: { code: string } }).error?.code;

  it('refuses a certificate of its CA that nobody enrolled, and one of another CA at the handshake', async () => {
    const stranger = fromFiles(await ensureTerminalCredentials(site.pki, 'NOT-ENROLLED'));
    const r = await stranger.send({ method: 'GET', path: '/v1/health', headers: {} });
    expect([r.status, code(r)]).toEqual([403, 'SITE_STORE_REFUSED']);
    stranger.close();

    const otherCa = await ensureDemoPki(join(site.dir, 'other-ca'));
    const foreign = fromFiles(await ensureTerminalCredentials(otherCa, 'GATE-A'));
    const e = await foreign.send({ method: 'GET', path: '/v1/health', headers: {} }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(RarError);
    foreign.close();
  });

  it('lets a kiosk speak only for itself', async () => {
    const a = await as('GATE-A');
    const b = await as('GATE-B');
    try {
      const forged = await post(a, '/v1/events', { events: [event({}, 'GATE-B')] });
      expect([forged.status, code(forged)]).toEqual([403, 'SITE_STORE_REFUSED']);
      const keyOfB = await post(a, '/v1/events', { events: [{ ...event({}, 'GATE-A'), key: 'GATE-B:1' }] });
      expect(keyOfB.status).toBe(403);
      const decided = await post(b, '/v1/passages', passage('site', 'w-1', 'in', 'hard', 'GATE-B'));
      const { decision } = JSON.parse(decided.body.toString()) as { decision: { passageId: string } };
      const settle = await post(a, '/v1/passages/settle', { passageId: decision.passageId, opened: false });
      expect([settle.status, code(settle)]).toEqual([403, 'SITE_STORE_REFUSED']);
      expect((await site.admin.inside('site')).map((p) => p.subject)).toEqual(['w-1']);
    } finally {
      a.close();
      b.close();
    }
  });

  it('answers malformed bodies with SITE_STORE_INVALID naming the field, never a crash', async () => {
    const a = await as('GATE-A');
    try {
      const notJson = await post(a, '/v1/events', '{"events": [');
      expect([notJson.status, code(notJson)]).toEqual([400, 'SITE_STORE_INVALID']);
      const badAt = await post(a, '/v1/events', { events: [{ ...event(), at: 'soon' }] });
      expect([badAt.status, code(badAt)]).toEqual([400, 'SITE_STORE_INVALID']);
      expect((JSON.parse(badAt.body.toString()) as { error: { field: string } }).error.field).toBe('event.at');
      const tooMany = await post(a, '/v1/events', { events: Array.from({ length: 501 }, () => event()) });
      expect(tooMany.status).toBe(400);
      const badSince = await a.send({ method: 'GET', path: '/v1/changes?since=-3', headers: {} });
      expect(badSince.status).toBe(400);
      expect((await a.send({ method: 'GET', path: '/v1/health', headers: {} })).status).toBe(200);
    } finally {
      a.close();
    }
  });

  it('keeps an audit anchor per kiosk: a chain shorter than the anchor raises AUDIT_ROLLBACK and the anchor stays', async () => {
    const e = await as('GATE-E');
    const beat = async (seq: number, hash: string, anchor?: { seq: number; hash: string | null }) => {
      const r = await post(e, '/v1/heartbeat', { softwareVersion: '0.1.0', profile: 'factory-gate', devices: { cardReader: 'ok' }, outboxDepth: 0, sentAt: new Date().toISOString(), audit: { seq, hash, ...(anchor ? { anchor } : {}) } });
      expect(r.status).toBe(200);
      return (JSON.parse(r.body.toString()) as { auditAnchor: number | null }).auditAnchor;
    };
    const h = (c: string) => c.repeat(64);
    expect(await beat(10, h('a'))).toBe(10);
    expect(await beat(14, h('b'), { seq: 10, hash: h('a') })).toBe(14);
    const rollbacks = async () => (await site.admin.openAlerts()).filter((x) => x.code === 'AUDIT_ROLLBACK' && x.detail.terminal === 'GATE-E');
    expect(await rollbacks()).toEqual([]);
    // Rows 12 to 14 deleted: the kiosk now reports 11.
    expect(await beat(11, h('c'), { seq: 14, hash: null })).toBe(14);
    expect(await rollbacks()).toHaveLength(1);
    expect((await rollbacks())[0]!.detail).toMatchObject({ anchoredSeq: 14, reportedSeq: 11 });
    e.close();
  });

  it('retention: a purge moves its kind’s horizon forward, is recorded with counts, and the database keeps the rest append-only', async () => {
    const DAY = 86_400_000;
    const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    const kind = `gate-access-${randomUUID().slice(0, 8)}`;
    const [gone, kept] = [event({ kind, at: ago(40) }), event({ kind, at: ago(10) })];
    // Its door has not said yet: the hub logs a passage's event when deciding (and drops it if the door stays shut).
    const pendingEvent = event({ kind, subject: 'w-2' });
    const pool = site.admin.pool;
    const a = await as('GATE-A');
    try {
      expect((await post(a, '/v1/events', { events: [gone, kept] })).status).toBe(200);
      // A settled passage of the kind (decided long ago) goes with the events; a pending one stays.
      const shut = await site.admin.decidePassage(passage(`area-${kind}`, 'w-1', 'in', 'hard', 'GATE-A', { event: event({ kind, subject: 'w-1', at: ago(40) }) }));
      const pending = await site.admin.decidePassage(passage(`area-${kind}`, 'w-2', 'in', 'hard', 'GATE-A', { event: pendingEvent }));
      if (!shut.admitted || !pending.admitted) throw new Error('expected admissions');
      await site.admin.settlePassage(shut.passageId, false);
      await pool.query("UPDATE site_passages SET decided_at = now() - interval '40 days' WHERE kind = $1", [kind]);

      const bad = await post(a, '/v1/events/purge', { kind, before: 'last month' });
      expect([bad.status, code(bad), (JSON.parse(bad.body.toString()) as { error: { field: string } }).error.field]).toEqual([400, 'SITE_STORE_INVALID', 'request.before']);
      expect((await post(a, '/v1/events/purge', { kind, before: ago(30), everything: true })).status).toBe(400);
      const recent = await post(a, '/v1/events/purge', { kind, before: ago(0.5) });
      expect([recent.status, code(recent)]).toEqual([422, 'SITE_STORE_PURGE_TOO_RECENT']);
      // Older than the store's day, but within what the hub keeps: refused, and nothing goes.
      const kept20 = await post(a, '/v1/events/purge', { kind, before: ago(15) });
      expect([kept20.status, code(kept20)]).toEqual([422, 'SITE_STORE_PURGE_TOO_RECENT']);
      expect(kept20.body.toString()).toContain('20 days');
      const r = await post(a, '/v1/events/purge', { kind, before: ago(30) });
      expect([r.status, JSON.parse(r.body.toString())]).toEqual([200, { purged: 1 }]);
    } finally {
      a.close();
    }
    const purges = await pool.query('SELECT terminal_id, events, passages FROM site_event_purges WHERE kind = $1', [kind]);
    expect(purges.rows).toEqual([{ terminal_id: 'GATE-A', events: 1, passages: 1 }]);
    expect((await pool.query('SELECT key FROM site_events WHERE kind = $1 ORDER BY at', [kind])).rows.map((x) => x.key)).toEqual([kept.key, pendingEvent.key]);
    expect((await pool.query("SELECT state FROM site_passages WHERE kind = $1", [kind])).rows).toEqual([{ state: 'pending' }]);

    // Behind the hub's back, too: above the horizon nothing is deleted or changed, the horizon does not move back.
    const fails = (sql: string, args: unknown[] = []) => pool.query(sql, args).then(() => 'done', (e: Error) => e.message);
    expect(await fails('DELETE FROM site_events WHERE key = $1', [kept.key])).toMatch(/append-only/);
    expect(await fails("UPDATE site_events SET data = '{}' WHERE key = $1", [kept.key])).toMatch(/append-only/);
    expect(await fails('TRUNCATE site_events')).toMatch(/append-only/);
    expect(await fails('UPDATE site_event_horizons SET horizon = $2 WHERE kind = $1', [kind, ago(50)])).toMatch(/only moves forward/);
    expect(await fails('DELETE FROM site_event_horizons WHERE kind = $1', [kind])).toMatch(/only moves forward/);
    const raw = await pool.query("INSERT INTO site_events (key, kind, at, terminal_id, data) VALUES ('GATE-A:raw', $1, $2, 'GATE-A', '{}')", [kind, ago(35)]);
    expect(raw.rowCount).toBe(0);
  });

  it('a kiosk’s purge goes to the hub or fails: never queued in its outbox', async () => {
    const k = await site.kiosk('GATE-P', ['https://127.0.0.1:1']);
    expect(await storeCode(() => k.store.purgeEvents('gate-access', new Date(Date.now() - 30 * 86_400_000).toISOString()))).toBe('SITE_STORE_UNAVAILABLE');
    expect(k.store.status().outboxDepth).toBe(0);
    await k.close();
  });

  it('refuses a withdrawn terminal on its next connection', async () => {
    const c = await as('GATE-C');
    expect((await c.send({ method: 'GET', path: '/v1/health', headers: {} })).status).toBe(200);
    c.close();
    expect(await withdrawTerminal(site.admin.pool, 'GATE-C')).toBe(true);
    const again = fromFiles(await ensureTerminalCredentials(site.pki, 'GATE-C'));
    const r = await again.send({ method: 'GET', path: '/v1/health', headers: {} });
    again.close();
    expect([r.status, code(r)]).toEqual([403, 'SITE_STORE_REFUSED']);
  });

  it('says SITE_STORE_UNAVAILABLE (503) while its database is down', async () => {
    const a = await as('GATE-D');
    await site.cluster.stopServer();
    try {
      const r = await post(a, '/v1/passages', passage('site', 'w-9', 'in', 'hard', 'GATE-D'));
      expect([r.status, code(r)]).toEqual([503, 'SITE_STORE_UNAVAILABLE']);
      expect((await a.send({ method: 'GET', path: '/v1/health', headers: {} })).status).toBe(503);
    } finally {
      await site.cluster.startServer();
      a.close();
    }
  });

  it('cccd-kiosk hub keeps database passwords off the command line', () => {
    const run = spawnSync(process.execPath, ['app/cli/bin.mjs', 'hub', 'fleet', '--database', 'postgresql://hub:secret@localhost/site'], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(64);
    expect(run.stderr).toMatch(/PGPASSWORD or ~\/\.pgpass/);
    expect(run.stderr + run.stdout).not.toContain('secret@');
  });
});
