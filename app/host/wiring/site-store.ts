import type { SecretRef } from '../../core/config/secret-ref.ts';
import type { DeviceState } from '../../core/device-state.ts';
import type { Heartbeat } from '../../core/site-store/hub-protocol.ts';
import type { SiteStore } from '../../core/site-store/site-store.ts';
import type { AuditLog } from '../../platform/store/audit-log.ts';
import type { Db } from '../../platform/store/db.ts';
import { HubSiteStore, type HubEndpoint } from '../../platform/store/site-store/hub-client.ts';
import { SqliteSiteStore } from '../../platform/store/site-store/sqlite.ts';
import { readSecret, type LoadedProfile } from '../config-loader.ts';

/** The kiosk's site store, owned by the host: site modules use it, the host closes it. */
export interface WiredSiteStore {
  readonly store: SiteStore;
  /** With a site hub, for the status banner and monitoring: `siteHub` ok, or error "working offline (N queued)". */
  status?(): DeviceState;
  close(): Promise<void>;
}

/** The hubs and this kiosk's credentials (read from files or the environment), when the profile names a hub. */
export function hubEndpoint(profile: LoadedProfile): HubEndpoint | undefined {
  const hub = profile.config.siteHub;
  if (!hub) return undefined;
  const secret = (ref: SecretRef, key: string) => readSecret(profile, ref, `siteHub.${key}`);
  return {
    urls: hub.urls,
    clientCertPem: secret(hub.clientCert, 'clientCert'),
    clientKeyPem: secret(hub.clientKey, 'clientKey'),
    serverCaPem: secret(hub.serverCa, 'serverCa'),
    serverSpkiSha256: hub.serverSpkiSha256,
  };
}

/**
 * The profile's `siteHub:` section decides: absent, the embedded store in the kiosk's own database;
 * present, the hub client (cache and outbox in the same database) telling the hub how this kiosk is
 * (`facts`: version, profile, devices) with every heartbeat, the head of its audit chain included.
 */
export async function wireSiteStore(
  profile: LoadedProfile,
  deps: { db: Db; audit: AuditLog; facts: () => Promise<Omit<Heartbeat, 'outboxDepth' | 'sentAt' | 'audit'>> },
): Promise<WiredSiteStore> {
  const hub = profile.config.siteHub;
  if (!hub) {
    const store = new SqliteSiteStore(deps.db);
    return { store, close: () => store.close() };
  }
  const store = HubSiteStore.open({
    endpoint: hubEndpoint(profile)!,
    db: deps.db,
    terminalId: profile.config.kiosk.terminalId,
    connectTimeoutMs: hub.connectTimeoutMs,
    requestTimeoutMs: hub.requestTimeoutMs,
    heartbeatMs: hub.heartbeatSeconds * 1000,
    facts: async (anchor) => {
      const head = deps.audit.recent(1)[0];
      const vouch = anchor === undefined ? {} : { anchor: { seq: anchor, hash: deps.audit.hashAt(anchor) ?? null } };
      return { ...(await deps.facts()), ...(head ? { audit: { seq: head.id, hash: head.hash, ...vouch } } : {}) };
    },
  });
  // Site modules read the site as they wire themselves: let the cache catch up first (not for long
  // when no hub answers: the kiosk then starts offline on what it has).
  await store.ready(hub.requestTimeoutMs * 2);
  return {
    store,
    status: () => {
      const s = store.status();
      return s.online
        ? { device: 'siteHub', adapter: 'hub', state: 'ok' }
        : { device: 'siteHub', adapter: 'hub', state: 'error', reason: `working offline: the site hub does not answer (${s.outboxDepth} queued)` };
    },
    close: () => store.close(),
  };
}
