/** What the gate's staff actions work with: the site's stores and services, as wired in ../site.ts. */
import type { FaceTemplate } from '../../../../core/journey/ports.ts';
import type { SiteStore } from '../../../../core/site-store/site-store.ts';
import type { GateSettings } from '../../common/config.ts';
import type { SiteKeys } from '../../common/identity.ts';
import type { GateDirectory } from '../directory.ts';
import type { PeopleStore } from '../people.ts';
import type { GatePhotos } from '../photos.ts';
import type { GateSeals } from '../seals.ts';
import type { Visitors } from '../visitors.ts';

export interface GateStaffContext {
  readonly settings: GateSettings;
  readonly siteId: string;
  readonly terminalId: string;
  readonly store: SiteStore;
  readonly directory: GateDirectory;
  readonly people: PeopleStore;
  readonly visitors: Visitors;
  readonly seals: GateSeals;
  /** Alarm photos: blocklist entries' pictures and the captures that hit (sealed). */
  readonly photos: GatePhotos;
  readonly keys: SiteKeys;
  readonly clock: () => Date;
  /** The face in a picture staff supply, with the kiosk's model (SiteWiringContext.embedPicture). */
  embedPicture(image: Uint8Array): Promise<FaceTemplate>;
  /** A site audit row (never personal data in clear). */
  audit(action: string, detail: Record<string, string | number | boolean>): void;
}
