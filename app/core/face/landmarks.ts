import { distance, mean, type Point } from './geometry.ts';

/**
 * Measurements taken from 68 facial landmarks in the common iBUG/dlib order
 * (0–16 jaw, 17–26 brows, 27–35 nose, 36–41 right-of-image eye… 42–47 other eye, 48–67 mouth).
 */
export type Landmarks68 = readonly Point[];

/** Eye centres, nose tip, mouth corners: the five points both embedders are aligned on. */
export function fivePoints(lm: Landmarks68): Point[] {
  if (lm.length !== 68) throw new RangeError(`expected 68 landmarks, got ${lm.length}`);
  return [mean(lm.slice(36, 42)), mean(lm.slice(42, 48)), lm[30]!, lm[48]!, lm[54]!];
}

/** Eye aspect ratio (Soukupová & Čech): ≈0.25–0.35 open, < ≈0.15 closed. Mean of both eyes. */
export function eyeAspectRatio(lm: Landmarks68): number {
  const ear = (e: readonly Point[]) =>
    (distance(e[1]!, e[5]!) + distance(e[2]!, e[4]!)) / (2 * distance(e[0]!, e[3]!));
  return (ear(lm.slice(36, 42)) + ear(lm.slice(42, 48))) / 2;
}

export interface HeadPose {
  /** Degrees; positive = the person turned toward image-left. A geometric estimate, good to ~±10°. */
  readonly yaw: number;
  /** Degrees; positive = chin down. */
  readonly pitch: number;
  /** Degrees; in-plane tilt of the eye line. */
  readonly roll: number;
}

/**
 * Head pose from landmark geometry alone (no 3-D model): yaw from where the nose tip sits between the
 * jaw sides, pitch from where it sits between the eye line and the mouth, roll from the eye line.
 */
export function headPose(lm: Landmarks68): HeadPose {
  const [eyeA, eyeB, nose] = fivePoints(lm) as [Point, Point, Point];
  const roll = (Math.atan2(eyeB.y - eyeA.y, eyeB.x - eyeA.x) * 180) / Math.PI;
  const left = distance(nose, lm[0]!);
  const right = distance(nose, lm[16]!);
  const yaw = (Math.asin(Math.max(-1, Math.min(1, (right - left) / (right + left)))) * 180) / Math.PI * 1.6;
  const eyeMid = mean([eyeA, eyeB]);
  const mouthMid = mean([lm[48]!, lm[54]!]);
  const span = distance(eyeMid, mouthMid);
  // On frontal faces the nose tip sits ~0.55 of the way from the eye line to the mouth line.
  const along = ((nose.x - eyeMid.x) * (mouthMid.x - eyeMid.x) + (nose.y - eyeMid.y) * (mouthMid.y - eyeMid.y)) / (span * span);
  const pitch = (along - 0.55) * 150;
  return { yaw, pitch, roll };
}
