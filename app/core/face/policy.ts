import type { FaceConfig } from './config.ts';
import type { QualityReason } from './quality.ts';

export type MatchDecision = 'MATCH' | 'NO_MATCH' | 'UNCERTAIN';

export interface Thresholds {
  readonly match: number;
  readonly noMatch: number;
}

/** One live frame's contribution to a decision. */
export interface FrameVerdict {
  /** Cosine similarity to the chip portrait; undefined when the frame failed the quality gates. */
  readonly score?: number;
  readonly reasons: readonly QualityReason[];
  /** Passive liveness (advisory) probability that the face is live, when measured. */
  readonly liveness?: number;
}

export interface MatchResult {
  readonly decision: MatchDecision;
  /** Best cosine similarity over the usable frames; null when no frame was usable. */
  readonly score: number | null;
  readonly thresholds: Thresholds;
  readonly usableFrames: number;
  readonly totalFrames: number;
  /** Reasons from the frames that could not be used, most frequent first (for on-screen guidance). */
  readonly reasons: readonly QualityReason[];
  /** Why the decision is UNCERTAIN or was downgraded, as stable codes. */
  readonly notes: readonly string[];
}

export function cosine(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new RangeError(`embedding sizes differ: ${a.length} vs ${b.length}`);
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!; na += a[i]! * a[i]!; nb += b[i]! * b[i]!;
  }
  return dot / (Math.sqrt(na * nb) || 1);
}

/** One score against one model set's thresholds: ≥ match → MATCH, < noMatch → NO_MATCH, between → UNCERTAIN. */
export function scoreDecision(score: number, t: Thresholds): MatchDecision {
  return score >= t.match ? 'MATCH' : score < t.noMatch ? 'NO_MATCH' : 'UNCERTAIN';
}

/** The thresholds of the model set a profile uses. */
export const activeThresholds = (config: FaceConfig): Thresholds => config.thresholds[config.modelSet];

/** The decision rules a profile sets: its model set's thresholds, and the liveness checks it requires. */
export function decisionRules(config: FaceConfig, activeChallenge?: 'passed' | 'failed' | 'not-run'): DecideOptions {
  const lv = config.liveness;
  return {
    thresholds: activeThresholds(config),
    passiveMinScore: lv.passiveDecides ? lv.passiveMinScore : undefined,
    activeChallenge: lv.activeRequired ? (activeChallenge ?? 'not-run') : undefined,
  };
}

export interface DecideOptions {
  readonly thresholds: Thresholds;
  /** When set, a usable frame whose passive liveness is below this cannot produce MATCH. */
  readonly passiveMinScore?: number;
  /** The active challenge's outcome when the site requires one. */
  readonly activeChallenge?: 'passed' | 'failed' | 'not-run';
}

/**
 * Best-of-N over a burst: the highest score among frames that passed the quality gates decides.
 * A single good frame is enough to match (people blink, turn); one bad frame never causes NO_MATCH.
 * A required liveness check that did not pass caps the result at UNCERTAIN: it never turns into NO_MATCH,
 * which would wrongly say "this is not you".
 */
export function decide(frames: readonly FrameVerdict[], opts: DecideOptions): MatchResult {
  const usable = frames.filter((f) => f.score !== undefined);
  const counts = new Map<QualityReason, number>();
  for (const f of frames) if (f.score === undefined) for (const r of f.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const reasons = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([r]) => r);
  const base = { thresholds: opts.thresholds, usableFrames: usable.length, totalFrames: frames.length, reasons };
  if (usable.length === 0) return { ...base, decision: 'UNCERTAIN', score: null, notes: ['NO_USABLE_FRAME'] };

  const best = usable.reduce((a, b) => (b.score! > a.score! ? b : a));
  const score = best.score!;
  let decision = scoreDecision(score, opts.thresholds);
  const notes: string[] = [];
  if (decision === 'UNCERTAIN') notes.push('SCORE_BETWEEN_THRESHOLDS');
  if (decision === 'MATCH' && opts.passiveMinScore !== undefined && (best.liveness ?? 0) < opts.passiveMinScore) {
    decision = 'UNCERTAIN';
    notes.push('PASSIVE_LIVENESS_LOW');
  }
  if (decision === 'MATCH' && opts.activeChallenge !== undefined && opts.activeChallenge !== 'passed') {
    decision = 'UNCERTAIN';
    notes.push(opts.activeChallenge === 'failed' ? 'LIVENESS_CHALLENGE_FAILED' : 'LIVENESS_CHALLENGE_NOT_RUN');
  }
  return { ...base, decision, score, notes };
}
