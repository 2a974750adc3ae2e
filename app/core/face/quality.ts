import type { FaceConfig } from './config.ts';
import type { HeadPose } from './landmarks.ts';

/** Why a live frame cannot be used, each with a code the UI turns into guidance. */
export type QualityReason =
  | 'NO_FACE'
  | 'MULTIPLE_FACES'
  | 'FACE_TOO_SMALL'
  | 'FACE_CUT_OFF'
  | 'NOT_FACING_CAMERA'
  | 'HEAD_TILTED'
  | 'TOO_BLURRY'
  | 'TOO_DARK'
  | 'TOO_BRIGHT'
  | 'EYES_CLOSED';

/** Plain guidance for each reason (the UI has its own vi/en strings keyed by the code). */
export const GUIDANCE: Record<QualityReason, { en: string; vi: string }> = {
  NO_FACE: { en: 'Look at the camera', vi: 'Vui lòng nhìn vào camera' },
  MULTIPLE_FACES: { en: 'Only one person in front of the camera, please', vi: 'Chỉ một người đứng trước camera' },
  FACE_TOO_SMALL: { en: 'Move closer', vi: 'Vui lòng lại gần hơn' },
  FACE_CUT_OFF: { en: 'Move to the centre of the screen', vi: 'Vui lòng đứng vào giữa khung hình' },
  NOT_FACING_CAMERA: { en: 'Look straight at the camera', vi: 'Vui lòng nhìn thẳng vào camera' },
  HEAD_TILTED: { en: 'Hold your head straight', vi: 'Vui lòng giữ thẳng đầu' },
  TOO_BLURRY: { en: 'Hold still', vi: 'Vui lòng đứng yên' },
  TOO_DARK: { en: 'Face the light', vi: 'Vui lòng đứng nơi đủ sáng' },
  TOO_BRIGHT: { en: 'Step out of the strong light', vi: 'Vui lòng tránh nguồn sáng mạnh' },
  EYES_CLOSED: { en: 'Open your eyes', vi: 'Vui lòng mở mắt' },
};

/** What the platform measured on one live frame (pixel statistics are computed there, not here). */
export interface FrameMeasurements {
  readonly faceCount: number;
  /** The following describe the largest face, when there is one. */
  readonly faceWidthPx?: number;
  /** The face box reaches the frame edge. */
  readonly touchesEdge?: boolean;
  readonly pose?: HeadPose;
  readonly sharpness?: number;
  readonly brightness?: number;
  readonly eyeOpenness?: number;
}

/** All reasons a frame fails the gates, most fundamental first; empty = usable. */
export function assessQuality(m: FrameMeasurements, q: FaceConfig['quality']): QualityReason[] {
  if (m.faceCount === 0) return ['NO_FACE'];
  if (m.faceCount > 1) return ['MULTIPLE_FACES'];
  const reasons: QualityReason[] = [];
  if (m.faceWidthPx !== undefined && m.faceWidthPx < q.minFaceWidthPx) reasons.push('FACE_TOO_SMALL');
  if (m.touchesEdge) reasons.push('FACE_CUT_OFF');
  if (m.pose) {
    if (Math.abs(m.pose.yaw) > q.maxYawDeg || Math.abs(m.pose.pitch) > q.maxPitchDeg) reasons.push('NOT_FACING_CAMERA');
    if (Math.abs(m.pose.roll) > q.maxRollDeg) reasons.push('HEAD_TILTED');
  }
  if (m.sharpness !== undefined && m.sharpness < q.minSharpness) reasons.push('TOO_BLURRY');
  if (m.brightness !== undefined && m.brightness < q.minBrightness) reasons.push('TOO_DARK');
  if (m.brightness !== undefined && m.brightness > q.maxBrightness) reasons.push('TOO_BRIGHT');
  if (m.eyeOpenness !== undefined && m.eyeOpenness < q.minEyeOpenness) reasons.push('EYES_CLOSED');
  return reasons;
}

/** Variance of a 3×3 Laplacian over a grey image: the usual focus measure (blur lowers it). */
export function laplacianVariance(grey: Float32Array, width: number, height: number): number {
  let sum = 0, sumSq = 0, n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const v = grey[i - width]! + grey[i + width]! + grey[i - 1]! + grey[i + 1]! - 4 * grey[i]!;
      sum += v; sumSq += v * v; n++;
    }
  }
  const m = sum / n;
  return sumSq / n - m * m;
}
