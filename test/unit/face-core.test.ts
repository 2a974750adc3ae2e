import { describe, expect, it } from 'vitest';
import { applyAffine, invertAffine, similarityTransform, type Affine } from '../../app/core/face/geometry.ts';
import { letterbox, unletterboxBox } from '../../app/core/face/letterbox.ts';
import { decodeDetections } from '../../app/core/face/detection.ts';
import { decide, decisionRules, scoreDecision } from '../../app/core/face/policy.ts';
import { assessQuality, laplacianVariance } from '../../app/core/face/quality.ts';
import { judgeChallenge } from '../../app/core/face/liveness.ts';
import { defaultFaceConfig, faceConfig } from '../../app/core/face/config.ts';
import { DLIB_150 } from '../../app/core/face/templates.ts';

describe('similarity transform', () => {
  it('recovers a known rotation + scale + shift from five points, and inverts', () => {
    const th = 0.3, s = 1.7;
    const m: Affine = [s * Math.cos(th), -s * Math.sin(th), 12, s * Math.sin(th), s * Math.cos(th), -5];
    const src = DLIB_150.points;
    const dst = src.map((p) => applyAffine(m, p));
    const fit = similarityTransform(src, dst);
    fit.forEach((v, i) => expect(v).toBeCloseTo(m[i]!, 9));
    const back = applyAffine(invertAffine(fit), dst[2]!);
    expect(back.x).toBeCloseTo(src[2]!.x, 9);
    expect(back.y).toBeCloseTo(src[2]!.y, 9);
  });
  it('rejects coincident points', () => {
    expect(() => similarityTransform([{ x: 1, y: 1 }, { x: 1, y: 1 }], [{ x: 0, y: 0 }, { x: 1, y: 0 }])).toThrow(RangeError);
  });
});

describe('letterbox', () => {
  it('keeps the aspect ratio of a portrait frame and maps boxes back to source pixels', () => {
    const lb = letterbox(480, 640, 320, 240);
    expect(lb.scale).toBeCloseTo(240 / 640);
    expect(lb.width).toBe(180);
    expect(lb.padX).toBe(70);
    expect(lb.padY).toBe(0);
    // A box covering the whole scaled image is the whole source.
    const b = unletterboxBox(lb, { x1: 70 / 320, y1: 0, x2: 250 / 320, y2: 1 });
    expect(b.x1).toBeCloseTo(0, 6);
    expect(b.x2).toBeCloseTo(480, 6);
    expect(b.y2).toBeCloseTo(640, 6);
  });
});

describe('detection decoding', () => {
  it('drops low scores and suppresses overlapping boxes', () => {
    const scores = Float32Array.from([0.1, 0.9, 0.2, 0.8, 0.7, 0.3, 0.05, 0.95]);
    const boxes = Float32Array.from([0, 0, 0.5, 0.5, 0.01, 0.01, 0.5, 0.5, 0.6, 0.6, 0.9, 0.9, 0.6, 0.6, 0.9, 0.9]);
    const d = decodeDetections(scores, boxes, 0.5);
    expect(d.map((x) => x.score)).toEqual([expect.closeTo(0.95), expect.closeTo(0.9)]);
  });
});

describe('match policy (best-of-N)', () => {
  const thresholds = { match: 0.6, noMatch: 0.4 };
  it('matches on the best usable frame and reports the score, never a boolean', () => {
    const r = decide([{ score: 0.3, reasons: [] }, { reasons: ['FACE_TOO_SMALL'] }, { score: 0.72, reasons: [] }], { thresholds });
    expect(r).toMatchObject({ decision: 'MATCH', score: 0.72, usableFrames: 2, totalFrames: 3, reasons: ['FACE_TOO_SMALL'] });
  });
  it('says NO_MATCH below noMatch and UNCERTAIN between', () => {
    expect(decide([{ score: 0.2, reasons: [] }], { thresholds }).decision).toBe('NO_MATCH');
    expect(decide([{ score: 0.5, reasons: [] }], { thresholds })).toMatchObject({ decision: 'UNCERTAIN', notes: ['SCORE_BETWEEN_THRESHOLDS'] });
  });
  it('is UNCERTAIN with guidance when no frame was usable', () => {
    const r = decide([{ reasons: ['NO_FACE'] }, { reasons: ['FACE_TOO_SMALL'] }, { reasons: ['FACE_TOO_SMALL'] }], { thresholds });
    expect(r).toMatchObject({ decision: 'UNCERTAIN', score: null, reasons: ['FACE_TOO_SMALL', 'NO_FACE'], notes: ['NO_USABLE_FRAME'] });
  });
  it('caps a match at UNCERTAIN when required liveness did not pass, never NO_MATCH', () => {
    expect(decide([{ score: 0.9, reasons: [] }], { thresholds, activeChallenge: 'failed' })).toMatchObject({ decision: 'UNCERTAIN', notes: ['LIVENESS_CHALLENGE_FAILED'] });
    expect(decide([{ score: 0.9, reasons: [], liveness: 0.1 }], { thresholds, passiveMinScore: 0.5 })).toMatchObject({ decision: 'UNCERTAIN', notes: ['PASSIVE_LIVENESS_LOW'] });
    expect(decide([{ score: 0.1, reasons: [] }], { thresholds, activeChallenge: 'failed' }).decision).toBe('NO_MATCH');
  });
  it('one score decision for 1:1 and 1:N: MATCH from match on, NO_MATCH below noMatch, UNCERTAIN from noMatch up to match', () => {
    expect([0.6, 0.5999, 0.4, 0.3999].map((s) => scoreDecision(s, thresholds))).toEqual(['MATCH', 'UNCERTAIN', 'UNCERTAIN', 'NO_MATCH']);
  });
  it('takes the rules from the profile: its model set\'s thresholds and the liveness checks it requires', () => {
    const config = faceConfig.parse({ modelSet: 'faceplugin', liveness: { passiveDecides: true, passiveMinScore: 0.7, activeRequired: true } });
    expect(decisionRules(config)).toEqual({ thresholds: config.thresholds.faceplugin, passiveMinScore: 0.7, activeChallenge: 'not-run' });
    expect(decisionRules(config, 'passed').activeChallenge).toBe('passed');
    expect(decisionRules(defaultFaceConfig, 'failed')).toEqual({ thresholds: defaultFaceConfig.thresholds.clean, passiveMinScore: undefined, activeChallenge: undefined });
  });
});

describe('quality gates', () => {
  const q = defaultFaceConfig.quality;
  const good = { faceCount: 1, faceWidthPx: 180, touchesEdge: false, pose: { yaw: 2, pitch: 3, roll: 1 }, sharpness: 500, brightness: 140, eyeOpenness: 0.3 };
  it('passes a good frame', () => expect(assessQuality(good, q)).toEqual([]));
  it('names each problem', () => {
    expect(assessQuality({ faceCount: 0 }, q)).toEqual(['NO_FACE']);
    expect(assessQuality({ faceCount: 2 }, q)).toEqual(['MULTIPLE_FACES']);
    expect(assessQuality({ ...good, faceWidthPx: 99 }, q)).toEqual(['FACE_TOO_SMALL']);
    expect(assessQuality({ ...good, pose: { yaw: 40, pitch: 0, roll: 0 } }, q)).toEqual(['NOT_FACING_CAMERA']);
    expect(assessQuality({ ...good, pose: { yaw: 0, pitch: 0, roll: 30 } }, q)).toEqual(['HEAD_TILTED']);
    expect(assessQuality({ ...good, sharpness: 5, brightness: 20, eyeOpenness: 0.05 }, q)).toEqual(['TOO_BLURRY', 'TOO_DARK', 'EYES_CLOSED']);
  });
  it('measures blur: a sharp checkerboard has more Laplacian variance than a flat image', () => {
    const n = 32;
    const checker = Float32Array.from({ length: n * n }, (_, i) => ((i % n) + Math.floor(i / n)) % 2 ? 255 : 0);
    expect(laplacianVariance(checker, n, n)).toBeGreaterThan(1000);
    expect(laplacianVariance(new Float32Array(n * n).fill(90), n, n)).toBe(0);
  });
});

describe('active liveness challenge', () => {
  const f = (ear: number, yaw = 0) => ({ eyeOpenness: ear, pose: { yaw, pitch: 0, roll: 0 } });
  it('sees a blink (open → closed → open) and not a still photo', () => {
    expect(judgeChallenge('blink', [f(0.3), f(0.29), f(0.1), f(0.08), f(0.31)])).toMatchObject({ passed: true, code: 'BLINK_SEEN', frames: 5 });
    expect(judgeChallenge('blink', Array.from({ length: 30 }, () => f(0.3)))).toMatchObject({ passed: false, code: 'NOT_SEEN' });
  });
  it('sees a head turn and back', () => {
    expect(judgeChallenge('turn', [f(0.3, 0), f(0.3, 9), f(0.3, 20), f(0.3, 4)])).toMatchObject({ passed: true, code: 'TURN_SEEN' });
    expect(judgeChallenge('turn', [f(0.3, 0), f(0.3, 9), f(0.3, 12)]).passed).toBe(false);
  });
  it('fails when the face keeps disappearing', () => {
    expect(judgeChallenge('blink', [f(0.3), {}, {}, f(0.1), f(0.3)])).toMatchObject({ passed: false, code: 'FACE_LOST' });
  });
});

describe('face config', () => {
  it('defaults to the clean model set, one thread, advisory passive liveness', () => {
    expect(defaultFaceConfig).toMatchObject({ modelSet: 'clean', intraOpNumThreads: 1, liveness: { passive: false, passiveDecides: false, activeRequired: false } });
  });
  it('rejects inverted thresholds and unknown keys', () => {
    expect(faceConfig.safeParse({ thresholds: { clean: { match: 0.5, noMatch: 0.7 } } }).success).toBe(false);
    expect(faceConfig.safeParse({ modelSet: 'arcface' }).success).toBe(false);
    expect(faceConfig.safeParse({ quality: { minFaceWidth: 100 } }).success).toBe(false);
  });
});

import { equalErrorRate, errorRates, rocAuc, summarise, thresholdForFar } from '../../app/core/face/evaluation.ts';

describe('evaluation metrics', () => {
  it('AUC is 1 for separated scores, 0.5 for identical, and counts ties half', () => {
    expect(rocAuc([0.9, 0.8], [0.1, 0.2])).toBe(1);
    expect(rocAuc([0.5, 0.5], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0.9, 0.3], [0.5, 0.1])).toBe(0.75);
  });
  it('FAR/FRR, EER and the threshold for a target FAR', () => {
    const g = [0.9, 0.8, 0.7, 0.4];
    const i = [0.1, 0.2, 0.3, 0.75];
    expect(errorRates(g, i, 0.5)).toEqual({ far: 0.25, frr: 0.25 });
    expect(equalErrorRate(g, i).eer).toBe(0.25);
    const t = thresholdForFar(i, 0.25);
    expect(t.threshold).toBeCloseTo(0.3, 5);
    expect(errorRates(g, i, t.threshold).far).toBeLessThanOrEqual(0.25);
    expect(thresholdForFar(i, 0.001)).toMatchObject({ threshold: expect.closeTo(0.75, 5), resolvable: false });
    expect(summarise([3, 1, 2])).toMatchObject({ count: 3, min: 1, median: 2, max: 3 });
  });
});
