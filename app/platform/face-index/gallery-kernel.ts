/**
 * The 1:N kernel: the int32 dot products of one 8-bit query with every 8-bit template of a
 * gallery, by onnxruntime's MatMulInteger on one core.
 *
 * The query is the left operand (unsigned, offset by 128, the offset declared as its zero point so
 * the sums come out exact) and the templates the right one (signed, transposed to [D, N]): MLAS's
 * u8×s8 GEMM, which uses VNNI where the CPU has it. The templates are a graph initializer, so
 * onnxruntime packs them for that kernel once, when the session is made; a search then only
 * streams the packed bytes (memory-bound: ~2.5 ms for 100,000 × 512 bytes on this machine).
 * Templates changed since come with each query as a second, small input that is packed per run.
 */
import ort from 'onnxruntime-node';
import onnxProto from 'onnx-proto';

/** The unsigned query's offset: the kernel multiplies unsigned by signed bytes. */
const QUERY_ZERO_POINT = 128;

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
  ) {}

  /** Packs the first `count` rows of `rows` (row-major [count, dim], signed). */
  static async create(rows: Int8Array, count: number, dim: number): Promise<GalleryKernel> {
    const model = searchModel(transpose(rows, count, dim), count, dim);
    return new GalleryKernel(await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 }), dim);
  }

  /** The query's dots with the packed templates and with `extra` (row-major [M, dim], M ≥ 0). */
  async dots(query: Int8Array, extra: Int8Array): Promise<Dots> {
    const q = Uint8Array.from(query, (x) => x + QUERY_ZERO_POINT);
    const out = await this.session.run({
      query: new ort.Tensor('uint8', q, [1, this.dim]),
      extra: new ort.Tensor('int8', extra, [extra.length / this.dim, this.dim]),
    });
    return { packed: out.packed!.data as Int32Array, extra: out.extra_dots!.data as Int32Array };
  }

  release(): Promise<void> {
    return this.session.release();
  }
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
function searchModel(templatesT: Int8Array, count: number, dim: number): Uint8Array {
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
        { name: 'query_zero_point', dataType: T.UINT8, dims: [], rawData: new Uint8Array([QUERY_ZERO_POINT]) },
      ],
      input: [t('query', T.UINT8, [1, dim]), t('extra', T.INT8, ['M', dim])],
      output: [t('packed', T.INT32, [1, count]), t('extra_dots', T.INT32, [1, 'M'])],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
