import type { FaceConfig } from '../../core/face/config.ts';
import { judgeChallenge, type ChallengeFrame, type ChallengeKind } from '../../core/face/liveness.ts';
import { cosine, decide, decisionRules, type FrameVerdict, type MatchResult } from '../../core/face/policy.ts';
import type { QualityReason } from '../../core/face/quality.ts';
import type { CameraSource } from '../camera/camera.ts';
import type { FaceService, ImageInput } from './face-service.ts';

/** A decision with the template of the live frame that scored best (when any frame was usable). */
export type LiveMatch = MatchResult & { readonly live?: Float32Array };

export interface MatcherOptions {
  /** Give up collecting after this long; what was seen decides (often UNCERTAIN). */
  readonly maxMillis?: number;
  /** Wait per frame before counting the camera as silent. */
  readonly frameTimeoutMs?: number;
}

/**
 * The live face step: pulls frames from the camera, tells the person what to fix (quality reasons),
 * runs the active challenge when the site requires one, and decides best-of-N against the chip portrait.
 * Implements the journey's FaceMatching port shape (portrait in, guidance out, decision with score).
 */
export class FaceMatcher {
  constructor(
    private readonly service: FaceService,
    private readonly camera: CameraSource,
    private readonly opts: MatcherOptions = {},
  ) {}

  private get config(): FaceConfig {
    return this.service.config;
  }

  /** 1:1 against the chip portrait; the result carries the portrait's template and the best live one. */
  async match(portrait: ImageInput, onGuidance: (reasons: readonly QualityReason[]) => void, signal: AbortSignal): Promise<LiveMatch & { chip: Float32Array }> {
    const chip = await this.service.chipEmbedding(portrait);
    return { ...(await this.matchReferences([chip], onGuidance, signal)), chip };
  }

  /**
   * 1:1 against reference templates of one person (e.g. the face enrolled for a visit): each frame
   * scores its best reference, with the same quality gates, burst and liveness as against a portrait.
   */
  async matchReferences(references: readonly Float32Array[], onGuidance: (reasons: readonly QualityReason[]) => void, signal: AbortSignal): Promise<LiveMatch> {
    if (references.length === 0) throw new RangeError('no reference template to match against');
    const { burstFrames, liveness } = this.config;
    const deadline = performance.now() + (this.opts.maxMillis ?? 15_000);
    const verdicts: FrameVerdict[] = [];
    const challengeFrames: ChallengeFrame[] = [];
    const kind: ChallengeKind = liveness.challenge === 'turn' ? 'turn' : 'blink';
    let challenge: 'passed' | 'failed' | 'not-run' | undefined = liveness.activeRequired ? 'not-run' : undefined;
    let usable = 0;
    let live: { score: number; embedding: Float32Array } | undefined;
    while (!signal.aborted && performance.now() < deadline) {
      const frame = await this.camera.nextFrame(signal, this.opts.frameTimeoutMs ?? 2000);
      if (!frame) {
        onGuidance(['NO_FACE']);
        continue;
      }
      const a = await this.service.analyze(frame, { liveness: liveness.passive || liveness.passiveDecides });
      const single = a.faces.length === 1 && a.landmarks ? a.measurements : undefined;
      if (challenge !== undefined && challenge !== 'passed') {
        challengeFrames.push({ eyeOpenness: single?.eyeOpenness, pose: single?.pose });
        const j = liveness.challenge === 'either'
          ? [judgeChallenge('blink', challengeFrames), judgeChallenge('turn', challengeFrames)].find((o) => o.passed) ?? judgeChallenge(kind, challengeFrames)
          : judgeChallenge(kind, challengeFrames);
        if (j.passed) challenge = 'passed';
        else if (challengeFrames.length >= liveness.challengeMaxFrames) challenge = 'failed';
      }
      // During a head-turn challenge, turned frames fail the pose gate: that is expected, not guidance.
      if (a.reasons.length) onGuidance(a.reasons);
      const score = a.embedding ? Math.max(...references.map((r) => cosine(r, a.embedding!))) : undefined;
      verdicts.push({ score, reasons: a.reasons, liveness: a.liveness });
      if (a.embedding && score !== undefined) {
        usable++;
        if (!live || score > live.score) live = { score, embedding: a.embedding };
      }
      const challengeDone = challenge === undefined || challenge === 'passed' || challenge === 'failed';
      if (usable >= burstFrames && challengeDone) break;
    }
    return { ...decide(verdicts, decisionRules(this.config, challenge)), ...(live ? { live: live.embedding } : {}) };
  }
}
