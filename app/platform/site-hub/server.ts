import Fastify, { type FastifyRequest } from 'fastify';
import { hostname } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { z } from 'zod';
import { SiteStoreError } from '../../core/site-store/errors.ts';
import { heartbeat, HUB_STATUS, MAX_EVENTS_PER_POST, STREAM_PING_MS } from '../../core/site-store/hub-protocol.ts';
import { checked, checkedEvent, checkedPassage, purgeRequest, recordBody, siteKey } from '../../core/site-store/schemas.ts';
import type { SiteEvent, SiteRecord } from '../../core/site-store/site-store.ts';
import type { PostgresSiteStore } from '../store/site-store/postgres.ts';
import { storeError } from '../store/site-store/postgres.ts';
import { TerminalIdentity } from '../tls/terminal-identity.ts';
import type { FleetAnswer } from '../../core/fleet/fleet.ts';
import { listFleet, recordHeartbeat } from './fleet.ts';
import { terminalForCert, type EnrolledTerminal } from './terminals.ts';

/**
 * `cccd-kiosk hub`: the site store over HTTPS for the site's kiosks (protocol in
 * app/core/site-store/hub-protocol.ts). Stateless: everything lives in PostgreSQL, so any number
 * of hub processes can serve one database and a kiosk may talk to any of them. Mutual TLS with
 * terminal enrolment as the verification service does it; a kiosk writes events only in its own
 * name. Logs carry terminal ids, codes and timings, never bodies.
 */
export interface SiteHubOptions {
  readonly store: PostgresSiteStore;
  readonly tls: { readonly certPem: string; readonly keyPem: string; readonly clientCaPem: string };
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** This process's name in the fleet view (default host:pid). */
  readonly hubId?: string;
  /** A kiosk not heard of for this long is `stale` in the fleet view (default 60 s). */
  readonly staleAfterMs?: number;
  /**
   * Days of the event log no kiosk may purge (default 1, the store's own floor). A site whose kiosks
   * keep events longer sets their period here, so one kiosk's key cannot erase the site's history sooner.
   */
  readonly keepEventsDays?: number;
  readonly logger?: boolean | Record<string, unknown>;
}

export interface RunningSiteHub {
  readonly url: string;
  readonly port: number;
  readonly hubId: string;
  close(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    terminal: EnrolledTerminal;
  }
}

const eventsBody = z.strictObject({ events: z.array(z.unknown()).min(1).max(MAX_EVENTS_PER_POST) });
const putBody = z.strictObject({ body: recordBody, ifVersion: z.number().int().min(0).optional() });
const settleBody = z.strictObject({ passageId: siteKey, opened: z.boolean() });
const alertBody = z.strictObject({ kind: z.string(), code: z.string(), detail: z.record(z.string(), z.unknown()) });
const ackBody = z.strictObject({ by: z.string() });

/** Query strings arrive as text: numbers named here are read as numbers (anything else stays text and fails the schema). */
function numbersIn(query: Record<string, string>, names: readonly string[]): Record<string, string | number> {
  const out: Record<string, string | number> = { ...query };
  for (const n of names) if (typeof query[n] === 'string' && /^\d+$/.test(query[n])) out[n] = Number(query[n]);
  return out;
}

export async function startSiteHub(options: SiteHubOptions): Promise<RunningSiteHub> {
  const keepEventsMs = (options.keepEventsDays ?? 1) * 86_400_000;
  const { store } = options;
  const hubId = options.hubId ?? `${hostname()}:${process.pid}`;
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  const identity = new TerminalIdentity((certSha256) => terminalForCert(store.pool, certSha256).catch((e: unknown) => Promise.reject(storeError(e))));
  const streams = new Set<() => void>();

  const app = Fastify({
    https: {
      cert: options.tls.certPem,
      key: options.tls.keyPem,
      ca: options.tls.clientCaPem,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    logger: options.logger ?? false,
    bodyLimit: 4 * 1024 * 1024,
    keepAliveTimeout: 60_000,
  });

  app.decorateRequest('terminal', undefined as unknown as EnrolledTerminal);
  app.addHook('onRequest', async (req) => {
    const terminal = await identity.of(req.raw.socket as TLSSocket);
    if (!terminal) throw new SiteStoreError('SITE_STORE_REFUSED', 'this certificate is not enrolled at the hub');
    req.terminal = terminal;
  });

  app.setErrorHandler((err, req, reply) => {
    const e = err instanceof SiteStoreError ? err : (err as { statusCode?: number }).statusCode === 400 || (err as { statusCode?: number }).statusCode === 413 || (err as { statusCode?: number }).statusCode === 415
      ? new SiteStoreError('SITE_STORE_INVALID', 'malformed request body')
      : storeError(err);
    req.log.warn({ terminal: req.terminal?.terminalId, code: e.code }, 'refused');
    void reply.code(HUB_STATUS[e.code]).type('application/json').send({ error: { code: e.code, message: e.message, ...(e.details.field ? { field: e.details.field } : {}) } });
  });

  /** A kiosk speaks only for itself: its events carry its terminal id and keys of its own. */
  function ownEvent(req: FastifyRequest, e: SiteEvent): SiteEvent {
    const own = req.terminal.terminalId;
    if (e.terminalId !== own || !e.key.startsWith(`${own}:`)) throw new SiteStoreError('SITE_STORE_REFUSED', 'an event must carry the terminal id and a key of the sending terminal');
    return e;
  }
  const param = (req: FastifyRequest, name: string) => (req.params as Record<string, string>)[name]!;

  app.get('/v1/health', async () => {
    await store.pool.query('SELECT 1').catch((e: unknown) => Promise.reject(storeError(e)));
    return { hub: hubId, terminal: 'ok' };
  });

  app.get('/v1/records/:collection', async (req) => ({ records: await store.list(param(req, 'collection')) }));
  app.get('/v1/records/:collection/:key', async (req) => ({ record: (await store.get(param(req, 'collection'), param(req, 'key'))) ?? null }));
  app.post('/v1/records/:collection/:key', async (req) => {
    const b = checked(putBody, req.body, 'request');
    return { record: await store.put(param(req, 'collection'), param(req, 'key'), b.body, b.ifVersion === undefined ? {} : { ifVersion: b.ifVersion }) };
  });
  app.post('/v1/records/:collection/:key/remove', async (req) => ({ record: (await store.remove(param(req, 'collection'), param(req, 'key'))) ?? null }));

  app.get('/v1/changes', async (req) => {
    const q = numbersIn(req.query as Record<string, string>, ['since', 'limit']);
    return store.changesSince(q.since as number, (q.limit as number | undefined) ?? 1000);
  });

  // The push channel: the backlog after `since`, then every change as NOTIFY brings it, one JSON
  // object per line; a ping line every few seconds tells the kiosk the hub still listens.
  app.get('/v1/changes/stream', async (req, reply) => {
    const since = checked(z.number().int().min(0), numbersIn(req.query as Record<string, string>, ['since']).since, 'since');
    let last = since;
    let live = false;
    const early: SiteRecord[] = [];
    const send = (r: SiteRecord) => {
      if (r.version <= last) return;
      last = r.version;
      reply.raw.write(`${JSON.stringify({ record: r })}\n`);
    };
    const unsubscribe = store.onChange((r) => (live ? send(r) : early.push(r)));
    // The first page is read before answering, so a database outage is a plain 503.
    let batch;
    try {
      batch = await store.changesSince(last, 1000);
    } catch (e) {
      unsubscribe();
      throw e;
    }
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' });
    try {
      while (batch.records.length > 0) {
        batch.records.forEach(send);
        batch = await store.changesSince(last, 1000);
      }
    } catch {
      // The database went away mid-backlog: the kiosk reconnects and resumes from what it got.
      unsubscribe();
      reply.raw.end();
      return;
    }
    reply.raw.write(`${JSON.stringify({ ping: hubId })}\n`);
    live = true;
    early.forEach(send);
    const ping = setInterval(() => reply.raw.write(`${JSON.stringify({ ping: hubId })}\n`), STREAM_PING_MS);
    const end = () => {
      clearInterval(ping);
      unsubscribe();
      streams.delete(end);
      reply.raw.end();
    };
    streams.add(end);
    req.raw.socket.once('close', end);
  });

  app.post('/v1/events', async (req) => {
    const { events } = checked(eventsBody, req.body, 'request');
    const checkedEvents = events.map((e) => ownEvent(req, checkedEvent(e)));
    return { results: await store.appendEvents(checkedEvents) };
  });
  app.get('/v1/events', async (req) => ({ events: await store.events(numbersIn(req.query as Record<string, string>, ['limit'])) }));
  // Retention: the store keeps the floor and the horizon; the hub records who asked and how many went.
  app.post('/v1/events/purge', async (req) => {
    const b = checked(purgeRequest, req.body, 'request');
    if (Date.parse(b.before) > Date.now() - keepEventsMs) {
      throw new SiteStoreError('SITE_STORE_PURGE_TOO_RECENT', `this hub keeps the last ${keepEventsMs / 86_400_000} days of events`, { field: 'request.before' });
    }
    const purged = await store.purgeEventsFor(req.terminal.terminalId, b.kind, b.before);
    req.log.info({ terminal: req.terminal.terminalId, kind: b.kind, purged }, 'events purged');
    return { purged };
  });

  app.post('/v1/passages', async (req) => {
    const r = checkedPassage(req.body);
    ownEvent(req, r.event);
    return { decision: await store.decidePassage(r) };
  });
  app.post('/v1/passages/settle', async (req) => {
    const b = checked(settleBody, req.body, 'request');
    if (!b.passageId.startsWith(`${req.terminal.terminalId}:`)) throw new SiteStoreError('SITE_STORE_REFUSED', 'a terminal settles only its own passages');
    await store.settlePassage(b.passageId, b.opened);
    return { settled: true };
  });
  app.get('/v1/areas/:area/inside', async (req) => ({ inside: await store.inside(param(req, 'area')) }));
  app.post('/v1/areas/:area/reset', async (req) => ({ cleared: await store.resetArea(param(req, 'area')) }));

  app.post('/v1/counters/:counter/:day/next', async (req) => ({ number: await store.nextNumber(param(req, 'counter'), param(req, 'day')) }));

  app.post('/v1/alerts', async (req) => {
    const b = checked(alertBody, req.body, 'request');
    return { alert: await store.raiseAlert(b.kind, b.code, b.detail as never) };
  });
  app.get('/v1/alerts', async () => ({ alerts: await store.openAlerts() }));
  app.post('/v1/alerts/:id/acknowledge', async (req) => {
    const b = checked(ackBody, req.body, 'request');
    const id = Number(param(req, 'id'));
    return { acknowledged: await store.acknowledgeAlert(Number.isInteger(id) ? id : -1, b.by) };
  });

  app.post('/v1/heartbeat', async (req) => {
    const hb = checked(heartbeat, req.body, 'heartbeat');
    const auditAnchor = await recordHeartbeat(store.pool, store, req.terminal.terminalId, hubId, hb).catch((e: unknown) => Promise.reject(storeError(e)));
    return { hub: hubId, hubTime: new Date().toISOString(), auditAnchor };
  });
  // Read-only and about machines only (no person in it): every enrolled terminal may read it, so
  // staff logged in at any kiosk see the site's kiosks (docs/site-hub.md §6).
  app.get('/v1/fleet', async (): Promise<FleetAnswer> => {
    const now = new Date();
    const kiosks = await listFleet(store.pool, staleAfterMs, now).catch((e: unknown) => Promise.reject(storeError(e)));
    return { hub: hubId, hubTime: now.toISOString(), staleAfterMs, kiosks };
  });

  app.addHook('preClose', async () => {
    for (const end of [...streams]) end();
  });
  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    hubId,
    close: () => app.close(),
  };
}
