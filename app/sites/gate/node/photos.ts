/**
 * The photos beside an alarm: the blocklist entry's picture (kept while the entry is) and the live
 * capture that hit (kept only for the site's retention period, then purged by ./retention.ts). Both
 * are sealed with the site's key (./seals.ts) before they reach the site store, so the store, the
 * hub and their backups hold only sealed text; no photo is ever logged.
 */
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { imageKind } from '../../../platform/camera/camera.ts';
import { COLLECTIONS, parseBody, photoRecord, type PhotoRecord } from '../common/records.ts';
import type { GateSeals } from './seals.ts';

/** Largest photo kept: a 1280×720 JPEG is about 150 KB. */
export const MAX_PHOTO_BYTES = 1024 * 1024;

export const photoKey = { blocklist: (entry: string) => `blocklist:${entry}`, capture: (alert: number) => `alert:${alert}` };

export interface Photo {
  readonly type: PhotoRecord['type'];
  readonly bytes: Uint8Array;
}

export class GatePhotos {
  constructor(
    private readonly store: SiteStore,
    private readonly seals: GateSeals,
  ) {}

  /** Seals and stores a photo; false (nothing stored) for bytes that are not a JPEG or PNG, or too large. */
  async put(key: string, image: Uint8Array, at: Date, until?: Date): Promise<boolean> {
    const kind = imageKind(image);
    if (!kind || image.length > MAX_PHOTO_BYTES) return false;
    const body: PhotoRecord = { type: kind === 'jpeg' ? 'image/jpeg' : 'image/png', sealed: this.seals.sealImage(COLLECTIONS.photo, key, image), at: at.toISOString(), ...(until ? { until: until.toISOString() } : {}) };
    await this.store.put(COLLECTIONS.photo, key, body);
    return true;
  }

  /** The photo, or undefined when there is none, it was purged, or it does not open with this site's key. */
  async get(key: string): Promise<Photo | undefined> {
    const r = await this.store.get<PhotoRecord>(COLLECTIONS.photo, key);
    if (!r || r.deleted) return undefined;
    const body = parseBody(photoRecord, r);
    const bytes = this.seals.openImage(COLLECTIONS.photo, key, body.sealed);
    return bytes ? { type: body.type, bytes } : undefined;
  }

  /** Removes one photo (its entry left the blocklist); true when there was one. */
  async remove(key: string): Promise<boolean> {
    return (await this.store.remove(COLLECTIONS.photo, key))?.deleted === true;
  }

  /** Removes the photos whose time ran out (`until` before `now`); returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    let n = 0;
    for (const r of await this.store.list<PhotoRecord>(COLLECTIONS.photo)) {
      const until = photoRecord.safeParse(r.body).data?.until;
      if (until !== undefined && Date.parse(until) <= now.getTime()) {
        await this.store.remove(COLLECTIONS.photo, r.key);
        n++;
      }
    }
    return n;
  }
}

/** A photo as the staff screen shows it (an <img> source). */
export const dataUrl = (p: Photo | undefined): string | null => (p ? `data:${p.type};base64,${Buffer.from(p.bytes).toString('base64')}` : null);
