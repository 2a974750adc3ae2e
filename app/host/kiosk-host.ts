import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KioskApiHandlers, KioskStatus } from '../core/api/kiosk-api.ts';
import type { DeviceState, Monitored } from '../core/device-state.ts';
import { AuditLog } from '../platform/store/audit-log.ts';
import { openDatabase, type Db } from '../platform/store/db.ts';
import { AdminSessions } from './admin-sessions.ts';
import { createDispatcher, type Dispatcher } from './api-dispatch.ts';
import { loadProfile, profileRelative, readSecret, type LoadedProfile } from './config-loader.ts';
import { configuredDevices } from './device-probes.ts';
import { KioskEventBus } from './events.ts';
import { startHttpServer } from './http-server.ts';
import { configSummary } from './config-summary.ts';
import { KIOSK_VERSION } from './version.ts';

export const defaultUiDir = resolve(fileURLToPath(new URL('../../dist/ui', import.meta.url)));

export interface HostOptions {
  /** Profile name (kiosk-config/NAME.yaml) or path. */
  readonly profile: string;
  /** 0 picks a free port. */
  readonly port?: number;
  readonly uiDir?: string;
  /** Overrides the profile's storage.dataDir (tests). */
  readonly dataDir?: string;
  /** Where unexpected errors go; never receives personal data from the API layer. */
  readonly log?: (line: string) => void;
}

export interface KioskHost {
  readonly profile: LoadedProfile;
  readonly url: string;
  readonly port: number;
  /** Folder holding the database and other kiosk state. */
  readonly dataDir: string;
  readonly token: string;
  readonly db: Db;
  readonly audit: AuditLog;
  readonly events: KioskEventBus;
  readonly dispatch: Dispatcher;
  status(): Promise<KioskStatus>;
  close(): Promise<void>;
}

/**
 * The composition root: loads a profile, opens the store, wires the device ports and exposes the
 * one kiosk API (the same dispatcher serves HTTP/WebSocket here and Electron IPC in the shell).
 */
export async function startKioskHost(opts: HostOptions): Promise<KioskHost> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const profile = loadProfile(opts.profile);
  const { config } = profile;
  const pinHash = readSecret(profile, config.admin.pinHash, 'admin.pinHash');
  const dataDir = opts.dataDir ?? profileRelative(profile, config.storage.dataDir);
  const db = openDatabase(join(dataDir, 'kiosk.db'));
  const audit = new AuditLog(db);
  const events = new KioskEventBus();
  const admin = new AdminSessions(pinHash);
  const devices: Monitored[] = configuredDevices(config, (p) => profileRelative(profile, p));
  const startedAt = new Date().toISOString();

  const deviceStates = async (): Promise<DeviceState[]> =>
    Promise.all(
      devices.map(async (d) => {
        try {
          return await d.status();
        } catch (e) {
          return { device: 'unknown', adapter: 'unknown', state: 'error' as const, reason: e instanceof Error ? e.message : String(e) };
        }
      }),
    );

  const status = async (): Promise<KioskStatus> => ({
    version: KIOSK_VERSION,
    profile: profile.name,
    site: { id: config.site.id, name: config.site.name, kind: config.site.kind },
    terminalId: config.kiosk.terminalId,
    startedAt,
    devices: await deviceStates(),
  });

  const handlers: KioskApiHandlers = {
    status: async () => status(),
    uiConfig: async () => ({
      siteName: config.site.name,
      siteKind: config.site.kind,
      defaultLanguage: config.kiosk.defaultLanguage,
      idleSeconds: config.kiosk.idleSeconds,
      idleCountdownSeconds: config.kiosk.idleCountdownSeconds,
      voice: config.kiosk.voice,
    }),
    adminLogin: async ({ pin }) => {
      const result = admin.login(pin);
      audit.append({ actor: 'admin', action: result.ok ? 'admin.login' : 'admin.login-failed', detail: result.ok ? {} : { reason: result.reason } });
      return result;
    },
    adminLogout: async ({ adminToken }) => {
      const ok = admin.logout(adminToken);
      if (ok) audit.append({ actor: 'admin', action: 'admin.logout' });
      return { ok };
    },
    maintenanceSummary: async ({ adminToken }) => {
      admin.require(adminToken);
      const verified = audit.verify();
      return {
        status: await status(),
        config: configSummary(profile),
        audit: {
          chainOk: verified.ok,
          rows: verified.rows,
          ...(verified.ok ? {} : { firstBrokenId: verified.firstBrokenId }),
          recent: audit.recent(15).map(({ id, at, actor, action, detail }) => ({ id, at, actor, action, detail })),
        },
      };
    },
  };

  const dispatch = createDispatcher(handlers, (method, e) => log(`kiosk API ${method} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
  const token = randomBytes(32).toString('hex');
  const server = await startHttpServer({ port: opts.port ?? 0, token, dispatch, events, status, uiDir: opts.uiDir ?? defaultUiDir });
  audit.append({ actor: 'system', action: 'kiosk.start', detail: { profile: profile.name, version: KIOSK_VERSION } });

  // Push device health to the UI's status banner; a changed state is worth telling at once.
  let lastStates = '';
  const publishDevices = async () => {
    const states = await deviceStates();
    const serialised = JSON.stringify(states);
    if (serialised !== lastStates) {
      lastStates = serialised;
      events.emit('devices', states);
    }
  };
  const deviceTimer = setInterval(() => void publishDevices(), 5000);
  deviceTimer.unref();
  void publishDevices();

  return {
    profile,
    url: `http://127.0.0.1:${server.port}/`,
    port: server.port,
    dataDir,
    token,
    db,
    audit,
    events,
    dispatch,
    status,
    async close() {
      clearInterval(deviceTimer);
      await server.close();
      audit.append({ actor: 'system', action: 'kiosk.stop' });
      db.close();
    },
  };
}
