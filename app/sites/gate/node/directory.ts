/**
 * What a gate station knows of its site, in memory and kept current: people, access groups, week
 * plans, holidays, the blocklist, invitations, and the two face galleries (people and blocklist)
 * as 8-bit templates. It is filled from the site store's change feed (all changes from version 0
 * at start, then each change as it is made here, and a poll for changes made by other stations),
 * so a door decides from memory in microseconds and keeps deciding from its last copy when the
 * store cannot be reached.
 */
import type { SiteRecord, SiteStore } from '../../../core/site-store/site-store.ts';
import { QuantisedGallery } from '../../../platform/face-index/quantised-gallery.ts';
import {
  accessGroupRecord, blocklistRecord, COLLECTIONS, holidayRecord, invitationRecord, personRecord, templateRecord, weekPlanRecord,
  type AccessGroupRecord, type BlocklistRecord, type InvitationRecord, type PersonRecord,
} from '../common/records.ts';
import type { WeekPlan } from '../common/schedule.ts';
import type { GateSeals } from './seals.ts';

const BATCH = 5_000;

export class GateDirectory {
  readonly people = new Map<string, PersonRecord>();
  readonly groups = new Map<string, AccessGroupRecord>();
  readonly plans = new Map<string, WeekPlan>();
  readonly holidays = new Set<string>();
  readonly blocklist = new Map<string, BlocklistRecord>();
  readonly invitations = new Map<string, InvitationRecord>();
  /** The galleries, made when the first template of the station's model arrives (its length sets the dimension). */
  private faces: QuantisedGallery | undefined;
  private blockedFaces: QuantisedGallery | undefined;
  /** Records that did not parse or open (another site key, another model): counted, never used. */
  skipped = 0;
  /**
   * Where the change feed has been read up to. Only a catch-up moves it: a change heard at once
   * (onChange) may overtake one another station committed earlier, which the next poll still reads.
   */
  version = 0;
  private readonly seen = new Map<string, number>();
  private readonly byIdRef = new Map<string, string>();
  private readonly blockedIdRefs = new Map<string, string>();

  constructor(
    private readonly store: SiteStore,
    private readonly seals: GateSeals,
    /** The embedder whose templates this station can compare (`FaceTemplate.model`). */
    readonly model: string,
  ) {}

  /** Enrolled people's faces, best first (none before any template arrived, or for a query of another length). */
  searchPeople(face: Float32Array, k: number): Promise<{ key: string; score: number }[]> {
    return search(this.faces, face, k);
  }

  searchBlocklist(face: Float32Array, k: number): Promise<{ key: string; score: number }[]> {
    return search(this.blockedFaces, face, k);
  }

  /** Packs both face galleries as they are, so that the first walk-up after a start does not wait for it (~1 s at 100,000 × 512-d). */
  async prepare(): Promise<void> {
    await this.faces?.prepare();
    await this.blockedFaces?.prepare();
  }

  /** Templates held: people's and the blocklist's. */
  get templates(): { people: number; blocklist: number } {
    return { people: this.faces?.size ?? 0, blocklist: this.blockedFaces?.size ?? 0 };
  }

  /** Catches up with every change after `version`; returns how many were applied. */
  async catchUp(): Promise<number> {
    let n = 0;
    for (;;) {
      const batch = await this.store.changesSince(this.version, BATCH);
      for (const r of batch.records) if (this.apply(r)) n++;
      this.version = Math.max(this.version, batch.version);
      if (batch.records.length < BATCH) return n;
    }
  }

  /** Follows changes: each one made through this store at once, others within `pollMs`. Returns stop. */
  follow(pollMs: number, onError: (e: unknown) => void): () => void {
    const off = this.store.onChange((r) => this.apply(r));
    let polling = false;
    const timer = setInterval(() => {
      if (polling) return;
      polling = true;
      this.catchUp()
        .catch(onError)
        .finally(() => (polling = false));
    }, pollMs);
    timer.unref();
    return () => {
      off();
      clearInterval(timer);
    };
  }

  /** Applies one change, once and in version order per record; false when it was not newer or not ours. */
  apply(r: SiteRecord): boolean {
    const id = `${r.collection}\u0000${r.key}`;
    if ((this.seen.get(id) ?? 0) >= r.version) return false;
    this.seen.set(id, r.version);
    const body = r.deleted ? undefined : r.body;
    const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T | undefined => {
      if (body === undefined) return undefined;
      const p = schema.safeParse(body);
      if (!p.success) this.skipped++;
      return p.success ? p.data : undefined;
    };
    switch (r.collection) {
      case COLLECTIONS.person: {
        const old = this.people.get(r.key);
        if (old) this.byIdRef.delete(old.idRef);
        const p = parse(personRecord);
        if (p) {
          this.people.set(r.key, p);
          this.byIdRef.set(p.idRef, r.key);
        } else this.people.delete(r.key);
        return true;
      }
      case COLLECTIONS.template:
        return this.applyTemplate(r.key, parse(templateRecord));
      case COLLECTIONS.group:
        return setOrDelete(this.groups, r.key, parse(accessGroupRecord));
      case COLLECTIONS.plan:
        return setOrDelete(this.plans, r.key, parse(weekPlanRecord));
      case COLLECTIONS.holiday:
        if (parse(holidayRecord)) this.holidays.add(r.key);
        else this.holidays.delete(r.key);
        return true;
      case COLLECTIONS.blocklist: {
        const old = this.blocklist.get(r.key);
        if (old?.idRef) this.blockedIdRefs.delete(old.idRef);
        const b = parse(blocklistRecord);
        setOrDelete(this.blocklist, r.key, b);
        if (b?.idRef) this.blockedIdRefs.set(b.idRef, r.key);
        return true;
      }
      case COLLECTIONS.invitation:
        return setOrDelete(this.invitations, r.key, parse(invitationRecord));
      default:
        return false;
    }
  }

  private applyTemplate(key: string, t: ReturnType<typeof templateRecord.parse> | undefined): boolean {
    // Key `<owner>:<source>`: a removal carries no body, so the key says which template goes.
    const cut = key.lastIndexOf(':');
    const owner = key.slice(0, cut), source = key.slice(cut + 1);
    this.faces?.remove(owner, source);
    this.blockedFaces?.remove(owner, source);
    if (!t) return true;
    this.faces ??= new QuantisedGallery(t.dim);
    this.blockedFaces ??= new QuantisedGallery(t.dim);
    if (t.model !== this.model || t.dim !== this.faces.dim || t.owner !== owner || t.source !== source) {
      this.skipped++;
      return true;
    }
    const v = this.seals.openTemplate(COLLECTIONS.template, key, t.sealed, t.dim);
    if (!v) {
      this.skipped++;
      return true;
    }
    (t.gallery === 'people' ? this.faces : this.blockedFaces).put(owner, source, v);
    return true;
  }

  /** The person whose ID number has this keyed hash. */
  personByIdRef(idRef: string): { key: string; record: PersonRecord } | undefined {
    const key = this.byIdRef.get(idRef);
    const record = key === undefined ? undefined : this.people.get(key);
    return key !== undefined && record ? { key, record } : undefined;
  }

  /** The blocklist entry restricting this ID number (keyed hash). */
  blockedByIdRef(idRef: string): string | undefined {
    return this.blockedIdRefs.get(idRef);
  }
}

async function search(gallery: QuantisedGallery | undefined, face: Float32Array, k: number): Promise<{ key: string; score: number }[]> {
  return gallery && gallery.dim === face.length ? gallery.search(face, k) : [];
}

function setOrDelete<T>(map: Map<string, T>, key: string, value: T | undefined): true {
  if (value === undefined) map.delete(key);
  else map.set(key, value);
  return true;
}
