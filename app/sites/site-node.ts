/**
 * The Node half of a site module (app/sites/<kind>/node/site.ts): it wires the site's back ends
 * from its settings and hands the host its flow, its part of the maintenance screen, its retention
 * job and its simulators' addresses. The host knows sites only through this contract and
 * app/sites/registry.node.ts.
 */
import type { Command } from '../cli/command.ts';
import type { MaintenanceSummary, Staff, StaffRole } from '../core/api/kiosk-api.ts';
import type { SecretRef } from '../core/config/secret-ref.ts';
import { KioskError } from '../core/errors.ts';
import type { FaceGallery, FaceTemplate, PrintedReceipt } from '../core/journey/ports.ts';
import type { CodeIdentity, SiteFlow } from '../core/journey/site-flow.ts';
import type { Paper, ReceiptDocument } from '../core/receipts/index.ts';
import { isSiteOf, type SiteDefinition, type SiteSection, type SiteSettings } from '../core/sites/site-module.ts';
import type { AuditLog } from '../platform/store/audit-log.ts';
import type { Db } from '../platform/store/db.ts';
import type { SiteStore } from '../core/site-store/site-store.ts';

/** What the host gives a site to wire itself. */
export interface SiteWiringContext<S extends SiteSection = SiteSection> {
  /** The profile's `site:` section. */
  readonly settings: S;
  readonly terminalId: string;
  /** storage.dataDir, resolved. */
  readonly dataDir: string;
  /** Days a person's data is kept here: the site's own setting, else retention.personalDataDays. */
  readonly personalDataDays: number;
  readonly db: Db;
  /**
   * The site's system of record (app/core/site-store/site-store.ts): this kiosk's own SQLite, or the
   * site hub when the profile has a `siteHub:` section. The host opens and closes it.
   */
  readonly siteStore: SiteStore;
  readonly audit: AuditLog;
  readonly printing: { readonly paper: Paper; print(doc: ReceiptDocument): Promise<PrintedReceipt> };
  /**
   * The face template of the one face in a picture (JPEG or PNG), with the kiosk's model: for a
   * reference a member of staff supplies (a blocklist entry's photo). Fails with FACE_NOT_FOUND, or
   * FACE_UNAVAILABLE when the kiosk has no face models.
   */
  embedPicture(image: Uint8Array): Promise<FaceTemplate>;
  /** Reads a secret the profile refers to; a missing one is a configuration error naming `keyPath`. */
  readSecret(ref: SecretRef, keyPath: string): string;
  /** Where unexpected background errors go (never personal data). */
  log(line: string): void;
}

/** The site's part of the staff's maintenance screen (the kiosk API's maintenance summary). */
export type SiteMaintenance = Pick<MaintenanceSummary, 'site'>;

/**
 * What a site recorded while the central answer was still pending (allow-offline, anchored card):
 * when the verdict arrives late, the host settles those records and alerts staff to refusals.
 */
export interface PendingVerifications {
  /** Request ids of records still waiting for their central verdict. */
  requestIds(): string[];
  /** Settles the records of `requestId` with a final verdict; each refused record comes back for the alert. */
  settle(requestId: string, verdict: string, transactionCode: string | null): readonly SettledRecord[];
}

/** A settled record: whether the verdict refused it, and how staff find it (no personal data). */
export interface SettledRecord {
  readonly rejected: boolean;
  readonly reference: Readonly<Record<string, string | number>>;
}

/** A wired site, as a plain object (the host copies it to wrap the flow). */
export interface WiredSite {
  /** A fresh flow for each person. */
  flow(): SiteFlow;
  /**
   * Whose a code scanned at the welcome screen is (its tickets, passes). The code is outside data:
   * at most 512 characters, never to be logged in clear. The journey then matches the face 1:1 to
   * the subject's references and, on MATCH, starts the flow with `startWithCode`.
   */
  identifyCode?(code: string): Promise<CodeIdentity>;
  /**
   * The site's own faces for identification by face alone (an e-gate's flight, a door's workers),
   * searched instead of the host's enrolled faces; a MATCH starts the flow with `startReturning`.
   */
  readonly faceGallery?: FaceGallery;
  maintenance?(): SiteMaintenance;
  /** The site's own staff actions (administration, reports, the guard station), by name. */
  readonly staffActions?: Readonly<Record<string, SiteStaffAction>>;
  /** Purges personal data past the retention period; runs on its own timer until close(). Answers how many records went. */
  readonly retention?: { runOnce(): number | Promise<number> };
  /** Records that wait for a late central verdict (sites that register people under allow-offline). */
  readonly pendingVerifications?: PendingVerifications;
  /** Where the site's embedded simulators listen, when the profile runs them (demos, end-to-end tests). */
  readonly simulators?: SimulatorUrls;
  close(): Promise<void>;
}

/**
 * A staff action of the site. The host has checked the session and the role (`roles`; an
 * administrator may run every action) and audits the call by name; `run` parses its own input
 * (unchecked data from the screen) and answers plain data for the site's screen.
 */
export interface SiteStaffAction {
  readonly roles: readonly StaffRole[];
  run(input: unknown, staff: Staff): Promise<unknown>;
}

/** Addresses of embedded simulators by name, e.g. `hisUrl`. */
export type SimulatorUrls = { readonly [name: `${string}Url`]: string | undefined };

/** A `cccd-kiosk` command module, as app/cli/commands/*.ts are. */
export type CommandModule = { readonly default: Command };

export interface SiteNode {
  readonly kind: string;
  wire(ctx: SiteWiringContext): Promise<WiredSite>;
  /** Commands the site adds to `cccd-kiosk` (e.g. its simulators), loaded only when run. */
  readonly commands: Readonly<Record<string, () => Promise<CommandModule>>>;
}

/** The Node half of `site`: its wiring receives the profile's site section as the site's own settings. */
export function siteNode<D extends SiteDefinition>(
  site: D,
  impl: {
    wire(ctx: SiteWiringContext<SiteSettings<D>>): Promise<WiredSite>;
    readonly commands?: Readonly<Record<string, () => Promise<CommandModule>>>;
  },
): SiteNode {
  return {
    kind: site.kind,
    commands: impl.commands ?? {},
    async wire(ctx) {
      const { settings } = ctx;
      if (!isSiteOf(site, settings)) throw new KioskError('SITE_KIND_MISMATCH', `the profile's site is a ${settings.kind}, not a ${site.kind}`);
      return impl.wire({ ...ctx, settings });
    },
  };
}
