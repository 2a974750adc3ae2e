/**
 * The embedded adapter of the SiteStore port: the site's system of record in this kiosk's own
 * SQLite (migrations 070, 081). A single kiosk needs nothing else; with a hub, the hub adapter takes its
 * place. better-sqlite3 is synchronous and this process is the database's only writer, so every
 * method is one transaction that has finished before its promise resolves.
 */
import { randomUUID } from 'node:crypto';
import { SiteStoreError } from '../../../core/site-store/errors.ts';
import { checked, checkedEvent, checkedPassage, checkedPurge, instant as instantSchema, jsonValue, siteDay, siteKey, siteName, terminalId } from '../../../core/site-store/schemas.ts';
import type {
  ChangeBatch, Collection, EventQuery, PassageDecision, PassageRequest, Presence, PutOptions, SiteAlert, SiteEvent, SiteRecord, SiteStore,
  StoredEvent,
} from '../../../core/site-store/site-store.ts';
import { forgetFreedPages, type Db } from '../db.ts';

interface RecordRow {
  collection: string;
  key: string;
  version: number;
  deleted: number;
  body: string | null;
  updated_at: string;
}

interface EventRow {
  seq: number;
  key: string;
  kind: string;
  at: string;
  terminal_id: string;
  subject: string | null;
  data: string;
}

interface PassageRow {
  id: string;
  area: string;
  subject: string;
  direction: 'in' | 'out';
  prior_since: string | null;
  decision: string;
  event: string | null;
  state: 'pending' | 'opened' | 'undone' | 'refused';
}

const DEFAULT_EVENTS = 100;
const MAX_EVENTS = 10_000;
const DEFAULT_CHANGES = 1_000;

const invalid = (message: string) => new SiteStoreError('SITE_STORE_INVALID', message);

// Input is checked by the schemas every adapter shares (app/core/site-store/schemas.ts), so the
// embedded store refuses exactly what the hub refuses.
const name = (what: string, value: unknown, max: number): string => checked(max > 64 ? siteKey : siteName, value, what);
const json = (what: string, value: unknown): string => JSON.stringify(checked(jsonValue, value, what));
const instant = (what: string, value: unknown): string => checked(instantSchema, value, what);

function toRecord<B>(r: RecordRow): SiteRecord<B> {
  return { collection: r.collection, key: r.key, version: r.version, deleted: r.deleted === 1, body: r.body === null ? null : (JSON.parse(r.body) as B), updatedAt: r.updated_at };
}

function toEvent(r: EventRow): StoredEvent {
  return { seq: r.seq, key: r.key, kind: r.kind, at: r.at, terminalId: r.terminal_id, ...(r.subject !== null ? { subject: r.subject } : {}), data: JSON.parse(r.data) as unknown };
}

export class SqliteSiteStore implements SiteStore {
  readonly mode = 'embedded' as const;
  private readonly listeners = new Set<(record: SiteRecord) => void>();
  private closed = false;

  constructor(private readonly db: Db, private readonly clock: () => Date = () => new Date()) {}

  private open(): Db {
    if (this.closed) throw new SiteStoreError('SITE_STORE_CLOSED');
    return this.db;
  }

  async get<B>(collection: Collection, key: string): Promise<SiteRecord<B> | undefined> {
    const row = this.open().prepare('SELECT * FROM site_records WHERE collection = ? AND key = ?').get(name('collection', collection, 64), name('key', key, 200)) as RecordRow | undefined;
    return row ? toRecord<B>(row) : undefined;
  }

  async list<B>(collection: Collection): Promise<readonly SiteRecord<B>[]> {
    const rows = this.open().prepare('SELECT * FROM site_records WHERE collection = ? AND deleted = 0 ORDER BY key').all(name('collection', collection, 64)) as RecordRow[];
    return rows.map((r) => toRecord<B>(r));
  }

  async put<B>(collection: Collection, key: string, body: B, options: PutOptions = {}): Promise<SiteRecord<B>> {
    if (body === null) throw invalid('body must not be null (remove a record instead)');
    if (options.ifVersion !== undefined && (!Number.isInteger(options.ifVersion) || options.ifVersion < 0)) throw invalid('ifVersion must be a whole number ≥ 0');
    return this.write(name('collection', collection, 64), name('key', key, 200), json('body', body), options.ifVersion) as SiteRecord<B>;
  }

  async remove(collection: Collection, key: string): Promise<SiteRecord | undefined> {
    return this.write(name('collection', collection, 64), name('key', key, 200), null, undefined);
  }

  /**
   * One change: the next site-wide version, checked against `ifVersion` in the same transaction.
   * A removal (`body` null) of what is not there changes nothing and answers undefined.
   */
  private write(collection: string, key: string, body: string | null, ifVersion: number | undefined): SiteRecord | undefined {
    const db = this.open();
    const record = db.transaction(() => {
      const current = db.prepare('SELECT version, deleted FROM site_records WHERE collection = ? AND key = ?').get(collection, key) as { version: number; deleted: number } | undefined;
      if (body === null && (!current || current.deleted === 1)) return undefined;
      if (ifVersion !== undefined) {
        // A tombstone is no record: 0 asks that none be live.
        const at = current && current.deleted === 0 ? current.version : 0;
        if (at !== ifVersion) throw new SiteStoreError('SITE_STORE_CONFLICT', `${collection}/${key} is at version ${at}, not ${ifVersion}`, { collection, version: at });
      }
      const { version } = db.prepare('SELECT coalesce(max(version), 0) + 1 AS version FROM site_records').get() as { version: number };
      const row: RecordRow = { collection, key, version, deleted: body === null ? 1 : 0, body, updated_at: this.clock().toISOString() };
      db.prepare(
        `INSERT INTO site_records (collection, key, version, deleted, body, updated_at) VALUES (@collection, @key, @version, @deleted, @body, @updated_at)
         ON CONFLICT (collection, key) DO UPDATE SET version = excluded.version, deleted = excluded.deleted, body = excluded.body, updated_at = excluded.updated_at`,
      ).run(row);
      return toRecord(row);
    }).immediate();
    if (!record) return undefined;
    for (const listener of this.listeners) {
      try {
        listener(record);
      } catch {
        // A listener's fault is its own; the change stands and the others still hear of it.
      }
    }
    return record;
  }

  async changesSince(version: number, limit = DEFAULT_CHANGES): Promise<ChangeBatch> {
    if (!Number.isInteger(version) || version < 0) throw invalid('version must be a whole number ≥ 0');
    const n = Number.isInteger(limit) && limit > 0 ? Math.min(limit, 10 * DEFAULT_CHANGES) : DEFAULT_CHANGES;
    const rows = this.open().prepare('SELECT * FROM site_records WHERE version > ? ORDER BY version LIMIT ?').all(version, n) as RecordRow[];
    return { records: rows.map((r) => toRecord(r)), version: rows.length ? rows[rows.length - 1]!.version : version };
  }

  onChange(listener: (record: SiteRecord) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  async appendEvent(event: SiteEvent): Promise<{ readonly stored: boolean; readonly seq: number }> {
    return this.insertEvent(this.open(), event);
  }

  private insertEvent(db: Db, unchecked: SiteEvent): { stored: boolean; seq: number } {
    const event = checkedEvent(unchecked);
    const row = {
      key: name('event key', event.key, 200),
      kind: name('event kind', event.kind, 64),
      at: instant('event at', event.at),
      terminal_id: checked(terminalId, event.terminalId, 'event.terminalId'),
      subject: event.subject === undefined ? null : name('event subject', event.subject, 200),
      data: json('event data', event.data),
    };
    const inserted = db.prepare('INSERT INTO site_events (key, kind, at, terminal_id, subject, data) VALUES (@key, @kind, @at, @terminal_id, @subject, @data) ON CONFLICT (key) DO NOTHING').run(row);
    if (inserted.changes === 1) return { stored: true, seq: Number(inserted.lastInsertRowid) };
    // Not inserted: a replay (its seq), or past retention (the insert trigger skipped it; no seq).
    const stored = db.prepare('SELECT seq FROM site_events WHERE key = ?').get(row.key) as { seq: number } | undefined;
    return { stored: false, seq: stored?.seq ?? 0 };
  }

  async purgeEvents(kind: string, before: string): Promise<number> {
    const db = this.open();
    const now = this.clock();
    const p = checkedPurge(kind, before, now);
    const purged = db.transaction(() => {
      // The horizon only moves forward (a trigger holds it too); what lies below it may go.
      db.prepare(
        `INSERT INTO site_event_horizons (kind, horizon, moved_at) VALUES (?, ?, ?)
         ON CONFLICT (kind) DO UPDATE SET horizon = excluded.horizon, moved_at = excluded.moved_at WHERE excluded.horizon > site_event_horizons.horizon`,
      ).run(p.kind, p.before, now.toISOString());
      const { horizon } = db.prepare('SELECT horizon FROM site_event_horizons WHERE kind = ?').get(p.kind) as { horizon: string };
      const events = db.prepare('DELETE FROM site_events WHERE kind = ? AND at < ?').run(p.kind, horizon).changes;
      // Passages of no known kind were decided before migration 081: any purge past them takes them.
      db.prepare("DELETE FROM site_passages WHERE (kind = ? OR kind IS NULL) AND state <> 'pending' AND decided_at < ?").run(p.kind, horizon);
      return events;
    }).immediate();
    if (purged > 0) forgetFreedPages(db);
    return purged;
  }

  async events(query: EventQuery): Promise<readonly StoredEvent[]> {
    const where: string[] = [];
    const args: Record<string, string | number> = {};
    const eq = (column: string, what: string, value: string | undefined) => {
      if (value === undefined) return;
      args[column] = name(what, value, 200);
      where.push(`${column} = @${column}`);
    };
    eq('kind', 'kind', query.kind);
    eq('subject', 'subject', query.subject);
    eq('terminal_id', 'terminalId', query.terminalId);
    if (query.from !== undefined) {
      args.from = instant('from', query.from);
      where.push('at >= @from');
    }
    if (query.to !== undefined) {
      args.to = instant('to', query.to);
      where.push('at < @to');
    }
    const limit = query.limit ?? DEFAULT_EVENTS;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_EVENTS) throw invalid(`limit must be a whole number from 1 to ${MAX_EVENTS}`);
    args.limit = limit;
    const sql = `SELECT * FROM site_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, seq DESC LIMIT @limit`;
    return (this.open().prepare(sql).all(args) as EventRow[]).map(toEvent);
  }

  async decidePassage(request: PassageRequest): Promise<PassageDecision> {
    const db = this.open();
    checkedPassage(request);
    const area = name('area', request.area, 64);
    const subject = name('subject', request.subject, 200);
    const outer = request.requiresInside === undefined ? undefined : name('requiresInside', request.requiresInside, 64);
    const eventKey = name('event key', request.event.key, 200);
    const kind = name('event kind', request.event.kind, 64);
    const event = json('event', { ...request.event, at: instant('event at', request.event.at) });
    return db.transaction((): PassageDecision => {
      // The same request again (a retry after a lost answer) gets the same decision, and changes nothing.
      const earlier = db.prepare('SELECT decision FROM site_passages WHERE event_key = ?').get(eventKey) as { decision: string } | undefined;
      if (earlier) return JSON.parse(earlier.decision) as PassageDecision;
      const now = this.clock().toISOString();
      const since = (a: string) => (db.prepare('SELECT since FROM site_presence WHERE area = ? AND subject = ?').get(a, subject) as { since: string } | undefined)?.since;
      const prior = since(area);
      const refuse = (reason: 'ALREADY_INSIDE' | 'NOT_INSIDE' | 'OUTER_AREA_REQUIRED'): PassageDecision => {
        const decision: PassageDecision = { admitted: false, reason };
        db.prepare("INSERT INTO site_passages (id, event_key, kind, area, subject, direction, prior_since, decision, event, state, decided_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, NULL, 'refused', ?)")
          .run(randomUUID(), eventKey, kind, area, subject, request.direction, JSON.stringify(decision), now);
        return decision;
      };
      if (request.direction === 'in' && outer !== undefined && since(outer) === undefined) return refuse('OUTER_AREA_REQUIRED');
      const broken = request.direction === 'in' ? (prior !== undefined ? 'ALREADY_INSIDE' : undefined) : prior === undefined ? 'NOT_INSIDE' : undefined;
      if (broken && request.antiPassback === 'hard') return refuse(broken);
      const passageId = randomUUID();
      const decision: PassageDecision = { admitted: true, passageId, ...(broken && request.antiPassback === 'soft' ? { ruleBroken: broken } : {}) };
      db.prepare("INSERT INTO site_passages (id, event_key, kind, area, subject, direction, prior_since, decision, event, state, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)")
        .run(passageId, eventKey, kind, area, subject, request.direction, prior ?? null, JSON.stringify(decision), event, now);
      if (request.direction === 'in') db.prepare('INSERT OR REPLACE INTO site_presence (area, subject, since) VALUES (?, ?, ?)').run(area, subject, now);
      else db.prepare('DELETE FROM site_presence WHERE area = ? AND subject = ?').run(area, subject);
      return decision;
    }).immediate();
  }

  async settlePassage(passageId: string, opened: boolean): Promise<void> {
    const db = this.open();
    db.transaction(() => {
      const p = db.prepare('SELECT * FROM site_passages WHERE id = ?').get(name('passageId', passageId, 64)) as PassageRow | undefined;
      if (!p || p.state === 'refused') throw new SiteStoreError('SITE_STORE_UNKNOWN_PASSAGE', 'no admitted passage has this id');
      if (p.state !== 'pending') {
        if ((p.state === 'opened') !== opened) throw new SiteStoreError('SITE_STORE_CONFLICT', `the passage was already settled as ${p.state}`);
        return; // the same answer again: nothing to do
      }
      if (opened) {
        this.insertEvent(db, JSON.parse(p.event!) as SiteEvent);
      } else if (p.direction === 'in') {
        // Undo exactly this passage's presence change: back to what it replaced.
        if (p.prior_since === null) db.prepare('DELETE FROM site_presence WHERE area = ? AND subject = ?').run(p.area, p.subject);
        else db.prepare('UPDATE site_presence SET since = ? WHERE area = ? AND subject = ?').run(p.prior_since, p.area, p.subject);
      } else if (p.prior_since !== null) {
        db.prepare('INSERT OR REPLACE INTO site_presence (area, subject, since) VALUES (?, ?, ?)').run(p.area, p.subject, p.prior_since);
      }
      db.prepare('UPDATE site_passages SET state = ?, event = NULL WHERE id = ?').run(opened ? 'opened' : 'undone', p.id);
    }).immediate();
  }

  async inside(area: string): Promise<readonly Presence[]> {
    const rows = this.open().prepare('SELECT subject, since FROM site_presence WHERE area = ? ORDER BY since, subject').all(name('area', area, 64)) as Presence[];
    return rows.map((r) => ({ subject: r.subject, since: r.since }));
  }

  async resetArea(area: string): Promise<number> {
    return this.open().prepare('DELETE FROM site_presence WHERE area = ?').run(name('area', area, 64)).changes;
  }

  async nextNumber(counter: string, day: string): Promise<number> {
    checked(siteDay, day, 'day');
    const row = this.open()
      .prepare('INSERT INTO site_counters (counter, day, value) VALUES (?, ?, 1) ON CONFLICT (counter, day) DO UPDATE SET value = value + 1 RETURNING value')
      .get(name('counter', counter, 64), day) as { value: number };
    return row.value;
  }

  async raiseAlert(kind: string, code: string, detail: SiteAlert['detail']): Promise<SiteAlert> {
    const raisedAt = this.clock().toISOString();
    const text = json('alert detail', detail);
    const r = this.open().prepare('INSERT INTO site_alerts (raised_at, kind, code, detail) VALUES (?, ?, ?, ?)').run(raisedAt, name('alert kind', kind, 64), name('alert code', code, 64), text);
    return { id: Number(r.lastInsertRowid), raisedAt, kind, code, detail: JSON.parse(text) as SiteAlert['detail'] };
  }

  async openAlerts(): Promise<readonly SiteAlert[]> {
    const rows = this.open().prepare('SELECT id, raised_at, kind, code, detail FROM site_alerts WHERE acknowledged_at IS NULL ORDER BY id').all() as { id: number; raised_at: string; kind: string; code: string; detail: string }[];
    return rows.map((r) => ({ id: r.id, raisedAt: r.raised_at, kind: r.kind, code: r.code, detail: JSON.parse(r.detail) as SiteAlert['detail'] }));
  }

  async acknowledgeAlert(id: number, by: string): Promise<boolean> {
    const r = this.open().prepare('UPDATE site_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL').run(this.clock().toISOString(), name('by', by, 64), id);
    return r.changes === 1;
  }

  /** The database belongs to the kiosk (its owner closes it); the store only stops answering. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
  }
}
