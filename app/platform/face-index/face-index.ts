import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';
import { KioskError } from '../../core/errors.ts';
import type { ModelSetName } from '../../core/face/config.ts';
import type { Db } from '../store/db.ts';
import { parseSealingKey, Sealer } from '../store/sealing.ts';

export interface SearchHit {
  readonly subjectId: string;
  readonly score: number;
}

/** The index key from its secret text (a file or an environment variable named by the profile, never the database). */
export function parseIndexKey(text: string): Buffer {
  return parseSealingKey(text, 'FACE_INDEX_KEY_INVALID', 'the face index key');
}

interface Row {
  subject_id: string;
  dim: number;
  key_id: string;
  nonce: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/**
 * Encrypted-at-rest face templates for 1:N identification at gates, searched in memory.
 * Templates are L2-normalised and packed row-wise in one Float32Array, so a search is one pass of
 * dot products (cosine) with a small top-k insertion list — no per-template objects.
 */
export class FaceIndex {
  private matrix: Float32Array = new Float32Array(0);
  private subjects: string[] = [];
  /** The matrix wrapped for onnxruntime; rebuilt lazily after any change. */
  private tensor: ort.Tensor | undefined;
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
  }

  get size(): number {
    return this.subjects.length;
  }

  private aad(subjectId: string): Buffer {
    return Buffer.from(`${subjectId}\u0000${this.modelSet}\u0000${this.dim}`, 'utf8');
  }

  /** Decrypts every unexpired template of this model set into memory. */
  load(now = new Date()): this {
    const rows = this.db
      .prepare('SELECT subject_id, dim, key_id, nonce, ciphertext, tag FROM face_templates WHERE model_set = ? AND expires_at > ? ORDER BY id')
      .all(this.modelSet, now.toISOString()) as Row[];
    const matrix = new Float32Array(rows.length * this.dim);
    rows.forEach((r, i) => {
      if (r.key_id !== this.keyId) throw new KioskError('FACE_INDEX_KEY_MISMATCH', 'face templates were enrolled with a different key');
      if (r.dim !== this.dim) throw new KioskError('FACE_INDEX_DIM_MISMATCH', `template of dimension ${r.dim}, index expects ${this.dim}`);
      const plain = this.sealer.openParts(r, this.aad(r.subject_id));
      if (!plain) throw new KioskError('FACE_INDEX_TAMPERED', 'a face template failed authentication (altered or moved between rows)');
      matrix.set(new Float32Array(plain.buffer, plain.byteOffset, this.dim), i * this.dim);
    });
    this.matrix = matrix;
    this.subjects = rows.map((r) => r.subject_id);
    this.tensor = undefined;
    return this;
  }

  /** Stores one template for `subjectId`, kept for `retentionDays`. */
  enroll(subjectId: string, embedding: Float32Array, retentionDays: number, now = new Date()): void {
    if (embedding.length !== this.dim) throw new KioskError('FACE_INDEX_DIM_MISMATCH', `embedding of dimension ${embedding.length}, index expects ${this.dim}`);
    if (!subjectId) throw new KioskError('FACE_INDEX_SUBJECT_INVALID', 'subject id is empty');
    const unit = normalise(embedding);
    const { nonce, ciphertext, tag } = this.sealer.sealParts(Buffer.from(unit.buffer, unit.byteOffset, unit.byteLength), this.aad(subjectId));
    const expires = new Date(now.getTime() + retentionDays * 86_400_000);
    this.db
      .prepare('INSERT INTO face_templates (subject_id, model_set, dim, key_id, nonce, ciphertext, tag, enrolled_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(subjectId, this.modelSet, this.dim, this.keyId, nonce, ciphertext, tag, now.toISOString(), expires.toISOString());
    const grown = new Float32Array(this.matrix.length + this.dim);
    grown.set(this.matrix);
    grown.set(unit, this.matrix.length);
    this.matrix = grown;
    this.subjects.push(subjectId);
    this.tensor = undefined;
  }

  /** Removes a subject's templates from the database and from memory; returns how many rows went. */
  remove(subjectId: string): number {
    const n = this.db.prepare('DELETE FROM face_templates WHERE subject_id = ? AND model_set = ?').run(subjectId, this.modelSet).changes;
    this.keepOnly((s) => s !== subjectId);
    return n;
  }

  /** The retention purge: deletes expired templates (all model sets) and reloads what remains in memory. */
  purgeExpired(now = new Date()): number {
    const n = this.db.prepare('DELETE FROM face_templates WHERE expires_at <= ?').run(now.toISOString()).changes;
    if (n > 0) this.load(now);
    return n;
  }

  private keepOnly(keep: (subject: string) => boolean): void {
    const idx = this.subjects.map((s, i) => (keep(s) ? i : -1)).filter((i) => i >= 0);
    const m = new Float32Array(idx.length * this.dim);
    idx.forEach((src, dst) => m.set(this.matrix.subarray(src * this.dim, (src + 1) * this.dim), dst * this.dim));
    this.matrix = m;
    this.subjects = idx.map((i) => this.subjects[i]!);
    this.tensor = undefined;
  }

  /** Test and benchmark hook: replaces the in-memory matrix (rows already L2-normalised). */
  loadMatrix(subjects: string[], matrix: Float32Array): void {
    if (matrix.length !== subjects.length * this.dim) throw new RangeError('matrix size does not match subjects × dim');
    this.subjects = subjects;
    this.matrix = matrix;
    this.tensor = undefined;
  }

  /**
   * Top-k subjects by cosine similarity, best first (one entry per template). The dot products are one
   * onnxruntime MatMul (MLAS GEMV: 2-4× faster than a JavaScript loop, measured in bench:face); the
   * top-k pass over the scores is a short insertion list.
   */
  async search(query: Float32Array, k: number): Promise<SearchHit[]> {
    if (query.length !== this.dim) throw new KioskError('FACE_INDEX_DIM_MISMATCH', `query of dimension ${query.length}, index expects ${this.dim}`);
    const n = this.subjects.length;
    if (n === 0) return [];
    this.tensor ??= new ort.Tensor('float32', this.matrix, [n, this.dim]);
    const out = await (await searchSession()).run({ templates: this.tensor, query: new ort.Tensor('float32', normalise(query), [this.dim, 1]) });
    const scores = out.scores!.data as Float32Array;
    const topScore: number[] = [];
    const topIdx: number[] = [];
    for (let r = 0; r < n; r++) {
      const s = scores[r]!;
      if (topScore.length === k && s <= topScore[k - 1]!) continue;
      let pos = topScore.length;
      while (pos > 0 && topScore[pos - 1]! < s) pos--;
      topScore.splice(pos, 0, s);
      topIdx.splice(pos, 0, r);
      if (topScore.length > k) {
        topScore.pop();
        topIdx.pop();
      }
    }
    return topIdx.map((r, i) => ({ subjectId: this.subjects[r]!, score: topScore[i]! }));
  }
}

let session: Promise<ort.InferenceSession> | undefined;

/** scores[N, 1] = templates[N, D] · query[D, 1], any N and D; one session shared by every index. */
function searchSession(): Promise<ort.InferenceSession> {
  const { onnx } = onnxProto;
  const t = (name: string, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'cccd-kiosk',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'face_index_search',
      node: [{ opType: 'MatMul', input: ['templates', 'query'], output: ['scores'], name: 'dot' }],
      input: [t('templates', ['N', 'D']), t('query', ['D', 1])],
      output: [t('scores', ['N', 1])],
    },
  });
  session ??= ort.InferenceSession.create(onnx.ModelProto.encode(model).finish(), { intraOpNumThreads: 1, interOpNumThreads: 1 });
  return session;
}

function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return Float32Array.from(v, (x) => x / n);
}
