/**
 * The 1:N kernel: the scores of one 8-bit query against every 8-bit template of a gallery and the
 * best of them, in one onnxruntime run on one core (MatMulIntegerToFloat, then TopK).
 *
 * The query is the left operand (unsigned, offset by a zero point declared to the kernel, so the
 * sums come out exact) and the templates the right one (signed, transposed to [D, N]): MLAS's u8×s8
 * GEMM. The templates are a graph initializer, so onnxruntime packs them for that kernel once, when
 * the session is made; a search then only streams the packed bytes (memory-bound: ~2.5 ms for
 * 100,000 × 512 bytes on this machine). The integer sums are scaled to cosines in the same pass,
 * and TopK picks the best in C++, so no JavaScript loop runs over every template. Templates changed
 * since packing come with each query as a second, small input that is packed per run.
 *
 * With VNNI, u8·s8 products are summed in 32 bits. Without it (AVX2, AVX-512 BW) MLAS adds two of
 * them in 16 bits with saturation (vpmaddubsw), which a full 8-bit query can overflow, moving a
 * score: so the first kernel made tries that largest case once, and if it is not exact, queries
 * are quantised to ±63 (offset 64: a pair is at most 2·127·127 = 32,258) instead of ±127.
 */
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';

/** What a search takes beside the packed templates: a mask over them and templates of its own. */
export interface Beside {
  /** Per packed column: 0, or −Infinity to leave the column out (its template changed since packing). */
  readonly skip: Float32Array;
  /** Row-major [M, dim], M ≥ 0, with a scale each. */
  readonly rows: Int8Array;
  readonly scales: Float32Array;
}

export interface Scored {
  /** The best packed columns, best first, with their scores (−Infinity for a column left out). */
  readonly columns: readonly number[];
  readonly scores: Float32Array;
  /** The score of each template beside. */
  readonly beside: Float32Array;
}

export class GalleryKernel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly count: number,
    readonly dim: number,
    /** The largest query magnitude this CPU's kernel sums exactly: 127, or 63 without VNNI. */
    readonly queryLevels: number,
  ) {}

  /** Packs the first `count` rows of `rows` (row-major [count, dim], signed; `scales` one each), as they are at the call. */
  static async create(rows: Int8Array, scales: Float32Array, count: number, dim: number): Promise<GalleryKernel> {
    const templatesT = transpose(rows, count, dim);
    const templateScales = scales.slice(0, count);
    return GalleryKernel.make(templatesT, templateScales, dim, await exactQueryLevels());
  }

  private static async make(templatesT: Int8Array, scales: Float32Array, dim: number, queryLevels: number): Promise<GalleryKernel> {
    const model = searchModel(templatesT, scales, dim, queryLevels + 1);
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    return new GalleryKernel(session, scales.length, dim, queryLevels);
  }

  /**
   * Scores `query` (within ±queryLevels, times `queryScale`) against every template: the best `k`
   * packed ones (1 ≤ k ≤ count) and every one beside.
   */
  async search(query: Int8Array, queryScale: number, k: number, beside: Beside): Promise<Scored> {
    const zeroPoint = this.queryLevels + 1;
    if (query.some((x) => x > this.queryLevels || x < -this.queryLevels)) throw new RangeError(`a query byte beyond ±${this.queryLevels}`);
    if (!Number.isInteger(k) || k < 1 || k > this.count) throw new RangeError(`k is 1 to ${this.count}, not ${k}`);
    const m = beside.scales.length;
    const out = await this.session.run({
      query: new ort.Tensor('uint8', Uint8Array.from(query, (x) => x + zeroPoint), [1, this.dim]),
      query_scale: new ort.Tensor('float32', Float32Array.of(queryScale), []),
      skip: new ort.Tensor('float32', beside.skip, [this.count]),
      k: new ort.Tensor('int64', BigInt64Array.of(BigInt(k)), [1]),
      beside: new ort.Tensor('int8', beside.rows, [m, this.dim]),
      beside_scales: new ort.Tensor('float32', beside.scales, [m]),
    });
    return {
      columns: Array.from(out.best_columns!.data as BigInt64Array, Number),
      scores: out.best_scores!.data as Float32Array,
      beside: out.beside_scores!.data as Float32Array,
    };
  }

  release(): Promise<void> {
    return this.session.release();
  }

  /** Tries the case a 16-bit sum would saturate on, packed and beside: 127 if exact, else 63. */
  static async probeQueryLevels(): Promise<number> {
    const dim = 64, count = 64;
    const ones = new Float32Array(count).fill(1);
    const probe = await GalleryKernel.make(new Int8Array(count * dim).fill(127), ones, dim, 127);
    try {
      const { scores, beside } = await probe.search(new Int8Array(dim).fill(127), 1, count, { skip: new Float32Array(count), rows: new Int8Array(count * dim).fill(127), scales: ones });
      return [...scores, ...beside].every((d) => d === 127 * 127 * dim) ? 127 : 63;
    } finally {
      await probe.release();
    }
  }
}

let queryLevels: Promise<number> | undefined;

function exactQueryLevels(): Promise<number> {
  // Once per process; a probe that failed is tried again by the next packing.
  return (queryLevels ??= GalleryKernel.probeQueryLevels().catch((e: unknown) => {
    queryLevels = undefined;
    throw e;
  }));
}

/** [count, dim] → [dim, count]: the layout the right operand of a matrix product has. */
function transpose(rows: Int8Array, count: number, dim: number): Int8Array {
  const t = new Int8Array(count * dim);
  for (let r = 0; r < count; r++) {
    const from = r * dim;
    for (let c = 0; c < dim; c++) t[c * count + r] = rows[from + c]!;
  }
  return t;
}

/**
 * best_scores, best_columns [1, k] = TopK(query · templatesᵀ × query_scale × template_scales + skip)
 * and beside_scores [1, M] = query · besideᵀ × query_scale × beside_scales.
 */
function searchModel(templatesT: Int8Array, scales: Float32Array, dim: number, queryZeroPoint: number): Uint8Array {
  const { onnx } = onnxProto;
  const T = onnx.TensorProto.DataType;
  const count = scales.length;
  const t = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  // A Buffer is copied into the model in one piece.
  const raw = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'cccd-kiosk',
    opsetImport: [{ domain: '', version: 13 }, { domain: 'com.microsoft', version: 1 }],
    graph: {
      name: 'face_gallery_search',
      node: [
        { opType: 'MatMulIntegerToFloat', domain: 'com.microsoft', input: ['query', 'templatesT', 'query_scale', 'template_scales', 'query_zero_point', '', 'skip'], output: ['scores'], name: 'packed_scores' },
        { opType: 'TopK', input: ['scores', 'k'], output: ['best_scores', 'best_columns'], name: 'best' },
        { opType: 'Transpose', input: ['beside'], output: ['besideT'], name: 'beside_columns', attribute: [{ name: 'perm', ints: [1, 0], type: onnx.AttributeProto.AttributeType.INTS }] },
        { opType: 'MatMulIntegerToFloat', domain: 'com.microsoft', input: ['query', 'besideT', 'query_scale', 'beside_scales', 'query_zero_point'], output: ['beside_scores'], name: 'beside_scores' },
      ],
      initializer: [
        { name: 'templatesT', dataType: T.INT8, dims: [dim, count], rawData: raw(templatesT) },
        { name: 'template_scales', dataType: T.FLOAT, dims: [count], rawData: raw(scales) },
        { name: 'query_zero_point', dataType: T.UINT8, dims: [], rawData: new Uint8Array([queryZeroPoint]) },
      ],
      input: [
        t('query', T.UINT8, [1, dim]), t('query_scale', T.FLOAT, []), t('skip', T.FLOAT, [count]), t('k', T.INT64, [1]),
        t('beside', T.INT8, ['M', dim]), t('beside_scales', T.FLOAT, ['M']),
      ],
      output: [t('best_scores', T.FLOAT, [1, 'K']), t('best_columns', T.INT64, [1, 'K']), t('beside_scores', T.FLOAT, [1, 'M'])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
