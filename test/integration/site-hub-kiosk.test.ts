/**
 * The factory-gate kiosk with a `siteHub:` section: the kiosk host wires the hub client as the
 * site store (the gate's demo people land in PostgreSQL), its heartbeat reaches the fleet view
 * (endpoint and `cccd-kiosk hub fleet`), `cccd-kiosk doctor` checks each hub, and a kiosk whose
 * newest audit rows were deleted is noticed.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FleetKiosk } from '../../app/core/site-store/hub-protocol.ts';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { HttpsTransport } from '../../app/platform/rar/transport.ts';
import { enrolTerminal } from '../../app/platform/site-hub/terminals.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { ensureTerminalCredentials } from '../../app/sim/rar-server/demo-pki.ts';
import { eventually } from '../contract/site-store.contract.ts';
import { postgresMissing } from '../support/postgres.ts';
import { startTestSite, type ChildHub, type TestSite } from '../support/site-hub.ts';
import { tempProfile } from '../support/temp-profile.ts';

const cli = (...args: string[]) => spawnSync(process.execPath, ['app/cli/bin.mjs', ...args], { encoding: 'utf8', timeout: 90_000 });

describe.skipIf(postgresMissing() !== undefined)('a gate kiosk on a site hub', { timeout: 180_000 }, () => {
  let site: TestSite;
  let hub: ChildHub;
  let host: KioskHost;
  let profileFile: string;
  let dataDir: string;

  beforeAll(async () => {
    site = await startTestSite();
    hub = await site.childHub();
    const endpoint = await site.endpoint('GATE-A-01', [hub.url]);
    const file = (name: string, text: string) => {
      const f = join(site.dir, name);
      writeFileSync(f, text, { mode: 0o600 });
      return { file: f };
    };
    const profile = tempProfile('factory-gate', site.dir, (p) => {
      delete p.site.store; // the hub is the store
      p.site.demoPeople = 4;
      p.siteHub = {
        urls: [hub.url, 'https://127.0.0.1:9'],
        clientCert: file('gate.crt', endpoint.clientCertPem),
        clientKey: file('gate.key', endpoint.clientKeyPem),
        serverCa: file('hub-ca.crt', endpoint.serverCaPem),
        serverSpkiSha256: endpoint.serverSpkiSha256,
        heartbeatSeconds: 1,
      };
    });
    profileFile = profile.file;
    dataDir = join(site.dir, 'data');
    host = await startKioskHost({ profile: profileFile, port: 0 });
  });
  afterAll(async () => {
    await host?.close();
    await site?.close();
  });

  it('keeps the site in PostgreSQL and shows the kiosk in the fleet view', async () => {
    const { rows } = await site.admin.pool.query<{ n: string }>("SELECT count(*) AS n FROM site_records WHERE collection = 'gate-person' AND NOT deleted");
    expect(Number(rows[0]!.n)).toBe(4 + 2); // the synthetic workers, the demo card's worker and the host
    const status = await host.status();
    expect(status.devices.find((d) => d.device === 'siteHub')).toMatchObject({ state: 'ok', adapter: 'hub' });

    // The fleet view: an admin terminal over HTTPS, and the CLI on the database.
    const admin = await ensureTerminalCredentials(site.pki, 'IT-DESK');
    await enrolTerminal(site.admin.pool, 'IT-DESK', readFileSync(admin.certFile, 'utf8'), 'admin');
    const kioskOnly = await site.endpoint('GATE-X', [hub.url]);
    const as = (cert: string, key: string) => new HttpsTransport({ url: hub.url, clientCertPem: cert, clientKeyPem: key, serverCaPem: kioskOnly.serverCaPem, serverSpkiSha256: kioskOnly.serverSpkiSha256, connectTimeoutMs: 5000, responseTimeoutMs: 5000 });
    const itDesk = as(readFileSync(admin.certFile, 'utf8'), readFileSync(admin.keyFile, 'utf8'));
    const gateX = as(kioskOnly.clientCertPem, kioskOnly.clientKeyPem);
    try {
      let kiosks: FleetKiosk[] = [];
      await eventually(async () => {
        const res = await itDesk.send({ method: 'GET', path: '/v1/fleet', headers: {} });
        kiosks = (JSON.parse(res.body.toString()) as { kiosks: FleetKiosk[] }).kiosks;
        // A heartbeat may catch an event on its way out: wait for one sent with the outbox empty.
        return kiosks.some((k) => k.terminalId === 'GATE-A-01' && k.auditSeq !== null && k.outboxDepth === 0);
      }, 20_000);
      const gate = kiosks.find((k) => k.terminalId === 'GATE-A-01')!;
      expect(gate).toMatchObject({ profile: 'factory-gate', outboxDepth: 0, hub: expect.any(String) });
      expect(gate.softwareVersion).toMatch(/^\d+\.\d+\.\d+/);
      expect(gate.devices).toMatchObject({ cardReader: 'ok', siteHub: 'ok' });
      expect(Math.abs(gate.clockOffsetMs!)).toBeLessThan(5_000);
      // Any enrolled kiosk may read the fleet (machines only, no person): its staff page shows it.
      const asKiosk = await gateX.send({ method: 'GET', path: '/v1/fleet', headers: {} });
      expect(asKiosk.status).toBe(200);
      expect((JSON.parse(asKiosk.body.toString()) as { kiosks: FleetKiosk[] }).kiosks.map((k) => k.terminalId)).toContain('GATE-A-01');
    } finally {
      itDesk.close();
      gateX.close();
    }
    const listing = cli('hub', 'fleet', '--database', site.cluster.url);
    expect(listing.status).toBe(0);
    expect(listing.stdout).toMatch(/^TERMINAL\s+STATE\s+LAST SEEN/m);
    expect(listing.stdout).toMatch(/^GATE-A-01\s+(ok|failing)\s+\d{4}-\d\d-\d\d /m);
  });

  it('doctor checks every hub of the profile', () => {
    const run = cli('doctor', '--profile', profileFile, '--json');
    const hubs = (JSON.parse(run.stdout) as { checks: { name: string; verdict: string; detail: string }[] }).checks.filter((c) => c.name === 'site hub');
    expect(hubs.map((c) => c.verdict)).toEqual(['ok', 'fail']);
    expect(hubs[0]!.detail).toMatch(/answers this terminal; its database answers/);
    expect(hubs[1]!.detail).toMatch(/127\.0\.0\.1:9: /);
    expect(run.status).toBe(1);
  });

  it('a kiosk whose newest audit rows were deleted (and the chain grown again past them) raises an alert at the hub', async () => {
    const anchorSeq = async () => Number((await site.admin.pool.query<{ s: string }>("SELECT audit_seq AS s FROM hub_kiosks WHERE terminal_id = 'GATE-A-01'")).rows[0]?.s ?? 0);
    const mark = (n: number) => {
      const db = openDatabase(join(dataDir, 'kiosk.db'));
      const audit = new AuditLog(db);
      for (let i = 0; i < n; i++) audit.append({ action: 'test.mark', actor: 'test' });
      const head = audit.recent(1)[0]!.id;
      db.close();
      return head;
    };
    const head = mark(5);
    await eventually(async () => (await anchorSeq()) === head, 10_000);
    await host.close();
    // Someone with the disk deletes the newest audit rows and writes the chain on past them: it is
    // longer than the hub saw, so only the changed hash of the anchored row gives it away.
    const db = openDatabase(join(dataDir, 'kiosk.db'));
    db.prepare('DELETE FROM audit_log WHERE id > ?').run(head - 3);
    db.close();
    expect(mark(10)).toBeGreaterThan(head);
    host = await startKioskHost({ profile: profileFile, port: 0 });
    await eventually(async () => (await site.admin.openAlerts()).some((a) => a.code === 'AUDIT_ROLLBACK' && a.detail.terminal === 'GATE-A-01'), 15_000);
    // The evidence stays: the anchor does not move past the rewritten row.
    expect(await anchorSeq()).toBe(head);
  });
});
