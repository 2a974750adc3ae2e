import { KioskError } from '../../core/errors.ts';
import { OnnxGraph } from './onnx-builder.ts';
import type { NamedWeight } from './tfjs-weights.ts';

/**
 * Converts face-api.js (tfjs) networks into ONNX graphs that reproduce face-api's forward pass
 * exactly: the same mean subtraction, TensorFlow 'same'/'valid' padding, layer order and additions.
 * Inputs are NCHW float RGB in 0…255; normalisation is part of the graph.
 */

const MEAN_RGB = [122.782, 117.001, 104.298];

interface T {
  name: string;
  c: number;
  h: number;
  w: number;
}

function weight(weights: Map<string, NamedWeight>, name: string): NamedWeight {
  const w = weights.get(name);
  if (!w) throw new KioskError('MODEL_WEIGHTS_MISSING', `face-api weights lack ${name}`);
  return w;
}

/** tfjs conv filter [kh, kw, cin, cout] → ONNX [cout, cin, kh, kw]. */
function hwioToOihw(w: NamedWeight): { dims: number[]; data: Float32Array } {
  const [kh, kw, ci, co] = w.shape as [number, number, number, number];
  const out = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < ci; i++)
        for (let o = 0; o < co; o++) out[((o * ci + i) * kh + y) * kw + x] = w.data[((y * kw + x) * ci + i) * co + o]!;
  return { dims: [co, ci, kh, kw], data: out };
}

/** tfjs depthwise filter [kh, kw, c, 1] → ONNX grouped conv [c, 1, kh, kw]. */
function depthwiseToOnnx(w: NamedWeight): { dims: number[]; data: Float32Array } {
  const [kh, kw, c] = w.shape as [number, number, number, number];
  const out = new Float32Array(w.data.length);
  for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let i = 0; i < c; i++) out[(i * kh + y) * kw + x] = w.data[(y * kw + x) * c + i]!;
  return { dims: [c, 1, kh, kw], data: out };
}

/** TensorFlow padding for one axis: 'valid' none; 'same' puts the odd pixel at the end. */
function tfPads(size: number, k: number, stride: number, padding: 'same' | 'valid'): { begin: number; end: number; out: number } {
  if (padding === 'valid') return { begin: 0, end: 0, out: Math.floor((size - k) / stride) + 1 };
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + k - size, 0);
  return { begin: Math.floor(total / 2), end: total - Math.floor(total / 2), out };
}

class Converter {
  readonly g: OnnxGraph;
  constructor(name: string, private readonly weights: Map<string, NamedWeight>) {
    this.g = new OnnxGraph(name);
  }

  normalizedInput(size: number): T {
    const mean = this.g.constant('mean_rgb', [1, 3, 1, 1], Float32Array.from(MEAN_RGB));
    const d255 = this.g.constant('div_255', [1], Float32Array.from([255]));
    const centred = this.g.node('Sub', ['input', mean]);
    return { name: this.g.node('Div', [centred, d255]), c: 3, h: size, w: size };
  }

  conv(x: T, prefix: string, filter: { dims: number[]; data: Float32Array }, bias: NamedWeight | undefined, stride: number, padding: 'same' | 'valid', group = 1): T {
    const [co, , k] = filter.dims as [number, number, number, number];
    const py = tfPads(x.h, k, stride, padding);
    const px = tfPads(x.w, k, stride, padding);
    const inputs = [x.name, this.g.constant(`${prefix}/W`, filter.dims, filter.data)];
    if (bias) inputs.push(this.g.constant(`${prefix}/B`, [bias.data.length], bias.data));
    const name = this.g.node('Conv', inputs, {
      kernel_shape: [k, k],
      strides: [stride, stride],
      pads: [py.begin, px.begin, py.end, px.end],
      group,
    });
    return { name, c: co, h: py.out, w: px.out };
  }

  channelAffine(x: T, prefix: string, scale: NamedWeight, shift: NamedWeight): T {
    const s = this.g.constant(`${prefix}/weights`, [1, x.c, 1, 1], scale.data);
    const b = this.g.constant(`${prefix}/biases`, [1, x.c, 1, 1], shift.data);
    return { ...x, name: this.g.node('Add', [this.g.node('Mul', [x.name, s]), b]) };
  }

  op(type: string, a: T, b?: T): T {
    return { ...a, name: this.g.node(type, b ? [a.name, b.name] : [a.name]) };
  }

  w(name: string): NamedWeight {
    return weight(this.weights, name);
  }
}

/** face-api FaceRecognitionNet (dlib ResNet-34 variant): 150×150 RGB → 128-d descriptor. */
export function convertFaceRecognitionNet(weights: Map<string, NamedWeight>): Uint8Array {
  const k = new Converter('faceapi_face_recognition', weights);

  const convLayer = (x: T, p: string, stride: number, relu: boolean, padding: 'same' | 'valid'): T => {
    let out = k.conv(x, `${p}/conv`, hwioToOihw(k.w(`${p}/conv/filters`)), k.w(`${p}/conv/bias`), stride, padding);
    out = k.channelAffine(out, `${p}/scale`, k.w(`${p}/scale/weights`), k.w(`${p}/scale/biases`));
    return relu ? k.op('Relu', out) : out;
  };
  const residual = (x: T, p: string): T => {
    const out = convLayer(convLayer(x, `${p}/conv1`, 1, true, 'same'), `${p}/conv2`, 1, false, 'same');
    return k.op('Relu', k.op('Add', out, x));
  };
  const residualDown = (x: T, p: string): T => {
    let out = convLayer(convLayer(x, `${p}/conv1`, 2, true, 'valid'), `${p}/conv2`, 1, false, 'same');
    let pooled: T = {
      name: k.g.node('AveragePool', [x.name], { kernel_shape: [2, 2], strides: [2, 2] }),
      c: x.c,
      h: Math.floor(x.h / 2),
      w: Math.floor(x.w / 2),
    };
    // face-api pads the strided conv's output with a zero row and column when it is one short of the pool's.
    if (pooled.h !== out.h || pooled.w !== out.w) {
      const pads = k.g.int64(`${p}/pad_hw`, [0, 0, 0, 0, 0, 0, 1, 1]);
      out = { name: k.g.node('Pad', [out.name, pads]), c: out.c, h: out.h + 1, w: out.w + 1 };
    }
    // …and the shortcut with zero channels when the block widens.
    if (pooled.c !== out.c) {
      const pads = k.g.int64(`${p}/pad_c`, [0, 0, 0, 0, 0, out.c - pooled.c, 0, 0]);
      pooled = { ...pooled, name: k.g.node('Pad', [pooled.name, pads]), c: out.c };
    }
    return k.op('Relu', k.op('Add', pooled, out));
  };

  let x = k.normalizedInput(150);
  x = convLayer(x, 'conv32_down', 2, true, 'valid');
  x = { name: k.g.node('MaxPool', [x.name], { kernel_shape: [3, 3], strides: [2, 2] }), c: x.c, h: Math.floor((x.h - 3) / 2) + 1, w: Math.floor((x.w - 3) / 2) + 1 };
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(x, p);
  x = residualDown(x, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(x, p);
  x = residualDown(x, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down_out');

  const pooled = k.g.node('ReduceMean', [x.name], { axes: [2, 3], keepdims: 0 });
  const fc = k.w('fc');
  k.g.node('MatMul', [pooled, k.g.constant('fc', [...fc.shape], fc.data)], {}, 'descriptor');
  return k.g.encode(
    { name: 'input', dims: [1, 3, 150, 150] },
    { name: 'descriptor', dims: [1, 128] },
    'face-api.js FaceRecognitionNet (dlib ResNet) converted from @vladmandic/face-api@1.7.15 tfjs weights by cccd-kiosk',
  );
}

/** face-api FaceLandmark68Net: 112×112 RGB → 68 (x, y) pairs in 0…1 of the input square. */
export function convertFaceLandmark68Net(weights: Map<string, NamedWeight>): Uint8Array {
  const k = new Converter('faceapi_face_landmark_68', weights);

  const separable = (x: T, p: string, stride: number): T => {
    const dw = k.conv(x, `${p}/depthwise`, depthwiseToOnnx(k.w(`${p}/depthwise_filter`)), undefined, stride, 'same', x.c);
    return k.conv(dw, `${p}/pointwise`, hwioToOihw(k.w(`${p}/pointwise_filter`)), k.w(`${p}/bias`), 1, 'same');
  };
  const denseBlock4 = (x: T, p: string, first: boolean): T => {
    const out1 = k.op('Relu', first
      ? k.conv(x, `${p}/conv0`, hwioToOihw(k.w(`${p}/conv0/filters`)), k.w(`${p}/conv0/bias`), 2, 'same')
      : separable(x, `${p}/conv0`, 2));
    const out2 = separable(out1, `${p}/conv1`, 1);
    const in3 = k.op('Relu', k.op('Add', out1, out2));
    const out3 = separable(in3, `${p}/conv2`, 1);
    const in4 = k.op('Relu', k.op('Add', out1, k.op('Add', out2, out3)));
    const out4 = separable(in4, `${p}/conv3`, 1);
    return k.op('Relu', k.op('Add', out1, k.op('Add', out2, k.op('Add', out3, out4))));
  };

  let x = k.normalizedInput(112);
  x = denseBlock4(x, 'dense0', true);
  x = denseBlock4(x, 'dense1', false);
  x = denseBlock4(x, 'dense2', false);
  x = denseBlock4(x, 'dense3', false);
  const pooled = k.g.node('AveragePool', [x.name], { kernel_shape: [7, 7], strides: [2, 2] });
  const flat = k.g.node('Flatten', [pooled], { axis: 1 });
  const fcW = k.w('fc/weights');
  const fcB = k.w('fc/bias');
  const mm = k.g.node('MatMul', [flat, k.g.constant('fc/weights', [...fcW.shape], fcW.data)]);
  k.g.node('Add', [mm, k.g.constant('fc/bias', [fcB.data.length], fcB.data)], {}, 'landmarks');
  return k.g.encode(
    { name: 'input', dims: [1, 3, 112, 112] },
    { name: 'landmarks', dims: [1, 136] },
    'face-api.js FaceLandmark68Net converted from @vladmandic/face-api@1.7.15 tfjs weights by cccd-kiosk',
  );
}
