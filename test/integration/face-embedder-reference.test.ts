/**
 * The converted ONNX embedder against an independent computation: a plain-TypeScript forward pass of
 * face-api's FaceRecognitionNet written from its published architecture, reading the original tfjs
 * weights (kept, hash-verified, in models/cache/) with its own dequantisation. It shares no code with
 * the converter (app/platform/models/convert-faceapi.ts, tfjs-weights.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceConfig } from '../../app/core/face/config.ts';
import { FaceService } from '../../app/platform/models/face-service.ts';
import { decodeImage } from '../../app/platform/image/decode.ts';
import { fixture, modelsDir, modelsMissingReason } from './face-models.ts';

const skip = modelsMissingReason();

/** NHWC tensor. */
interface Tensor { h: number; w: number; c: number; d: Float32Array }

function loadWeights(): Map<string, { shape: number[]; v: Float32Array }> {
  const manifest = JSON.parse(readFileSync(join(modelsDir, 'cache', 'model_face_recognition_model-weights_manifest.json'), 'utf8'));
  const bin = readFileSync(join(modelsDir, 'cache', 'model_face_recognition_model.bin'));
  const out = new Map<string, { shape: number[]; v: Float32Array }>();
  let off = 0;
  for (const w of manifest[0].weights as { name: string; shape: number[]; quantization?: { scale: number; min: number } }[]) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    if (w.quantization) {
      for (let i = 0; i < n; i++) v[i] = w.quantization.min + w.quantization.scale * bin[off + i]!;
      off += n;
    } else {
      for (let i = 0; i < n; i++) v[i] = bin.readFloatLE(off + 4 * i);
      off += 4 * n;
    }
    out.set(w.name, { shape: w.shape, v });
  }
  return out;
}

/** TensorFlow conv2d, filter [kh][kw][ci][co]; 'same' puts the odd padding pixel after. */
function conv(x: Tensor, f: { shape: number[]; v: Float32Array }, stride: number, same: boolean): Tensor {
  const [kh, kw, ci, co] = f.shape as [number, number, number, number];
  const oh = same ? Math.ceil(x.h / stride) : Math.floor((x.h - kh) / stride) + 1;
  const ow = same ? Math.ceil(x.w / stride) : Math.floor((x.w - kw) / stride) + 1;
  const padT = same ? Math.floor(Math.max((oh - 1) * stride + kh - x.h, 0) / 2) : 0;
  const padL = same ? Math.floor(Math.max((ow - 1) * stride + kw - x.w, 0) / 2) : 0;
  const d = new Float64Array(oh * ow * co);
  for (let oy = 0; oy < oh; oy++) for (let ox = 0; ox < ow; ox++) {
    const o = (oy * ow + ox) * co;
    for (let ky = 0; ky < kh; ky++) {
      const iy = oy * stride + ky - padT;
      if (iy < 0 || iy >= x.h) continue;
      for (let kx = 0; kx < kw; kx++) {
        const ix = ox * stride + kx - padL;
        if (ix < 0 || ix >= x.w) continue;
        for (let i = 0; i < ci; i++) {
          const a = x.d[(iy * x.w + ix) * ci + i]!;
          const wo = ((ky * kw + kx) * ci + i) * co;
          for (let c = 0; c < co; c++) d[o + c] = d[o + c]! + a * f.v[wo + c]!;
        }
      }
    }
  }
  return { h: oh, w: ow, c: co, d: Float32Array.from(d) };
}

const map = (x: Tensor, f: (v: number, c: number) => number): Tensor => ({ ...x, d: x.d.map((v, i) => f(v, i % x.c)) });
const relu = (x: Tensor) => map(x, (v) => Math.max(0, v));

function forward(input: Tensor, W: ReturnType<typeof loadWeights>): Float32Array {
  const g = (n: string) => W.get(n)!;
  const layer = (x: Tensor, p: string, stride: number, same: boolean, r: boolean) => {
    const b = g(`${p}/conv/bias`).v, s = g(`${p}/scale/weights`).v, t = g(`${p}/scale/biases`).v;
    const y = map(conv(x, g(`${p}/conv/filters`), stride, same), (v, c) => (v + b[c]!) * s[c]! + t[c]!);
    return r ? relu(y) : y;
  };
  const residual = (x: Tensor, p: string) => {
    const y = layer(layer(x, `${p}/conv1`, 1, true, true), `${p}/conv2`, 1, true, false);
    return relu({ ...y, d: y.d.map((v, i) => v + x.d[i]!) });
  };
  const residualDown = (x: Tensor, p: string) => {
    const y = layer(layer(x, `${p}/conv1`, 2, false, true), `${p}/conv2`, 1, true, false);
    const ph = Math.floor(x.h / 2), pw = Math.floor(x.w / 2);
    const out = new Float32Array(ph * pw * y.c);
    for (let oy = 0; oy < ph; oy++) for (let ox = 0; ox < pw; ox++) for (let c = 0; c < y.c; c++) {
      // 2×2 average pool of the shortcut (zero beyond its channels), plus the conv output
      // (zero beyond its rows/columns when it came out one short).
      let pool = 0;
      if (c < x.c) for (let dy = 0; dy < 2; dy++) for (let dx = 0; dx < 2; dx++) pool += x.d[((oy * 2 + dy) * x.w + ox * 2 + dx) * x.c + c]!;
      const conv = oy < y.h && ox < y.w ? y.d[(oy * y.w + ox) * y.c + c]! : 0;
      out[(oy * pw + ox) * y.c + c] = Math.max(0, pool / 4 + conv);
    }
    return { h: ph, w: pw, c: y.c, d: out };
  };
  let x = layer(input, 'conv32_down', 2, false, true);
  // 3×3 max pool, stride 2, valid.
  const mh = Math.floor((x.h - 3) / 2) + 1, mw = Math.floor((x.w - 3) / 2) + 1;
  const mp = new Float32Array(mh * mw * x.c).fill(-Infinity);
  for (let oy = 0; oy < mh; oy++) for (let ox = 0; ox < mw; ox++) for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) for (let c = 0; c < x.c; c++) {
    const o = (oy * mw + ox) * x.c + c;
    mp[o] = Math.max(mp[o]!, x.d[((oy * 2 + ky) * x.w + ox * 2 + kx) * x.c + c]!);
  }
  x = { h: mh, w: mw, c: x.c, d: mp };
  for (const p of ['conv32_1', 'conv32_2', 'conv32_3']) x = residual(x, p);
  x = residualDown(x, 'conv64_down');
  for (const p of ['conv64_1', 'conv64_2', 'conv64_3']) x = residual(x, p);
  x = residualDown(x, 'conv128_down');
  for (const p of ['conv128_1', 'conv128_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down');
  for (const p of ['conv256_1', 'conv256_2']) x = residual(x, p);
  x = residualDown(x, 'conv256_down_out');
  const avg = new Float64Array(x.c);
  for (let i = 0; i < x.h * x.w; i++) for (let c = 0; c < x.c; c++) avg[c] = avg[c]! + x.d[i * x.c + c]! / (x.h * x.w);
  const fc = g('fc'); // [256][128]
  const out = new Float32Array(128);
  for (let j = 0; j < 128; j++) { let s = 0; for (let i = 0; i < x.c; i++) s += avg[i]! * fc.v[i * 128 + j]!; out[j] = s; }
  return out;
}

const cos = (a: Float32Array, b: Float32Array) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i]! * b[i]!; na += a[i]! ** 2; nb += b[i]! ** 2; }
  return d / Math.sqrt(na * nb);
};

describe.skipIf(skip)('converted FaceRecognitionNet vs an independent forward pass', () => {
  let planar: Float32Array;
  beforeAll(async () => {
    const svc = await FaceService.create(faceConfig.parse({ modelSet: 'clean' }));
    const img = await decodeImage(fixture('persons', 'grace-hopper', 'chip.jpg'));
    const [face] = await svc.engine.detect(img);
    planar = (await svc.engine.align(img, await svc.engine.landmarks(img, face!.box))).planar;
  });

  it('agrees within 1e-4 cosine on an aligned public-domain face', async () => {
    const session = await ort.InferenceSession.create(join(modelsDir, 'faceapi-recognition.onnx'));
    const onnxOut = (await session.run({ input: new ort.Tensor('float32', planar, [1, 3, 150, 150]) })).descriptor!.data as Float32Array;

    const n = 150 * 150;
    const mean = [122.782, 117.001, 104.298];
    const nhwc = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) nhwc[i * 3 + c] = (planar[c * n + i]! - mean[c]!) / 255;
    const ref = forward({ h: 150, w: 150, c: 3, d: nhwc }, loadWeights());

    expect(1 - cos(ref, onnxOut)).toBeLessThan(1e-4);
    expect(Math.max(...ref.map((v, i) => Math.abs(v - onnxOut[i]!)))).toBeLessThan(1e-3);
    // And not trivially: a different face gives a clearly different descriptor.
    const shifted = planar.map((v, i) => planar[(i + 150 * 20) % planar.length]! * 0.5 + v * 0.5);
    const other = (await session.run({ input: new ort.Tensor('float32', shifted, [1, 3, 150, 150]) })).descriptor!.data as Float32Array;
    expect(1 - cos(ref, other)).toBeGreaterThan(1e-3);
  }, 120_000);
});
