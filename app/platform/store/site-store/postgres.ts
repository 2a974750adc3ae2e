import pg from 'pg';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SiteStoreError } from '../../../core/site-store/errors.ts';
import { alertDetail, checked, checkedEvent, checkedPassage, checkedPurge, checkedQuery, recordBody, siteDay, siteKey, siteName, version as versionSchema } from '../../../core/site-store/schemas.ts';
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
import { listMigrations } from '../db.ts';
import { GroupCommit } from '../group-commit.ts';

/**
 * The site store in PostgreSQL: what `cccd-kiosk hub` serves. Every hub process of a site opens
 * one over the same database, so each rule below holds across processes, not just within one:
 *  - record versions come from one sequence, taken under one advisory lock, so they commit in
 *    order and `changesSince` never skips a late commit;
 *  - an event's key is unique: a replay inserts nothing (INSERT … ON CONFLICT DO NOTHING);
 *    events arriving together share one commit (group commit), each acknowledged only after it;
 *  - a passage is decided in one transaction holding the (area, subject) presence row lock, by one
 *    call of a function in the database (migration 003), so the lock is held for one round trip;
 *  - a counter's next number is one upsert of its (counter, day) row;
 *  - the event log is append-only in the database (migration 004's triggers) except below a kind's
 *    retention horizon, which a purge moves forward in one transaction with the deletion;
 *  - changes are announced with NOTIFY inside the writing transaction (sent on commit) and
 *    each process's one LISTEN connection fans them out to its subscribers.
 */

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'pg-migrations');
/** Advisory lock keys (arbitrary constants of this schema). */
const MIGRATION_LOCK = 0x5c17e001;
const RECORDS_LOCK = 0x5c17e002;
const CHANGES_CHANNEL = 'site_changes';
const CHANGES_PAGE = 1000;

export interface PostgresSiteStoreOptions {
  /** libpq connection string, e.g. `postgresql://hub@db.site.lan/site` (password from PGPASSWORD or ~/.pgpass). */
  readonly connectionString: string;
  /** Connections this process may hold (default 10). */
  readonly poolSize?: number;
  /** How long a call waits for a connection before the store counts as unavailable (default 3000 ms). */
  readonly connectTimeoutMs?: number;
  /** Events per group commit at most (default 512). */
  readonly maxEventBatch?: number;
}

type Queryable = pg.Pool | pg.PoolClient;

const UNAVAILABLE_SQLSTATE = /^(08|57P0[123]|53300)/;
const UNAVAILABLE_MESSAGE = /Connection terminated|timeout exceeded when trying to connect|connection error|Client was closed|not queryable|ECONNREFUSED|ENOENT|ECONNRESET/i;
const RETRY_SQLSTATE = new Set(['40001', '40P01']);

/** A database failure as the store's typed error: an outage is UNAVAILABLE, anything else FAILED. */
export function storeError(e: unknown): SiteStoreError {
  if (e instanceof SiteStoreError) return e;
  const err = e as { code?: string; message?: string };
  const code = err.code ?? '';
  if (UNAVAILABLE_SQLSTATE.test(code) || /^E[A-Z]+$/.test(code) || UNAVAILABLE_MESSAGE.test(err.message ?? '')) {
    return new SiteStoreError('SITE_STORE_UNAVAILABLE', code || 'database connection failed', { cause: code });
  }
  return new SiteStoreError('SITE_STORE_FAILED', code ? `database error ${code}` : 'database error', { cause: code });
}

/** Applies the numbered migrations not yet applied, each in a transaction, one process at a time. */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const applied = new Set((await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map((r) => r.version));
    for (const m of listMigrations(migrationsDir).filter((m) => !applied.has(m.version))) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

interface RecordRow {
  collection: string;
  key: string;
  version: string;
  deleted: boolean;
  body: unknown;
  updated_at: Date;
}
const toRecord = <B>(r: RecordRow): SiteRecord<B> => ({
  collection: r.collection,
  key: r.key,
  version: Number(r.version),
  deleted: r.deleted,
  body: r.deleted ? null : (r.body as B),
  updatedAt: r.updated_at.toISOString(),
});

interface EventRow {
  seq: string;
  key: string;
  kind: string;
  at: Date;
  terminal_id: string;
  subject: string | null;
  data: unknown;
}
const toEvent = (r: EventRow): StoredEvent => ({
  seq: Number(r.seq),
  key: r.key,
  kind: r.kind,
  at: r.at.toISOString(),
  terminalId: r.terminal_id,
  ...(r.subject !== null ? { subject: r.subject } : {}),
  data: r.data,
});

interface AlertRow {
  id: string;
  raised_at: Date;
  kind: string;
  code: string;
  detail: SiteAlert['detail'];
}
const toAlert = (r: AlertRow): SiteAlert => ({ id: Number(r.id), raisedAt: r.raised_at.toISOString(), kind: r.kind, code: r.code, detail: r.detail });

const RECORD_COLUMNS = 'collection, key, version, deleted, body, updated_at';
const EVENT_COLUMNS = 'seq, key, kind, at, terminal_id, subject, data';

export class PostgresSiteStore implements SiteStore {
  readonly mode = 'hub' as const;
  private readonly events$: GroupCommit<SiteEvent, { stored: boolean; seq: number }>;
  private readonly listeners = new Set<(r: SiteRecord) => void>();
  private readonly feed: ChangeFeed;

  private constructor(readonly pool: pg.Pool, options: PostgresSiteStoreOptions, changesSeen: number) {
    this.events$ = new GroupCommit((batch) => this.insertEvents(batch), options.maxEventBatch ?? 512);
    // Listening from the start: every change committed after `open` returns reaches the listeners.
    this.feed = new ChangeFeed(options.connectionString, changesSeen, (since) => this.changesSince(since), (r) => {
      for (const l of this.listeners) {
        try {
          l(r);
        } catch {
          // One listener's failure is its own; the others still hear of the change.
        }
      }
    });
  }

  /** Connects, applies pending migrations and returns the store. */
  static async open(options: PostgresSiteStoreOptions): Promise<PostgresSiteStore> {
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
      idleTimeoutMillis: 30_000,
      application_name: 'cccd-kiosk hub',
    });
    // An idle connection cut by a database restart must not bring the process down; the next
    // query gets a fresh connection (or the outage as SITE_STORE_UNAVAILABLE).
    pool.on('error', () => undefined);
    try {
      await migratePostgres(pool);
      const { rows } = await pool.query<{ v: string }>('SELECT coalesce(max(version), 0) AS v FROM site_records');
      const store = new PostgresSiteStore(pool, options, Number(rows[0]!.v));
      await store.feed.ready;
      return store;
    } catch (e) {
      await pool.end();
      throw storeError(e);
    }
  }

  /** Runs `work` again when PostgreSQL chose it as a deadlock or serialisation victim; any other failure as a typed error. */
  private async retrying<R extends pg.QueryResultRow>(work: () => Promise<pg.QueryResult<R>>): Promise<R[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await work()).rows;
      } catch (e) {
        if (attempt < 5 && RETRY_SQLSTATE.has((e as { code?: string }).code ?? '')) continue;
        throw storeError(e);
      }
    }
  }

  /** Runs `work` in one transaction. */
  private async tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      await client.query('BEGIN');
      const out = await work(client);
      await client.query('COMMIT');
      client.release();
      return out;
    } catch (e) {
      if (client) {
        // A broken connection is dropped from the pool, not reused.
        const broken = await client.query('ROLLBACK').then(() => false, () => true);
        client.release(broken);
      }
      throw storeError(e);
    }
  }

  private async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = [], on: Queryable = this.pool): Promise<R[]> {
    try {
      return (await on.query<R>(text, values)).rows;
    } catch (e) {
      throw storeError(e);
    }
  }

  // ── records ──────────────────────────────────────────────────────────────

  async get<B>(collection: Collection, key: string): Promise<SiteRecord<B> | undefined> {
    checked(siteName, collection, 'collection');
    checked(siteKey, key, 'key');
    const [row] = await this.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM site_records WHERE collection = $1 AND key = $2`, [collection, key]);
    return row ? toRecord<B>(row) : undefined;
  }

  async list<B>(collection: Collection): Promise<readonly SiteRecord<B>[]> {
    checked(siteName, collection, 'collection');
    const rows = await this.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM site_records WHERE collection = $1 AND NOT deleted ORDER BY key COLLATE "C"`, [collection]);
    return rows.map((r) => toRecord<B>(r));
  }

  async put<B>(collection: Collection, key: string, body: B, options: PutOptions = {}): Promise<SiteRecord<B>> {
    checked(siteName, collection, 'collection');
    checked(siteKey, key, 'key');
    checked(recordBody, body, 'body');
    if (options.ifVersion !== undefined) checked(versionSchema, options.ifVersion, 'ifVersion');
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [RECORDS_LOCK]);
      if (options.ifVersion !== undefined) {
        const current = await this.liveVersion(c, collection, key);
        if (current !== options.ifVersion) throw new SiteStoreError('SITE_STORE_CONFLICT', `${collection}/${key} is at version ${current}, not ${options.ifVersion}`);
      }
      const [row] = await this.query<RecordRow>(
        `INSERT INTO site_records (collection, key, version, deleted, body, updated_at)
         VALUES ($1, $2, nextval('site_record_version'), false, $3, now())
         ON CONFLICT (collection, key) DO UPDATE SET version = excluded.version, deleted = false, body = excluded.body, updated_at = excluded.updated_at
         RETURNING ${RECORD_COLUMNS}`,
        [collection, key, JSON.stringify(body)],
        c,
      );
      await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, row!.version]);
      return toRecord<B>(row!);
    });
  }

  async remove(collection: Collection, key: string): Promise<SiteRecord | undefined> {
    checked(siteName, collection, 'collection');
    checked(siteKey, key, 'key');
    return this.tx(async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1)', [RECORDS_LOCK]);
      const [row] = await this.query<RecordRow>(
        `UPDATE site_records SET version = nextval('site_record_version'), deleted = true, body = NULL, updated_at = now()
         WHERE collection = $1 AND key = $2 AND NOT deleted RETURNING ${RECORD_COLUMNS}`,
        [collection, key],
        c,
      );
      if (!row) return undefined;
      await c.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, row.version]);
      return toRecord(row);
    });
  }

  private async liveVersion(c: Queryable, collection: string, key: string): Promise<number> {
    const [row] = await this.query<{ version: string }>('SELECT version FROM site_records WHERE collection = $1 AND key = $2 AND NOT deleted', [collection, key], c);
    return row ? Number(row.version) : 0;
  }

  async changesSince(since: number, limit = CHANGES_PAGE): Promise<ChangeBatch> {
    checked(versionSchema, since, 'version');
    const n = checked(versionSchema.min(1).max(10_000), limit, 'limit');
    const rows = await this.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM site_records WHERE version > $1 ORDER BY version LIMIT $2`, [since, n]);
    const records = rows.map((r) => toRecord(r));
    return { records, version: records.length > 0 ? records[records.length - 1]!.version : since };
  }

  onChange(listener: (record: SiteRecord) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  // ── events ───────────────────────────────────────────────────────────────

  appendEvent(event: SiteEvent): Promise<{ readonly stored: boolean; readonly seq: number }> {
    const e = checkedEvent(event);
    return this.events$.submit(e);
  }

  /** Appends many events already checked, in one transaction (what the hub does with a kiosk's outbox batch). */
  appendEvents(events: readonly SiteEvent[]): Promise<{ readonly stored: boolean; readonly seq: number }[]> {
    return Promise.all(events.map((e) => this.appendEvent(e)));
  }

  /** One commit for a whole batch; a key seen before (or twice in the batch) stores nothing and reports the stored seq. */
  private async insertEvents(batch: readonly SiteEvent[]): Promise<{ stored: boolean; seq: number }[]> {
    const fresh = [...new Map(batch.map((e) => [e.key, e])).values()];
    const inserted = await this.query<{ key: string; seq: string }>(
      `INSERT INTO site_events (key, kind, at, terminal_id, subject, data)
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::jsonb[])
       ON CONFLICT (key) DO NOTHING RETURNING key, seq`,
      [
        fresh.map((e) => e.key),
        fresh.map((e) => e.kind),
        fresh.map((e) => e.at),
        fresh.map((e) => e.terminalId),
        fresh.map((e) => e.subject ?? null),
        fresh.map((e) => JSON.stringify(e.data)),
      ],
    );
    const storedNow = new Map(inserted.map((r) => [r.key, Number(r.seq)]));
    const already = new Map<string, number>();
    const others = fresh.filter((e) => !storedNow.has(e.key)).map((e) => e.key);
    if (others.length > 0) {
      for (const r of await this.query<{ key: string; seq: string }>('SELECT key, seq FROM site_events WHERE key = ANY($1)', [others])) already.set(r.key, Number(r.seq));
    }
    const firstSeen = new Set<string>();
    return batch.map((e) => {
      const seq = storedNow.get(e.key);
      if (seq !== undefined && !firstSeen.has(e.key)) {
        firstSeen.add(e.key);
        return { stored: true, seq };
      }
      // Neither stored now nor before: past retention (migration 004's insert trigger skipped it).
      return { stored: false, seq: seq ?? already.get(e.key) ?? 0 };
    });
  }

  async events(query: EventQuery): Promise<readonly StoredEvent[]> {
    const q = checkedQuery(query);
    const where: string[] = [];
    const values: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      values.push(v);
      where.push(sql.replace('?', `$${values.length}`));
    };
    if (q.kind !== undefined) add('kind = ?', q.kind);
    if (q.subject !== undefined) add('subject = ?', q.subject);
    if (q.terminalId !== undefined) add('terminal_id = ?', q.terminalId);
    if (q.from !== undefined) add('at >= ?', q.from);
    if (q.to !== undefined) add('at < ?', q.to);
    values.push(q.limit ?? 100);
    const rows = await this.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM site_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, seq DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(toEvent);
  }

  purgeEvents(kind: string, before: string): Promise<number> {
    return this.purgeEventsFor(null, kind, before);
  }

  /**
   * The purge, recorded in site_event_purges (counts only) when it removed anything, with the
   * terminal that asked (null: the hub itself). The floor is measured on the database's clock, the
   * one clock every hub process of the site shares.
   */
  async purgeEventsFor(terminalId: string | null, kind: string, before: string): Promise<number> {
    checked(siteName, kind, 'purge.kind');
    return this.tx(async (c) => {
      const p = checkedPurge(kind, before, (await this.query<{ now: Date }>('SELECT now() AS now', [], c))[0]!.now);
      // The horizon row's lock orders two purges of one kind; it only moves forward (a trigger holds it too).
      const rows = await this.query<{ horizon: Date }>(
        `INSERT INTO site_event_horizons AS h (kind, horizon) VALUES ($1, $2) ON CONFLICT (kind)
         DO UPDATE SET horizon = greatest(h.horizon, excluded.horizon), moved_at = CASE WHEN excluded.horizon > h.horizon THEN now() ELSE h.moved_at END
         RETURNING horizon`,
        [p.kind, p.before],
        c,
      );
      const horizon = rows[0]!.horizon;
      const count = async (sql: string) => Number((await this.query<{ n: string }>(`WITH gone AS (${sql} RETURNING 1) SELECT count(*) AS n FROM gone`, [p.kind, horizon], c))[0]!.n);
      const events = await count('DELETE FROM site_events WHERE kind = $1 AND at < $2');
      // Passages of no known kind were decided before migration 004 and hold no event: any purge past them takes them.
      const passages = await count("DELETE FROM site_passages WHERE (kind = $1 OR kind IS NULL) AND state <> 'pending' AND decided_at < $2");
      if (events + passages > 0) {
        await c.query('INSERT INTO site_event_purges (kind, horizon, events, passages, terminal_id) VALUES ($1, $2, $3, $4, $5)', [p.kind, horizon, events, passages, terminalId]);
      }
      return events;
    });
  }

  // ── passages ─────────────────────────────────────────────────────────────

  async decidePassage(request: PassageRequest): Promise<PassageDecision> {
    const r = checkedPassage(request);
    const e = r.event;
    // A named statement: each connection parses and plans it once.
    const values = [e.key, r.area, r.subject, r.direction, r.antiPassback, r.requiresInside ?? null, e.at, e.kind, e.terminalId, JSON.stringify(e.data)];
    const [row] = await this.retrying(() =>
      this.pool.query<{ d: PassageDecision }>({ name: 'site-decide-passage', text: 'SELECT site_decide_passage($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) AS d', values }),
    );
    return row!.d;
  }

  async settlePassage(passageId: string, opened: boolean): Promise<void> {
    checked(siteKey, passageId, 'passageId');
    const [row] = await this.retrying(() => this.pool.query<{ r: string }>({ name: 'site-settle-passage', text: 'SELECT site_settle_passage($1, $2) AS r', values: [passageId, opened] }));
    if (row!.r === 'unknown') throw new SiteStoreError('SITE_STORE_UNKNOWN_PASSAGE');
    if (row!.r !== 'ok') throw new SiteStoreError('SITE_STORE_CONFLICT', `the passage is ${row!.r.slice('conflict:'.length)}`);
  }

  async inside(area: string): Promise<readonly Presence[]> {
    checked(siteName, area, 'area');
    const rows = await this.query<{ subject: string; since: Date }>('SELECT subject, since FROM site_presence WHERE area = $1 AND inside ORDER BY since, subject', [area]);
    return rows.map((r) => ({ subject: r.subject, since: r.since.toISOString() }));
  }

  async resetArea(area: string): Promise<number> {
    checked(siteName, area, 'area');
    const rows = await this.query<{ n: string }>(
      'WITH cleared AS (UPDATE site_presence SET inside = false, since = NULL, passage_id = NULL WHERE area = $1 AND inside RETURNING 1) SELECT count(*) AS n FROM cleared',
      [area],
    );
    return Number(rows[0]!.n);
  }

  // ── counters and alerts ──────────────────────────────────────────────────

  async nextNumber(counter: string, day: string): Promise<number> {
    checked(siteName, counter, 'counter');
    checked(siteDay, day, 'day');
    const [row] = await this.query<{ value: number }>(
      `INSERT INTO site_counters (counter, day, value) VALUES ($1, $2, 1)
       ON CONFLICT (counter, day) DO UPDATE SET value = site_counters.value + 1 RETURNING value`,
      [counter, day],
    );
    return row!.value;
  }

  async raiseAlert(kind: string, code: string, detail: SiteAlert['detail']): Promise<SiteAlert> {
    checked(siteName, kind, 'kind');
    checked(siteKey, code, 'code');
    checked(alertDetail, detail, 'detail');
    const [row] = await this.query<AlertRow>('INSERT INTO site_alerts (kind, code, detail) VALUES ($1, $2, $3) RETURNING id, raised_at, kind, code, detail', [kind, code, JSON.stringify(detail)]);
    return toAlert(row!);
  }

  async openAlerts(): Promise<readonly SiteAlert[]> {
    return (await this.query<AlertRow>('SELECT id, raised_at, kind, code, detail FROM site_alerts WHERE acknowledged_at IS NULL ORDER BY raised_at, id')).map(toAlert);
  }

  async acknowledgeAlert(id: number, by: string): Promise<boolean> {
    checked(versionSchema, id, 'id');
    checked(siteKey, by, 'by');
    const rows = await this.query('UPDATE site_alerts SET acknowledged_at = now(), acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL RETURNING id', [id, by]);
    return rows.length > 0;
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.feed.close();
    await this.pool.end();
  }
}

/**
 * One LISTEN connection per process: a NOTIFY says "something changed", and the feed reads every
 * change after the last one it delivered, in version order, so a burst of notifications costs one
 * read and a lost connection (a database restart) loses nothing: after reconnecting it reads on
 * from where it was.
 */
class ChangeFeed {
  private client: pg.Client | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;
  readonly ready: Promise<void>;

  constructor(
    private readonly connectionString: string,
    /** The last version delivered (or known before anyone listened). */
    private cursor: number,
    private readonly read: (since: number) => Promise<ChangeBatch>,
    private readonly emit: (r: SiteRecord) => void,
  ) {
    this.ready = this.connect();
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: 'cccd-kiosk hub (changes)' });
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    client.on('notification', () => this.pump());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (this.closed) {
        await client.end();
        return;
      }
      this.client = client;
      // What changed while no one listened (before the first LISTEN, or during an outage).
      this.pump();
    } catch {
      this.lost(client);
    }
  }

  private lost(client: pg.Client): void {
    client.removeAllListeners('end');
    client.end().catch(() => undefined);
    if (this.client === client) this.client = undefined;
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, 500);
  }

  private pump(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        try {
          for (;;) {
            if (this.closed) return;
            const batch = await this.read(this.cursor);
            for (const r of batch.records) this.emit(r);
            this.cursor = batch.version;
            if (batch.records.length < CHANGES_PAGE) break;
          }
        } catch {
          // The database is away; the reconnect pumps again from the same cursor.
          return;
        }
      } while (this.again);
    })().finally(() => {
      this.pumping = undefined;
      // A notification that came after the last read but before this point must not be lost.
      if (this.again) this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.pumping;
    const c = this.client;
    this.client = undefined;
    if (c) {
      c.removeAllListeners('end');
      await c.end().catch(() => undefined);
    }
  }
}
