/**
 * The gate's keys of a profile's `site:` section: the site's areas and doors, what this station is
 * (a door terminal, an enrolment desk or a visitor reception), how its door is driven, whom hosts
 * are told through, and the site key every gate station of the site shares.
 */
import { z } from 'zod';
import { secretRef } from '../../../core/config/secret-ref.ts';
import { modelSetName } from '../../../core/face/config.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'lower-case letters, digits and dashes');

const area = z
  .object({
    id,
    name: z.string().min(1).max(100),
    /** The area this one lies inside (outer fence → inner building): entering here requires being inside it. */
    parent: id.optional(),
    /** hard: refuse a second entry (or an exit without entry); soft: let through and log it; none: no check. */
    antiPassback: z.enum(['hard', 'soft', 'none']).default('hard'),
    /** Local time of day at which everyone's presence here is forgotten (e.g. after the night shift); absent: never. */
    resetDailyAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/).optional(),
  })
  .strict();

const httpAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('basic'), username: z.string().min(1), password: secretRef }).strict(),
  z.object({ kind: z.literal('bearer'), token: secretRef }).strict(),
]);

/** How a door is opened. */
export const doorController = z.discriminatedUnion('adapter', [
  /** The relay simulator, in-process (demos, tests): records each open command. */
  z.object({ adapter: z.literal('sim') }).strict(),
  /** A network relay module: one HTTP request pulses the relay that drives the strike or turnstile. */
  z
    .object({
      adapter: z.literal('relay'),
      url: z.url({ protocol: /^https?$/ }),
      method: z.enum(['GET', 'POST', 'PUT']).default('POST'),
      /** Sent as is (e.g. `{"pulseMs":800}`); the module's own format. */
      body: z.string().max(1000).optional(),
      auth: httpAuth.optional(),
      timeoutMs: z.number().int().min(200).max(10_000).default(2000),
    })
    .strict(),
  /** A Hikvision access terminal or controller: ISAPI remote door control with HTTP Digest. */
  z
    .object({
      adapter: z.literal('isapi'),
      url: z.url({ protocol: /^https?$/ }),
      doorNo: z.number().int().min(1).max(64).default(1),
      username: z.string().min(1),
      password: secretRef,
      timeoutMs: z.number().int().min(200).max(10_000).default(3000),
    })
    .strict(),
]);
export type DoorController = z.infer<typeof doorController>;

const door = z
  .object({
    id,
    name: z.string().min(1).max(100),
    /** The area this door leads into (direction in) or out of (direction out). */
    area: id,
    direction: z.enum(['in', 'out']),
    /**
     * When the decision cannot be made (the site store unreachable or failing): `closed` refuses
     * everyone; `known-only` opens for a person this kiosk knows, whose group, schedule and
     * blocklist check pass on its own copy, without anti-passback. Visitors are never let in blind.
     */
    whenUndecidable: z.enum(['closed', 'known-only']).default('closed'),
    controller: doorController,
  })
  .strict();
export type DoorSettings = z.infer<typeof door>;

export const notifierConfig = z.discriminatedUnion('adapter', [
  z.object({ adapter: z.literal('sim') }).strict(),
  /** POSTs JSON to the URL, signed with HMAC-SHA256 of the body in `X-Gate-Signature`. */
  z.object({ adapter: z.literal('webhook'), url: z.url({ protocol: /^https?$/ }), secret: secretRef, timeoutMs: z.number().int().min(200).max(10_000).default(3000) }).strict(),
]);

export const gateConfig = z
  .object({
    /** What this station is: an unattended door terminal, the staff-attended enrolment desk, or the visitors' reception. */
    role: z.enum(['door', 'enrolment', 'reception']),
    /** The gate as people know it, e.g. "Cổng A – Nhà máy 1": on the screen and on visitor passes. */
    gateName: z.string().min(1).max(100),
    /** The site's wall clock: schedules, attendance days, reports. */
    timeZone: z.string().default('Asia/Ho_Chi_Minh'),
    /**
     * 32 bytes (hex or base64), the same on every gate station of the site: it derives the keyed hash
     * that finds a person by ID number, the seal of their chip data and face templates, and the
     * signature of visitor passes. Never in the store.
     */
    siteKey: secretRef,
    areas: z.array(area).min(1).max(50),
    doors: z.array(door).min(1).max(200),
    /** The door this terminal drives (role door). */
    door: id.optional(),
    /** The access group a visitor gets unless the invitation names one. */
    visitorGroup: z.string().min(1).max(64).default('visitors'),
    /** How early before their window an invited visitor may arrive. */
    visitorEarlyMinutes: z.number().int().min(0).max(240).default(30),
    notifier: notifierConfig.default({ adapter: 'sim' }),
    /**
     * The face model set every gate station of the site makes its templates with: the profile's
     * `face.modelSet` (a template of another model is never compared).
     */
    faceModel: modelSetName.default('clean'),
    /**
     * 1:N at the door: stricter than the 1:1 thresholds, because false accepts grow with gallery
     * size × attempts (docs/gate-integration.md). Cosine; per model set.
     */
    identify: z
      .object({
        /**
         * The door identifies by face alone (1:N, unattended, always watching). Off: people tap their
         * CCCD or scan their pass, and the face is matched 1:1 to it (the choice where false accepts
         * of 1:N are not acceptable).
         */
        faceOnly: z.boolean().default(true),
        clean: z.number().min(0).max(1).default(0.96),
        faceplugin: z.number().min(0).max(1).default(0.6),
        /** A second candidate this close to the best one makes the match ambiguous: no decision. */
        margin: z.number().min(0).max(0.5).default(0.02),
        /** The blocklist's own threshold: lower than people's (an alarm to a guard costs less than a miss). */
        blocklist: z.number().min(0).max(1).default(0.93),
      })
      .strict()
      .prefault({}),
    /** Days a visitor's record and face are kept after their window; attendance follows retention.personalDataDays. */
    visitorDataDays: z.number().int().min(0).max(365).default(30),
    /**
     * Where the site store lives on this station: absent, the kiosk's own database; `file`, a SQLite
     * file of its own (relative to storage.dataDir), which stations on one machine may share.
     */
    store: z.object({ file: z.string().min(1) }).strict().optional(),
    /**
     * The partner API (HTTPS): hosts' systems create and cancel invitations and answer walk-ins
     * (docs/gate-integration.md). Absent: off. Usually on the reception station.
     */
    partnerApi: z
      .object({
        /** The address to listen on (e.g. the LAN interface's); the port (0: any free one, tests). */
        host: z.string().min(1).max(100).default('0.0.0.0'),
        port: z.number().int().min(0).max(65535),
        /** The server's certificate chain and private key, PEM. */
        tls: z.object({ cert: secretRef, key: secretRef }).strict(),
        /** The bearer token partners send (`Authorization: Bearer …`), at least 32 characters. */
        token: secretRef,
        /** How partners reach this API (https://…): the walk-in notice carries its answer address. */
        publicUrl: z.url({ protocol: /^https$/ }).optional(),
        /** Requests per minute for the whole API (a flood is answered 429 before the body is read). */
        requestsPerMinute: z.number().int().min(1).max(10_000).default(120),
      })
      .strict()
      .optional(),
    /** Demo only: seed the store with this many synthetic workers when it is empty. */
    demoPeople: z.number().int().min(0).max(100_000).optional(),
  })
  .strict();
export type GateSettings = z.infer<typeof gateConfig>;
export type AreaSettings = GateSettings['areas'][number];

/**
 * What the schema of one key cannot see: areas and doors that name each other. The profile schema
 * keeps only the keys' shapes, so the site checks these when it is wired (GATE_CONFIG_INVALID).
 */
export function settingsProblems(c: GateSettings): string[] {
  const problems: string[] = [];
  const areas = new Set(c.areas.map((a) => a.id));
  const doors = new Set(c.doors.map((d) => d.id));
  if (areas.size !== c.areas.length) problems.push('site.areas: area ids must be unique');
  if (doors.size !== c.doors.length) problems.push('site.doors: door ids must be unique');
  c.areas.forEach((a, i) => {
    if (a.parent !== undefined && !areas.has(a.parent)) problems.push(`site.areas.${i}.parent: no area "${a.parent}"`);
  });
  c.doors.forEach((d, i) => {
    if (!areas.has(d.area)) problems.push(`site.doors.${i}.area: no area "${d.area}"`);
  });
  if (c.role === 'door' && c.door === undefined) problems.push('site.door: a door terminal names the door it drives');
  if (c.door !== undefined && !doors.has(c.door)) problems.push(`site.door: no door "${c.door}"`);
  try {
    new Intl.DateTimeFormat('en', { timeZone: c.timeZone });
  } catch {
    problems.push('site.timeZone: an IANA time zone such as Asia/Ho_Chi_Minh');
  }
  return problems;
}
