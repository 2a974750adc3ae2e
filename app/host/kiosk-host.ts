import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { KioskApiHandlers, KioskStatus } from '../core/api/kiosk-api.ts';
import type { DeviceState, Monitored } from '../core/device-state.ts';
import { cardKeyFromScan } from '../core/cccd/card-key.ts';
import { isKioskError, KioskError } from '../core/errors.ts';
import { viewFleet } from '../core/fleet/fleet.ts';
import { FleetReader } from '../platform/site-hub/fleet-client.ts';
import { PrintJobs } from '../platform/printer/print-jobs.ts';
import { RarOutbox } from '../platform/rar/outbox.ts';
import { DbLockoutStore } from '../platform/store/admin-lockout.ts';
import { relaxedSettings, sitePolicy } from '../core/journey/config.ts';
import { AlertStore } from '../platform/store/alerts.ts';
import { AuditLog } from '../platform/store/audit-log.ts';
import { forgetFreedPages, openDatabase, type Db } from '../platform/store/db.ts';
import { exposureWarning } from '../platform/store/private-files.ts';
import { AdminSessions } from './admin-sessions.ts';
import { createDispatcher, type Dispatcher } from './api-dispatch.ts';
import { configSummary } from './config-summary.ts';
import { loadProfile, profileRelative, readSecret, type LoadedProfile } from './config-loader.ts';
import { KioskEventBus } from './events.ts';
import { startHttpServer } from './http-server.ts';
import { JourneyRunner } from './journey-runner.ts';
import { KIOSK_VERSION } from './version.ts';
import type { RunningRarServer } from './demo-wiring.ts';
import { wireChipReading } from './wiring/chip-reading.ts';
import { wireFace } from './wiring/face.ts';
import { lateVerdictSettlement } from './wiring/late-verdicts.ts';
import { wirePrinting } from './wiring/printing.ts';
import { wireScanner } from './wiring/scanner.ts';
import { siteFacts, wireSite } from './wiring/sites.ts';
import { hubEndpoint, wireSiteStore } from './wiring/site-store.ts';
import { wireVerification } from './wiring/verification.ts';
import type { SimulatorUrls } from '../sites/site-node.ts';
import type { KioskConfig } from '../core/config/schema.ts';

export const defaultUiDir = resolve(fileURLToPath(new URL('../../dist/ui', import.meta.url)));

/** How long the staff screen waits for a touch: the profile's `admin.staffIdleMinutes`, else the kiosk's own idle time. */
export function staffIdleMs(config: Pick<KioskConfig, 'admin' | 'kiosk'>): number {
  return (config.admin.staffIdleMinutes ?? config.kiosk.idleSeconds / 60) * 60_000;
}

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
  /** The API token for in-process and test clients; never printed, never on a command line. */
  readonly token: string;
  /** A one-time ticket a browser page redeems for its session cookie (see http-server.ts); `onSpent` runs when it is used. */
  issueLaunchTicket(onSpent?: () => void): string;
  readonly db: Db;
  readonly audit: AuditLog;
  readonly events: KioskEventBus;
  readonly dispatch: Dispatcher;
  readonly journey: JourneyRunner;
  /** Demo profiles only: scripts the virtual card to leave the reader after `apdus` more commands. */
  readonly simulateCardPullOut?: (apdus: number) => void;
  /** The embedded simulators, when the profile runs them (demos and end-to-end tests drive faults). */
  readonly simulators: { readonly rar?: RunningRarServer } & SimulatorUrls;
  status(): Promise<KioskStatus>;
  close(): Promise<void>;
}

/**
 * The composition root: loads a profile, opens the store, wires the device ports, the journey and
 * the site back-ends, and exposes the one kiosk API (the same dispatcher serves HTTP/WebSocket here
 * and Electron IPC in the shell).
 */
export async function startKioskHost(opts: HostOptions): Promise<KioskHost> {
  const log = opts.log ?? ((line: string) => console.error(line));
  const profile = loadProfile(opts.profile);
  const { config } = profile;
  const staffAccounts = [
    { name: 'admin', role: 'administrator' as const, pinHash: readSecret(profile, config.admin.pinHash, 'admin.pinHash') },
    ...config.admin.staff.map((s, i) => ({ name: s.name, role: s.role, pinHash: readSecret(profile, s.pinHash, `admin.staff.${i}.pinHash`) })),
  ];
  const dataDir = opts.dataDir ?? profileRelative(profile, config.storage.dataDir);
  const exposure = exposureWarning(dataDir);
  if (exposure) log(`warning: ${exposure}`);
  const db = openDatabase(join(dataDir, 'kiosk.db'));
  const audit = new AuditLog(db);
  const alerts = new AlertStore(db, audit);
  const events = new KioskEventBus();
  const admin = new AdminSessions(staffAccounts, new DbLockoutStore(db), { idleMs: staffIdleMs(config) + config.kiosk.idleCountdownSeconds * 1000 });
  const startedAt = new Date().toISOString();
  let language: 'vi' | 'en' = config.kiosk.defaultLanguage;

  const closers: (() => Promise<void> | void)[] = [];
  try {
    const chip = await wireChipReading(profile);
    closers.push(() => chip.close());
    const face = await wireFace(profile, db);
    closers.push(() => face.close());
    const printing = wirePrinting(profile, db, audit);
    closers.push(() => printing.printer.close());
    // Late verdicts may arrive as soon as the outbox worker starts; they settle visits once the site is wired.
    let settleLateVerdicts = () => {};
    const verification = await wireVerification(profile, {
      db, audit, faceThreshold: () => face.threshold(), onLateVerdict: () => settleLateVerdicts(),
    });
    if (verification) closers.push(() => verification.close());
    // The heartbeat reads the devices once they are wired (below).
    let deviceHealth = async (): Promise<Record<string, DeviceState['state']>> => ({});
    const siteStore = await wireSiteStore(profile, {
      db,
      audit,
      facts: async () => {
        const devices = await deviceHealth(); // asks the printer too, so its last status is current
        const paper = printing.printer.lastStatus();
        return { softwareVersion: KIOSK_VERSION, profile: profile.name.slice(0, 64), devices, ...(paper ? { paperLow: paper.paperNearEnd } : {}) };
      },
    });
    closers.push(() => siteStore.close());
    // Staff at any kiosk of a hub site see the site's kiosks (read with this kiosk's certificate).
    const hubOfSite = hubEndpoint(profile);
    const fleet = hubOfSite && config.siteHub ? new FleetReader(hubOfSite, config.siteHub.requestTimeoutMs) : undefined;
    if (fleet) closers.push(() => fleet.close());
    const site = await wireSite(profile, { db, siteStore: siteStore.store, audit, dataDir, printing, log, embedPicture: (image) => face.embedPicture(image) });
    closers.push(() => site.close());
    if (verification && site.pendingVerifications) {
      settleLateVerdicts = lateVerdictSettlement({
        db, pending: site.pendingVerifications, alerts, verdictOf: (id) => verification.verdictOf(id),
        onError: (e) => log(`settling late central verdicts failed: ${e instanceof Error ? e.message : String(e)}`),
      });
      settleLateVerdicts(); // verdicts stored while the kiosk was down
    }

    // The trust decision (app/core/journey/trust.ts) under this site's policy; `read --profile` builds the same.
    const policy = sitePolicy(config);
    const facts = siteFacts(profile);
    for (const relaxed of relaxedSettings(config.journey)) audit.append({ actor: 'system', action: 'journey.policy-relaxed', detail: relaxed });
    const journey = new JourneyRunner({
      reading: chip.reading,
      face: face.face,
      ...(face.identification ? { faceIdentification: face.identification } : {}),
      verification: verification?.verification ?? { verify: async () => ({ verdict: 'NOT_CONFIGURED' }) },
      site: site.flow,
      purposes: facts.purposes,
      ...(site.identifyCode ? { identifyCode: site.identifyCode.bind(site) } : {}),
      ...(site.faceGallery ? { faceGallery: site.faceGallery } : {}),
      ...(facts.unattended ? { unattended: facts.unattended } : {}),
      parseScan: cardKeyFromScan,
      policy,
      audit,
      publish: (view) => {
        events.emit('journey', view);
        // A verdict may have landed while this person was still choosing: their visit is recorded now.
        if (view.state.step === 'done') settleLateVerdicts();
      },
      language: () => language,
      // The screen resets itself at doneSeconds; the kiosk's backstop follows a few seconds later.
      doneMillis: (config.kiosk.doneSeconds + 5) * 1000,
      callStaff: (code) => alerts.raise('journey', 'STAFF_CALLED', { code }),
      onUnexpected: (e) => log(`journey step failed unexpectedly: ${e instanceof Error ? e.stack ?? e.message : String(e)}`),
    });

    // A HID-POS scanner's scans go where a keyboard-wedge scan goes in the UI: a site's code at the
    // start, the card's QR on the card step.
    const scanner = wireScanner(
      config.devices.scanner,
      (text) => void journey.scan(text),
      (e) => log(`scanner: ${e.code}`),
    );
    closers.push(() => scanner.close());

    const devices: Monitored[] = [
      { status: () => chip.status() },
      { status: () => face.cameraStatus() },
      { status: () => printing.printer.status() },
      { status: () => scanner.status() },
      { status: () => face.faceStatus() },
      ...(verification ? [{ status: () => verification.status() }] : []),
      ...(siteStore.status ? [{ status: siteStore.status }] : []),
    ];
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

    deviceHealth = async () => Object.fromEntries((await deviceStates()).map((d) => [d.device.slice(0, 32), d.state]));

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
        staffIdleSeconds: staffIdleMs(config) / 1000,
        doneSeconds: config.kiosk.doneSeconds,
        voice: config.kiosk.voice,
        retentionDays: facts.personalDataDays,
        cameraAdapter: config.devices.camera.adapter,
        faceStart: face.identification !== undefined || site.faceGallery !== undefined,
        purposes: [...facts.purposes],
        codeEntry: site.identifyCode !== undefined,
        ...(facts.unattended ? { unattended: { consentGivenAt: facts.unattended.consentGivenAt } } : {}),
        timeZone: config.kiosk.timeZone,
        ...(chip.demoCardQr ? { demoCardQr: chip.demoCardQr } : {}),
      }),
      adminLogin: async ({ pin }) => {
        const result = admin.login(pin);
        audit.append({ actor: result.ok ? result.staff.name : 'admin', action: result.ok ? 'admin.login' : 'admin.login-failed', detail: result.ok ? { role: result.staff.role } : { reason: result.reason } });
        return result;
      },
      adminLogout: async ({ adminToken }) => {
        const ok = admin.logout(adminToken);
        if (ok) audit.append({ actor: 'admin', action: 'admin.logout' });
        return { ok };
      },
      maintenanceSummary: async ({ adminToken }) => {
        const staff = admin.require(adminToken);
        const verified = audit.verify();
        return {
          staff,
          siteActions: Object.entries(site.staffActions ?? {}).filter(([, a]) => staff.role === 'administrator' || a.roles.includes(staff.role)).map(([name]) => name),
          status: await status(),
          printJobs: printing.printer.jobs(10).map((j) => ({
            id: j.id, kind: j.kind, reference: j.reference, state: j.state, errorCode: j.errorCode, createdAt: j.createdAt, reprintOf: j.reprintOf, canReprint: j.hasImage,
          })),
          ...site.maintenance?.(),
          alerts: alerts.open(),
          config: configSummary(profile),
          audit: {
            chainOk: verified.ok,
            rows: verified.rows,
            ...(verified.ok ? {} : { firstBrokenId: verified.firstBrokenId }),
            recent: audit.recent(15).map(({ id, at, actor, action, detail }) => ({ id, at, actor, action, detail })),
          },
          ...(fleet ? { siteHub: true } : {}),
        };
      },
      siteFleet: async ({ adminToken }) => {
        admin.require(adminToken, ['technician']);
        if (!fleet) throw new KioskError('FLEET_NOT_CONFIGURED', 'this kiosk is not one of a site hub\'s (no siteHub: in its profile)');
        return viewFleet(await fleet.read());
      },
      acknowledgeAlert: async ({ adminToken, alertId }) => {
        const staff = admin.require(adminToken);
        return { ok: alerts.acknowledge(alertId, staff.name) };
      },
      reprintJob: async ({ adminToken, jobId }) => {
        const staff = admin.require(adminToken);
        const r = await printing.printer.reprint(jobId, staff.name);
        return { state: r.state, ...(r.code ? { code: r.code } : {}) };
      },
      siteAdmin: async ({ adminToken, action, input }) => {
        const staffAction = Object.hasOwn(site.staffActions ?? {}, action) ? site.staffActions![action]! : undefined;
        if (!staffAction) throw new KioskError('SITE_ACTION_UNKNOWN', `the site has no staff action ${action}`);
        const staff = admin.require(adminToken);
        try {
          admin.require(adminToken, staffAction.roles);
        } catch (e) {
          // A member of staff trying what their role may not do is worth a line in the audit trail.
          audit.append({ actor: staff.name, action: 'site.staff-action-failed', detail: { action, role: staff.role, code: isKioskError(e) ? e.code : 'INTERNAL' } });
          throw e;
        }
        try {
          const result = await staffAction.run(input, staff);
          audit.append({ actor: staff.name, action: 'site.staff-action', detail: { action, role: staff.role } });
          return result;
        } catch (e) {
          audit.append({ actor: staff.name, action: 'site.staff-action-failed', detail: { action, role: staff.role, code: isKioskError(e) ? e.code : 'INTERNAL' } });
          throw e;
        }
      },
      journeyState: async () => journey.view(),
      journeyAction: async (action) => journey.act(action),
      setLanguage: async ({ language: l }) => {
        language = l;
        return { ok: true };
      },
      pushCameraFrame: async ({ jpegBase64 }) => {
        const bytes = Buffer.from(jpegBase64, 'base64');
        if (bytes.length === 0) throw new KioskError('CAMERA_FRAME_NOT_IMAGE', 'empty frame');
        return { accepted: face.pushFrame(bytes) };
      },
    };

    const dispatch = createDispatcher(handlers, (method, e) => log(`kiosk API ${method} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`));
    const token = randomBytes(32).toString('hex');
    const server = await startHttpServer({
      port: opts.port ?? 0, token, dispatch, events, status, uiDir: opts.uiDir ?? defaultUiDir,
      onPageSession: (via) => audit.append({ actor: 'system', action: 'api.page-session', detail: { via } }),
    });
    closers.push(() => server.close());
    audit.append({ actor: 'system', action: 'kiosk.start', detail: { profile: profile.name, version: KIOSK_VERSION } });

    // Retention: audit rows past auditDays go (the chain keeps an anchor); expired face templates go;
    // central-service requests still queued after personalDataDays go; print images after keepJobsHours.
    // The site purges its own records (its retention job, stopped by its close).
    const purge = () => {
      try {
        const now = Date.now();
        audit.purgeBefore(new Date(now - config.retention.auditDays * 86_400_000));
        const faces = face.purgeExpired();
        if (faces > 0) audit.append({ actor: 'retention-job', action: 'face.purged', detail: { templates: faces } });
        new RarOutbox(db, audit).purgeQueuedBefore(new Date(now - config.retention.personalDataDays * 86_400_000));
        const images = new PrintJobs(db, () => new Date(now)).purgeImages(new Date(now - config.devices.printer.keepJobsHours * 3_600_000));
        if (images > 0) audit.append({ actor: 'retention-job', action: 'print.images-purged', detail: { jobs: images } });
        forgetFreedPages(db);
      } catch (e) {
        log(`retention purge failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    };
    purge();
    const purgeTimer = setInterval(purge, 3_600_000); // hourly: print images are kept for hours, not days
    purgeTimer.unref();
    closers.push(() => clearInterval(purgeTimer));

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
      issueLaunchTicket: (onSpent) => server.issueLaunchTicket(onSpent),
      db,
      audit,
      events,
      dispatch,
      journey,
      ...(chip.pullOutAfter ? { simulateCardPullOut: chip.pullOutAfter } : {}),
      simulators: { ...site.simulators, ...(verification?.embeddedServer ? { rar: verification.embeddedServer } : {}) },
      status,
      async close() {
        clearInterval(deviceTimer);
        await journey.close();
        await closeAll(closers);
        audit.append({ actor: 'system', action: 'kiosk.stop' });
        db.close();
      },
    };
  } catch (e) {
    await closeAll(closers);
    db.close();
    throw e;
  }
}

/** Closes in reverse order of opening; one failing closer does not keep the others open. */
async function closeAll(closers: (() => Promise<void> | void)[]): Promise<void> {
  for (const close of closers.reverse()) {
    try {
      await close();
    } catch {
      /* keep closing the rest */
    }
  }
}
