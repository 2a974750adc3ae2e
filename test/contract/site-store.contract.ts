/**
 * The contract of the SiteStore port (app/core/site-store/site-store.ts), as one suite every
 * adapter runs: the embedded SQLite store, PostgreSQL, and the kiosk's hub client in front of a hub.
 * A site module relies on exactly what is asserted here, so it cannot tell the adapters apart.
 *
 * The suite shares one store across its tests (a fresh database per test would cost more than the
 * tests), so each test works under names of its own (`fresh()`); that the names never interfere
 * is part of the contract too.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskError } from '../../app/core/errors.ts';
import type { PassageRequest, SiteEvent, SiteRecord, SiteStore } from '../../app/core/site-store/site-store.ts';

export interface ContractSubject {
  readonly store: SiteStore;
  /**
   * Another handle on the same site (a second hub process, a second kiosk), when the adapter
   * has one: changes made through it must reach `store`'s listeners, and decisions taken through
   * both at once must still be one authority's. `store` speaks as terminal GATE-A, `peer` as GATE-B.
   */
  readonly peer?: SiteStore;
  close(): Promise<void>;
}

/** The code a call fails with, or 'NO_ERROR'. Errors other than the store's (SITE_STORE_…) are rethrown. */
export async function storeCode(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (e) {
    if (e instanceof KioskError && e.code.startsWith('SITE_STORE_')) return e.code;
    throw e;
  }
  return 'NO_ERROR';
}

let counter = 0;
/** A name no other test uses (collections, areas, counters want lowercase). */
export const fresh = (what: string) => `${what}-${(++counter).toString(36)}-${randomUUID().slice(0, 8)}`;

export function event(over: Partial<SiteEvent> = {}, terminal = 'GATE-A'): SiteEvent {
  return { key: `${terminal}:${randomUUID()}`, kind: 'access', at: new Date().toISOString(), terminalId: terminal, data: { door: 'main' }, ...over };
}

export function passage(area: string, subject: string, direction: 'in' | 'out', antiPassback: PassageRequest['antiPassback'] = 'hard', terminal = 'GATE-A', extra: Partial<PassageRequest> = {}): PassageRequest {
  return { area, subject, direction, antiPassback, event: event({ kind: `passage-${direction}`, subject }, terminal), ...extra };
}

/** Waits until `check` holds (pushed changes arrive asynchronously), at most `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function siteStoreContract(adapter: string, open: () => Promise<ContractSubject>): void {
  describe(`SiteStore contract: ${adapter}`, () => {
    let subject: ContractSubject;
    let store: SiteStore;
    beforeAll(async () => {
      subject = await open();
      store = subject.store;
    });
    afterAll(async () => subject?.close());

    describe('records', () => {
      it('a put reads back with a new, larger version; a missing record reads as undefined', async () => {
        const c = fresh('person');
        const a = await store.put(c, 'p-1', { name: 'An', groups: ['day'] });
        expect(a).toMatchObject({ collection: c, key: 'p-1', deleted: false, body: { name: 'An', groups: ['day'] } });
        expect(a.version).toBeGreaterThan(0);
        expect(Number.isNaN(Date.parse(a.updatedAt))).toBe(false);
        expect(await store.get(c, 'p-1')).toEqual(a);
        const b = await store.put(c, 'p-1', { name: 'An', groups: ['night'] });
        expect(b.version).toBeGreaterThan(a.version);
        expect((await store.get(c, 'p-1'))?.body).toEqual({ name: 'An', groups: ['night'] });
        expect(await store.get(c, 'p-2')).toBeUndefined();
        expect(await store.get(fresh('other'), 'p-1')).toBeUndefined();
      });

      it('versions increase over all collections', async () => {
        const one = await store.put(fresh('blocklist'), 'x', { reason: 'lost badge' });
        const two = await store.put(fresh('invitation'), 'y', { host: 'h-1' });
        const three = await store.put(fresh('blocklist'), 'z', { reason: 'x' });
        expect(two.version).toBeGreaterThan(one.version);
        expect(three.version).toBeGreaterThan(two.version);
      });

      it('a removal leaves a tombstone (get shows it, list does not); removing what is not there changes nothing', async () => {
        const c = fresh('blocklist');
        const put = await store.put(c, 'w-1', { reason: 'expelled' });
        const gone = await store.remove(c, 'w-1');
        expect(gone).toMatchObject({ collection: c, key: 'w-1', deleted: true, body: null });
        expect(gone!.version).toBeGreaterThan(put.version);
        expect(await store.get(c, 'w-1')).toEqual(gone);
        expect(await store.list(c)).toEqual([]);
        expect(await store.remove(c, 'w-1')).toBeUndefined();
        expect(await store.remove(c, 'never')).toBeUndefined();
        const back = await store.put(c, 'w-1', { reason: 'again' });
        expect(back.version).toBeGreaterThan(gone!.version);
        expect((await store.get(c, 'w-1'))?.body).toEqual({ reason: 'again' });
      });

      it('list gives the live records of one collection in key order', async () => {
        const c = fresh('access-group');
        for (const k of ['b', 'a', 'c', 'B']) await store.put(c, k, { k });
        await store.put(fresh('access-group'), 'a', { other: true });
        await store.remove(c, 'c');
        expect((await store.list(c)).map((r) => r.key)).toEqual(['B', 'a', 'b']);
        expect((await store.list<{ k: string }>(c)).map((r) => r.body?.k)).toEqual(['B', 'a', 'b']);
      });

      it('ifVersion lets a write through only at the expected version (0: must not exist)', async () => {
        const c = fresh('schedule');
        const first = await store.put(c, 's', { v: 1 }, { ifVersion: 0 });
        expect(await storeCode(() => store.put(c, 's', { v: 'lost' }, { ifVersion: 0 }))).toBe('SITE_STORE_CONFLICT');
        expect(await storeCode(() => store.put(c, 's', { v: 'lost' }, { ifVersion: first.version + 1000 }))).toBe('SITE_STORE_CONFLICT');
        const second = await store.put(c, 's', { v: 2 }, { ifVersion: first.version });
        expect(await storeCode(() => store.put(c, 's', { v: 'stale' }, { ifVersion: first.version }))).toBe('SITE_STORE_CONFLICT');
        expect((await store.get(c, 's'))?.body).toEqual({ v: 2 });
        await store.remove(c, 's');
        expect(await storeCode(() => store.put(c, 's', { v: 3 }, { ifVersion: second.version }))).toBe('SITE_STORE_CONFLICT');
        expect((await store.put(c, 's', { v: 3 }, { ifVersion: 0 })).body).toEqual({ v: 3 });
      });

      it('changesSince replays every change after a version, in order, in pages, tombstones included', async () => {
        const start = (await store.changesSince(0, 10_000)).version;
        const latest = await drain(store, 0);
        expect(latest.version).toBeGreaterThanOrEqual(start);
        const c = fresh('person');
        await store.put(c, 'a', { n: 1 });
        await store.put(c, 'b', { n: 2 });
        await store.put(c, 'a', { n: 3 });
        await store.remove(c, 'b');
        await store.put(c, 'c', { n: 4 });
        const pages: SiteRecord[][] = [];
        let v = latest.version;
        for (;;) {
          const batch = await store.changesSince(v, 2);
          if (batch.records.length === 0) {
            expect(batch.version).toBe(v);
            break;
          }
          expect(batch.records.length).toBeLessThanOrEqual(2);
          expect(batch.version).toBe(batch.records[batch.records.length - 1]!.version);
          pages.push([...batch.records]);
          v = batch.version;
        }
        const changes = pages.flat().filter((r) => r.collection === c);
        const versions = pages.flat().map((r) => r.version);
        expect(versions).toEqual([...versions].sort((x, y) => x - y));
        expect(new Set(versions).size).toBe(versions.length);
        // Applying the changes in order gives exactly the live state.
        const state = new Map<string, unknown>();
        for (const r of changes) {
          if (r.deleted) state.delete(r.key);
          else state.set(r.key, r.body);
        }
        expect(Object.fromEntries(state)).toEqual({ a: { n: 3 }, c: { n: 4 } });
        expect(changes.some((r) => r.key === 'b' && r.deleted && r.body === null)).toBe(true);
      });

      it('onChange hears every change made on the site, until unsubscribed', async () => {
        const c = fresh('blocklist');
        const heard: SiteRecord[] = [];
        const stop = store.onChange((r) => r.collection === c && heard.push(r));
        await store.put(c, 'x', { reason: 'r' });
        await store.remove(c, 'x');
        await eventually(() => heard.length === 2);
        expect(heard.map((r) => [r.key, r.deleted])).toEqual([['x', false], ['x', true]]);
        if (subject.peer) {
          await subject.peer.put(c, 'from-peer', { reason: 'elsewhere' });
          await eventually(() => heard.length === 3);
          expect(heard[2]).toMatchObject({ key: 'from-peer', body: { reason: 'elsewhere' } });
        }
        stop();
        await store.put(c, 'after', { reason: 'r' });
        await new Promise((r) => setTimeout(r, 300));
        expect(heard.map((r) => r.key)).not.toContain('after');
      });

      it('refuses malformed input with SITE_STORE_INVALID, naming the field', async () => {
        expect(await storeCode(() => store.put('', 'k', {}))).toBe('SITE_STORE_INVALID');
        expect(await storeCode(() => store.put('x'.repeat(65), 'k', {}))).toBe('SITE_STORE_INVALID');
        expect(await storeCode(() => store.put(fresh('c'), '', {}))).toBe('SITE_STORE_INVALID');
        expect(await storeCode(() => store.put(fresh('c'), 'k', null))).toBe('SITE_STORE_INVALID');
        expect(await storeCode(() => store.changesSince(-1))).toBe('SITE_STORE_INVALID');
        // Control characters would reach logs and screens: refused, and the error names the field.
        const e = await store.put(fresh('c'), 'k\u0000', {}).catch((x: unknown) => x);
        expect(e).toBeInstanceOf(KioskError);
        expect((e as KioskError).code).toBe('SITE_STORE_INVALID');
        expect((e as KioskError).message).toMatch(/\bkey\b/);
        // A record body must come back as it went in: NaN would not.
        expect(await storeCode(() => store.put(fresh('c'), 'k', { n: Number.NaN }))).toBe('SITE_STORE_INVALID');
      });
    });

    describe('events', () => {
      it('stores an event once: a replay of its key stores nothing and gives the same seq', async () => {
        const e = event({ subject: fresh('worker') });
        const first = await store.appendEvent(e);
        expect(first.stored).toBe(true);
        const again = await store.appendEvent(e);
        expect(again).toEqual({ stored: false, seq: first.seq });
        const later = await store.appendEvent(event());
        expect(later.seq).toBeGreaterThan(first.seq);
        expect(await store.events({ subject: e.subject! })).toEqual([{ ...e, seq: first.seq }]);
      });

      it('the same key sent many times at once is stored exactly once', async () => {
        const e = event({ subject: fresh('worker') });
        const results = await Promise.all(Array.from({ length: 20 }, () => store.appendEvent(e)));
        expect(results.filter((r) => r.stored)).toHaveLength(1);
        expect(new Set(results.map((r) => r.seq)).size).toBe(1);
        expect(await store.events({ subject: e.subject! })).toHaveLength(1);
      });

      it('queries by kind, subject, terminal and time, newest first, at most limit', async () => {
        const who = fresh('worker');
        const kind = fresh('attendance');
        const t = (m: number) => new Date(Date.UTC(2026, 2, 1, 8, m)).toISOString();
        const made = [
          event({ kind, subject: who, at: t(0), data: { n: 0 } }, 'GATE-A'),
          event({ kind, subject: who, at: t(10), data: { n: 1 } }, 'GATE-B'),
          event({ kind, subject: who, at: t(20), data: { n: 2, nested: { ok: [1, 'two', null] } } }, 'GATE-A'),
          event({ kind, at: t(30), data: { n: 3 } }, 'GATE-B'),
        ];
        // Each terminal's events through its own handle (a hub refuses events in another's name).
        for (const e of made) await (e.terminalId === 'GATE-B' ? (subject.peer ?? store) : store).appendEvent(e);
        const ns = async (q: Parameters<SiteStore['events']>[0]) => (await store.events(q)).map((e) => (e.data as { n: number }).n);
        expect(await ns({ kind })).toEqual([3, 2, 1, 0]);
        expect(await ns({ kind, subject: who })).toEqual([2, 1, 0]);
        expect(await ns({ kind, terminalId: 'GATE-B' })).toEqual([3, 1]);
        expect(await ns({ kind, from: t(10), to: t(30) })).toEqual([2, 1]);
        expect(await ns({ kind, limit: 2 })).toEqual([3, 2]);
        const [top] = await store.events({ kind, subject: who, limit: 1 });
        expect(top).toMatchObject({ ...made[2], seq: expect.any(Number) });
        expect(await storeCode(() => store.events({ limit: 10_001 }))).toBe('SITE_STORE_INVALID');
      });

      it('events of every kiosk of the site answer one query by kind and time', async () => {
        // The hospital's day of visits (app/sites/hospital/node/site-visits.ts): each kiosk's events, read at any kiosk.
        const other = subject.peer ?? store;
        const kind = fresh('hospital.visit');
        const from = new Date(Date.now() - 60_000).toISOString();
        await store.appendEvent(event({ kind, subject: 'patient-day:x' }, 'GATE-A'));
        await other.appendEvent(event({ kind, subject: 'patient-day:x' }, 'GATE-B'));
        await other.appendEvent(event({ kind, at: '2020-01-01T00:00:00.000Z' }, 'GATE-B'));
        for (const at of [store, other]) {
          await eventually(async () => (await at.events({ kind, from })).length === 2, 5_000);
          expect((await at.events({ kind, from })).map((e) => e.terminalId).sort()).toEqual(['GATE-A', 'GATE-B']);
        }
      });

      it('times are kept as instants: an offset time reads back in UTC and compares as one', async () => {
        const kind = fresh('visit');
        await store.appendEvent(event({ kind, at: '2026-03-01T15:00:00+07:00' }));
        const [e] = await store.events({ kind, from: '2026-03-01T08:00:00.000Z', to: '2026-03-01T08:00:00.001Z' });
        expect(e?.at).toBe('2026-03-01T08:00:00.000Z');
      });

      it('refuses an event without its key, terminal or a real time', async () => {
        const { key: _k, ...noKey } = event();
        expect(await storeCode(() => store.appendEvent(noKey as SiteEvent))).toBe('SITE_STORE_INVALID');
        expect(await storeCode(() => store.appendEvent(event({ at: 'yesterday' })))).toBe('SITE_STORE_INVALID');
        expect(await storeCode(() => store.appendEvent(event({ terminalId: 'bad id!' })))).toBe('SITE_STORE_INVALID');
        expect(await storeCode(() => store.appendEvent({ ...event(), data: undefined }))).toBe('SITE_STORE_INVALID');
      });
    });

    describe('retention', () => {
      const DAY = 86_400_000;
      const ago = (days: number, ms = 0) => new Date(Date.now() - days * DAY - ms).toISOString();
      const atsOf = async (kind: string) => (await store.events({ kind, limit: 10_000 })).map((e) => e.at).sort();

      it('a purge forgets events of that kind before `before`, and only those, and says how many', async () => {
        const [kind, other] = [fresh('gate-access'), fresh('gate-alarm')];
        for (const days of [40, 31, 29, 2]) {
          await store.appendEvent(event({ kind, at: ago(days) }));
          await store.appendEvent(event({ kind: other, at: ago(days) }));
        }
        expect(await store.purgeEvents(kind, ago(30))).toBe(2);
        expect(await atsOf(kind)).toHaveLength(2);
        expect((await atsOf(kind)).every((at) => at >= ago(30))).toBe(true);
        expect(await atsOf(other)).toHaveLength(4);
        // Again at the same horizon: nothing left to go.
        expect(await store.purgeEvents(kind, ago(30))).toBe(0);
      });

      it('the horizon only moves forward: an earlier `before` purges nothing and is no error', async () => {
        const kind = fresh('hospital.visit');
        for (const days of [20, 10, 5]) await store.appendEvent(event({ kind, at: ago(days) }));
        expect(await store.purgeEvents(kind, ago(15))).toBe(1);
        expect(await store.purgeEvents(kind, ago(100))).toBe(0);
        expect(await atsOf(kind)).toHaveLength(2);
        // …and the horizon stayed where it was: an event between the two is still past retention.
        expect(await store.appendEvent(event({ kind, at: ago(16) }))).toEqual({ stored: false, seq: 0 });
        expect(await store.purgeEvents(kind, ago(7))).toBe(1);
      });

      it('refuses a purge that reaches into the last 24 hours, and malformed input', async () => {
        const kind = fresh('gate-access');
        const recent = await store.appendEvent(event({ kind, at: ago(0, 3_600_000) }));
        expect(await storeCode(() => store.purgeEvents(kind, new Date().toISOString()))).toBe('SITE_STORE_PURGE_TOO_RECENT');
        expect(await storeCode(() => store.purgeEvents(kind, ago(0, 23 * 3_600_000)))).toBe('SITE_STORE_PURGE_TOO_RECENT');
        expect(await storeCode(() => store.purgeEvents(kind, 'last year'))).toBe('SITE_STORE_INVALID');
        expect(await storeCode(() => store.purgeEvents('', ago(30)))).toBe('SITE_STORE_INVALID');
        expect((await store.events({ kind })).map((e) => e.seq)).toEqual([recent.seq]);
        // Just past the floor is allowed (a minute's margin for the clocks of kiosk and hub).
        expect(await store.purgeEvents(kind, ago(1, 60_000))).toBe(0);
      });

      it('an event appended later below its kind’s horizon is not stored: no seq, not in the log', async () => {
        const kind = fresh('gate-access');
        const gone = event({ kind, at: ago(40) });
        await store.appendEvent(gone);
        expect(await store.purgeEvents(kind, ago(30))).toBe(1);
        // The purged event replayed (an outbox resending it), and one that arrives late.
        expect(await store.appendEvent(gone)).toEqual({ stored: false, seq: 0 });
        expect(await store.appendEvent(event({ kind, at: ago(31) }))).toEqual({ stored: false, seq: 0 });
        // At and above the horizon, and of other kinds, the log takes events as before.
        expect((await store.appendEvent(event({ kind, at: ago(29) }))).stored).toBe(true);
        expect((await store.appendEvent(event({ kind: fresh('gate-access'), at: ago(40) }))).stored).toBe(true);
        expect(await atsOf(kind)).toHaveLength(1);
      });
    });

    describe('passages', () => {
      it('hard anti-passback: in, not in again, out, not out again', async () => {
        const area = fresh('site');
        const who = fresh('worker');
        const enter = await store.decidePassage(passage(area, who, 'in'));
        expect(enter).toMatchObject({ admitted: true });
        expect(enter).not.toHaveProperty('ruleBroken');
        await store.settlePassage((enter as { passageId: string }).passageId, true);
        expect(await store.decidePassage(passage(area, who, 'in'))).toEqual({ admitted: false, reason: 'ALREADY_INSIDE' });
        const leave = await store.decidePassage(passage(area, who, 'out'));
        expect(leave.admitted).toBe(true);
        await store.settlePassage((leave as { passageId: string }).passageId, true);
        expect(await store.decidePassage(passage(area, who, 'out'))).toEqual({ admitted: false, reason: 'NOT_INSIDE' });
        expect(await store.decidePassage(passage(area, fresh('stranger'), 'out'))).toEqual({ admitted: false, reason: 'NOT_INSIDE' });
      });

      it('soft anti-passback admits and names the broken rule; none does not check', async () => {
        const area = fresh('canteen');
        const who = fresh('worker');
        await store.decidePassage(passage(area, who, 'in', 'soft'));
        expect(await store.decidePassage(passage(area, who, 'in', 'soft'))).toMatchObject({ admitted: true, ruleBroken: 'ALREADY_INSIDE' });
        const free = await store.decidePassage(passage(area, who, 'in', 'none'));
        expect(free.admitted).toBe(true);
        expect(free).not.toHaveProperty('ruleBroken');
        const out1 = await store.decidePassage(passage(area, who, 'out', 'soft'));
        expect(out1).toMatchObject({ admitted: true });
        expect(out1).not.toHaveProperty('ruleBroken');
        expect(await store.decidePassage(passage(area, who, 'out', 'soft'))).toMatchObject({ admitted: true, ruleBroken: 'NOT_INSIDE' });
      });

      it('a nested area needs its outer area first', async () => {
        const outer = fresh('site');
        const inner = fresh('lab');
        const who = fresh('worker');
        expect(await store.decidePassage(passage(inner, who, 'in', 'hard', 'GATE-A', { requiresInside: outer }))).toEqual({ admitted: false, reason: 'OUTER_AREA_REQUIRED' });
        await store.decidePassage(passage(outer, who, 'in'));
        expect((await store.decidePassage(passage(inner, who, 'in', 'hard', 'GATE-A', { requiresInside: outer }))).admitted).toBe(true);
      });

      it('an admitted passage shows who is inside since when, with its event; a refusal records nothing', async () => {
        const area = fresh('site');
        const who = fresh('worker');
        const req = passage(area, who, 'in');
        const d = await store.decidePassage(req);
        await store.settlePassage((d as { passageId: string }).passageId, true);
        const [here, ...others] = await store.inside(area);
        expect(others).toEqual([]);
        expect(here?.subject).toBe(who);
        // Since the entry: the kiosk's time of it or the authority's, which differ by the network.
        expect(Math.abs(Date.parse(here!.since) - Date.parse(req.event.at))).toBeLessThan(60_000);
        expect(await store.events({ subject: who })).toEqual([expect.objectContaining({ key: req.event.key, kind: 'passage-in', subject: who })]);
        const refused = passage(area, who, 'in');
        await store.decidePassage(refused);
        expect((await store.events({ subject: who })).map((e) => e.key)).toEqual([req.event.key]);
      });

      it('a door that did not open undoes the passage: presence and event', async () => {
        const area = fresh('site');
        const who = fresh('worker');
        const d = await store.decidePassage(passage(area, who, 'in'));
        expect(await store.inside(area)).toHaveLength(1);
        await store.settlePassage((d as { passageId: string }).passageId, false);
        expect(await store.inside(area)).toEqual([]);
        expect(await store.events({ subject: who })).toEqual([]);
        expect((await store.decidePassage(passage(area, who, 'in'))).admitted).toBe(true);
      });

      it('settling is idempotent, never flips, and names an unknown passage', async () => {
        const area = fresh('site');
        const d = await store.decidePassage(passage(area, fresh('worker'), 'in'));
        const id = (d as { passageId: string }).passageId;
        await store.settlePassage(id, true);
        await store.settlePassage(id, true);
        expect(await storeCode(() => store.settlePassage(id, false))).toBe('SITE_STORE_CONFLICT');
        expect(await store.inside(area)).toHaveLength(1);
        expect(await storeCode(() => store.settlePassage('GATE-A:no-such-passage', true))).toBe('SITE_STORE_UNKNOWN_PASSAGE');
      });

      it('a repeated decision request (its answer lost) gets the same answer and counts once', async () => {
        const area = fresh('site');
        const who = fresh('worker');
        const req = passage(area, who, 'in');
        const first = await store.decidePassage(req);
        const again = await store.decidePassage(req);
        expect(again).toEqual(first);
        expect(await store.inside(area)).toHaveLength(1);
        await store.settlePassage((first as { passageId: string }).passageId, true);
        expect(await store.events({ subject: who })).toHaveLength(1);
      });

      it('two gates deciding for the same person at the same instant: exactly one admits', async () => {
        const other = subject.peer ?? store;
        for (let round = 0; round < 10; round++) {
          const area = fresh('site');
          const who = fresh('worker');
          const both = await Promise.all([store.decidePassage(passage(area, who, 'in', 'hard', 'GATE-A')), other.decidePassage(passage(area, who, 'in', 'hard', 'GATE-B'))]);
          expect(both.filter((d) => d.admitted)).toHaveLength(1);
          expect(both.filter((d) => !d.admitted)).toEqual([{ admitted: false, reason: 'ALREADY_INSIDE' }]);
          expect(await store.inside(area)).toHaveLength(1);
          const winner = both.findIndex((d) => d.admitted);
          await (winner === 0 ? store : other).settlePassage((both[winner] as { passageId: string }).passageId, true);
          expect(await store.events({ subject: who })).toHaveLength(1);
        }
      });

      it('a boarding claimed at one gate whose door did not open is free for another gate at once', async () => {
        // The airport's boarding (app/sites/airport/node/site-boardings.ts): a flight is an area, a boarding a hard entry.
        const other = subject.peer ?? store;
        const flight = fresh('airport.boarded');
        const who = fresh('passenger');
        const first = await store.decidePassage(passage(flight, who, 'in', 'hard', 'GATE-A'));
        expect(first.admitted).toBe(true);
        expect(await other.decidePassage(passage(flight, who, 'in', 'hard', 'GATE-B'))).toEqual({ admitted: false, reason: 'ALREADY_INSIDE' });
        await store.settlePassage((first as { passageId: string }).passageId, false);
        expect(await store.inside(flight)).toEqual([]);
        const second = await other.decidePassage(passage(flight, who, 'in', 'hard', 'GATE-B'));
        expect(second.admitted).toBe(true);
        await other.settlePassage((second as { passageId: string }).passageId, true);
        await eventually(async () => (await store.events({ subject: who })).length === 1, 5_000);
        expect((await store.events({ subject: who }))[0]).toMatchObject({ terminalId: 'GATE-B', kind: 'passage-in' });
        expect(await store.decidePassage(passage(flight, who, 'in', 'hard', 'GATE-A'))).toEqual({ admitted: false, reason: 'ALREADY_INSIDE' });
      });

      it('lists who is inside and resets an area', async () => {
        const area = fresh('site');
        const people = [fresh('a'), fresh('b'), fresh('c')];
        for (const p of people) await store.decidePassage(passage(area, p, 'in'));
        await store.decidePassage(passage(area, people[1]!, 'out'));
        expect((await store.inside(area)).map((p) => p.subject).sort()).toEqual([people[0], people[2]].sort());
        expect(await store.resetArea(area)).toBe(2);
        expect(await store.inside(area)).toEqual([]);
        expect(await store.resetArea(area)).toBe(0);
        expect((await store.decidePassage(passage(area, people[0]!, 'in'))).admitted).toBe(true);
      });
    });

    describe('numbers and alerts', () => {
      it('numbers a counter per day from 1, each number once even when asked at once', async () => {
        const clinic = fresh('clinic');
        expect(await store.nextNumber(clinic, '2026-03-01')).toBe(1);
        expect(await store.nextNumber(clinic, '2026-03-01')).toBe(2);
        expect(await store.nextNumber(clinic, '2026-03-02')).toBe(1);
        expect(await store.nextNumber(fresh('clinic'), '2026-03-01')).toBe(1);
        const other = subject.peer ?? store;
        const many = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : store).nextNumber(clinic, '2026-03-03')));
        expect([...many].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
        expect(await storeCode(() => store.nextNumber(clinic, '2026-02-30'))).toBe('SITE_STORE_INVALID');
      });

      it('many clinics’ queues drawn at once from two kiosks each count on their own', async () => {
        // The hospital's queues (app/sites/hospital/node/queue-numbers.ts): one counter per clinic and day.
        const other = subject.peer ?? store;
        const clinics = [fresh('hospital.queue'), fresh('hospital.queue'), fresh('hospital.queue')];
        const draws = Array.from({ length: 30 }, (_, i) => ({ clinic: clinics[i % 3]!, at: i % 2 ? other : store }));
        const numbers = await Promise.all(draws.map((d) => d.at.nextNumber(d.clinic, '2026-03-04')));
        for (const clinic of clinics) {
          expect(numbers.filter((_, i) => draws[i]!.clinic === clinic).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
        }
        expect(await other.nextNumber(clinics[0]!, '2026-03-04')).toBe(11);
      });

      it('keeps an alert open until acknowledged once', async () => {
        const kind = fresh('door-forced');
        const a = await store.raiseAlert(kind, 'DOOR_HELD_OPEN', { door: 'north', seconds: 45, by: null });
        expect(a).toMatchObject({ kind, code: 'DOOR_HELD_OPEN', detail: { door: 'north', seconds: 45, by: null } });
        expect((await store.openAlerts()).filter((x) => x.kind === kind)).toEqual([a]);
        expect(await store.acknowledgeAlert(a.id, 'guard-1')).toBe(true);
        expect(await store.acknowledgeAlert(a.id, 'guard-1')).toBe(false);
        expect(await store.acknowledgeAlert(a.id + 1_000_000, 'guard-1')).toBe(false);
        expect((await store.openAlerts()).filter((x) => x.kind === kind)).toEqual([]);
      });
    });
  });
}

async function drain(store: SiteStore, from: number): Promise<{ version: number }> {
  let v = from;
  for (;;) {
    const b = await store.changesSince(v, 10_000);
    if (b.records.length === 0) return { version: v };
    v = b.version;
  }
}
