import { KioskError } from '../../core/errors.ts';
import type { ModelSetName } from '../../core/face/config.ts';
import { unit } from '../../core/face/quantise.ts';
import type { Db } from '../store/db.ts';
import { parseSealingKey, Sealer } from '../store/sealing.ts';
import { QuantisedGallery } from './quantised-gallery.ts';

export interface SearchHit {
  readonly subjectId: string;
  readonly score: number;
}

/** The index key from its secret text (a file or an environment variable named by the profile, never the database). */
export function parseIndexKey(text: string): Buffer {
  return parseSealingKey(text, 'FACE_INDEX_KEY_INVALID', 'the face index key');
}

interface Row {
  id: number;
  subject_id: string;
  dim: number;
  key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * Encrypted-at-rest face templates for 1:N identification, searched in memory as 8-bit templates
 * (./quantised-gallery.ts: one integer matrix product and a short top-k pass).
 */
export class FaceIndex {
  private gallery: QuantisedGallery;
  private readonly sealer: Sealer;
  private readonly keyId: string;

  constructor(
    private readonly db: Db,
    key: Buffer,
    readonly modelSet: ModelSetName,
    readonly dim: number,
  ) {
    if (key.length !== 32) throw new KioskError('FACE_INDEX_KEY_INVALID', 'the face index key must be 32 bytes');
    this.sealer = new Sealer(key);
    this.keyId = this.sealer.keyId.toString('hex');
    this.gallery = new QuantisedGallery(dim);
  }

  /** Templates held in memory. */
  get size(): number {
    return this.gallery.size;
  }

  private aad(subjectId: string): Buffer {
    return Buffer.from(`${subjectId}\u0000${this.modelSet}\u0000${this.dim}`, 'utf8');
  }

  /** Decrypts every unexpired template of this model set into memory. */
  load(now = new Date()): this {
    const rows = this.db
      .prepare('SELECT id, subject_id, dim, key_id, nonce, ciphertext, tag FROM face_templates WHERE model_set = ? AND expires_at > ? ORDER BY id')
      .all(this.modelSet, now.toISOString()) as Row[];
    const gallery = new QuantisedGallery(this.dim);
    for (const r of rows) {
      if (r.key_id !== this.keyId) throw new KioskError('FACE_INDEX_KEY_MISMATCH', 'face templates were enrolled with a different key');
      if (r.dim !== this.dim) throw new KioskError('FACE_INDEX_DIM_MISMATCH', `template of dimension ${r.dim}, index expects ${this.dim}`);
      const plain = this.sealer.openParts(r, this.aad(r.subject_id));
      if (!plain) throw new KioskError('FACE_INDEX_TAMPERED', 'a face template failed authentication (altered or moved between rows)');
      gallery.put(r.subject_id, String(r.id), new Float32Array(plain.buffer, plain.byteOffset, this.dim));
    }
    this.replaceGallery(gallery);
    return this;
  }

  /** Stores one template for `subjectId`, kept for `retentionDays`. */
  enroll(subjectId: string, embedding: Float32Array, retentionDays: number, now = new Date()): void {
    if (embedding.length !== this.dim) throw new KioskError('FACE_INDEX_DIM_MISMATCH', `embedding of dimension ${embedding.length}, index expects ${this.dim}`);
    if (!subjectId) throw new KioskError('FACE_INDEX_SUBJECT_INVALID', 'subject id is empty');
    const u = unit(embedding);
    const { nonce, ciphertext, tag } = this.sealer.sealParts(Buffer.from(u.buffer, u.byteOffset, u.byteLength), this.aad(subjectId));
    const expires = new Date(now.getTime() + retentionDays * 86_400_000);
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO face_templates (subject_id, model_set, dim, key_id, nonce, ciphertext, tag, enrolled_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(subjectId, this.modelSet, this.dim, this.keyId, nonce, ciphertext, tag, now.toISOString(), expires.toISOString());
    this.gallery.put(subjectId, String(lastInsertRowid), u);
  }

  /** Removes a subject's templates from the database and from memory; returns how many rows went. */
  remove(subjectId: string): number {
    const n = this.db.prepare('DELETE FROM face_templates WHERE subject_id = ? AND model_set = ?').run(subjectId, this.modelSet).changes;
    this.gallery.remove(subjectId);
    return n;
  }

  /** The retention purge: deletes expired templates (all model sets) and reloads what remains in memory. */
  purgeExpired(now = new Date()): number {
    const n = this.db.prepare('DELETE FROM face_templates WHERE expires_at <= ?').run(now.toISOString()).changes;
    if (n > 0) this.load(now);
    return n;
  }

  /** Test and benchmark hook: replaces what is in memory with these templates, one per subject. */
  loadMatrix(subjects: string[], matrix: Float32Array): void {
    if (matrix.length !== subjects.length * this.dim) throw new RangeError('matrix size does not match subjects × dim');
    const gallery = new QuantisedGallery(this.dim);
    subjects.forEach((s, i) => gallery.put(s, String(i), matrix.subarray(i * this.dim, (i + 1) * this.dim)));
    this.replaceGallery(gallery);
  }

  private replaceGallery(gallery: QuantisedGallery): void {
    this.gallery.close(); // its packed copy is onnxruntime's memory, which the garbage collector does not see
    this.gallery = gallery;
  }

  /** Top-k subjects by cosine similarity, best first, each once. */
  async search(query: Float32Array, k: number): Promise<SearchHit[]> {
    return (await this.gallery.search(query, k)).map((h) => ({ subjectId: h.key, score: h.score }));
  }
}
