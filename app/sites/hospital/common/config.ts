import { z } from 'zod';
import { secretRef } from '../../../core/config/secret-ref.ts';

/**
 * Hospital journey settings of a site profile. Owned by the hospital site module.
 * Credentials are always SecretRefs (file or environment variable), never values in the profile.
 */

/**
 * Identifier system the kiosk uses for the 12-digit CCCD on FHIR Patient resources. Chosen after
 * the community VN Core FHIR IG's naming (not a state-approved URI); a hospital whose HIS uses
 * another system sets `identifierSystem`. See docs/hospital-integration.md.
 */
export const DEFAULT_CCCD_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/cccd';
/** Extension on Encounter that carries the queue number (an integer), when the HIS assigns it there. */
export const DEFAULT_QUEUE_EXTENSION = 'http://fhir.hl7.org.vn/core/StructureDefinition/queue-number';

const localized = z.object({ vi: z.string().min(1), en: z.string().min(1).optional() }).strict();

const fallbackClinic = z
  .object({
    /** The HIS's Location id of the room: visits are registered against it. */
    id: z.string().min(1),
    name: localized,
    room: z.string().min(1),
  })
  .strict();

const fallbackDepartment = z
  .object({
    id: z.string().min(1),
    name: localized,
    clinics: z.array(fallbackClinic).min(1),
  })
  .strict();

const hisAuth = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('bearer'), token: secretRef }).strict(),
  z.object({ kind: z.literal('basic'), username: z.string().min(1), password: secretRef }).strict(),
]);

/**
 * Who numbers the queue: the HIS (on the created Encounter, or from a FHIR operation on it), or the
 * site (`site`: the site store's counter per clinic and day, the hub's on a site with several
 * kiosks; the kiosk writes the number onto the Encounter as this extension).
 */
const queueNumberSource = z.discriminatedUnion('source', [
  z.object({ source: z.literal('extension'), url: z.string().min(1).default(DEFAULT_QUEUE_EXTENSION) }).strict(),
  z.object({ source: z.literal('operation'), name: z.string().regex(/^\$[a-z][a-z0-9-]*$/).default('$queue-number') }).strict(),
  z.object({ source: z.literal('site'), url: z.string().min(1).default(DEFAULT_QUEUE_EXTENSION) }).strict(),
]);

const fhirOptions = {
  identifierSystem: z.string().min(1).default(DEFAULT_CCCD_SYSTEM),
  queueNumber: queueNumberSource.default({ source: 'extension', url: DEFAULT_QUEUE_EXTENSION }),
  /** Count arrived Encounters per clinic for live queue lengths (one small search per clinic). */
  queueLengths: z.boolean().default(true),
  timeoutMs: z.number().int().min(500).max(60_000).default(8000),
};

const hisConfig = z.discriminatedUnion('adapter', [
  /** The embedded FHIR simulator, started in-process; the FHIR adapter talks to it over loopback. */
  z
    .object({
      adapter: z.literal('sim'),
      /** 0 picks a free port. */
      port: z.number().int().min(0).max(65_535).default(0),
      /** Simulator database, relative to storage.dataDir. */
      dbFile: z.string().min(1).default('his-sim.sqlite'),
      /** Demo only: the simulated hospital marks a service fee paid this many seconds after billing. */
      autoPayAfterSeconds: z.number().min(0).max(3600).optional(),
      /** Demo only: the simulated doctor orders a blood test and a prescription for every visit registered (bills to pay). */
      ordersOnVisit: z.boolean().default(true),
      ...fhirOptions,
    })
    .strict(),
  z
    .object({
      adapter: z.literal('fhir'),
      baseUrl: z.url({ protocol: /^https?$/ }),
      auth: hisAuth.optional(),
      ...fhirOptions,
    })
    .strict(),
]);

const insuranceConfig = z.discriminatedUnion('adapter', [
  /** The embedded gateway simulator with its deterministic demo cards. */
  z.object({ adapter: z.literal('sim'), port: z.number().int().min(0).max(65_535).default(0) }).strict(),
  /** The social insurance (BHXH) gateway: token, then the 2024 card check. */
  z
    .object({
      adapter: z.literal('bhxh'),
      gatewayUrl: z.url({ protocol: /^https?$/ }),
      /** Path of the card check; the gateway versions it by name (2018, 2019, 2024). */
      checkPath: z.string().startsWith('/').default('/api/egw/KQNhanLichSuKCB2024'),
      username: secretRef,
      password: secretRef,
      /** The gateway expects the password MD5-hashed; `none` if the secret already holds the hash. */
      passwordHashing: z.enum(['md5', 'none']).default('md5'),
      /** The responsible staff member's name and CCCD, required by the gateway since 2024 (hoTenCb, cccdCb). */
      staffName: secretRef,
      staffCccd: secretRef,
      timeoutMs: z.number().int().min(500).max(60_000).default(15_000),
    })
    .strict(),
]);

const paymentAccount = z
  .object({
    /** NAPAS bank identification number (6 digits) of the hospital's bank. */
    bankBin: z.string().regex(/^\d{6}$/, 'must be the 6-digit NAPAS bank BIN'),
    accountNumber: z.string().regex(/^[0-9A-Za-z]{1,19}$/, '1 to 19 letters or digits'),
  })
  .strict();

/**
 * The payment terminal (POS) beside the kiosk, for bills paid by card or e-wallet: the embedded
 * simulator, or a network terminal speaking nexo Sale to POI over HTTPS (docs/hospital-integration.md).
 */
const terminalTimeouts = {
  /** How long the person may take at the terminal (card, PIN, the bank's answer) before the kiosk asks what became of it. */
  paymentTimeoutSeconds: z.number().int().min(10).max(600).default(180),
  /** Deadline of the short requests (status, reversal, abort). */
  requestTimeoutMs: z.number().int().min(1000).max(60_000).default(10_000),
  /** After a lost answer: how long the kiosk keeps asking before it tells the person it does not know yet. */
  settleSeconds: z.number().int().min(1).max(300).default(30),
};
const terminalConfig = z.discriminatedUnion('adapter', [
  z
    .object({
      adapter: z.literal('sim'),
      port: z.number().int().min(0).max(65_535).default(0),
      /** The simulator's transaction log, relative to storage.dataDir. */
      dbFile: z.string().min(1).default('pos-sim.sqlite'),
      /** How long the simulated person takes at the terminal. */
      approveAfterMs: z.number().int().min(0).max(60_000).default(2500),
      ...terminalTimeouts,
    })
    .strict(),
  z
    .object({
      adapter: z.literal('nexo'),
      /** The terminal's nexo endpoint, e.g. https://10.0.0.60:8443/nexo. */
      url: z.url({ protocol: /^https$/ }),
      /** The terminal's id (nexo POIID), as configured on it. */
      poiId: z.string().min(1).max(64),
      /** The CA (or the self-signed certificate) of the terminal's TLS certificate, PEM. */
      certificate: secretRef,
      connectTimeoutMs: z.number().int().min(500).max(30_000).default(5000),
      ...terminalTimeouts,
    })
    .strict(),
]);

const billKindText = localized;
/** Where to go after paying a bill of each kind, when the hospital says more than the kiosk's own words. */
const nextSteps = z
  .object({
    examination: billKindText, laboratory: billKindText, imaging: billKindText, 'inpatient-deposit': billKindText, pharmacy: billKindText, other: billKindText,
  })
  .partial()
  .strict();

export const hospitalConfig = z
  .object({
    hospitalName: z.string().min(1),
    /**
     * What this kiosk is for: `registration` (reception: register a visit, pay bills) or
     * `clinic-check` (at a clinic's door: confirm the patient of a ticket is the one registered).
     */
    role: z.enum(['registration', 'clinic-check']).default('registration'),
    /**
     * The clinic whose door this kiosk stands at (role clinic-check): its HIS Location id, and how
     * long a scanned ticket may wait for its face before the check counts as not confirmed.
     */
    clinic: z
      .object({ id: z.string().min(1), confirmWithinSeconds: z.number().int().min(2).max(600).default(90) })
      .strict()
      .optional(),
    /**
     * The hospital's site key (32 bytes, hex), the same on every kiosk of the hospital: it seals the
     * face kept for a visit's day, so a clinic's kiosk can match the patient a reception kiosk registered.
     * Without it no face is kept and tickets are not taken at the welcome screen.
     */
    siteKey: secretRef.optional(),
    /** Where the hospital's kiosks share their records: absent, this kiosk's own database; `file`, a SQLite file kiosks on one machine share. */
    store: z.object({ file: z.string().min(1) }).strict().optional(),
    his: hisConfig.default({
      adapter: 'sim', port: 0, dbFile: 'his-sim.sqlite', ordersOnVisit: true,
      identifierSystem: DEFAULT_CCCD_SYSTEM,
      queueNumber: { source: 'extension', url: DEFAULT_QUEUE_EXTENSION },
      queueLengths: true, timeoutMs: 8000,
    }),
    insurance: insuranceConfig.default({ adapter: 'sim', port: 0 }),
    /** Used when the HIS does not publish its clinics (no HealthcareService); ids are its Location ids. */
    departments: z.array(fallbackDepartment).default([]),
    /** Fee of a service examination in đồng, shown before registering; the HIS's charge is what is paid. */
    serviceFeeVnd: z.number().int().min(0).default(0),
    /** Where service fees are paid by VietQR; without it the kiosk sends payers to the cashier. */
    payment: paymentAccount.optional(),
    /** The payment terminal beside the kiosk (card, e-wallet); without it bills are paid by VietQR only. */
    terminal: terminalConfig.optional(),
    /** Where to go after paying, by bill kind (e.g. laboratory: "Khoa Xét nghiệm, P.301"); the kiosk's words otherwise. */
    nextSteps: nextSteps.default({}),
    /** Returning patients may start with their face alone (1:N). Off unless the hospital enables it. */
    returningByFace: z.boolean().default(false),
    /** Days a visit's personal data is kept; defaults to retention.personalDataDays. */
    visitRetentionDays: z.number().int().min(0).max(3650).optional(),
    /** Time zone that decides what "today" is on the maintenance screen. */
    timeZone: z.string().min(1).default('Asia/Ho_Chi_Minh'),
  })
  .strict();
export type HospitalConfig = z.infer<typeof hospitalConfig>;
export type HisConfig = z.infer<typeof hisConfig>;
export type InsuranceConfig = z.infer<typeof insuranceConfig>;
export type FallbackDepartment = z.infer<typeof fallbackDepartment>;
export type PaymentAccount = z.infer<typeof paymentAccount>;
export type TerminalConfig = z.infer<typeof terminalConfig>;
