/**
 * A site for the fleet page: a private PostgreSQL, one hub process (in this process) with a short
 * stale limit, a real gate kiosk host whose profile names the hub, and more kiosks as hub clients
 * that heartbeat with the facts a test gives them (a printer in error, paper low) and can fall
 * silent.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Heartbeat } from '../../app/core/site-store/hub-protocol.ts';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { startSiteHub, type RunningSiteHub } from '../../app/platform/site-hub/server.ts';
import { PostgresSiteStore } from '../../app/platform/store/site-store/postgres.ts';
import { startTestSite, type Kiosk, type TestSite } from './site-hub.ts';
import { tempProfile } from './temp-profile.ts';

export interface FleetSite {
  readonly site: TestSite;
  readonly hub: RunningSiteHub;
  /** The kiosk host (a copy of `base`, as terminal `terminalId`) with `siteHub:` in its profile. */
  readonly host: KioskHost;
  /** Another kiosk of the site, heartbeating every 500 ms with these facts. */
  kiosk(terminalId: string, facts: Omit<Heartbeat, 'outboxDepth' | 'sentAt'>): Promise<Kiosk>;
  close(): Promise<void>;
}

export async function startFleetSite(o: { staleAfterMs: number; base?: string; terminalId?: string }): Promise<FleetSite> {
  const terminalId = o.terminalId ?? 'GATE-A-01';
  const site = await startTestSite();
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const store = await PostgresSiteStore.open({ connectionString: site.cluster.url });
    const hub = await startSiteHub({
      store,
      tls: { certPem: readFileSync(site.pki.serverCertFile, 'utf8'), keyPem: readFileSync(site.pki.serverKeyFile, 'utf8'), clientCaPem: site.pki.caCert },
      hubId: 'hub-1',
      staleAfterMs: o.staleAfterMs,
    });
    closers.push(async () => {
      await hub.close();
      await store.close();
    });
    const endpoint = await site.endpoint(terminalId, [hub.url]);
    const file = (name: string, text: string) => {
      const f = join(site.dir, name);
      writeFileSync(f, text, { mode: 0o600 });
      return { file: f };
    };
    const profile = tempProfile(o.base ?? 'factory-gate', site.dir, (p) => {
      p.kiosk.terminalId = terminalId;
      delete p.site.store; // the hub is the store
      p.site.demoPeople = 2;
      p.siteHub = {
        urls: [hub.url],
        clientCert: file('gate.crt', endpoint.clientCertPem),
        clientKey: file('gate.key', endpoint.clientKeyPem),
        serverCa: file('hub-ca.crt', endpoint.serverCaPem),
        serverSpkiSha256: endpoint.serverSpkiSha256,
        heartbeatSeconds: 1,
      };
    });
    const host = await startKioskHost({ profile: profile.file, port: 0 });
    closers.push(() => host.close());
    return {
      site,
      hub,
      host,
      kiosk: (terminalId, facts) => site.kiosk(terminalId, [hub.url], { heartbeatMs: 500, facts: () => facts }),
      async close() {
        for (const c of closers.reverse()) await c().catch(() => undefined);
        await site.close();
      },
    };
  } catch (e) {
    for (const c of closers.reverse()) await c().catch(() => undefined);
    await site.close();
    throw e;
  }
}
