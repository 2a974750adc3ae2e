/**
 * Acceptance (issue 15): two gate kiosks of one factory share anti-passback and a blocklist through
 * two hub processes (`cccd-kiosk hub serve`) on one PostgreSQL. Each kiosk runs the gate site
 * module's own door service and directory over its hub client (its own SQLite cache and outbox,
 * its own client certificate); the doors drive the relay simulator.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateConfig, type GateSettings } from '../../app/sites/gate/common/config.ts';
import { deriveSiteKeys } from '../../app/sites/gate/common/identity.ts';
import { COLLECTIONS } from '../../app/sites/gate/common/records.ts';
import { GateDirectory } from '../../app/sites/gate/node/directory.ts';
import { doorService, type DoorService } from '../../app/sites/gate/node/door-service.ts';
import { relayDoor } from '../../app/sites/gate/node/doors.ts';
import { PeopleStore } from '../../app/sites/gate/node/people.ts';
import { GateSeals } from '../../app/sites/gate/node/seals.ts';
import { randomTemplate } from '../../app/sites/gate/sim/demo-factory.ts';
import { startDevicesSim, type DevicesSim } from '../../app/sites/gate/sim/devices-sim.ts';
import { eventually } from '../contract/site-store.contract.ts';
import { postgresMissing } from '../support/postgres.ts';
import { startTestSite, type Kiosk, type TestSite } from '../support/site-hub.ts';

const settings: GateSettings = gateConfig.parse({
  role: 'door', gateName: 'Cổng', siteKey: { file: 'unused' }, door: 'gate-a-in',
  areas: [{ id: 'site', name: 'Khuôn viên', antiPassback: 'hard' }],
  doors: [
    { id: 'gate-a-in', name: 'Cổng A vào', area: 'site', direction: 'in', whenUndecidable: 'known-only', controller: { adapter: 'sim' } },
    { id: 'gate-b-in', name: 'Cổng B vào', area: 'site', direction: 'in', whenUndecidable: 'known-only', controller: { adapter: 'sim' } },
  ],
});
const keys = deriveSiteKeys(Buffer.alloc(32, 7));
const seals = new GateSeals(keys.seal);
const next = (() => {
  let s = 11;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
})();

interface Station {
  readonly kiosk: Kiosk;
  readonly directory: GateDirectory;
  readonly door: DoorService;
  stop(): void;
}

describe.skipIf(postgresMissing() !== undefined)('two gate kiosks, two hub processes, one PostgreSQL', { timeout: 120_000 }, () => {
  let site: TestSite;
  let devices: DevicesSim;
  let a: Station;
  let b: Station;
  let people: PeopleStore;

  async function station(terminalId: string, doorId: string, urls: string[]): Promise<Station> {
    const kiosk = await site.kiosk(terminalId, urls);
    await kiosk.store.whenOnline();
    const directory = new GateDirectory(kiosk.store, seals, 'clean');
    await directory.catchUp();
    const stop = directory.follow(60_000, () => undefined); // pushed changes only: the poll is far off
    const door = doorService({
      store: kiosk.store, directory, settings, doorId, terminalId, clock: () => new Date(), log: () => undefined, audit: () => undefined,
      door: relayDoor({ adapter: 'relay', url: `${devices.url}/relay/${doorId}/pulse`, method: 'POST', timeoutMs: 2000 }, () => '', 'k'),
    });
    return { kiosk, directory, door, stop };
  }

  /** Enrols a worker at station A (the enrolment desk's role) and waits until both stations know them. */
  async function worker(name: string): Promise<{ key: string; face: Float32Array }> {
    const face = randomTemplate(128, next);
    const idNumber = `0010920${String(Math.floor(next() * 1e5)).padStart(5, '0')}`;
    const { key } = await people.enrol({ kind: 'worker', holder: { idNumber, fullName: name, dateOfBirth: '1990-01-01', sex: 'M' }, employeeNo: randomUUID().slice(0, 8), group: 'all', face: { model: 'clean', chip: face } }, new Date());
    await eventually(() => a.directory.people.has(key) && b.directory.people.has(key), 5_000);
    return { key, face };
  }
  const byFace = (s: Station, w: { key: string; face: Float32Array }) => s.door.pass({ method: 'face', person: w.key, face: w.face, score: 0.99 });

  beforeAll(async () => {
    site = await startTestSite();
    devices = await startDevicesSim({ webhookSecret: 'hook' });
    const [one, two] = [await site.childHub(), await site.childHub()];
    a = await station('GATE-A', 'gate-a-in', [one.url, two.url]);
    b = await station('GATE-B', 'gate-b-in', [two.url, one.url]);
    people = new PeopleStore(a.kiosk.store, keys, seals);
    await a.kiosk.store.put(COLLECTIONS.group, 'all', { name: 'Mọi người', doors: ['gate-a-in', 'gate-b-in'] });
    await eventually(() => b.directory.groups.has('all'), 5_000);
  });
  afterAll(async () => {
    a?.stop();
    b?.stop();
    await devices?.close();
    await site?.close();
  });

  it('anti-passback holds across the two gates: in at A, refused at B', async () => {
    const an = await worker('Nguyễn Văn An');
    const before = devices.commands.length;
    expect(await byFace(a, an)).toMatchObject({ opened: true, direction: 'in' });
    expect(await byFace(b, an)).toMatchObject({ opened: false, reason: 'ALREADY_INSIDE' });
    expect(devices.commands.slice(before).map((c) => c.door)).toEqual(['gate-a-in']);
    expect((await site.admin.inside('site')).map((p) => p.subject)).toContain(an.key);
  });

  it('the same worker at both gates at the same instant: exactly one door opens', async () => {
    for (let round = 0; round < 5; round++) {
      const w = await worker(`Công nhân ${round}`);
      const before = devices.commands.length;
      const both = await Promise.all([byFace(a, w), byFace(b, w)]);
      expect(both.filter((o) => o.opened)).toHaveLength(1);
      expect(both.find((o) => !o.opened)).toMatchObject({ reason: 'ALREADY_INSIDE' });
      expect(devices.commands.length - before).toBe(1);
    }
  });

  it('a blocklist entry made at one station is enforced at the other within 2 s', async () => {
    const chi = await worker('Lê Thị Chi');
    const t0 = performance.now();
    await a.kiosk.store.put(COLLECTIONS.blocklist, 'B-7', { name: 'Lê Thị Chi', reason: 'thẻ báo mất', addedBy: 'guard-1', addedAt: new Date().toISOString() });
    await people.setFace('B-7', 'blocklist', { model: 'clean', chip: chi.face }, new Date());
    await eventually(() => b.directory.templates.blocklist > 0, 2_000);
    const ms = performance.now() - t0;
    const outcome = await byFace(b, chi);
    expect(outcome).toMatchObject({ opened: false, reason: 'BLOCKLISTED', alarm: true });
    expect(ms).toBeLessThan(2_000);
    // The guard's alert is the site's: raised at B, open for every station.
    expect((await a.kiosk.store.openAlerts()).some((x) => x.code === 'BLOCKLISTED' && x.detail.terminal === 'GATE-B')).toBe(true);
  });
});
