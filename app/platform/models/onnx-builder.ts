import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

type Attr = number | number[] | string;

/**
 * A tiny ONNX graph builder: float32 initializers, nodes with int/float/ints attributes, one input and
 * one output. The protobuf encoding of the same calls is byte-identical, so converted models have a
 * stable sha256 that the provisioning manifest pins.
 */
export class OnnxGraph {
  private readonly nodes: InstanceType<typeof onnx.NodeProto>[] = [];
  private readonly initializers: InstanceType<typeof onnx.TensorProto>[] = [];
  private counter = 0;

  constructor(readonly name: string) {}

  /** Adds a float32 constant; returns its name. */
  constant(name: string, dims: readonly number[], data: Float32Array): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (count !== data.length) throw new Error(`constant ${name}: ${data.length} values for dims ${dims.join('x')}`);
    const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.initializers.push(onnx.TensorProto.create({ name, dims: [...dims], dataType: onnx.TensorProto.DataType.FLOAT, rawData: raw }));
    return name;
  }

  /** Adds an int64 constant (shapes, pads); returns its name. */
  int64(name: string, values: readonly number[]): string {
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
    this.initializers.push(onnx.TensorProto.create({ name, dims: [values.length], dataType: onnx.TensorProto.DataType.INT64, rawData: raw }));
    return name;
  }

  /** Appends a node; returns the name of its (single) output. */
  node(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, output?: string): string {
    const out = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    const attribute = Object.entries(attrs).map(([name, v]) => {
      if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
      if (typeof v === 'string') return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(v) });
      if (Number.isInteger(v)) return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });
      return onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
    });
    this.nodes.push(onnx.NodeProto.create({ opType, input: inputs, output: [out], name: out, attribute }));
    return out;
  }

  /** Serialises the model (IR 8, default opset 13). */
  encode(input: { name: string; dims: number[] }, output: { name: string; dims: number[] }, docString: string): Uint8Array {
    const valueInfo = (v: { name: string; dims: number[] }) =>
      onnx.ValueInfoProto.create({
        name: v.name,
        type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: v.dims.map((d) => ({ dimValue: d })) } } },
      });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: 'cccd-kiosk',
      producerVersion: '1',
      docString,
      opsetImport: [{ domain: '', version: 13 }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: [valueInfo(input)],
        output: [valueInfo(output)],
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
