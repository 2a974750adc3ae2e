/**
 * An in-memory 1:N gallery of 8-bit face templates (app/core/face/quantise.ts): one contiguous
 * signed-byte matrix and a scale per row, searched by onnxruntime in one run (./gallery-kernel.ts:
 * the integer product scaled to cosines, then TopK), and the few best merged here, each key once.
 *
 * The kernel is fast because onnxruntime packs the templates once, when it makes the session; so a
 * search uses a packing of the gallery as it was, and the templates changed since are searched
 * beside it, unpacked (their packed columns skipped). When more than `maxUnpacked` have changed, the
 * next search packs the whole gallery again (`prepare()` does it ahead). Each packing and each
 * change view is made once and never altered, so a search running meanwhile keeps its own.
 *
 * Measured on one core (bench:gate, 2 shared cores, load average 3.5 – 4, three runs), CPU per
 * search, top 5: 5,000 × 128-d 0.10 ms; 100,000 × 128-d 0.42 – 0.53 ms; 100,000 × 512-d 1.5 – 1.9 ms
 * (float32 MatMul: 0.08 – 0.15, 2.3 – 4.6, 8 – 11 ms). 2,000 templates changed since packing add
 * 0.05 – 0.3 ms. A packing takes ~25 ms for 5,000 templates, ~0.3 s for 100,000 × 128-d and ~1 s
 * for 100,000 × 512-d (wall; mostly copying into fresh memory) and holds a second copy of the bytes.
 *
 * Keys are the caller's (a person key, a subject id); a key may hold several templates (chip
 * portrait and live capture); a search returns each key once, with its best template's score.
 */
import { KioskError } from '../../core/errors.ts';
import { quantiseQuery, quantiseRow } from '../../core/face/quantise.ts';
import { GalleryKernel, type Beside } from './gallery-kernel.ts';

export interface GalleryHit {
  readonly key: string;
  readonly score: number;
}

/** Changed templates a search takes unpacked before the gallery is packed again (2,000 of them add 0.1 – 0.3 ms). */
const MAX_UNPACKED = 2048;

/** The gallery as it was when packed: the kernel and, per packed column, its template's id and key. */
interface Packing {
  readonly kernel: Promise<GalleryKernel>;
  readonly count: number;
  readonly columnOf: ReadonlyMap<string, number>;
  readonly keyAt: readonly string[];
  /** Searches using it: a packing replaced meanwhile is released when the last of them ends. */
  users: number;
  retired: boolean;
}

/** What changed since a packing: its columns to skip, and the templates (with their keys) to search beside it. */
interface Unpacked extends Beside {
  readonly keyAt: readonly string[];
}

export class QuantisedGallery {
  private rows = new Int8Array(0);
  private scales = new Float32Array(0);
  /** Row → key, and row → `key\0slot`; a slot names one of a key's templates (e.g. `chip`, `live`). */
  private keyAt: string[] = [];
  private idAt: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private readonly slotsOf = new Map<string, Set<string>>();
  /** The most templates one key holds: how many rows k distinct keys can take at most. */
  private maxSlots = 1;
  private packing: Packing | undefined;
  /** Ids put or removed since the packing. */
  private readonly changed = new Set<string>();
  /** Made from `changed` by the first search after a change; never altered after, so a running search keeps its view. */
  private unpacked: Unpacked | undefined;

  constructor(
    readonly dim: number,
    private readonly maxUnpacked = MAX_UNPACKED,
  ) {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError('a gallery needs a positive dimension');
  }

  /** Templates held. */
  get size(): number {
    return this.keyAt.length;
  }

  /** Distinct keys held. */
  get people(): number {
    return this.slotsOf.size;
  }

  has(key: string): boolean {
    return this.slotsOf.has(key);
  }

  /** Adds or replaces the template in `slot` of `key`. */
  put(key: string, slot: string, template: Float32Array): void {
    if (template.length !== this.dim) throw new KioskError('FACE_INDEX_DIM_MISMATCH', `template of dimension ${template.length}, gallery expects ${this.dim}`);
    const id = `${key}\u0000${slot}`;
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.keyAt.length;
      this.grow(row + 1);
      this.keyAt.push(key);
      this.idAt.push(id);
      this.rowOf.set(id, row);
      let slots = this.slotsOf.get(key);
      if (!slots) this.slotsOf.set(key, (slots = new Set()));
      slots.add(slot);
      this.maxSlots = Math.max(this.maxSlots, slots.size);
    }
    this.scales[row] = quantiseRow(template, this.rows, row * this.dim);
    this.touch(id);
  }

  /** Removes every template of `key` (or one slot of it); returns how many went. */
  remove(key: string, slot?: string): number {
    const slots = this.slotsOf.get(key);
    if (!slots) return 0;
    const going = slot === undefined ? [...slots] : slots.has(slot) ? [slot] : [];
    for (const s of going) {
      const id = `${key}\u0000${s}`;
      const row = this.rowOf.get(id)!;
      const last = this.keyAt.length - 1;
      if (row !== last) {
        // The last row fills the hole, so the matrix stays contiguous.
        this.rows.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
        this.scales[row] = this.scales[last]!;
        this.keyAt[row] = this.keyAt[last]!;
        this.idAt[row] = this.idAt[last]!;
        this.rowOf.set(this.idAt[row]!, row);
      }
      this.keyAt.pop();
      this.idAt.pop();
      this.rowOf.delete(id);
      slots.delete(s);
      this.touch(id);
    }
    if (slots.size === 0) this.slotsOf.delete(key);
    return going.length;
  }

  clear(): void {
    this.keyAt = [];
    this.idAt = [];
    this.rowOf.clear();
    this.slotsOf.clear();
    this.close();
  }

  /** Packs the gallery now if anything changed, so that the next search does not wait for it (a door's first walk-up). */
  async prepare(): Promise<void> {
    if (this.keyAt.length === 0 || (this.packing && this.changed.size === 0)) return;
    const packing = this.pack();
    try {
      await packing.kernel;
    } catch (e) {
      if (this.packing === packing) this.close();
      throw e;
    }
  }

  /** Frees the packed copy (onnxruntime's memory) once no search uses it; the next search packs again. */
  close(): void {
    if (this.packing) retire(this.packing);
    this.packing = undefined;
    this.changed.clear();
    this.unpacked = undefined;
  }

  private touch(id: string): void {
    // Before the first packing there is nothing to tell apart: that packing takes everything.
    if (this.packing) this.changed.add(id);
    this.unpacked = undefined;
  }

  private grow(rows: number): void {
    if (rows <= this.scales.length) return;
    const capacity = Math.max(rows, Math.ceil(this.scales.length * 1.5), 64);
    const bytes = new Int8Array(capacity * this.dim);
    bytes.set(this.rows);
    const scales = new Float32Array(capacity);
    scales.set(this.scales);
    this.rows = bytes;
    this.scales = scales;
  }

  /** The best `k` keys by cosine, best first, each once (with its best template's score). */
  async search(query: Float32Array, k: number): Promise<GalleryHit[]> {
    if (query.length !== this.dim) throw new KioskError('FACE_INDEX_DIM_MISMATCH', `query of dimension ${query.length}, gallery expects ${this.dim}`);
    const keys = Math.floor(k);
    if (this.keyAt.length === 0 || !(keys >= 1)) return [];
    const packing = !this.packing || this.changed.size > this.maxUnpacked ? this.pack() : this.packing;
    const unpacked = (this.unpacked ??= this.unpack(packing));
    // Enough rows that k distinct keys survive even when each of them holds several templates.
    const rows = keys * this.maxSlots;
    packing.users++;
    try {
      const kernel = await packing.kernel;
      const q = quantiseQuery(query, kernel.queryLevels);
      const scored = await kernel.search(q.q, q.scale, Math.min(rows, packing.count), unpacked);
      const best = new Best(rows);
      scored.columns.forEach((column, i) => {
        if (scored.scores[i]! > -Infinity) best.offer(scored.scores[i]!, packing.keyAt[column]!);
      });
      scored.beside.forEach((score, i) => best.offer(score, unpacked.keyAt[i]!));
      return best.distinct(keys);
    } catch (e) {
      // A packing that failed (onnxruntime out of memory, say) is not kept: the next search tries again.
      if (this.packing === packing) this.close();
      throw e;
    } finally {
      if (--packing.users === 0 && packing.retired) release(packing);
    }
  }

  /** Packs the gallery as it is now (rows 0..n-1 are its columns); the old packing goes when unused. */
  private pack(): Packing {
    if (this.packing) retire(this.packing);
    const count = this.keyAt.length;
    const packing: Packing = (this.packing = {
      kernel: GalleryKernel.create(this.rows, this.scales, count, this.dim),
      count,
      columnOf: new Map(this.rowOf),
      keyAt: this.keyAt.slice(),
      users: 0,
      retired: false,
    });
    this.changed.clear();
    this.unpacked = undefined;
    return packing;
  }

  private unpack(packing: Packing): Unpacked {
    const skip = new Float32Array(packing.count);
    const present = [...this.changed].filter((id) => this.rowOf.has(id));
    const rows = new Int8Array(present.length * this.dim);
    const scales = new Float32Array(present.length);
    const keyAt: string[] = [];
    for (const id of this.changed) {
      const column = packing.columnOf.get(id);
      if (column !== undefined) skip[column] = -Infinity;
    }
    present.forEach((id, i) => {
      const row = this.rowOf.get(id)!;
      rows.set(this.rows.subarray(row * this.dim, (row + 1) * this.dim), i * this.dim);
      scales[i] = this.scales[row]!;
      keyAt.push(this.keyAt[row]!);
    });
    return { skip, rows, scales, keyAt };
  }
}

function retire(packing: Packing): void {
  packing.retired = true;
  if (packing.users === 0) release(packing);
}

function release(packing: Packing): void {
  // A packing that never came to be has nothing to free; a failed release has nothing left to do.
  packing.kernel.then((kernel) => kernel.release()).catch(() => undefined);
}

/** The best `size` scores offered with their keys, best first. */
class Best {
  readonly scores: number[] = [];
  readonly keys: string[] = [];

  constructor(private readonly size: number) {}

  offer(score: number, key: string): void {
    if (this.scores.length === this.size && score <= this.scores[this.size - 1]!) return;
    let pos = this.scores.length;
    while (pos > 0 && this.scores[pos - 1]! < score) pos--;
    this.scores.splice(pos, 0, score);
    this.keys.splice(pos, 0, key);
    if (this.scores.length > this.size) {
      this.scores.pop();
      this.keys.pop();
    }
  }

  /** The first `k` distinct keys, each with its best score. */
  distinct(k: number): GalleryHit[] {
    const hits = new Map<string, number>();
    for (let i = 0; i < this.keys.length && hits.size < k; i++) {
      const key = this.keys[i]!;
      // Rounding can lift a self-match a hair above 1: a cosine says at most 1.
      if (!hits.has(key)) hits.set(key, Math.min(1, this.scores[i]!));
    }
    return [...hits.entries()].map(([key, score]) => ({ key, score }));
  }
}
