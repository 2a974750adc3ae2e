import { beforeAll, describe, expect, it } from 'vitest';
import { faceConfig } from '../../app/core/face/config.ts';
import { cosine } from '../../app/core/face/policy.ts';
import { FaceService } from '../../app/platform/models/face-service.ts';
import { fixture, modelsMissingReason } from './face-models.ts';

const skip = modelsMissingReason();
const people = ['grace-hopper', 'eileen-collins'] as const;
const lives = ['live-1.jpg', 'live-2.jpg', 'live-3.jpg'];

for (const modelSet of ['clean', 'faceplugin'] as const) {
  describe.skipIf(skip)(`face matching, ${modelSet} model set`, () => {
    let svc: FaceService;
    const chip = new Map<string, Float32Array>();
    beforeAll(async () => {
      svc = await FaceService.create(faceConfig.parse({ modelSet }));
      for (const p of people) chip.set(p, await svc.chipEmbedding(fixture('persons', p, 'chip.jpg')));
    });

    it('scores every same-person chip/live pair above the match threshold', async () => {
      const t = svc.config.thresholds[modelSet];
      for (const p of people) {
        for (const f of lives) {
          const live = await svc.analyze(fixture('persons', p, f), { force: true });
          expect(cosine(chip.get(p)!, live.embedding!), `${p}/${f}`).toBeGreaterThanOrEqual(t.match);
        }
      }
    });

    it('scores every different-person pair below the no-match threshold', async () => {
      const t = svc.config.thresholds[modelSet];
      for (const p of people) {
        const other = people.find((q) => q !== p)!;
        for (const f of lives) {
          const live = await svc.analyze(fixture('persons', other, f), { force: true });
          expect(cosine(chip.get(p)!, live.embedding!), `${p} vs ${other}/${f}`).toBeLessThan(t.noMatch);
        }
      }
    });

    it('verify(): MATCH for the holder, NO_MATCH for someone else, with score and timings', async () => {
      const burst = lives.map((f) => fixture('persons', 'grace-hopper', f));
      const same = await svc.verify(fixture('persons', 'grace-hopper', 'chip.jpg'), burst);
      expect(same.decision).toBe('MATCH');
      expect(same.score).toBeGreaterThan(svc.config.thresholds[modelSet].match);
      expect(same.timings.total).toBeGreaterThan(0);
      const other = await svc.verify(fixture('persons', 'eileen-collins', 'chip.jpg'), burst);
      expect(other.decision).toBe('NO_MATCH');
      expect(typeof other.score).toBe('number');
    });

    it('a burst of unusable frames gives UNCERTAIN with guidance, not NO_MATCH', async () => {
      const r = await svc.verify(fixture('persons', 'grace-hopper', 'chip.jpg'), [fixture('quality', 'small-face.jpg'), fixture('quality', 'no-face.jpg')]);
      expect(r).toMatchObject({ decision: 'UNCERTAIN', score: null, usableFrames: 0 });
      expect(r.reasons).toEqual(expect.arrayContaining(['FACE_TOO_SMALL', 'NO_FACE']));
    });
  });
}

describe.skipIf(skip)('quality gates on live frames', () => {
  let svc: FaceService;
  beforeAll(async () => {
    svc = await FaceService.create(faceConfig.parse({}));
  });
  it.each([
    ['small-face.jpg', 'FACE_TOO_SMALL'],
    ['no-face.jpg', 'NO_FACE'],
    ['two-faces.jpg', 'MULTIPLE_FACES'],
    ['blurred.jpg', 'TOO_BLURRY'],
    ['dark.jpg', 'TOO_DARK'],
  ])('%s → %s', async (file, reason) => {
    const a = await svc.analyze(fixture('quality', file));
    expect(a.reasons).toContain(reason);
    expect(a.embedding).toBeUndefined();
  });
  it('a good live frame passes every gate', async () => {
    const a = await svc.analyze(fixture('persons', 'grace-hopper', 'live-1.jpg'));
    expect(a.reasons).toEqual([]);
    expect(a.measurements.faceWidthPx).toBeGreaterThanOrEqual(100);
    expect(a.embedding).toHaveLength(128);
  });
  it('an undecodable image is a typed error', async () => {
    await expect(svc.analyze(new Uint8Array([1, 2, 3, 4]))).rejects.toMatchObject({ code: 'FACE_IMAGE_UNREADABLE' });
  });
});
