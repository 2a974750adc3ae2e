import { z } from 'zod';
import { secretRef } from '../config/secret-ref.ts';

export const modelSetName = z.enum(['clean', 'faceplugin']);
export type ModelSetName = z.infer<typeof modelSetName>;

/** Cosine-similarity thresholds of one model set: ≥ match → MATCH, < noMatch → NO_MATCH, between → UNCERTAIN. */
const thresholds = (match: number, noMatch: number) =>
  z
    .object({ match: z.number().min(-1).max(1).default(match), noMatch: z.number().min(-1).max(1).default(noMatch) })
    .strict()
    .refine((t) => t.noMatch <= t.match, 'noMatch must not exceed match')
    .prefault({});

/**
 * Face-match settings of a site profile. Owned by the face module.
 *
 * modelSet `clean` (default): licence-clear models (Ultra-Light RFB-320 detector, face-api.js landmarks,
 * dlib's public-domain ResNet embedder converted to ONNX). `faceplugin`: faceplugin@1.0.3's landmark and
 * 512-d embedder, whose training data and weight provenance are undocumented — a deployer must have it
 * reviewed legally before enabling it. See docs/face-matching.md and models/*.md.
 */
export const faceConfig = z
  .object({
    modelSet: modelSetName.default('clean'),
    /** onnxruntime intra-op threads per session. 1 measured fastest on a 2-core kiosk (2 was ~2× slower). */
    intraOpNumThreads: z.number().int().min(1).max(16).default(1),
    /** Calibrate per site with `cccd-kiosk face-eval` on consented data; defaults are from the repo's fixtures. */
    thresholds: z
      .object({ clean: thresholds(0.935, 0.91), faceplugin: thresholds(0.5, 0.35) })
      .strict()
      .prefault({}),
    /** Live frames scored per attempt; the best usable frame decides (best-of-N). */
    burstFrames: z.number().int().min(1).max(30).default(5),
    quality: z
      .object({
        minFaceWidthPx: z.number().int().min(20).default(100),
        maxYawDeg: z.number().min(0).max(90).default(25),
        maxPitchDeg: z.number().min(0).max(90).default(25),
        maxRollDeg: z.number().min(0).max(90).default(20),
        /** Variance of the Laplacian of the aligned grey face; lower is blurrier. */
        minSharpness: z.number().min(0).default(60),
        /** Mean grey level of the aligned face, 0…255. */
        minBrightness: z.number().min(0).max(255).default(60),
        maxBrightness: z.number().min(0).max(255).default(210),
        /** Eye aspect ratio below which eyes count as closed. */
        minEyeOpenness: z.number().min(0).max(1).default(0.14),
      })
      .strict()
      .prefault({}),
    liveness: z
      .object({
        /** Run the passive model and report its score (advisory). */
        passive: z.boolean().default(false),
        /** Let the passive score veto a match. Off: the model is unvalidated (no attack data here). */
        passiveDecides: z.boolean().default(false),
        passiveMinScore: z.number().min(0).max(1).default(0.5),
        /** Require an active challenge (blink or head turn) before a match counts. */
        activeRequired: z.boolean().default(false),
        challenge: z.enum(['blink', 'turn', 'either']).default('either'),
        /** Most frames a challenge may take before it fails. */
        challengeMaxFrames: z.number().int().min(3).max(300).default(60),
      })
      .strict()
      .prefault({}),
    /** 1:N gate index: AES-256-GCM key (32 bytes, hex or base64) from a file or env, never in the DB. */
    index: z
      .object({ key: secretRef, topK: z.number().int().min(1).max(100).default(5) })
      .strict()
      .optional(),
  })
  .strict();
export type FaceConfig = z.infer<typeof faceConfig>;

/** The defaults a profile without a `face:` section gets. */
export const defaultFaceConfig: FaceConfig = faceConfig.parse({});
