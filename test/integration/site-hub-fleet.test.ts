/**
 * The fleet page's API against a real hub on a private PostgreSQL: staff logged in at a gate
 * kiosk read the site's kiosks with the kiosk's own certificate; a kiosk that falls silent is
 * raised as stale, one with a broken printer as failing, in that order on top; a kiosk without a
 * hub offers no fleet; a hub that does not answer is said plainly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetView } from '../../app/core/fleet/fleet.ts';
import { startKioskHost } from '../../app/host/kiosk-host.ts';
import { eventually } from '../contract/site-store.contract.ts';
import { startFleetSite, type FleetSite } from '../support/fleet-site.ts';
import { postgresMissing } from '../support/postgres.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';

const STALE_MS = 3000;

describe.skipIf(postgresMissing() !== undefined)('the fleet page of a hub site', { timeout: 180_000 }, () => {
  let fleet: FleetSite;
  let adminToken: string;
  const call = async (method: string, input: unknown) => {
    const r = await fleet.host.dispatch(method, input);
    if (!r.ok) throw Object.assign(new Error(r.error.message), { code: r.error.code });
    return r.result;
  };
  const read = () => call('siteFleet', { adminToken }) as Promise<FleetView>;

  beforeAll(async () => {
    fleet = await startFleetSite({ staleAfterMs: STALE_MS });
    const login = (await call('adminLogin', { pin: '1234' })) as { ok: boolean; adminToken: string };
    expect(login.ok).toBe(true);
    adminToken = login.adminToken;
  });
  afterAll(async () => {
    await fleet?.close();
  });

  it('is for staff only, and offered on the maintenance screen of a hub kiosk', async () => {
    await expect(fleet.host.dispatch('siteFleet', { adminToken: 'not-a-session' })).resolves.toMatchObject({ ok: false, error: { code: 'ADMIN_REQUIRED' } });
    await expect(call('maintenanceSummary', { adminToken })).resolves.toMatchObject({ siteHub: true });
  });

  it('lists every kiosk that heartbeats, raises the one that falls silent and the failing one on top', async () => {
    const gateB = await fleet.kiosk('GATE-B-01', { softwareVersion: '9.9.9', profile: 'factory-gate', devices: { cardReader: 'ok', door: 'ok' } });
    let view: FleetView | undefined;
    await eventually(async () => {
      view = await read();
      // (The host's first heartbeat may come before its devices are wired: it names none then; and
      // one sent while its start-up records were still on their way counts them in its outbox.)
      return ['GATE-A-01', 'GATE-B-01'].every((id) => view!.kiosks.some((k) => k.terminalId === id && k.ageSeconds <= 2 && Object.keys(k.devices).length > 0 && k.outboxDepth === 0));
    }, 15_000);
    expect(view!.hub).toBe('hub-1');
    expect(view!.staleAfterSeconds).toBe(STALE_MS / 1000);
    const a = view!.kiosks.find((k) => k.terminalId === 'GATE-A-01')!;
    const b = view!.kiosks.find((k) => k.terminalId === 'GATE-B-01')!;
    // The gate host's own heartbeat: its profile, version and devices, its audit chain anchored.
    expect(a).toMatchObject({ profile: 'factory-gate', outboxDepth: 0, auditRollback: false });
    expect(a.devices).toMatchObject({ cardReader: 'ok', siteHub: 'ok' });
    expect(a.problems.filter((p) => p.kind === 'stale')).toEqual([]);
    expect(b).toMatchObject({ state: 'ok', problems: [], softwareVersion: '9.9.9', devices: { cardReader: 'ok', door: 'ok' } });
    expect(Math.abs(b.clockOffsetMs!)).toBeLessThan(5_000);

    // A kiosk whose printer is broken and paper low: failing, with both reasons.
    const gateC = await fleet.kiosk('GATE-C-01', { softwareVersion: '9.9.9', profile: 'factory-gate', devices: { cardReader: 'ok', printer: 'error' }, paperLow: true });
    // GATE-B-01 falls silent (switched off): stale once the site's limit has passed.
    await gateB.close();
    await eventually(async () => {
      view = await read();
      return view.kiosks.find((k) => k.terminalId === 'GATE-B-01')?.state === 'stale' && view.kiosks.some((k) => k.terminalId === 'GATE-C-01');
    }, 15_000);
    const stale = view!.kiosks.find((k) => k.terminalId === 'GATE-B-01')!;
    expect(stale.ageSeconds).toBeGreaterThanOrEqual(STALE_MS / 1000);
    expect(stale.problems[0]).toMatchObject({ kind: 'stale' });
    const failing = view!.kiosks.find((k) => k.terminalId === 'GATE-C-01')!;
    expect(failing.state).toBe('failing');
    expect(failing.problems).toEqual([{ kind: 'device', device: 'printer', state: 'error' }, { kind: 'paperLow' }]);
    // Stale first, then failing, then the rest.
    const rank = { stale: 0, failing: 1, ok: 2 };
    const ranks = view!.kiosks.map((k) => rank[k.state]);
    expect(ranks).toEqual([...ranks].sort());
    expect(view!.kiosks[0]!.terminalId).toBe('GATE-B-01');
    expect(view!.stale).toBe(1);
    expect(view!.failing).toBeGreaterThanOrEqual(1);
    await gateC.close();
  });

  it('says plainly when no hub answers', async () => {
    await fleet.hub.close();
    await expect(fleet.host.dispatch('siteFleet', { adminToken })).resolves.toMatchObject({ ok: false, error: { code: 'FLEET_UNAVAILABLE' } });
  });
});

describe('a kiosk without a site hub', { timeout: 120_000 }, () => {
  it('offers no fleet page', async () => {
    const dir = tempDir('no-hub');
    const host = await startKioskHost({ profile: tempProfile('factory-gate', dir.path).file, port: 0 });
    try {
      const login = await host.dispatch('adminLogin', { pin: '1234' });
      const adminToken = (login as { result: { adminToken: string } }).result.adminToken;
      const summary = await host.dispatch('maintenanceSummary', { adminToken });
      expect(summary.ok && (summary.result as { siteHub?: boolean }).siteHub).toBeFalsy();
      expect(summary.ok).toBe(true);
      await expect(host.dispatch('siteFleet', { adminToken })).resolves.toMatchObject({ ok: false, error: { code: 'FLEET_NOT_CONFIGURED' } });
    } finally {
      await host.close();
      dir.cleanup();
    }
  });
});
