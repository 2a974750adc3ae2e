import { iou, type Box } from './geometry.ts';

export interface Detection {
  readonly box: Box;
  readonly score: number;
}

/**
 * Turns the RFB-320 detector's outputs (per prior: [background, face] probabilities and a corner-form
 * box in 0…1 of the input) into face candidates with greedy non-maximum suppression.
 */
export function decodeDetections(scores: Float32Array, boxes: Float32Array, minScore: number, iouThreshold = 0.3): Detection[] {
  const candidates: Detection[] = [];
  const count = scores.length / 2;
  for (let i = 0; i < count; i++) {
    const score = scores[i * 2 + 1]!;
    if (score < minScore) continue;
    candidates.push({ score, box: { x1: boxes[i * 4]!, y1: boxes[i * 4 + 1]!, x2: boxes[i * 4 + 2]!, y2: boxes[i * 4 + 3]! } });
  }
  candidates.sort((a, b) => b.score - a.score);
  const kept: Detection[] = [];
  for (const c of candidates) {
    if (kept.every((k) => iou(k.box, c.box) < iouThreshold)) kept.push(c);
  }
  return kept;
}
