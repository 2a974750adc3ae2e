import type { IncomingMessage } from 'node:http';
import { SiteStoreError, type SiteStoreErrorCode, SITE_STORE_ERRORS } from '../../../core/site-store/errors.ts';
import { MAX_EVENTS_PER_POST, STREAM_PING_MS, type Heartbeat } from '../../../core/site-store/hub-protocol.ts';
import { checked, checkedEvent, checkedPassage, checkedQuery, purgeRequest, recordBody, siteKey, siteName, version as versionSchema } from '../../../core/site-store/schemas.ts';
import type {
  ChangeBatch,
  Collection,
  EventQuery,
  PassageDecision,
  PassageRequest,
  Presence,
  PutOptions,
  SiteAlert,
  SiteEvent,
  SiteRecord,
  SiteStore,
  StoredEvent,
} from '../../../core/site-store/site-store.ts';
import { RarError } from '../../../core/verification/errors.ts';
import { HttpsTransport } from '../../rar/transport.ts';
import type { Db } from '../db.ts';
import { GroupCommit } from '../group-commit.ts';

/**
 * The kiosk's site store when the site has a hub: the hub (PostgreSQL behind it) is the authority,
 * and this kiosk's SQLite holds a cache and an outbox (migrations 075, 081).
 *
 * - Records are read from the cache, which the hub's change stream keeps current (pushed as they
 *   change, resumed by version after a reconnect), so a blocklist still holds while offline.
 * - Every event is written to the outbox first (one local commit for all events of the same
 *   moment), then sent in batches; its key makes a resend after a lost answer or a reconnect a
 *   no-op at the hub, so nothing is lost and nothing counted twice.
 * - Decisions only the authority may take (passages, numbers) go to the hub; when no hub answers
 *   they fail with SITE_STORE_UNAVAILABLE and the site module applies its failure rule. Settling a
 *   passage goes through the outbox, so a door's outcome reaches the hub even after an outage.
 * - Several hub URLs may be given (processes in front of one database): a call that cannot reach
 *   one tries the next.
 */
export interface HubEndpoint {
  /** One or more hub processes of the site, tried in order. */
  readonly urls: readonly string[];
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  readonly serverCaPem: string;
  /** base64 SHA-256 of the hub certificates' SubjectPublicKeyInfo; any one may match. */
  readonly serverSpkiSha256: readonly string[];
}

export interface HubClientOptions {
  readonly endpoint: HubEndpoint;
  /** The kiosk's database (openDatabase), holding the cache and the outbox. */
  readonly db: Db;
  readonly terminalId: string;
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  /** How long appendEvent and settlePassage wait for the hub's acknowledgement before answering from the outbox (default 2000 ms). */
  readonly ackWaitMs?: number;
  /** Heartbeat (and health probe) interval (default 15 s). */
  readonly heartbeatMs?: number;
  /**
   * The kiosk's facts for the fleet view; the client adds the outbox depth and its clock.
   * `auditAnchor`: the audit row the hub asks this kiosk to vouch for (its hash, or null if gone).
   */
  readonly facts?: (auditAnchor: number | undefined) => Omit<Heartbeat, 'outboxDepth' | 'sentAt'> | Promise<Omit<Heartbeat, 'outboxDepth' | 'sentAt'>>;
  readonly clock?: () => Date;
}

export interface HubStatus {
  /** Whether the last contact with a hub (and its database) succeeded. */
  readonly online: boolean;
  /** The hub the kiosk talks to now. */
  readonly hub: string;
  /** Operations written locally and not yet acknowledged by the hub. */
  readonly outboxDepth: number;
  /** The newest version the change stream delivered. */
  readonly syncedVersion: number;
  readonly lastContact: string | null;
}

const DELIVERED_KEPT_MS = 7 * 86_400_000;
const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 15_000;

interface OutboxRow {
  id: number;
  key: string;
  op: 'event' | 'settle';
  payload: string | null;
}
interface Delivery {
  seq: number | null;
  error: SiteStoreError | undefined;
}
interface CachedRow {
  collection: string;
  key: string;
  version: number;
  deleted: number;
  body: string | null;
  updated_at: string;
}

/** An outbox row as written: an event's kind and time go in the clear (no subject, no data), for purging. */
interface Enqueued {
  readonly key: string;
  readonly op: OutboxRow['op'];
  readonly payload: string;
  readonly kind?: string;
  readonly at?: string;
}

export class HubSiteStore implements SiteStore {
  readonly mode = 'hub' as const;
  private readonly transports: HttpsTransport[];
  private current = 0;
  private online = false;
  /** Whether any call has had an outcome yet (before that, offline is not known, only not proven). */
  private probed = false;
  private lastContact: string | null = null;
  private closed = false;
  private readonly listeners = new Set<(r: SiteRecord) => void>();
  private readonly statusListeners = new Set<(s: HubStatus) => void>();
  private readonly waiters = new Map<string, ((d: Delivery) => void)[]>();
  private readonly local: GroupCommit<Enqueued, { added: boolean; delivered: Delivery | undefined }>;
  private sending: Promise<void> | undefined;
  private sendAgain = false;
  private retryMs = RETRY_MIN_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private beating: Promise<void> | undefined;
  private auditAnchor: number | undefined;
  private synced = false;
  private stream: IncomingMessage | undefined;
  private streamLoop: Promise<void> | undefined;
  private readonly clock: () => Date;
  private readonly q;

  constructor(private readonly options: HubClientOptions) {
    if (options.endpoint.urls.length === 0) throw new SiteStoreError('SITE_STORE_INVALID', 'no hub URL', { field: 'urls' });
    this.clock = options.clock ?? (() => new Date());
    this.transports = options.endpoint.urls.map(
      (url) =>
        new HttpsTransport({
          url,
          clientCertPem: options.endpoint.clientCertPem,
          clientKeyPem: options.endpoint.clientKeyPem,
          serverCaPem: options.endpoint.serverCaPem,
          serverSpkiSha256: options.endpoint.serverSpkiSha256,
          connectTimeoutMs: options.connectTimeoutMs ?? 3000,
          responseTimeoutMs: options.requestTimeoutMs ?? 5000,
          maxSockets: 8,
        }),
    );
    const db = options.db;
    this.q = {
      record: db.prepare('SELECT collection, key, version, deleted, unseal(body, collection || \'/\' || key) AS body, updated_at FROM hub_records WHERE collection = ? AND key = ?'),
      list: db.prepare('SELECT collection, key, version, deleted, unseal(body, collection || \'/\' || key) AS body, updated_at FROM hub_records WHERE collection = ? AND deleted = 0 ORDER BY key'),
      since: db.prepare('SELECT collection, key, version, deleted, unseal(body, collection || \'/\' || key) AS body, updated_at FROM hub_records WHERE version > ? AND version <= ? ORDER BY version LIMIT ?'),
      apply: db.prepare(
        `INSERT INTO hub_records (collection, key, version, deleted, body, updated_at) VALUES (@collection, @key, @version, @deleted, seal(@body, @collection || '/' || @key), @updatedAt)
         ON CONFLICT (collection, key) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, body = excluded.body, updated_at = excluded.updated_at
         WHERE excluded.version > hub_records.version`,
      ),
      cursor: db.prepare('SELECT version FROM hub_sync WHERE singleton = 1'),
      setCursor: db.prepare('INSERT INTO hub_sync (singleton, version) VALUES (1, ?) ON CONFLICT (singleton) DO UPDATE SET version = max(version, excluded.version)'),
      enqueue: db.prepare("INSERT INTO hub_outbox (key, op, payload, queued_at, kind, at) VALUES (?, ?, seal(?, ?), ?, ?, ?) ON CONFLICT (key) DO NOTHING"),
      outboxRow: db.prepare('SELECT sent_at, seq, error FROM hub_outbox WHERE key = ?'),
      unsent: db.prepare("SELECT id, key, op, unseal(payload, key) AS payload FROM hub_outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?"),
      delivered: db.prepare('UPDATE hub_outbox SET sent_at = ?, seq = ?, error = ?, payload = NULL WHERE id = ?'),
      depth: db.prepare('SELECT count(*) AS n FROM hub_outbox WHERE sent_at IS NULL'),
      purge: db.prepare('DELETE FROM hub_outbox WHERE sent_at IS NOT NULL AND sent_at < ?'),
      purgeEvents: db.prepare("DELETE FROM hub_outbox WHERE op = 'event' AND kind = ? AND at < ?"),
    };
    this.local = new GroupCommit((items) =>
      db.transaction(() =>
        items.map((i) => {
          const added = this.q.enqueue.run(i.key, i.op, i.payload, i.key, this.clock().toISOString(), i.kind ?? null, i.at ?? null).changes === 1;
          return { added, delivered: added ? undefined : this.deliveryOf(i.key) };
        }),
      )(),
    );
  }

  /** Starts the change stream, the outbox and the heartbeat; the kiosk works (offline) until a hub answers. */
  static open(options: HubClientOptions): HubSiteStore {
    const store = new HubSiteStore(options);
    store.streamLoop = store.runStream();
    void store.beat();
    store.kick();
    return store;
  }

  // ── status ───────────────────────────────────────────────────────────────

  status(): HubStatus {
    return {
      online: this.online,
      hub: this.options.endpoint.urls[this.current]!,
      outboxDepth: (this.q.depth.get() as { n: number }).n,
      syncedVersion: this.cursor(),
      lastContact: this.lastContact,
    };
  }

  /** Called when the kiosk goes online or offline (the screen says it works offline). */
  onStatus(listener: (s: HubStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => void this.statusListeners.delete(listener);
  }

  private contact(ok: boolean): void {
    if (this.closed) return;
    this.probed = true;
    if (ok) this.lastContact = this.clock().toISOString();
    if (ok === this.online) return;
    this.online = ok;
    if (ok) {
      this.retryMs = RETRY_MIN_MS;
      this.kick();
    }
    const s = this.status();
    for (const l of this.statusListeners) l(s);
  }

  /**
   * Resolves once the cache holds everything the hub had when the change stream (re)connected, so
   * reads at start-up see the site, not an empty cache; or once no hub answers (the kiosk starts
   * offline on what it has); or after `ms`.
   */
  async ready(ms = 10_000): Promise<void> {
    const until = Date.now() + ms;
    while (!this.synced && !(this.probed && !this.online) && !this.closed && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  /** Resolves once a hub answered (for start-up checks and tests); rejects after `ms`. */
  async whenOnline(ms = 10_000): Promise<void> {
    const until = Date.now() + ms;
    while (!this.online) {
      if (Date.now() > until || this.closed) throw new SiteStoreError('SITE_STORE_UNAVAILABLE', 'no hub answered');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Delivers everything queued now; rejects with SITE_STORE_UNAVAILABLE when no hub takes it. */
  async flush(): Promise<void> {
    for (;;) {
      await this.send();
      if (this.status().outboxDepth === 0) return;
      if (!this.online) throw new SiteStoreError('SITE_STORE_UNAVAILABLE', 'the outbox could not be delivered');
    }
  }

  // ── HTTP ─────────────────────────────────────────────────────────────────

  /**
   * One call to a hub. A hub that cannot be reached is skipped for the next one when the call is
   * safe to repeat (idempotent) or provably never left; an answer (even a refusal) is final.
   */
  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown, idempotent = true): Promise<T> {
    let lastError: RarError | undefined;
    for (let tried = 0; tried < this.transports.length; tried++) {
      const transport = this.transports[this.current]!;
      let res;
      try {
        res = await transport.send({ method, path, headers: { 'content-type': 'application/json', accept: 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
      } catch (e) {
        if (!(e instanceof RarError)) throw e;
        lastError = e;
        if (!idempotent && e.details.notSent !== true) break;
        this.current = (this.current + 1) % this.transports.length;
        continue;
      }
      const parsed = parseJson(res.body);
      if (res.status >= 200 && res.status < 300) {
        this.contact(true);
        return parsed as T;
      }
      const code = (parsed as { error?: { code?: string } } | undefined)?.error?.code;
      const known = code !== undefined && code in SITE_STORE_ERRORS ? (code as SiteStoreErrorCode) : res.status === 503 ? 'SITE_STORE_UNAVAILABLE' : 'SITE_STORE_FAILED';
      // The hub answered but its database did not: offline all the same.
      this.contact(known !== 'SITE_STORE_UNAVAILABLE');
      const field = (parsed as { error?: { field?: string } } | undefined)?.error?.field;
      throw new SiteStoreError(known, `hub answered ${res.status}`, field ? { field } : {});
    }
    this.contact(false);
    throw new SiteStoreError('SITE_STORE_UNAVAILABLE', 'no hub could be reached', { cause: lastError?.code });
  }

  // ── records: read from the cache, written at the hub ─────────────────────

  async get<B>(collection: Collection, key: string): Promise<SiteRecord<B> | undefined> {
    checked(siteName, collection, 'collection');
    checked(siteKey, key, 'key');
    const row = this.q.record.get(collection, key) as CachedRow | undefined;
    return row ? fromCache<B>(row) : undefined;
  }

  async list<B>(collection: Collection): Promise<readonly SiteRecord<B>[]> {
    checked(siteName, collection, 'collection');
    return (this.q.list.all(collection) as CachedRow[]).map((r) => fromCache<B>(r));
  }

  async put<B>(collection: Collection, key: string, body: B, options: PutOptions = {}): Promise<SiteRecord<B>> {
    checked(siteName, collection, 'collection');
    checked(siteKey, key, 'key');
    checked(recordBody, body, 'body');
    if (options.ifVersion !== undefined) checked(versionSchema, options.ifVersion, 'ifVersion');
    // A conditional write is not repeated at another hub after a lost answer: it would conflict with itself.
    const { record } = await this.call<{ record: SiteRecord<B> }>('POST', recordPath(collection, key), { body, ...options }, options.ifVersion === undefined);
    this.applyRecords([record]);
    return record;
  }

  async remove(collection: Collection, key: string): Promise<SiteRecord | undefined> {
    checked(siteName, collection, 'collection');
    checked(siteKey, key, 'key');
    const { record } = await this.call<{ record: SiteRecord | null }>('POST', `${recordPath(collection, key)}/remove`, {});
    if (record) this.applyRecords([record]);
    return record ?? undefined;
  }

  /**
   * Online: the hub's answer. Offline: the cache, up to what the change stream delivered (a record
   * this kiosk wrote is in the cache at once, but versions between may not be yet).
   */
  async changesSince(since: number, limit = 1000): Promise<ChangeBatch> {
    checked(versionSchema, since, 'version');
    checked(versionSchema.min(1).max(10_000), limit, 'limit');
    try {
      return await this.call<ChangeBatch>('GET', `/v1/changes?since=${since}&limit=${limit}`);
    } catch (e) {
      if (!(e instanceof SiteStoreError) || e.code !== 'SITE_STORE_UNAVAILABLE') throw e;
    }
    const records = (this.q.since.all(since, this.cursor(), limit) as CachedRow[]).map((r) => fromCache(r));
    return { records, version: records.length > 0 ? records[records.length - 1]!.version : since };
  }

  onChange(listener: (record: SiteRecord) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  private cursor(): number {
    return (this.q.cursor.get() as { version: number } | undefined)?.version ?? 0;
  }

  /** Applies records newer than what the cache holds, in one transaction, then tells the listeners. */
  private applyRecords(records: readonly SiteRecord[], streamedTo?: number): void {
    const fresh = this.options.db.transaction(() => {
      const changed = records.filter(
        (r) => this.q.apply.run({ collection: r.collection, key: r.key, version: r.version, deleted: r.deleted ? 1 : 0, body: r.deleted ? null : JSON.stringify(r.body), updatedAt: r.updatedAt }).changes === 1,
      );
      if (streamedTo !== undefined) this.q.setCursor.run(streamedTo);
      return changed;
    })();
    for (const r of fresh) {
      for (const l of this.listeners) {
        try {
          l(r);
        } catch {
          // One listener's failure is its own.
        }
      }
    }
  }

  /** The push channel: reconnects (to the next hub if need be) and resumes after the last version it applied. */
  private async runStream(): Promise<void> {
    let backoff = RETRY_MIN_MS;
    while (!this.closed) {
      const transport = this.transports[this.current]!;
      try {
        const res = await transport.stream(`/v1/changes/stream?since=${this.cursor()}`);
        if (this.closed) {
          res.destroy();
          return;
        }
        if (res.statusCode !== 200) {
          res.resume();
          this.contact(res.statusCode !== 503);
          throw new Error(`stream answered ${res.statusCode}`);
        }
        this.stream = res;
        backoff = RETRY_MIN_MS;
        await this.readStream(res);
      } catch {
        if (this.closed) return;
        this.current = (this.current + 1) % this.transports.length;
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, RETRY_MAX_MS);
      } finally {
        this.stream = undefined;
      }
    }
  }

  private readStream(res: IncomingMessage): Promise<void> {
    return new Promise<void>((done, fail) => {
      let buffered = '';
      // A hub that stops pinging is gone even if the connection looks open.
      let silence = setTimeout(() => res.destroy(), STREAM_PING_MS * 3);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        clearTimeout(silence);
        silence = setTimeout(() => res.destroy(), STREAM_PING_MS * 3);
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        const records: SiteRecord[] = [];
        let pinged = false;
        for (const line of lines) {
          const msg = parseJson(Buffer.from(line)) as { record?: SiteRecord; ping?: string } | undefined;
          if (msg?.record) records.push(msg.record);
          else if (msg?.ping) pinged = true;
        }
        this.contact(true);
        if (records.length > 0) this.applyRecords(records, records[records.length - 1]!.version);
        // The hub pings once the backlog is sent: from then on the cache is as current as the push.
        if (pinged) this.synced = true;
      });
      res.on('end', () => {
        clearTimeout(silence);
        done();
      });
      res.on('error', (e) => {
        clearTimeout(silence);
        fail(e);
      });
      res.on('close', () => {
        clearTimeout(silence);
        done();
      });
    });
  }

  // ── events and the outbox ────────────────────────────────────────────────

  async appendEvent(event: SiteEvent): Promise<{ readonly stored: boolean; readonly seq: number }> {
    const e = checkedEvent(event);
    this.ownTerminal(e);
    const { added, delivered } = await this.local.submit({ key: e.key, op: 'event', payload: JSON.stringify(e), kind: e.kind, at: e.at });
    if (delivered?.error) throw delivered.error;
    if (delivered) return { stored: false, seq: delivered.seq ?? 0 };
    const answer = await this.delivery(e.key);
    if (answer?.error) throw answer.error;
    // `stored` says whether this call added the event (a replay adds nothing, nor does one the hub
    // found past retention: acknowledged with seq 0); seq 0 unanswered: queued, not yet at the hub.
    return { stored: added && answer?.seq !== 0, seq: answer?.seq ?? 0 };
  }

  async events(query: EventQuery): Promise<readonly StoredEvent[]> {
    const q = checkedQuery(query);
    const params = new URLSearchParams(Object.entries(q).map(([k, v]) => [k, String(v)]));
    return (await this.call<{ events: StoredEvent[] }>('GET', `/v1/events?${params}`)).events;
  }

  /**
   * At the hub, never through the outbox: a purge is no fact to deliver later, and the retention
   * timer asks again next hour. Then the outbox forgets the purged kind's events below the hub's
   * horizon too: a delivered one's seq is no place in the log any more (a replay goes to the hub,
   * which answers seq 0), and an undelivered one the hub would not store.
   */
  async purgeEvents(kind: string, before: string): Promise<number> {
    const b = checked(purgeRequest, { kind, before }, 'purge');
    const { purged } = await this.call<{ purged: number }>('POST', '/v1/events/purge', b);
    this.q.purgeEvents.run(b.kind, b.before);
    return purged;
  }

  private ownTerminal(e: SiteEvent): void {
    if (e.terminalId !== this.options.terminalId || !e.key.startsWith(`${this.options.terminalId}:`)) {
      throw new SiteStoreError('SITE_STORE_INVALID', `an event of this kiosk carries terminal id ${this.options.terminalId} and a key "${this.options.terminalId}:…"`, { field: 'event.key' });
    }
  }

  /** What the hub said of a key already in the outbox, or undefined while it waits to be sent. */
  private deliveryOf(key: string): Delivery | undefined {
    const row = this.q.outboxRow.get(key) as { sent_at: string | null; seq: number | null; error: string | null } | undefined;
    if (!row?.sent_at) return undefined;
    return { seq: row.seq, error: row.error ? new SiteStoreError(row.error as SiteStoreErrorCode, 'refused by the hub') : undefined };
  }

  /** Waits (at most ackWaitMs, and not at all while offline) for the hub's answer to a queued key. */
  private delivery(key: string): Promise<Delivery | undefined> {
    const done = this.deliveryOf(key);
    if (done || (!this.online && this.probed)) return Promise.resolve(done);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), this.options.ackWaitMs ?? 2000);
      const list = this.waiters.get(key) ?? [];
      list.push((d) => {
        clearTimeout(timer);
        resolve(d);
      });
      this.waiters.set(key, list);
      this.kick();
    });
  }

  private kick(): void {
    if (this.closed) return;
    if (this.sending) {
      this.sendAgain = true;
      return;
    }
    this.sending = this.send().finally(() => {
      this.sending = undefined;
      if (this.sendAgain) {
        this.sendAgain = false;
        this.kick();
      }
    });
  }

  /** Sends the outbox in order: runs of events in batches (one group commit at the hub), settles one by one. */
  private async send(): Promise<void> {
    while (!this.closed) {
      const rows = this.q.unsent.all(MAX_EVENTS_PER_POST) as OutboxRow[];
      if (rows.length === 0) return;
      const firstSettle = rows.findIndex((r) => r.op === 'settle');
      const run = firstSettle === 0 ? rows.slice(0, 1) : firstSettle > 0 ? rows.slice(0, firstSettle) : rows;
      try {
        await this.deliver(run);
      } catch {
        // Unreachable, or the hub failed: the rows stay queued and go again later.
        this.scheduleRetry();
        return;
      }
    }
  }

  private async deliver(run: readonly OutboxRow[]): Promise<void> {
    const now = () => this.clock().toISOString();
    const record = (row: OutboxRow, d: Delivery) => {
      this.q.delivered.run(now(), d.seq, d.error?.code ?? null, row.id);
      for (const w of this.waiters.get(row.key) ?? []) w(d);
      this.waiters.delete(row.key);
    };
    try {
      if (run[0]!.op === 'settle') {
        await this.call('POST', '/v1/passages/settle', JSON.parse(run[0]!.payload!));
        this.options.db.transaction(() => record(run[0]!, { seq: null, error: undefined }))();
        return;
      }
      const { results } = await this.call<{ results: { seq: number }[] }>('POST', '/v1/events', { events: run.map((r) => JSON.parse(r.payload!) as unknown) });
      this.options.db.transaction(() => run.forEach((row, i) => record(row, { seq: results[i]!.seq, error: undefined })))();
    } catch (e) {
      if (!(e instanceof SiteStoreError) || e.code === 'SITE_STORE_UNAVAILABLE' || e.code === 'SITE_STORE_FAILED') throw e;
      // A refusal is final: find which row it was (one at a time) so the rest still go through.
      if (run.length > 1) {
        for (const row of run) await this.deliver([row]);
        return;
      }
      this.options.db.transaction(() => record(run[0]!, { seq: null, error: e }))();
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.kick();
    }, this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  // ── passages, numbers, alerts: at the hub ────────────────────────────────

  async decidePassage(request: PassageRequest): Promise<PassageDecision> {
    const r = checkedPassage(request);
    this.ownTerminal(r.event);
    return (await this.call<{ decision: PassageDecision }>('POST', '/v1/passages', r)).decision;
  }

  async settlePassage(passageId: string, opened: boolean): Promise<void> {
    checked(siteKey, passageId, 'passageId');
    const key = `settle:${opened ? 'opened' : 'undone'}:${passageId}`;
    const { delivered } = await this.local.submit({ key, op: 'settle', payload: JSON.stringify({ passageId, opened }) });
    const answer = delivered ?? (await this.delivery(key));
    if (answer?.error) throw answer.error;
  }

  async inside(area: string): Promise<readonly Presence[]> {
    checked(siteName, area, 'area');
    return (await this.call<{ inside: Presence[] }>('GET', `/v1/areas/${encodeURIComponent(area)}/inside`)).inside;
  }

  async resetArea(area: string): Promise<number> {
    checked(siteName, area, 'area');
    return (await this.call<{ cleared: number }>('POST', `/v1/areas/${encodeURIComponent(area)}/reset`, {})).cleared;
  }

  async nextNumber(counter: string, day: string): Promise<number> {
    checked(siteName, counter, 'counter');
    return (await this.call<{ number: number }>('POST', `/v1/counters/${encodeURIComponent(counter)}/${encodeURIComponent(day)}/next`, {}, false)).number;
  }

  async raiseAlert(kind: string, code: string, detail: SiteAlert['detail']): Promise<SiteAlert> {
    return (await this.call<{ alert: SiteAlert }>('POST', '/v1/alerts', { kind, code, detail }, false)).alert;
  }

  async openAlerts(): Promise<readonly SiteAlert[]> {
    return (await this.call<{ alerts: SiteAlert[] }>('GET', '/v1/alerts')).alerts;
  }

  async acknowledgeAlert(id: number, by: string): Promise<boolean> {
    return (await this.call<{ acknowledged: boolean }>('POST', `/v1/alerts/${encodeURIComponent(String(id))}/acknowledge`, { by })).acknowledged;
  }

  // ── heartbeat ────────────────────────────────────────────────────────────

  /** Tells the hub how this kiosk is (the fleet view), and so finds out whether a hub answers. */
  private beat(): Promise<void> {
    this.beating = this.heartbeat();
    return this.beating;
  }

  private async heartbeat(): Promise<void> {
    if (this.closed) return;
    try {
      const facts = (await this.options.facts?.(this.auditAnchor)) ?? { softwareVersion: 'unknown', profile: 'unknown', devices: {} };
      const answer = await this.call<{ auditAnchor?: number | null }>('POST', '/v1/heartbeat', { ...facts, outboxDepth: this.status().outboxDepth, sentAt: this.clock().toISOString() });
      this.auditAnchor = answer.auditAnchor ?? undefined;
    } catch {
      // Offline: status says so; the next beat tries again.
    }
    if (this.closed) return;
    this.q.purge.run(new Date(this.clock().getTime() - DELIVERED_KEPT_MS).toISOString());
    if (!this.closed) this.heartbeatTimer = setTimeout(() => void this.beat(), this.options.heartbeatMs ?? 15_000);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.heartbeatTimer);
    this.stream?.destroy();
    await this.streamLoop;
    await this.beating;
    await this.sending?.catch(() => undefined);
    for (const [, list] of this.waiters) for (const w of list) w({ seq: null, error: undefined });
    this.waiters.clear();
    for (const t of this.transports) t.close();
  }
}

/** What `cccd-kiosk doctor` says of each hub: does it answer this kiosk, and does its database. */
export async function probeHubs(endpoint: HubEndpoint, timeoutMs = 5000): Promise<{ url: string; ok: boolean; detail: string }[]> {
  return Promise.all(
    endpoint.urls.map(async (url) => {
      const t = new HttpsTransport({ ...endpoint, url, connectTimeoutMs: timeoutMs, responseTimeoutMs: timeoutMs });
      try {
        const res = await t.send({ method: 'GET', path: '/v1/health', headers: { accept: 'application/json' } });
        const body = parseJson(res.body) as { hub?: string } | undefined;
        if (res.status === 200) return { url, ok: true, detail: `${url}: hub ${body?.hub ?? '?'} answers this terminal; its database answers` };
        if (res.status === 403) return { url, ok: false, detail: `${url}: this terminal's certificate is not enrolled at the hub (cccd-kiosk hub enrol)` };
        if (res.status === 503) return { url, ok: false, detail: `${url}: the hub answers, its database does not` };
        return { url, ok: false, detail: `${url}: the hub answered ${res.status}` };
      } catch (e) {
        return { url, ok: false, detail: `${url}: ${e instanceof RarError ? (e.details.cause as string | undefined) || e.code.replace('RAR_', '') : 'unreachable'}` };
      } finally {
        t.close();
      }
    }),
  );
}

const recordPath = (collection: string, key: string) => `/v1/records/${encodeURIComponent(collection)}/${encodeURIComponent(key)}`;

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function fromCache<B>(r: CachedRow): SiteRecord<B> {
  return {
    collection: r.collection,
    key: r.key,
    version: r.version,
    deleted: r.deleted === 1,
    body: r.deleted === 1 || r.body === null ? null : (JSON.parse(r.body) as B),
    updatedAt: r.updated_at,
  };
}
