/**
 * The site's system of record, as one port. Everything many kiosks of a site must agree on goes
 * through it: the records every kiosk needs a copy of (people and their sealed face templates,
 * access groups, schedules, blocklist, invitations, site configuration), the append-only event log,
 * the decisions only one authority may take (who is inside an area, who has boarded, the next
 * queue number) and alerts.
 *
 * Two adapters implement it: the embedded one (the kiosk's own SQLite; a single kiosk needs
 * nothing else) and the site one (`cccd-kiosk hub` in front of PostgreSQL; the kiosk keeps SQLite
 * as cache and outbox). Both pass the same contract tests, so a site module cannot tell them apart
 * except by `mode`.
 *
 * Bodies are JSON-serialisable values the site module owns and validates; the store never reads
 * inside them, except sealed fields, which it never opens (templates are sealed before they come here).
 */

/** How close to now a purge of the event log may reach: a day of history is never rewritten. */
export const PURGE_FLOOR_MS = 86_400_000;

/** The `before` of a purge that keeps `days` of the log (a site's retention period), and never less than the floor. */
export const purgeHorizon = (now: Date, days: number): string => new Date(now.getTime() - Math.max(days * 86_400_000, PURGE_FLOOR_MS)).toISOString();

/** A site-wide record kind, e.g. `person`, `face-template`, `access-group`, `blocklist`, `invitation`. */
export type Collection = string;

export interface SiteRecord<B = unknown> {
  readonly collection: Collection;
  /** The record's key inside its collection (e.g. a person id; never a raw ID number). */
  readonly key: string;
  /** Site-wide change number: strictly increasing over all collections, so `changesSince` can resume. */
  readonly version: number;
  /** A removal stays as a tombstone so kiosks catching up learn of it. */
  readonly deleted: boolean;
  readonly body: B | null;
  readonly updatedAt: string;
}

export interface PutOptions {
  /** Optimistic concurrency: refused with `SITE_STORE_CONFLICT` unless the record is at this version (0: must not exist). */
  readonly ifVersion?: number;
}

export interface ChangeBatch {
  readonly records: readonly SiteRecord[];
  /** Pass it back to get the next batch; equals the input when there was nothing new. */
  readonly version: number;
}

/** One thing that happened at a kiosk: an access, a check-in, a payment state… Append-only. */
export interface SiteEvent<D = unknown> {
  /**
   * Idempotency key: the terminal id and its local sequence (`gate-a:1234`). Appending an event
   * whose key is already stored stores nothing and says so, so a replayed outbox never counts twice.
   */
  readonly key: string;
  readonly kind: string;
  /** When it happened at the kiosk (ISO 8601), not when the hub heard of it. */
  readonly at: string;
  readonly terminalId: string;
  /** Whom it is about (a person or passenger key), when anyone. */
  readonly subject?: string;
  readonly data: D;
}

export interface StoredEvent<D = unknown> extends SiteEvent<D> {
  /** Site-wide order of arrival. */
  readonly seq: number;
}

export interface EventQuery {
  readonly kind?: string;
  readonly subject?: string;
  readonly terminalId?: string;
  /** Inclusive lower and exclusive upper bound on `at`. */
  readonly from?: string;
  readonly to?: string;
  /** At most this many, newest first (default 100, at most 10,000). */
  readonly limit?: number;
}

/** Who is where: presence of subjects in areas, the state anti-passback, occupancy and boarding rest on. */
export type PassageDirection = 'in' | 'out';

export interface PassageRequest {
  readonly area: string;
  readonly subject: string;
  readonly direction: PassageDirection;
  /**
   * `hard`: refuse an entry of someone already inside (or an exit of someone not inside);
   * `soft`: admit, and say it broke the rule (the caller logs it); `none`: no check.
   */
  readonly antiPassback: 'hard' | 'soft' | 'none';
  /** Nested areas: an entry here requires being inside this (outer) area. */
  readonly requiresInside?: string;
  /** The event that records the passage once it happened (idempotency key of the decision too). */
  readonly event: SiteEvent;
}

export type PassageDecision =
  | { readonly admitted: true; readonly passageId: string; readonly ruleBroken?: 'ALREADY_INSIDE' | 'NOT_INSIDE' }
  | { readonly admitted: false; readonly reason: 'ALREADY_INSIDE' | 'NOT_INSIDE' | 'OUTER_AREA_REQUIRED' };

export interface Presence {
  readonly subject: string;
  readonly since: string;
}

export interface SiteAlert {
  readonly id: number;
  readonly raisedAt: string;
  readonly kind: string;
  readonly code: string;
  readonly detail: Readonly<Record<string, string | number | null>>;
}

export interface SiteStore {
  /** `embedded`: this kiosk's own SQLite; `hub`: the site's hub (PostgreSQL), with a local cache. */
  readonly mode: 'embedded' | 'hub';

  get<B>(collection: Collection, key: string): Promise<SiteRecord<B> | undefined>;
  /** Live (not deleted) records of a collection, in key order. */
  list<B>(collection: Collection): Promise<readonly SiteRecord<B>[]>;
  put<B>(collection: Collection, key: string, body: B, options?: PutOptions): Promise<SiteRecord<B>>;
  remove(collection: Collection, key: string): Promise<SiteRecord | undefined>;
  /** Every change (all collections) after `version`, oldest first, at most `limit`. */
  changesSince(version: number, limit?: number): Promise<ChangeBatch>;
  /** Called for each change as it is made anywhere on the site (pushed from the hub); returns unsubscribe. */
  onChange(listener: (record: SiteRecord) => void): () => void;

  /**
   * Stores the event unless its key is already stored; `stored: false` for a replay. An event whose
   * `at` lies below its kind's retention horizon (see purgeEvents) is not stored either: it is past
   * retention (a replay of a purged event, a kiosk long offline), and its answer is
   * `{ stored: false, seq: 0 }`, 0 being no place in the log (the hub client answers seq 0 too for
   * an event still queued in its outbox).
   */
  appendEvent(event: SiteEvent): Promise<{ readonly stored: boolean; readonly seq: number }>;
  events(query: EventQuery): Promise<readonly StoredEvent[]>;
  /**
   * Retention: forgets the events of `kind` whose `at` is before `before` (an ISO instant) and
   * answers how many went, with the settled passages of that kind decided before it. The log stays
   * append-only otherwise: each kind has a horizon that only moves forward (a `before` at or below
   * it purges nothing and is no error), events below it are never stored again, and it never comes
   * closer to now than PURGE_FLOOR_MS (`SITE_STORE_PURGE_TOO_RECENT`), so recent history cannot be
   * rewritten. The hub client forwards it to the hub and never queues it: offline it fails with
   * SITE_STORE_UNAVAILABLE and the retention timer tries again.
   */
  purgeEvents(kind: string, before: string): Promise<number>;

  /**
   * Decides a passage in one step at the authority (one transaction with a row lock in PostgreSQL):
   * two gates asking at the same instant for the same subject cannot both be admitted against a
   * hard rule. An admitted passage holds until `settlePassage`: it counts only when the door opened.
   */
  decidePassage(request: PassageRequest): Promise<PassageDecision>;
  /** The door opened (the presence change and its event stand) or did not (both are undone). */
  settlePassage(passageId: string, opened: boolean): Promise<void>;
  /** Who is inside `area` now (evacuation list, occupancy count). */
  inside(area: string): Promise<readonly Presence[]>;
  /** Empties an area's presence (timed anti-passback reset); returns how many were cleared. */
  resetArea(area: string): Promise<number>;

  /** The next number of a counter for a day (1, 2, 3…; a new day starts again at 1), e.g. a clinic's queue. */
  nextNumber(counter: string, day: string): Promise<number>;

  raiseAlert(kind: string, code: string, detail: SiteAlert['detail']): Promise<SiteAlert>;
  openAlerts(): Promise<readonly SiteAlert[]>;
  acknowledgeAlert(id: number, by: string): Promise<boolean>;

  close(): Promise<void>;
}
