import { existsSync } from 'node:fs';
import { join } from 'node:path';
import ort from 'onnxruntime-node';
import { KioskError } from '../../core/errors.ts';
import { decodeDetections, type Detection } from '../../core/face/detection.ts';
import { applyAffine, invertAffine, similarityTransform, type Affine, type Box, type Point } from '../../core/face/geometry.ts';
import { fivePoints, type Landmarks68 } from '../../core/face/landmarks.ts';
import { letterbox, unletterboxBox } from '../../core/face/letterbox.ts';
import { ARCFACE_112, DLIB_150, type AlignTemplate } from '../../core/face/templates.ts';
import type { ModelSetName } from '../../core/face/config.ts';
import type { RgbImage } from '../../core/face/rgb-image.ts';
import { letterboxPixels, planarLuma, pyramidLevel, warpToPlanar } from './image.ts';
import { modelsDir as defaultModelsDir, missingModels, readManifest } from './provision.ts';

/** Which files and conventions make up a model set. */
interface ModelSetSpec {
  readonly detector: string;
  readonly landmarks: { readonly file: string; readonly kind: 'faceapi' | 'faceplugin' };
  readonly embedder: { readonly file: string; readonly template: AlignTemplate; readonly normalise: (v: number) => number };
  readonly liveness: string;
}

export const MODEL_SETS: Record<ModelSetName, ModelSetSpec> = {
  clean: {
    detector: 'rfb320-detector.onnx',
    landmarks: { file: 'faceapi-landmark68.onnx', kind: 'faceapi' },
    // The converted graph subtracts face-api's mean RGB and divides by 255 itself.
    embedder: { file: 'faceapi-recognition.onnx', template: DLIB_150, normalise: (v) => v },
    liveness: 'faceplugin-liveness.onnx',
  },
  faceplugin: {
    detector: 'rfb320-detector.onnx',
    landmarks: { file: 'faceplugin-landmark68.onnx', kind: 'faceplugin' },
    embedder: { file: 'faceplugin-feature512.onnx', template: ARCFACE_112, normalise: (v) => (v - 127) / 128 },
    liveness: 'faceplugin-liveness.onnx',
  },
};

export interface EngineOptions {
  readonly modelSet: ModelSetName;
  /** onnxruntime threads per session; 1 measured fastest on a 2-core kiosk. */
  readonly intraOpNumThreads: number;
  /** Minimum detector probability for a face. */
  readonly minDetectionScore?: number;
  readonly modelsDir?: string;
}

/** An aligned face ready for embedding and quality measurement. */
export interface AlignedFace {
  readonly planar: Float32Array;
  readonly size: number;
}

/** Models are missing (offline install) or altered: face matching is unavailable, not broken. */
export class FaceModelsUnavailable extends KioskError {
  constructor(detail: string) {
    super('FACE_MODELS_UNAVAILABLE', `face models are not installed: ${detail}. Run \`node models/provision.mjs\` (npm install does it).`);
  }
}

/**
 * The ONNX side of face matching. Sessions are created once, here, and reused for every frame;
 * everything that is not a tensor (alignment maths, quality rules, decisions) lives in app/core/face.
 */
export class FaceEngine {
  private constructor(
    readonly modelSet: ModelSetName,
    private readonly spec: ModelSetSpec,
    private readonly sessions: { detector: ort.InferenceSession; landmarks: ort.InferenceSession; embedder: ort.InferenceSession; liveness: ort.InferenceSession },
    private readonly minScore: number,
    readonly loadMs: number,
  ) {}

  static async load(opts: EngineOptions): Promise<FaceEngine> {
    const started = performance.now();
    const dir = opts.modelsDir ?? defaultModelsDir;
    const spec = MODEL_SETS[opts.modelSet];
    const files = [spec.detector, spec.landmarks.file, spec.embedder.file, spec.liveness];
    const absent = files.filter((f) => !existsSync(join(dir, f)));
    if (absent.length) throw new FaceModelsUnavailable(`missing ${absent.join(', ')}`);
    // Loading is rare (start-up), so every file's hash is checked against its pin each time.
    const altered = missingModels(readManifest(dir), dir).filter((f) => files.includes(f));
    if (altered.length) throw new FaceModelsUnavailable(`hash mismatch for ${altered.join(', ')}`);
    const options: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: opts.intraOpNumThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    };
    const open = (f: string) => ort.InferenceSession.create(join(dir, f), options);
    const [detector, landmarks, embedder, liveness] = await Promise.all(files.map(open));
    return new FaceEngine(
      opts.modelSet,
      spec,
      { detector: detector!, landmarks: landmarks!, embedder: embedder!, liveness: liveness! },
      opts.minDetectionScore ?? 0.7,
      performance.now() - started,
    );
  }

  get embeddingSize(): number {
    return this.modelSet === 'clean' ? 128 : 512;
  }

  /** All faces in the image, letterboxed into the detector's 320×240 (never stretched), in source pixels. */
  async detect(img: RgbImage): Promise<Detection[]> {
    const lb = letterbox(img.width, img.height, 320, 240);
    const px = await letterboxPixels(img, lb);
    const plane = 320 * 240;
    const input = new Float32Array(3 * plane);
    for (let i = 0; i < plane; i++) for (let c = 0; c < 3; c++) input[c * plane + i] = (px[i * 3 + c]! - 127) / 128;
    const out = await this.sessions.detector.run({ input: new ort.Tensor('float32', input, [1, 3, 240, 320]) });
    const found = decodeDetections(out.scores!.data as Float32Array, out.boxes!.data as Float32Array, this.minScore);
    return found.map((d) => ({ score: d.score, box: clampBox(unletterboxBox(lb, d.box), img) }));
  }

  /** 68 landmarks for the face in `box`, in source pixels. */
  async landmarks(img: RgbImage, box: Box): Promise<Landmarks68> {
    if (this.spec.landmarks.kind === 'faceapi') {
      // face-api's landmark net was trained on square crops around detector boxes; a second pass on the
      // square around the first landmarks makes the result independent of the detector's box style.
      let lm = await this.faceapiLandmarks(img, squareAround(box, 1.0));
      lm = await this.faceapiLandmarks(img, squareAround(landmarkBox(lm), 1.15));
      return lm;
    }
    return this.facepluginLandmarks(img, box);
  }

  private async faceapiLandmarks(img: RgbImage, sq: Box): Promise<Landmarks68> {
    const size = 112;
    const scale = (sq.x2 - sq.x1) / size;
    const toSrc: Affine = [scale, 0, sq.x1, 0, scale, sq.y1];
    const input = await warpShrunk(img, toSrc, size, 0);
    const out = await this.sessions.landmarks.run({ input: new ort.Tensor('float32', input, [1, 3, size, size]) });
    const v = out.landmarks!.data as Float32Array;
    return Array.from({ length: 68 }, (_, i) => applyAffine(toSrc, { x: v[i * 2]! * size, y: v[i * 2 + 1]! * size }));
  }

  private async facepluginLandmarks(img: RgbImage, box: Box): Promise<Landmarks68> {
    const size = 64;
    const sx = (box.x2 - box.x1) / size, sy = (box.y2 - box.y1) / size;
    const toSrc: Affine = [sx, 0, box.x1, 0, sy, box.y1];
    const rgb = await warpShrunk(img, toSrc, size, 0);
    const grey = planarLuma(rgb, size).map((v) => v / 256);
    const out = await this.sessions.landmarks.run({ input: new ort.Tensor('float32', grey, [1, 1, size, size]) });
    const v = out.output!.data as Float32Array;
    return Array.from({ length: 68 }, (_, i) => applyAffine(toSrc, { x: v[i * 2]! * size, y: v[i * 2 + 1]! * size }));
  }

  /** The face warped onto the embedder's five-point template (similarity transform, no shear). */
  async align(img: RgbImage, lm: Landmarks68): Promise<AlignedFace> {
    const t = this.spec.embedder.template;
    const srcToOut = similarityTransform(fivePoints(lm), t.points);
    const toSrc = invertAffine(srcToOut);
    return { planar: await warpShrunk(img, toSrc, t.size, 0), size: t.size };
  }

  /** L2-normalised embedding of an aligned face. */
  async embed(face: AlignedFace): Promise<Float32Array> {
    const input = face.planar.map(this.spec.embedder.normalise);
    const out = await this.sessions.embedder.run({ input: new ort.Tensor('float32', input, [1, 3, face.size, face.size]) });
    return l2normalise(Float32Array.from(Object.values(out)[0]!.data as Float32Array));
  }

  /**
   * faceplugin's passive liveness model on a 2.7× context crop: returns its three class probabilities.
   * Unvalidated here (no attack data exists on this project), so callers treat it as advisory.
   */
  async passiveLiveness(img: RgbImage, box: Box): Promise<number[]> {
    const size = 128;
    const sq = squareAround(box, 2.7);
    const scale = (sq.x2 - sq.x1) / size;
    const input = await warpShrunk(img, [scale, 0, sq.x1, 0, scale, sq.y1], size, 0);
    const out = await this.sessions.liveness.run({ input: new ort.Tensor('float32', input, [1, 3, size, size]) });
    return softmax(Array.from(out.output!.data as Float32Array));
  }
}

async function warpShrunk(img: RgbImage, toSrc: Affine, size: number, fill: number): Promise<Float32Array> {
  const { img: src, factor } = pyramidLevel(img, Math.hypot(toSrc[0], toSrc[3]));
  const m: Affine = factor === 1 ? toSrc : [toSrc[0] * factor, toSrc[1] * factor, toSrc[2] * factor, toSrc[3] * factor, toSrc[4] * factor, toSrc[5] * factor];
  return warpToPlanar(src, m, size, fill);
}

function clampBox(b: Box, img: RgbImage): Box {
  return { x1: Math.max(0, b.x1), y1: Math.max(0, b.y1), x2: Math.min(img.width, b.x2), y2: Math.min(img.height, b.y2) };
}

function squareAround(b: Box, factor: number): Box {
  const cx = (b.x1 + b.x2) / 2, cy = (b.y1 + b.y2) / 2;
  const half = (Math.max(b.x2 - b.x1, b.y2 - b.y1) * factor) / 2;
  return { x1: cx - half, y1: cy - half, x2: cx + half, y2: cy + half };
}

export function landmarkBox(lm: readonly Point[]): Box {
  return {
    x1: Math.min(...lm.map((p) => p.x)),
    y1: Math.min(...lm.map((p) => p.y)),
    x2: Math.max(...lm.map((p) => p.x)),
    y2: Math.max(...lm.map((p) => p.y)),
  };
}

export function l2normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n) || 1;
  return v.map((x) => x / n);
}

function softmax(v: number[]): number[] {
  const m = Math.max(...v);
  const e = v.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}
