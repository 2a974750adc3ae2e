/**
 * The face kept for a visit's day: the templates of the chip portrait (and the live capture) that
 * the journey verified at registration, sealed with the hospital's site key and bound to the visit,
 * in the site store the hospital's kiosks share. A clinic's kiosk matches the person who scans the
 * visit's ticket against it; a reception kiosk does the same before showing a ticket's bills.
 * Removed once the visit's day is over (a patient who chose returning by face is enrolled apart,
 * in the kiosk's face index, with their consent).
 */
import type { FaceTemplate, VerifiedFace } from '../../../core/journey/ports.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { Sealer } from '../../../platform/store/sealing.ts';
import { localDay } from '../common/local-day.ts';

const COLLECTION = 'hospital-visit-face';

interface VisitFaceBody {
  /** The hospital's day of the visit: the face goes when it is over. */
  readonly day: string;
  readonly model: string;
  readonly dim: number;
  readonly chip?: string;
  readonly live?: string;
}

export class VisitFaces {
  private readonly sealer: Sealer;

  constructor(private readonly store: SiteStore, siteKey: Buffer, private readonly o: { timeZone: string; clock?: () => Date }) {
    this.sealer = new Sealer(siteKey);
  }

  private now(): Date {
    return this.o.clock?.() ?? new Date();
  }

  private aad(visitId: string, part: 'chip' | 'live'): Buffer {
    return Buffer.from(`${COLLECTION}\u0000${visitId}\u0000${part}`, 'utf8');
  }

  private seal(visitId: string, part: 'chip' | 'live', t: Float32Array): string {
    return this.sealer.seal(Buffer.from(t.buffer, t.byteOffset, t.byteLength), this.aad(visitId, part)).toString('base64');
  }

  private open(visitId: string, part: 'chip' | 'live', sealed: string, dim: number): Float32Array | undefined {
    const plain = this.sealer.open(Buffer.from(sealed, 'base64'), this.aad(visitId, part));
    if (!plain || plain.length !== dim * 4) return undefined;
    return new Float32Array(plain.buffer.slice(plain.byteOffset, plain.byteOffset + plain.length));
  }

  /** Keeps the verified face of a visit registered now, until the end of its day. */
  async keep(visitId: string, face: VerifiedFace): Promise<boolean> {
    const dim = face.chip?.length ?? face.live?.length;
    if (!dim) return false;
    const body: VisitFaceBody = {
      day: localDay(this.now(), this.o.timeZone),
      model: face.model,
      dim,
      ...(face.chip ? { chip: this.seal(visitId, 'chip', face.chip) } : {}),
      ...(face.live?.length === dim ? { live: this.seal(visitId, 'live', face.live) } : {}),
    };
    await this.store.put(COLLECTION, visitId, body);
    return true;
  }

  /** The faces the person with this visit's ticket must match today; none when there are none (or not today's, or another key's). */
  async references(visitId: string): Promise<FaceTemplate[]> {
    const record = await this.store.get<VisitFaceBody>(COLLECTION, visitId);
    const body = record?.deleted ? undefined : record?.body;
    if (!body || body.day !== localDay(this.now(), this.o.timeZone)) return [];
    const parts = (['chip', 'live'] as const).flatMap((part) => {
      const sealed = body[part];
      const template = sealed ? this.open(visitId, part, sealed, body.dim) : undefined;
      return template ? [{ model: body.model, template }] : [];
    });
    return parts;
  }

  /** Removes the faces of visits whose day is over; returns how many. */
  async purgePastDays(): Promise<number> {
    const today = localDay(this.now(), this.o.timeZone);
    let removed = 0;
    for (const r of await this.store.list<VisitFaceBody>(COLLECTION)) {
      if (r.body && r.body.day < today) {
        await this.store.remove(COLLECTION, r.key);
        removed++;
      }
    }
    return removed;
  }
}
