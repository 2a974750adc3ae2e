import type { HeadPose } from './landmarks.ts';

/**
 * Active liveness: the person is asked to blink or turn their head, and the change is judged from
 * landmarks across consecutive frames. It defeats a printed photo or a still image held up to the
 * camera; it does NOT defeat a replayed video, a 3-D mask, or a screen showing a live deep-fake.
 */
export type ChallengeKind = 'blink' | 'turn';

export interface ChallengeFrame {
  /** Eye aspect ratio of the (single) face, or undefined when no single face was found. */
  readonly eyeOpenness?: number;
  readonly pose?: HeadPose;
}

export interface ChallengeOutcome {
  readonly passed: boolean;
  /** Frames looked at before the outcome. */
  readonly frames: number;
  readonly code: 'BLINK_SEEN' | 'TURN_SEEN' | 'NOT_SEEN' | 'FACE_LOST';
}

export interface ChallengeOptions {
  /** EAR below this counts as eyes closed, above `openEar` as open. */
  readonly closedEar?: number;
  readonly openEar?: number;
  /** Yaw change (degrees) from the starting pose that counts as a turn. */
  readonly turnDeg?: number;
}

/**
 * Judges a sequence of frames. Blink: open → closed → open within the sequence. Turn: the yaw moves at
 * least `turnDeg` away from the first frame's and back within half of it. More than a third of the
 * frames without a single face fails the challenge (someone swapping a photo in and out).
 */
export function judgeChallenge(kind: ChallengeKind, frames: readonly ChallengeFrame[], o: ChallengeOptions = {}): ChallengeOutcome {
  const closedEar = o.closedEar ?? 0.15, openEar = o.openEar ?? 0.21, turnDeg = o.turnDeg ?? 15;
  const lost = frames.filter((f) => f.eyeOpenness === undefined || f.pose === undefined).length;
  if (frames.length > 0 && lost * 3 > frames.length) return { passed: false, frames: frames.length, code: 'FACE_LOST' };
  const seen = frames.filter((f) => f.eyeOpenness !== undefined && f.pose !== undefined);
  if (kind === 'blink') {
    let state: 'want-open' | 'want-closed' | 'want-reopen' = 'want-open';
    for (let i = 0; i < seen.length; i++) {
      const ear = seen[i]!.eyeOpenness!;
      if (state === 'want-open' && ear > openEar) state = 'want-closed';
      else if (state === 'want-closed' && ear < closedEar) state = 'want-reopen';
      else if (state === 'want-reopen' && ear > openEar) return { passed: true, frames: i + 1, code: 'BLINK_SEEN' };
    }
    return { passed: false, frames: frames.length, code: 'NOT_SEEN' };
  }
  const start = seen[0]?.pose?.yaw;
  if (start === undefined) return { passed: false, frames: frames.length, code: 'FACE_LOST' };
  let turned = false;
  for (let i = 1; i < seen.length; i++) {
    const d = Math.abs(seen[i]!.pose!.yaw - start);
    if (d >= turnDeg) turned = true;
    else if (turned && d <= turnDeg / 2) return { passed: true, frames: i + 1, code: 'TURN_SEEN' };
  }
  return { passed: false, frames: frames.length, code: 'NOT_SEEN' };
}
