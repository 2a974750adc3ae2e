import type { FaceConfig } from '../../core/face/config.ts';
import type { Detection } from '../../core/face/detection.ts';
import { eyeAspectRatio, headPose, type Landmarks68 } from '../../core/face/landmarks.ts';
import { cosine, decide, decisionRules, type FrameVerdict, type MatchResult } from '../../core/face/policy.ts';
import { assessQuality, laplacianVariance, type FrameMeasurements, type QualityReason } from '../../core/face/quality.ts';
import { KioskError } from '../../core/errors.ts';
import { FaceEngine } from './face-engine.ts';
import type { RgbImage } from '../../core/face/rgb-image.ts';
import { decodeImage } from '../image/decode.ts';
import { planarLuma } from './image.ts';

/** Milliseconds per stage, summed over the frames of a call. */
export interface Timings {
  decode: number;
  detect: number;
  landmarks: number;
  align: number;
  embed: number;
  liveness: number;
  total: number;
}

export interface FrameAnalysis {
  readonly faces: readonly Detection[];
  readonly measurements: FrameMeasurements;
  readonly reasons: readonly QualityReason[];
  readonly landmarks?: Landmarks68;
  /** Present when the frame passed the gates (or `force` was set and one face was found). */
  readonly embedding?: Float32Array;
  /** Passive liveness probability (advisory), when enabled. */
  readonly liveness?: number;
}

export interface VerifyResult extends MatchResult {
  readonly modelSet: FaceConfig['modelSet'];
  readonly timings: Timings;
  /** Per live frame: score (if usable), reasons, liveness. */
  readonly frames: readonly FrameVerdict[];
}

export type ImageInput = Uint8Array | RgbImage;

const zeroTimings = (): Timings => ({ decode: 0, detect: 0, landmarks: 0, align: 0, embed: 0, liveness: 0, total: 0 });

async function timed<T>(t: Timings, stage: keyof Timings, f: () => Promise<T>): Promise<T> {
  const s = performance.now();
  try {
    return await f();
  } finally {
    t[stage] += performance.now() - s;
  }
}

/** The chip portrait has no usable face: the chip read must be repeated or the person served by staff. */
export class ChipPortraitUnusable extends KioskError {
  constructor(reason: string) {
    super('FACE_CHIP_PORTRAIT_UNUSABLE', `the chip portrait cannot be used for matching: ${reason}`);
  }
}

/**
 * 1:1 verification of a live burst against the chip portrait, and frame analysis for guidance and 1:N.
 * Holds one FaceEngine (sessions created once). What the host wires to the kiosk API.
 */
export class FaceService {
  private constructor(readonly engine: FaceEngine, readonly config: FaceConfig) {}

  static async create(config: FaceConfig, modelsDir?: string): Promise<FaceService> {
    const engine = await FaceEngine.load({ modelSet: config.modelSet, intraOpNumThreads: config.intraOpNumThreads, modelsDir });
    return new FaceService(engine, config);
  }

  private async image(input: ImageInput, t: Timings): Promise<RgbImage> {
    return input instanceof Uint8Array ? timed(t, 'decode', () => decodeImage(input)) : input;
  }

  /**
   * Detects, measures and (if usable) embeds the face of one frame.
   * `force` embeds the largest face even when gates fail (chip portraits, evaluation).
   */
  async analyze(input: ImageInput, opts: { force?: boolean; liveness?: boolean; timings?: Timings } = {}): Promise<FrameAnalysis> {
    const t = opts.timings ?? zeroTimings();
    const img = await this.image(input, t);
    const faces = await timed(t, 'detect', () => this.engine.detect(img));
    if (faces.length === 0 || (faces.length > 1 && !opts.force)) {
      const measurements = { faceCount: faces.length };
      return { faces, measurements, reasons: assessQuality(measurements, this.config.quality) };
    }
    const face = faces.reduce((a, b) => (b.box.x2 - b.box.x1 > a.box.x2 - a.box.x1 ? b : a));
    const landmarks = await timed(t, 'landmarks', () => this.engine.landmarks(img, face.box));
    const aligned = await timed(t, 'align', () => this.engine.align(img, landmarks));
    const grey = planarLuma(aligned.planar, aligned.size);
    // Sharpness and exposure are measured on the central face region of the aligned crop, so
    // background and hair do not count.
    const inner = centre(grey, aligned.size, 0.6);
    const edge = 2;
    const measurements: FrameMeasurements = {
      faceCount: faces.length,
      faceWidthPx: face.box.x2 - face.box.x1,
      touchesEdge: face.box.x1 <= edge || face.box.y1 <= edge || face.box.x2 >= img.width - edge || face.box.y2 >= img.height - edge,
      pose: headPose(landmarks),
      sharpness: laplacianVariance(inner.data, inner.size, inner.size) * (150 / aligned.size) ** 2,
      brightness: inner.data.reduce((a, b) => a + b, 0) / inner.data.length,
      eyeOpenness: eyeAspectRatio(landmarks),
    };
    const reasons = assessQuality(measurements, this.config.quality);
    const liveness = opts.liveness
      ? await timed(t, 'liveness', async () => (await this.engine.passiveLiveness(img, face.box))[0]!)
      : undefined;
    if (reasons.length > 0 && !opts.force) return { faces, measurements, reasons, landmarks, liveness };
    const embedding = await timed(t, 'embed', () => this.engine.embed(aligned));
    return { faces, measurements, reasons, landmarks, embedding, liveness };
  }

  /** Whether a frame shows any face at all (detection only): an unattended station's cue to start. */
  async faceInView(input: ImageInput): Promise<boolean> {
    return (await this.engine.detect(await this.image(input, zeroTimings()))).length > 0;
  }

  /** Embedding of the chip portrait (DG2: JPEG or JPEG 2000). Only "a face was found" is required of it. */
  async chipEmbedding(input: ImageInput, timings?: Timings): Promise<Float32Array> {
    const a = await this.analyze(input, { force: true, timings });
    if (!a.embedding) throw new ChipPortraitUnusable(a.faces.length === 0 ? 'no face found' : 'face could not be measured');
    return a.embedding;
  }

  /** Chip portrait vs a burst of live frames → MATCH / NO_MATCH / UNCERTAIN with the score. */
  async verify(chip: ImageInput, live: readonly ImageInput[], activeChallenge?: 'passed' | 'failed' | 'not-run'): Promise<VerifyResult> {
    const timings = zeroTimings();
    const started = performance.now();
    const chipEmb = await this.chipEmbedding(chip, timings);
    const frames: FrameVerdict[] = [];
    const lv = this.config.liveness;
    for (const frame of live.slice(0, this.config.burstFrames)) {
      const a = await this.analyze(frame, { liveness: lv.passive || lv.passiveDecides, timings });
      frames.push({ score: a.embedding ? cosine(chipEmb, a.embedding) : undefined, reasons: a.reasons, liveness: a.liveness });
    }
    const result = decide(frames, decisionRules(this.config, activeChallenge));
    timings.total = performance.now() - started;
    return { ...result, modelSet: this.config.modelSet, timings, frames };
  }
}

function centre(grey: Float32Array, size: number, frac: number): { data: Float32Array; size: number } {
  const s = Math.round(size * frac);
  const o = Math.floor((size - s) / 2);
  const data = new Float32Array(s * s);
  for (let y = 0; y < s; y++) for (let x = 0; x < s; x++) data[y * s + x] = grey[(y + o) * size + x + o]!;
  return { data, size: s };
}
