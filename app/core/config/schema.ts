import { z } from 'zod';
import { secretRef } from './secret-ref.ts';
import { staffRole } from '../api/kiosk-api.ts';
import { faceConfig } from '../face/config.ts';
import { journeyConfig } from '../journey/config.ts';
import { verificationConfig } from '../verification/config.ts';
import { siteHubConfig } from '../site-store/config.ts';
import { printerConfig } from '../receipts/printer-config.ts';
import type { SiteDefinition, SiteSection } from '../sites/site-module.ts';

/**
 * The one schema of a site profile (kiosk-config/*.yaml). Types come from it; every object is
 * strict so a misspelt key stops start-up instead of being silently ignored.
 * Each domain owns its own section (face, verification, printer) in its own module; the `site:`
 * section is one variant per site module, chosen by `site.kind` (see `kioskConfigFor`).
 */

const language = z.enum(['vi', 'en']);

export const cardReaderConfig = z
  .object({
    /** `virtual`: the built-in virtual CCCD; `pcsc`: a real reader through pcscd. */
    adapter: z.enum(['virtual', 'pcsc']),
    /** Case-insensitive substring or /regex/ matched against PC/SC reader names. */
    readerPattern: z.string().min(1).optional(),
    /** Virtual reader only: which demo persona's card lies on it. */
    persona: z.string().min(1).default('nguyen-van-an'),
    /**
     * Virtual reader only: the cards of the people with the persona (a family checking in together),
     * each laid on the reader when its own ID number is given (its QR scanned, or typed).
     */
    companions: z.array(z.string().min(1)).max(8).default([]),
    /**
     * Virtual reader only: a card behaviour seen in the field, for demos and tests: `cloned` (same
     * files, wrong CA/AA keys), `bac-only`, `pace-refused` (6982 on the PACE path),
     * `self-signed-signer` (a forgery whose SOD signer names no CSCA: PA_NO_TRUST_ANCHOR).
     */
    simulate: z.enum(['genuine', 'cloned', 'bac-only', 'pace-refused', 'self-signed-signer']).default('genuine'),
  })
  .strict();

export const cameraConfig = z
  .object({
    /** `renderer`: getUserMedia in the kiosk window; `file`: still images or a folder of frames. */
    adapter: z.enum(['renderer', 'file']),
    /** File adapter: an image or a folder of images, relative to the profile's folder. */
    path: z.string().min(1).optional(),
    /** Most frames per second the renderer may send to the host. */
    maxFps: z.number().int().min(1).max(30).default(5),
  })
  .strict();

export const scannerConfig = z
  .object({
    /** `hid-pos`: a scanner in HID-POS mode through node-hid; `wedge`: keyboard-wedge capture in the UI. */
    adapter: z.enum(['none', 'hid-pos', 'wedge']).default('wedge'),
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
  })
  .strict();

/** Everything of a profile but its `site:` section. */
const kioskSections = z
  .object({
    kiosk: z
      .object({
        terminalId: z.string().min(1),
        defaultLanguage: language.default('vi'),
        /** Seconds of no touch before the countdown starts. */
        idleSeconds: z.number().int().min(10).max(3600).default(90),
        /** Length of the on-screen countdown before the kiosk resets. */
        idleCountdownSeconds: z.number().int().min(3).max(120).default(30),
        /** Seconds the done screen (name, ticket, face offer) stays up before it returns to the start by itself. */
        doneSeconds: z.number().int().min(5).max(120).default(20),
        /** Voice prompts (Web Speech or pre-rendered audio). */
        voice: z.boolean().default(true),
        /** The site's time zone (IANA): every time the screens show is in it, whatever the PC's own zone. */
        timeZone: z
          .string()
          .default('Asia/Ho_Chi_Minh')
          .refine((zone) => {
            try {
              new Intl.DateTimeFormat('en', { timeZone: zone });
              return true;
            } catch {
              return false;
            }
          }, 'an IANA time zone such as Asia/Ho_Chi_Minh'),
      })
      .strict(),
    admin: z
      .object({
        /** scrypt hash of the maintenance PIN (`cccd-kiosk hash-pin` makes one): the site's administrator. */
        pinHash: secretRef,
        /**
         * More staff, each with their own PIN and a role (technician, guard, reception, administrator).
         * The name is what the audit log records; PINs must differ from each other.
         */
        staff: z
          .array(z.object({ name: z.string().min(1).max(40), role: staffRole, pinHash: secretRef }).strict())
          .max(50)
          .refine((list) => new Set(list.map((s) => s.name)).size === list.length, 'each member of staff needs a name of their own')
          .default([]),
        /**
         * Minutes the staff screen stays logged in with nobody touching it. Unset: the kiosk's own idle
         * time, right for a kiosk in a public hall; a guard desk that shows the board all shift sets more.
         */
        staffIdleMinutes: z.number().int().min(1).max(720).optional(),
      })
      .strict(),
    devices: z
      .object({
        cardReader: cardReaderConfig,
        camera: cameraConfig,
        printer: printerConfig,
        scanner: scannerConfig.default({ adapter: 'wedge' }),
      })
      .strict(),
    storage: z
      .object({
        /** Folder for the SQLite database and other kiosk state; relative paths are from the profile's folder. */
        dataDir: z.string().min(1),
      })
      .strict(),
    retention: z
      .object({
        /** Days a visit's personal data is kept before the purge job removes it. */
        personalDataDays: z.number().int().min(0).max(3650).default(30),
        /** Days audit rows are kept (they hold no personal data). */
        auditDays: z.number().int().min(1).max(3650).default(365),
      })
      .strict()
      .default({ personalDataDays: 30, auditDays: 365 }),
    /** Passive authentication: CSCA certificates, master lists (.ml) and CRLs; files or folders, relative to the profile. */
    trust: z
      .object({
        paths: z.array(z.string().min(1)).default([]),
        /**
         * Certificates (files or folders) that vouch for a master list: its signer certificate must be
         * one of them or be issued by one (e.g. the publishing state's CSCA, fetched from its own site).
         */
        masterListSigners: z.array(z.string().min(1)).default([]),
        /** Master-list files accepted without a signature check; the operator vouches for each (reported at start). */
        trustedMasterLists: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ paths: [], masterListSigners: [], trustedMasterLists: [] }),
    /** What the shared journey demands before the site's steps (app/core/journey/config.ts). */
    journey: journeyConfig,
    face: faceConfig.optional(),
    verification: verificationConfig.optional(),
    /** The site's hub (app/core/site-store/config.ts); absent: the site store is this kiosk's own SQLite. */
    siteHub: siteHubConfig.optional(),
  })
  .strict();

const siteId = z.string().regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and dashes');

/**
 * The profile schema for these site modules: `site:` holds `id`, `name` and `kind`, and the keys of
 * the site module that `kind` names, checked by that module's own schema.
 */
export function kioskConfigFor(sites: readonly [SiteDefinition, ...SiteDefinition[]]) {
  const kinds = sites.map((site) => site.kind);
  const twice = kinds.find((kind, i) => kinds.indexOf(kind) !== i);
  if (twice) throw new Error(`two site modules share the kind "${twice}"`);
  const variant = (site: SiteDefinition) => {
    const reserved = ['id', 'name', 'kind'].filter((key) => key in site.config.shape);
    if (reserved.length > 0) throw new Error(`site module "${site.kind}" redefines ${reserved.join(', ')} of the site section`);
    return z.object({ id: siteId, name: z.string().min(1), kind: z.literal(site.kind), ...site.config.shape }).strict();
  };
  return kioskSections.extend({ site: z.discriminatedUnion('kind', [variant(sites[0]), ...sites.slice(1).map(variant)]) });
}

export type KioskConfig = z.output<typeof kioskSections> & { readonly site: SiteSection };
export type CardReaderConfig = z.infer<typeof cardReaderConfig>;
export type CameraConfig = z.infer<typeof cameraConfig>;
export type ScannerConfig = z.infer<typeof scannerConfig>;
