import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PassageRequest, SiteEvent } from '../../app/core/site-store/site-store.ts';
import { listMigrations, migrate, openDatabase, type Db } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { errorCode } from '../support/error-code.ts';

let db: Db;
let store: SqliteSiteStore;
let now = Date.parse('2025-06-02T01:00:00.000Z');
const clock = () => new Date(now);

beforeEach(() => {
  db = openDatabase(':memory:');
  store = new SqliteSiteStore(db, clock);
});
afterEach(() => db.close());

let seq = 0;
const event = (over: Partial<SiteEvent> = {}): SiteEvent => ({
  key: `gate-a:${++seq}`, kind: 'access', at: new Date(now).toISOString(), terminalId: 'gate-a', subject: 'P-1', data: { door: 'main' }, ...over,
});
// The passage's event is about the person passing (the store refuses one about someone else).
const passage = (over: Partial<PassageRequest> = {}): PassageRequest => ({ area: 'site', subject: 'P-1', direction: 'in', antiPassback: 'hard', event: event({ subject: over.subject ?? 'P-1' }), ...over });

describe('records', () => {
  it('gives every change the next site-wide version, over all collections', async () => {
    const a = await store.put('person', 'P-1', { name: 'Nguyễn Văn An' });
    const b = await store.put('access-group', 'office', { doors: ['main'] });
    const c = await store.put('person', 'P-1', { name: 'Nguyễn Văn Ân' });
    expect([a.version, b.version, c.version]).toEqual([1, 2, 3]);
    expect((await store.get('person', 'P-1'))?.body).toEqual({ name: 'Nguyễn Văn Ân' });
    expect((await store.list('person')).map((r) => r.key)).toEqual(['P-1']);
  });

  it('refuses a write whose expected version is not the current one', async () => {
    await store.put('person', 'P-1', { n: 1 }, { ifVersion: 0 });
    expect(await errorCode(store.put('person', 'P-1', { n: 2 }, { ifVersion: 0 }))).toBe('SITE_STORE_CONFLICT');
    const stale = await errorCode(store.put('person', 'P-1', { n: 2 }, { ifVersion: 7 }));
    expect(stale).toBe('SITE_STORE_CONFLICT');
    expect((await store.put('person', 'P-1', { n: 2 }, { ifVersion: 1 })).version).toBe(2);
  });

  it('keeps a removal as a tombstone that changesSince hands on, and a tombstone counts as absent', async () => {
    await store.put('blocklist', 'B-1', { reason: 'x' });
    await store.put('blocklist', 'B-2', { reason: 'y' });
    const gone = await store.remove('blocklist', 'B-1');
    expect(gone).toMatchObject({ deleted: true, body: null, version: 3 });
    expect(await store.remove('blocklist', 'B-1')).toBeUndefined();
    expect((await store.list('blocklist')).map((r) => r.key)).toEqual(['B-2']);
    const batch = await store.changesSince(1);
    expect(batch.records.map((r) => [r.key, r.deleted])).toEqual([['B-2', false], ['B-1', true]]);
    expect(batch.version).toBe(3);
    expect(await store.changesSince(3)).toEqual({ records: [], version: 3 });
    expect((await store.put('blocklist', 'B-1', { reason: 'again' }, { ifVersion: 0 })).version).toBe(4);
  });

  it('pages changes by limit and resumes from the batch version', async () => {
    for (let i = 0; i < 5; i++) await store.put('c', `k${i}`, i);
    const first = await store.changesSince(0, 2);
    const second = await store.changesSince(first.version, 2);
    expect(first.records.map((r) => r.body)).toEqual([0, 1]);
    expect(second.records.map((r) => r.body)).toEqual([2, 3]);
  });

  it('tells listeners of each change, and stops when unsubscribed', async () => {
    const heard: string[] = [];
    const off = store.onChange((r) => heard.push(`${r.key}@${r.version}`));
    await store.put('c', 'a', 1);
    await store.remove('c', 'a');
    off();
    await store.put('c', 'b', 1);
    expect(heard).toEqual(['a@1', 'a@2']);
  });

  it('refuses bodies that would not come back the same, and bad names, with a typed error', async () => {
    expect(await errorCode(store.put('c', 'k', undefined))).toBe('SITE_STORE_INVALID');
    expect(await errorCode(store.put('c', 'k', null))).toBe('SITE_STORE_INVALID');
    expect(await errorCode(store.put('', 'k', 1))).toBe('SITE_STORE_INVALID');
    expect(await errorCode(store.put('c', 'x'.repeat(201), 1))).toBe('SITE_STORE_INVALID');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await errorCode(store.put('c', 'k', cyclic))).toBe('SITE_STORE_INVALID');
    expect(await store.changesSince(0)).toEqual({ records: [], version: 0 });
  });
});

describe('events', () => {
  it('stores an event once per key: a replay stores nothing and says so', async () => {
    const e = event();
    const first = await store.appendEvent(e);
    const again = await store.appendEvent({ ...e, data: { door: 'other' } });
    expect(first.stored).toBe(true);
    expect(again).toEqual({ stored: false, seq: first.seq });
    expect((await store.events({})).map((x) => x.data)).toEqual([{ door: 'main' }]);
  });

  it('is append-only in the database itself', async () => {
    await store.appendEvent(event());
    expect(() => db.prepare("UPDATE site_events SET kind = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM site_events').run()).toThrow(/append-only/);
  });

  it('answers queries by kind, subject, terminal and time, newest first, within the limit', async () => {
    const at = (h: number) => `2025-06-02T0${h}:00:00.000Z`;
    await store.appendEvent(event({ at: at(1), subject: 'P-1' }));
    await store.appendEvent(event({ at: at(3), subject: 'P-2' }));
    await store.appendEvent(event({ at: at(2), subject: 'P-1', kind: 'alarm' }));
    await store.appendEvent(event({ at: '2025-06-02T11:00:00+07:00', subject: 'P-1', terminalId: 'gate-b' }));
    expect((await store.events({ subject: 'P-1' })).map((e) => e.at)).toEqual([at(4), at(2), at(1)]);
    expect((await store.events({ kind: 'access', from: at(1), to: at(4) })).map((e) => e.at)).toEqual([at(3), at(1)]);
    expect((await store.events({ terminalId: 'gate-b' })).map((e) => e.subject)).toEqual(['P-1']);
    expect(await store.events({ limit: 2 })).toHaveLength(2);
    expect(await errorCode(store.events({ limit: 10_001 }))).toBe('SITE_STORE_INVALID');
    expect(await errorCode(store.appendEvent(event({ at: 'yesterday' })))).toBe('SITE_STORE_INVALID');
  });
});

describe('retention', () => {
  const DAY = 86_400_000;
  const daysAgo = (d: number) => new Date(now - d * DAY).toISOString();
  const count = (sql: string, ...args: unknown[]) => (db.prepare(sql).get(...args) as { n: number }).n;

  it('the database deletes an event only below its kind’s horizon, and the horizon only moves forward', async () => {
    await store.appendEvent(event({ at: daysAgo(40) }));
    const kept = await store.appendEvent(event({ at: daysAgo(10) }));
    await store.appendEvent(event({ kind: 'alarm', at: daysAgo(40) }));
    expect(await store.purgeEvents('access', daysAgo(30))).toBe(1);
    // Above the horizon, and of a kind never purged, the log is as append-only as before.
    expect(() => db.prepare('DELETE FROM site_events WHERE seq = ?').run(kept.seq)).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM site_events WHERE kind = 'alarm'").run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE site_events SET at = '2000-01-01T00:00:00.000Z'").run()).toThrow(/append-only/);
    expect(() => db.prepare('UPDATE site_event_horizons SET horizon = ?').run(daysAgo(50))).toThrow(/only moves forward/);
    expect(() => db.prepare('DELETE FROM site_event_horizons').run()).toThrow(/only moves forward/);
    // Written below the horizon behind the store's back: not stored.
    db.prepare("INSERT INTO site_events (key, kind, at, terminal_id, data) VALUES ('gate-a:raw', 'access', ?, 'gate-a', '{}')").run(daysAgo(35));
    expect(count("SELECT count(*) AS n FROM site_events WHERE kind = 'access'")).toBe(1);
    expect(db.prepare("SELECT horizon FROM site_event_horizons WHERE kind = 'access'").get()).toEqual({ horizon: daysAgo(30) });
  });

  it('measures the 24-hour floor on the store’s clock', async () => {
    expect(await errorCode(store.purgeEvents('access', new Date(now - DAY + 1).toISOString()))).toBe('SITE_STORE_PURGE_TOO_RECENT');
    expect(await store.purgeEvents('access', new Date(now - DAY).toISOString())).toBe(0);
  });

  it('settled passages of the kind go with its events; a pending one and other kinds stay', async () => {
    const opened = await store.decidePassage(passage());
    const shut = await store.decidePassage(passage({ subject: 'P-2' }));
    await store.decidePassage(passage()); // refused: P-1 is inside
    await store.decidePassage(passage({ subject: 'P-3' })); // admitted, never settled
    await store.decidePassage(passage({ subject: 'P-4', event: event({ kind: 'boarding', subject: 'P-4' }) }));
    if (!opened.admitted || !shut.admitted) throw new Error('expected admissions');
    await store.settlePassage(opened.passageId, true);
    await store.settlePassage(shut.passageId, false);
    const decided = now;
    now += 40 * DAY;
    expect(await store.purgeEvents('access', new Date(decided + 1).toISOString())).toBe(1);
    expect(db.prepare('SELECT subject, state FROM site_passages ORDER BY subject').all()).toEqual([
      { subject: 'P-3', state: 'pending' },
      { subject: 'P-4', state: 'pending' },
    ]);
  });

  it('migration 081 gives passages decided before it the kind their event tells', () => {
    const old: Db = new Database(':memory:');
    // Earlier migrations re-seal stored values; here there are none to seal.
    for (const f of ['seal', 'unseal']) old.function(f, (v: unknown, _aad: unknown) => v);
    migrate(old, listMigrations().filter((m) => m.version < 81));
    const insert = old.prepare("INSERT INTO site_passages (id, event_key, area, subject, direction, decision, event, state, decided_at) VALUES (?, ?, 'site', 'P-1', 'in', '{}', ?, ?, '2025-01-01T00:00:00.000Z')");
    insert.run('p1', 'gate-a:1', JSON.stringify(event({ kind: 'boarding' })), 'pending');
    insert.run('p2', 'gate-a:2', null, 'opened');
    insert.run('p3', 'gate-a:3', null, 'refused');
    old.prepare("INSERT INTO site_events (key, kind, at, terminal_id, data) VALUES ('gate-a:2', 'access', '2025-01-01T00:00:00.000Z', 'gate-a', '{}')").run();
    migrate(old);
    expect(old.prepare('SELECT id, kind FROM site_passages ORDER BY id').all()).toEqual([
      { id: 'p1', kind: 'boarding' },
      { id: 'p2', kind: 'access' },
      { id: 'p3', kind: null },
    ]);
    old.close();
  });
});

describe('passages', () => {
  it('hard anti-passback: an entry of someone inside is refused, and an exit of someone outside', async () => {
    const a = await store.decidePassage(passage());
    expect(a.admitted).toBe(true);
    if (a.admitted) await store.settlePassage(a.passageId, true);
    expect(await store.decidePassage(passage())).toEqual({ admitted: false, reason: 'ALREADY_INSIDE' });
    expect(await store.decidePassage(passage({ subject: 'P-2', direction: 'out' }))).toEqual({ admitted: false, reason: 'NOT_INSIDE' });
    expect((await store.inside('site')).map((p) => p.subject)).toEqual(['P-1']);
  });

  it('soft anti-passback admits and names the rule broken; none does not check', async () => {
    await store.decidePassage(passage());
    expect(await store.decidePassage(passage({ antiPassback: 'soft' }))).toMatchObject({ admitted: true, ruleBroken: 'ALREADY_INSIDE' });
    const none = await store.decidePassage(passage({ antiPassback: 'none' }));
    expect(none.admitted && none.ruleBroken).toBe(undefined);
  });

  it('counts a passage only when the door opened: a door that stayed shut undoes the presence and logs nothing', async () => {
    const e = event();
    const a = await store.decidePassage(passage({ event: e }));
    if (!a.admitted) throw new Error('expected admission');
    expect(await store.events({})).toHaveLength(0);
    await store.settlePassage(a.passageId, false);
    expect(await store.inside('site')).toEqual([]);
    expect(await store.events({})).toHaveLength(0);
    const b = await store.decidePassage(passage());
    if (!b.admitted) throw new Error('expected admission');
    await store.settlePassage(b.passageId, true);
    await store.settlePassage(b.passageId, true);
    expect(await store.events({})).toHaveLength(1);
    expect(await errorCode(store.settlePassage(b.passageId, false))).toBe('SITE_STORE_CONFLICT');
    expect(await errorCode(store.settlePassage('no-such', true))).toBe('SITE_STORE_UNKNOWN_PASSAGE');
  });

  it('an exit whose door stayed shut puts the person back inside, since the same instant', async () => {
    const a = await store.decidePassage(passage());
    if (a.admitted) await store.settlePassage(a.passageId, true);
    const [before] = await store.inside('site');
    now += 60_000;
    const out = await store.decidePassage(passage({ direction: 'out' }));
    expect(await store.inside('site')).toEqual([]);
    if (out.admitted) await store.settlePassage(out.passageId, false);
    expect(await store.inside('site')).toEqual([before]);
  });

  it('answers a repeated request (same event key) with the same decision and changes nothing', async () => {
    const e = event();
    const a = await store.decidePassage(passage({ event: e }));
    const again = await store.decidePassage(passage({ event: e }));
    expect(again).toEqual(a);
    expect(await store.inside('site')).toHaveLength(1);
  });

  it('nested areas: an inner entry requires being inside the outer area', async () => {
    expect(await store.decidePassage(passage({ area: 'workshop', requiresInside: 'site' }))).toEqual({ admitted: false, reason: 'OUTER_AREA_REQUIRED' });
    await store.decidePassage(passage());
    expect((await store.decidePassage(passage({ area: 'workshop', requiresInside: 'site' }))).admitted).toBe(true);
  });

  it('two gates asking at the same instant for the same subject: exactly one is admitted', async () => {
    const both = await Promise.all([store.decidePassage(passage()), store.decidePassage(passage())]);
    expect(both.filter((d) => d.admitted)).toHaveLength(1);
  });

  it('a timed reset empties the area', async () => {
    await store.decidePassage(passage());
    await store.decidePassage(passage({ subject: 'P-2' }));
    expect(await store.resetArea('site')).toBe(2);
    expect((await store.decidePassage(passage())).admitted).toBe(true);
  });
});

describe('counters and alerts', () => {
  it('numbers per counter and day, starting again at 1 on a new day', async () => {
    expect([await store.nextNumber('clinic-1', '2025-06-02'), await store.nextNumber('clinic-1', '2025-06-02'), await store.nextNumber('clinic-2', '2025-06-02')]).toEqual([1, 2, 1]);
    expect(await store.nextNumber('clinic-1', '2025-06-03')).toBe(1);
    expect(await errorCode(store.nextNumber('clinic-1', 'today'))).toBe('SITE_STORE_INVALID');
  });

  it('keeps alerts open until acknowledged once', async () => {
    const a = await store.raiseAlert('gate', 'BLOCKLIST_HIT', { door: 'main', score: 0.97 });
    await store.raiseAlert('gate', 'DOOR_FAULT', { door: 'side' });
    expect(await store.acknowledgeAlert(a.id, 'guard-1')).toBe(true);
    expect(await store.acknowledgeAlert(a.id, 'guard-1')).toBe(false);
    expect((await store.openAlerts()).map((x) => x.code)).toEqual(['DOOR_FAULT']);
  });

  it('stops answering once closed', async () => {
    await store.close();
    expect(await errorCode(store.get('c', 'k'))).toBe('SITE_STORE_CLOSED');
  });
});
