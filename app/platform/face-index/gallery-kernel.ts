/**
 * The 1:N kernel: the int32 dot products of one 8-bit query with every 8-bit template of a
 * gallery, by onnxruntime's MatMulInteger on one core.
 *
 * The query is the left operand (unsigned, offset by a zero point declared to the kernel, so the
 * sums come out exact) and the templates the right one (signed, transposed to [D, N]): MLAS's u8×s8
 * GEMM. The templates are a graph initializer, so onnxruntime packs them for that kernel once, when
 * the session is made; a search then only streams the packed bytes (memory-bound: ~2.5 ms for
 * 100,000 × 512 bytes on this machine). Templates changed since come with each query as a second,
 * small input that is packed per run.
 *
 * With VNNI, u8·s8 products are summed in 32 bits. Without it (AVX2, AVX-512 BW) MLAS adds two of
 * them in 16 bits with saturation (vpmaddubsw), which a full 8-bit query can overflow, moving a
 * score: so the first kernel made tries that largest case once, and if it is not exact, queries
 * are quantised to ±63 (offset 64: a pair is at most 2·127·127 = 32,258) instead of ±127.
 */
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';

export interface Dots {
  /** One per packed template, in the order they were given. */
  readonly packed: Int32Array;
  /** One per extra template. */
  readonly extra: Int32Array;
}

export class GalleryKernel {
  private constructor(
    private readonly session: ort.InferenceSession,
    readonly dim: number,
    /** The largest query magnitude this CPU's kernel sums exactly: 127, or 63 without VNNI. */
    readonly queryLevels: number,
  ) {}

  /** Packs the first `count` rows of `rows` (row-major [count, dim], signed), as they are at the call. */
  static async create(rows: Int8Array, count: number, dim: number): Promise<GalleryKernel> {
    const templatesT = transpose(rows, count, dim);
    return GalleryKernel.make(templatesT, count, dim, await exactQueryLevels());
  }

  private static async make(templatesT: Int8Array, count: number, dim: number, queryLevels: number): Promise<GalleryKernel> {
    const model = searchModel(templatesT, count, dim, queryLevels + 1);
    return new GalleryKernel(await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 }), dim, queryLevels);
  }

  /** The query's (within ±queryLevels) dots with the packed templates and with `extra` (row-major [M, dim], M ≥ 0). */
  async dots(query: Int8Array, extra: Int8Array): Promise<Dots> {
    const zeroPoint = this.queryLevels + 1;
    if (query.some((x) => x > this.queryLevels || x < -this.queryLevels)) throw new RangeError(`a query byte beyond ±${this.queryLevels}`);
    const out = await this.session.run({
      query: new ort.Tensor('uint8', Uint8Array.from(query, (x) => x + zeroPoint), [1, this.dim]),
      extra: new ort.Tensor('int8', extra, [extra.length / this.dim, this.dim]),
    });
    return { packed: out.packed!.data as Int32Array, extra: out.extra_dots!.data as Int32Array };
  }

  release(): Promise<void> {
    return this.session.release();
  }

  /** Tries the case a 16-bit sum would saturate on, packed and unpacked: 127 if exact, else 63. */
  static async probeQueryLevels(): Promise<number> {
    const dim = 64, count = 64;
    const probe = await GalleryKernel.make(new Int8Array(count * dim).fill(127), count, dim, 127);
    try {
      const { packed, extra } = await probe.dots(new Int8Array(dim).fill(127), new Int8Array(count * dim).fill(127));
      return [...packed, ...extra].every((d) => d === 127 * 127 * dim) ? 127 : 63;
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

/** [count, dim] → [dim, count]: the layout MatMulInteger's right operand has. */
function transpose(rows: Int8Array, count: number, dim: number): Int8Array {
  const t = new Int8Array(count * dim);
  for (let r = 0; r < count; r++) {
    const from = r * dim;
    for (let c = 0; c < dim; c++) t[c * count + r] = rows[from + c]!;
  }
  return t;
}

/** packed[1, N] = query · templatesᵀ and extra_dots[1, M] = query · extraᵀ, exact int32. */
function searchModel(templatesT: Int8Array, count: number, dim: number, queryZeroPoint: number): Uint8Array {
  const { onnx } = onnxProto;
  const T = onnx.TensorProto.DataType;
  const t = (name: string, elemType: number, dims: (number | string)[]) => ({
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : { dimValue: d })) } } },
  });
  // A Buffer is copied into the model in one piece; a plain Uint8Array view is not always.
  const raw = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'cccd-kiosk',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'face_gallery_search',
      node: [
        { opType: 'MatMulInteger', input: ['query', 'templatesT', 'query_zero_point'], output: ['packed'], name: 'packed_dots' },
        { opType: 'Transpose', input: ['extra'], output: ['extraT'], name: 'extra_columns', attribute: [{ name: 'perm', ints: [1, 0], type: onnx.AttributeProto.AttributeType.INTS }] },
        { opType: 'MatMulInteger', input: ['query', 'extraT', 'query_zero_point'], output: ['extra_dots'], name: 'extra_dots' },
      ],
      initializer: [
        { name: 'templatesT', dataType: T.INT8, dims: [dim, count], rawData: raw(templatesT) },
        { name: 'query_zero_point', dataType: T.UINT8, dims: [], rawData: new Uint8Array([queryZeroPoint]) },
      ],
      input: [t('query', T.UINT8, [1, dim]), t('extra', T.INT8, ['M', dim])],
      output: [t('packed', T.INT32, [1, count]), t('extra_dots', T.INT32, [1, 'M'])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
