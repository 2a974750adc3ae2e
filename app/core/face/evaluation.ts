/**
 * Verification metrics over genuine (same person) and impostor (different people) similarity scores.
 * Higher score = more alike. Pure functions, used by `cccd-kiosk face-eval`.
 */

export interface ScoreSummary {
  readonly count: number;
  readonly min: number;
  readonly p05: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function summarise(scores: readonly number[]): ScoreSummary {
  const s = [...scores].sort((a, b) => a - b);
  return { count: s.length, min: s[0] ?? NaN, p05: quantile(s, 0.05), median: quantile(s, 0.5), p95: quantile(s, 0.95), max: s[s.length - 1] ?? NaN };
}

/** Probability that a random genuine score beats a random impostor score (ties count half). */
export function rocAuc(genuine: readonly number[], impostor: readonly number[]): number {
  if (genuine.length === 0 || impostor.length === 0) return NaN;
  const all = [...genuine.map((s) => ({ s, g: 1 })), ...impostor.map((s) => ({ s, g: 0 }))].sort((a, b) => a.s - b.s);
  // Mann–Whitney U with average ranks for ties.
  let rankSumG = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const avgRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]!.g) rankSumG += avgRank;
    i = j;
  }
  return (rankSumG - (genuine.length * (genuine.length + 1)) / 2) / (genuine.length * impostor.length);
}

/** False accepts (impostor ≥ t) and false rejects (genuine < t) at threshold t. */
export function errorRates(genuine: readonly number[], impostor: readonly number[], t: number): { far: number; frr: number } {
  return {
    far: impostor.length ? impostor.filter((s) => s >= t).length / impostor.length : NaN,
    frr: genuine.length ? genuine.filter((s) => s < t).length / genuine.length : NaN,
  };
}

/** Equal error rate and its threshold, scanning every observed score as a candidate threshold. */
export function equalErrorRate(genuine: readonly number[], impostor: readonly number[]): { eer: number; threshold: number } {
  const candidates = [...new Set([...genuine, ...impostor])].sort((a, b) => a - b);
  let best = { eer: NaN, threshold: NaN, gap: Infinity };
  for (const t of [...candidates, (candidates[candidates.length - 1] ?? 0) + 1e-6]) {
    const { far, frr } = errorRates(genuine, impostor, t);
    const gap = Math.abs(far - frr);
    if (gap < best.gap) best = { eer: (far + frr) / 2, threshold: t, gap };
  }
  return { eer: best.eer, threshold: best.threshold };
}

/**
 * The lowest threshold whose measured FAR is at most `targetFar`: just above the impostor score that
 * would be the ⌊targetFar·N⌋+1-th false accept. With N impostor pairs the smallest FAR that can be
 * told apart from zero is 1/N; below that the answer only says "above every impostor seen".
 */
export function thresholdForFar(impostor: readonly number[], targetFar: number): { threshold: number; resolvable: boolean } {
  const s = [...impostor].sort((a, b) => b - a);
  const allowed = Math.floor(targetFar * s.length);
  const pivot = s[allowed];
  return { threshold: pivot === undefined ? -1 : pivot + 1e-6, resolvable: targetFar * s.length >= 1 };
}

export interface RankedMatch {
  readonly key: string;
  readonly score: number;
}

/**
 * How an approximate search (e.g. 8-bit templates) answers against the exact one over the same
 * queries: how often the top match is the same key, and the largest difference in the top score.
 */
export function topMatchAgreement(pairs: readonly { readonly exact: RankedMatch; readonly approx: RankedMatch }[]): { queries: number; sameTop: number; maxScoreDelta: number } {
  let sameTop = 0;
  let maxScoreDelta = 0;
  for (const { exact, approx } of pairs) {
    if (exact.key === approx.key) sameTop++;
    maxScoreDelta = Math.max(maxScoreDelta, Math.abs(exact.score - approx.score));
  }
  return { queries: pairs.length, sameTop, maxScoreDelta };
}
