import { z } from 'zod';
import { fleetView } from '../fleet/fleet.ts';
import { journeyAction, journeyView, purposeName } from '../journey/view.ts';

/**
 * The kiosk API, described once. The host implements it; the renderer calls it over Electron IPC
 * (preload bridge) or over HTTP + WebSocket on 127.0.0.1. Both transports validate against these
 * schemas, so a method cannot drift between them.
 */

/**
 * What a member of staff may do. `administrator` may do everything; `technician` keeps the kiosk
 * running (devices, paper, configuration, fleet); `guard` watches doors, alarms and who is inside;
 * `reception` receives visitors. A site's own staff actions name the roles that may run them.
 */
export const staffRole = z.enum(['administrator', 'technician', 'guard', 'reception']);
export type StaffRole = z.infer<typeof staffRole>;
export const staffSchema = z.object({ name: z.string(), role: staffRole });
export type Staff = z.infer<typeof staffSchema>;
/** A site's staff action: a name the site defines (`people-list`, `blocklist-add`…). */
export const siteActionName = z.string().regex(/^[a-z][a-z0-9-]{0,47}$/);

export const deviceStateSchema = z.object({
  device: z.string(),
  state: z.enum(['ok', 'missing', 'error']),
  adapter: z.string(),
  reason: z.string().optional(),
});

export const statusSchema = z.object({
  version: z.string(),
  profile: z.string(),
  site: z.object({ id: z.string(), name: z.string(), kind: z.string() }),
  terminalId: z.string(),
  startedAt: z.string(),
  devices: z.array(deviceStateSchema),
  /** Whether the kiosk screens are built (`GET /api/status` adds it; 503 when they are not). */
  ui: deviceStateSchema.optional(),
});

export const uiConfigSchema = z.object({
  siteName: z.string(),
  /** The profile's `site.kind`: which site module's screens to show. */
  siteKind: z.string(),
  defaultLanguage: z.enum(['vi', 'en']),
  idleSeconds: z.number(),
  idleCountdownSeconds: z.number(),
  /** Seconds the staff screen waits for a touch before the countdown that logs staff out. */
  staffIdleSeconds: z.number(),
  /** Seconds the done screen stays up before returning to the start by itself. */
  doneSeconds: z.number(),
  voice: z.boolean(),
  /** Days the site keeps a person's data (0: it keeps nothing): the consent screen states it. */
  retentionDays: z.number(),
  /** `renderer`: the UI captures the webcam and pushes frames; `file`: the host has its own frames. */
  cameraAdapter: z.enum(['renderer', 'file']),
  /** The site lets returning patients start with their face alone. */
  faceStart: z.boolean(),
  /** What a person may come for (one start button each, words `startPurpose_<purpose>_<kind>`); empty: one start button. */
  purposes: z.array(purposeName),
  /** The site takes codes scanned at the start (its tickets, passes): the welcome screen listens for them. */
  codeEntry: z.boolean(),
  /**
   * An unattended, always-watching station: the welcome screen shows the camera and no start button,
   * and says where consent was given (`consentGivenAt_<where>_<kind>`).
   */
  unattended: z.object({ consentGivenAt: purposeName }).optional(),
  /** Demo profiles only: the QR text of the card lying on the virtual reader, for a "scan" button. */
  demoCardQr: z.string().optional(),
  /** The site's IANA time zone: the screens show every time in it. */
  timeZone: z.string(),
});

export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  detail: z.string(),
});

export const printJobSchema = z.object({
  id: z.number(),
  kind: z.string(),
  state: z.string(),
  errorCode: z.string().nullable(),
  createdAt: z.string(),
  reprintOf: z.number().nullable(),
  /** What staff look for (the ticket's queue number); null for documents without one. */
  reference: z.string().nullable(),
  canReprint: z.boolean(),
});

/** The site's part of the maintenance screen: its kind, and what its own schema describes. */
export const siteMaintenanceSchema = z.looseObject({ kind: z.string() });


/** Something staff must act on (e.g. a late central refusal of a visit that went on offline); no names. */
export const alertSchema = z.object({
  id: z.number(),
  raisedAt: z.string(),
  kind: z.string(),
  code: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
});

export const maintenanceSummarySchema = z.object({
  /** Who is logged in. */
  staff: staffSchema,
  /** The site's staff actions this member of staff may run (the screen offers only those). */
  siteActions: z.array(z.string()),
  status: statusSchema,
  printJobs: z.array(printJobSchema),
  site: siteMaintenanceSchema.optional(),
  /** Open alerts, oldest first; they stay until staff acknowledge them. */
  alerts: z.array(alertSchema),
  /**
   * `key`/`value` in plain English; `label` and `text` name the words the screen shows instead
   * (in its language), `params` fill them.
   */
  config: z.array(z.object({
    key: z.string(),
    value: z.string(),
    label: z.string().optional(),
    text: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  })),
  audit: z.object({
    chainOk: z.boolean(),
    rows: z.number(),
    firstBrokenId: z.number().optional(),
    recent: z.array(auditEntrySchema),
  }),
  /** The kiosk is one of a site hub's (profile `siteHub:`): the screen offers the fleet page. */
  siteHub: z.boolean().optional(),
});

const adminToken = z.object({ adminToken: z.string().min(1) });


export const kioskApi = {
  status: { input: z.object({}), output: statusSchema },
  uiConfig: { input: z.object({}), output: uiConfigSchema },
  adminLogin: {
    input: z.object({ pin: z.string().min(1).max(32) }),
    output: z.discriminatedUnion('ok', [
      z.object({ ok: z.literal(true), adminToken: z.string(), staff: staffSchema }),
      z.object({ ok: z.literal(false), reason: z.enum(['WRONG_PIN', 'LOCKED_OUT']), retryAfterSeconds: z.number().optional() }),
    ]),
  },
  adminLogout: { input: adminToken, output: z.object({ ok: z.boolean() }) },
  maintenanceSummary: { input: adminToken, output: maintenanceSummarySchema },
  /** Staff saw an alert and took it in hand; audited. */
  acknowledgeAlert: { input: adminToken.extend({ alertId: z.number().int().positive() }), output: z.object({ ok: z.boolean() }) },
  /** The site's kiosks as the site hub knows them, those needing attention first (kiosks of a hub site only). */
  siteFleet: { input: adminToken, output: fleetView },
  /** Staff print a lost ticket again; a new job with the same image, audited. */
  reprintJob: { input: adminToken.extend({ jobId: z.number().int().positive() }), output: z.object({ state: z.string(), code: z.string().optional() }) },
  /**
   * One of the site's own staff actions (its administration, reports, guard station). The site
   * checks `input` against the action's schema and the staff member's role; every call is audited.
   */
  siteAdmin: { input: adminToken.extend({ action: siteActionName, input: z.unknown() }), output: z.unknown() },
  journeyState: { input: z.object({}), output: journeyView },
  journeyAction: { input: journeyAction, output: journeyView },
  /** The person changed the language; sites use it for printed receipts and voice. */
  setLanguage: { input: z.object({ language: z.enum(['vi', 'en']) }), output: z.object({ ok: z.boolean() }) },
  /** A webcam frame from the kiosk window (renderer camera), at a bounded rate. */
  pushCameraFrame: { input: z.object({ jpegBase64: z.string().min(100).max(4_000_000) }), output: z.object({ accepted: z.boolean() }) },
} as const;

/** Events the host pushes to the renderer (WebSocket or IPC). */
export const kioskEvents = {
  devices: z.array(deviceStateSchema),
  journey: journeyView,
} as const;

export type KioskApiSpec = typeof kioskApi;
export type KioskMethod = keyof KioskApiSpec;
export type MethodInput<M extends KioskMethod> = z.input<KioskApiSpec[M]['input']>;
export type MethodOutput<M extends KioskMethod> = z.output<KioskApiSpec[M]['output']>;
export type KioskEventName = keyof typeof kioskEvents;
export type KioskEventData<E extends KioskEventName> = z.output<(typeof kioskEvents)[E]>;

/** What the host implements: one async function per method. */
export type KioskApiHandlers = { [M in KioskMethod]: (input: z.output<KioskApiSpec[M]['input']>) => Promise<MethodOutput<M>> };

export function isKioskMethod(name: string): name is KioskMethod {
  return Object.prototype.hasOwnProperty.call(kioskApi, name);
}

export type KioskStatus = z.output<typeof statusSchema>;
export type UiConfig = z.output<typeof uiConfigSchema>;
export type MaintenanceSummary = z.output<typeof maintenanceSummarySchema>;
export type KioskAlert = z.output<typeof alertSchema>;
export type { FleetView, FleetRow, FleetProblem } from '../fleet/fleet.ts';
