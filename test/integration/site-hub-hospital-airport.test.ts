/**
 * Acceptance (issue 15, hospital and airport): two kiosks of one site, each on its own hub client
 * (its own SQLite cache and outbox, its own certificate) talking to its own `cccd-kiosk hub serve`
 * process, both on one PostgreSQL. Two reception kiosks drawing queue numbers at once get distinct,
 * consecutive numbers from the hub's counter per clinic and day (and register visits on one HIS with
 * them); two boarding gates boarding one passenger at the same instant: exactly one boards, and the
 * airline's DCS is asked only once. Face tokens a check-in kiosk keeps in the site store reach the
 * other kiosk sealed; the day's visits of both reception kiosks are on each one's staff list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bcbpString } from '../../app/core/receipts/index.ts';
import { boardingPassOf } from '../../app/sites/airport/common/boarding-pass.ts';
import { gateService, type GateService } from '../../app/sites/airport/common/gate-service.ts';
import { templateToBase64 } from '../../app/sites/airport/common/gate.ts';
import type { DepartureControl } from '../../app/sites/airport/common/ports.ts';
import { httpDepartureControl, httpDoor } from '../../app/sites/airport/node/http-adapters.ts';
import { boardingArea, siteBoardings } from '../../app/sites/airport/node/site-boardings.ts';
import { siteTokens, TOKEN_COLLECTION } from '../../app/sites/airport/node/site-tokens.ts';
import { startDcsSim, type DcsSim } from '../../app/sites/airport/sim/dcs-sim.ts';
import { DEFAULT_CCCD_SYSTEM, DEFAULT_QUEUE_EXTENSION } from '../../app/sites/hospital/common/config.ts';
import { localDay } from '../../app/sites/hospital/common/local-day.ts';
import { FhirHospitalSystem } from '../../app/sites/hospital/node/his/fhir-adapter.ts';
import { queueCounter, siteQueueNumbers } from '../../app/sites/hospital/node/queue-numbers.ts';
import { SiteVisits } from '../../app/sites/hospital/node/site-visits.ts';
import { startHisSim, type HisSim } from '../../app/sites/hospital/sim/his/server.ts';
import { eventually } from '../contract/site-store.contract.ts';
import { postgresMissing } from '../support/postgres.ts';
import { startTestSite, type Kiosk, type TestSite } from '../support/site-hub.ts';

const TZ = 'Asia/Ho_Chi_Minh';

describe.skipIf(postgresMissing() !== undefined)('two kiosks of one hospital and two gates of one airport, two hub processes, one PostgreSQL', { timeout: 120_000 }, () => {
  let site: TestSite;
  let a: Kiosk;
  let b: Kiosk;

  beforeAll(async () => {
    site = await startTestSite();
    const [one, two] = [await site.childHub(), await site.childHub()];
    a = await site.kiosk('KIOSK-A', [one.url, two.url]);
    b = await site.kiosk('KIOSK-B', [two.url, one.url]);
    await Promise.all([a.store.whenOnline(), b.store.whenOnline()]);
  });
  afterAll(async () => site?.close());

  it('queue numbers drawn at both kiosks at once are distinct and consecutive, per clinic and day', async () => {
    const drawA = siteQueueNumbers(a.store, TZ);
    const drawB = siteQueueNumbers(b.store, TZ);
    const numbers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? drawA : drawB)('p207')));
    expect([...numbers].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Another clinic has a queue of its own; the hub holds one counter row for each clinic and day.
    expect(await Promise.all([drawA('p101'), drawB('p101')]).then((n) => n.sort())).toEqual([1, 2]);
    expect(await site.admin.nextNumber(queueCounter('p207'), localDay(new Date(), TZ))).toBe(41);
  });

  describe('registering on one HIS with the site’s numbers', () => {
    let his: HisSim;
    beforeAll(async () => {
      his = await startHisSim({ port: 0, dbFile: ':memory:', serviceFeeVnd: 0 });
    });
    afterAll(async () => his?.close());

    it('two reception kiosks register at once: the HIS keeps each one’s number, none twice; the staff lists show both kiosks’ visits', async () => {
      const reception = (k: Kiosk) =>
        new FhirHospitalSystem({
          baseUrl: his.url, identifierSystem: DEFAULT_CCCD_SYSTEM, queueNumber: { source: 'site', url: DEFAULT_QUEUE_EXTENSION },
          queueLengths: false, timeoutMs: 10_000, timeZone: TZ, drawQueueNumber: siteQueueNumbers(k.store, TZ),
        });
      const [ra, rb] = [reception(a), reception(b)];
      const patient = await ra.createPatient({ idNumber: '099290005678', fullName: 'Võ Thị Em', dateOfBirth: '1985-02-03', sex: 'female', address: 'Xã Tân Hòa, Tỉnh Đồng Nai' });
      const request = { patient, departmentId: 'dept-kham-benh', clinicId: 'p105', examinationType: 'insurance' as const };
      const visits = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? ra : rb).registerVisit({ ...request, terminalId: i % 2 ? 'KIOSK-A' : 'KIOSK-B' })));
      const numbers = visits.map((v) => v.queueNumber).sort((x, y) => x - y);
      expect(numbers).toEqual([1, 2, 3, 4, 5, 6]);
      // The HIS has each visit under the number the site gave it.
      for (const v of visits) expect((await ra.getVisit(v.visitId))?.queueNumber).toBe(v.queueNumber);
      // A retried registration (same request id) is the same visit with the same number.
      const once = await ra.registerVisit({ ...request, terminalId: 'KIOSK-A', requestId: 'session-77' });
      expect(await rb.registerVisit({ ...request, terminalId: 'KIOSK-A', requestId: 'session-77' })).toMatchObject({ visitId: once.visitId, queueNumber: once.queueNumber });

      // Each kiosk tells the site of its visits; each one's staff list then has both kiosks' visits.
      const key = Buffer.alloc(32, 9);
      const listOf = (k: Kiosk) => new SiteVisits(k.store, { terminalId: k.terminalId, timeZone: TZ, siteKey: key, log: () => undefined });
      const [va, vb] = [listOf(a), listOf(b)];
      const registered = (v: (typeof visits)[number]) => ({
        change: 'registered' as const, patientId: patient.id,
        visit: { visitId: v.visitId, registeredAt: v.registeredAt, examinationType: v.examinationType, departmentName: v.departmentName.vi, room: v.room, queueNumber: v.queueNumber, centralVerdict: 'confirmed' as const, pendingVerification: false, paymentStatus: 'not-required' as const },
      });
      va.publish(registered(visits[1]!));
      vb.publish(registered(visits[0]!));
      // Each kiosk's own rows come from its own store, with initials; the site adds the other kiosk's.
      const ownRow = (v: (typeof visits)[number]) => ({ ...registered(v).visit, initials: 'V.T.E.', sameDayVisits: 1 });
      const [ownA, ownB] = [[ownRow(visits[1]!)], [ownRow(visits[0]!)]];
      await eventually(async () => {
        await Promise.all([va.refresh(), vb.refresh()]);
        return va.today(ownA).length === 2 && vb.today(ownB).length === 2;
      }, 5_000);
      // The same patient at both kiosks today: counted twice over the site, and no name or id went out.
      expect(va.today(ownA).map((r) => [r.visitId, r.initials, r.sameDayVisits]).sort()).toEqual(
        [[visits[1]!.visitId, 'V.T.E.', 2], [visits[0]!.visitId, null, 2]].sort(),
      );
      const events = await site.admin.events({ kind: 'hospital.visit' });
      expect(JSON.stringify(events)).not.toContain(patient.id);
      expect(JSON.stringify(events)).not.toContain('Võ');
    });
  });

  describe('boarding at two gates', () => {
    let sim: DcsSim;
    const T = new Date('2026-03-15T00:00:00Z');
    const flightId = 'VN245-SGN-20260315';
    let boardCalls = 0;

    beforeAll(async () => {
      sim = await startDcsSim({ clock: () => T, bearerToken: 'k' });
    });
    afterAll(async () => sim?.close());

    const gateOf = (k: Kiosk): GateService => {
      const opts = (path: string) => ({ url: `${sim.url}${path}`, timeoutMs: 5000, authorization: 'Bearer k' });
      const dcs = httpDepartureControl(opts('/dcs/v1'));
      const counting: DepartureControl = { ...dcs, board: (f, p) => ((boardCalls += 1), dcs.board(f, p)) };
      return gateService({
        dcs: counting, door: httpDoor(opts('/egate/v1')), boardings: siteBoardings(k.store, k.terminalId), whenSiteOffline: 'closed',
        settings: { role: 'boarding-gate', airport: 'SGN', gate: '14', gateClosesMinutesBefore: 20, securityOpensMinutesBefore: 240 },
        clock: () => new Date(Date.parse(sim.airline.boardingList(flightId).flight.boardingTime) + 60_000),
        record: () => undefined,
      });
    };

    it('the same passenger at both gates at the same instant: exactly one boards, and the DCS is asked once', async () => {
      const [ga, gb] = [gateOf(a), gateOf(b)];
      const passengers = sim.airline.boardingList(flightId).passengers.filter((p) => p.checkedIn && !p.boarded).slice(0, 5);
      expect(passengers).toHaveLength(5);
      for (const p of passengers) {
        const before = { opened: sim.gateOpenings.length, calls: boardCalls };
        const pass = bcbpString(boardingPassOf((await httpDepartureControl({ url: `${sim.url}/dcs/v1`, timeoutMs: 5000, authorization: 'Bearer k' }).issue({ locator: p.locator, passengerIds: [p.passengerId], terminalId: 'T' })).booking, p.passengerId, T.toISOString()));
        const both = await Promise.all([ga.byBoardingPass(pass), gb.byBoardingPass(pass)]);
        expect(both.filter((o) => o.open)).toHaveLength(1);
        expect(both.find((o) => !o.open)).toEqual({ open: false, code: 'GATE_ALREADY_BOARDED' });
        // The hub refused the second gate itself: the airline was asked once, one door opened.
        expect(boardCalls - before.calls).toBe(1);
        expect(sim.gateOpenings.length - before.opened).toBe(1);
      }
      const boarded = (await site.admin.inside(boardingArea(flightId))).map((x) => x.subject);
      expect(boarded.sort()).toEqual(passengers.map((p) => p.passengerId).sort());
      // Each gate's staff list shows them boarded.
      const list = await gb.boardingList();
      expect(list?.passengers.filter((p) => passengers.some((q) => q.passengerId === p.passengerId)).every((p) => p.boarded)).toBe(true);
    });

    it('claims of one passenger from both gates at once: one admitted; a door that did not open frees the passenger again', async () => {
      const [ba, bb] = [siteBoardings(a.store, 'KIOSK-A'), siteBoardings(b.store, 'KIOSK-B')];
      for (let round = 0; round < 10; round++) {
        const both = await Promise.all([ba.claim('F-RACE', `P-${round}`), bb.claim('F-RACE', `P-${round}`)]);
        expect(both.filter((c) => c === 'ALREADY_BOARDED')).toHaveLength(1);
        // The gate that won settles its own claim (the hub takes no settle in another terminal's name).
        const winner = both[0] === 'ALREADY_BOARDED' ? 1 : 0;
        await [ba, bb][winner]!.settle((both[winner] as { claimId: string }).claimId, round % 2 === 0);
      }
      // The even rounds' doors opened: still boarded. The odd rounds' did not: free to board again.
      expect(await bb.claim('F-RACE', 'P-2')).toBe('ALREADY_BOARDED');
      expect(await ba.claim('F-RACE', 'P-3')).toMatchObject({ claimId: expect.any(String) });
    });
  });

  it('a face token kept at one kiosk is the other’s, sealed: the database holds no template it can read', async () => {
    const key = Buffer.alloc(32, 5);
    const template = templateToBase64(Float32Array.from({ length: 16 }, (_, i) => Math.cos(i)));
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const { tokenId } = await siteTokens(a.store, key).register({ flightId: 'VN213-SGN-20260315', passengerId: 'NVA8QK-1', modelSet: 'clean', template, expiresAt });
    const atB = siteTokens(b.store, key);
    await eventually(async () => (await atB.byFlight('VN213-SGN-20260315')).length === 1, 5_000);
    expect(await atB.byFlight('VN213-SGN-20260315')).toEqual([{ tokenId, flightId: 'VN213-SGN-20260315', passengerId: 'NVA8QK-1', modelSet: 'clean', template, expiresAt }]);
    const stored = await site.admin.get<Record<string, unknown>>(TOKEN_COLLECTION, tokenId);
    expect(stored?.body).not.toHaveProperty('template');
    expect(JSON.stringify(stored?.body)).not.toContain(template.slice(0, 12));
    // Another site's key opens nothing.
    expect(await siteTokens(b.store, Buffer.alloc(32, 6)).byFlight('VN213-SGN-20260315')).toEqual([]);
    await atB.delete(tokenId);
    await eventually(async () => (await siteTokens(a.store, key).byFlight('VN213-SGN-20260315')).length === 0, 5_000);
  });
});
