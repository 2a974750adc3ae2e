import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceConfig } from '../../app/core/face/config.ts';
import type { QualityReason } from '../../app/core/face/quality.ts';
import { FileFrameSource } from '../../app/platform/camera/file-source.ts';
import { cosine } from '../../app/core/face/policy.ts';
import { FaceMatcher } from '../../app/platform/models/face-matcher.ts';
import { FaceService } from '../../app/platform/models/face-service.ts';
import { fixture, modelsMissingReason } from './face-models.ts';

const skip = modelsMissingReason();

function folder(files: [string, ...string[]][]): string {
  const dir = mkdtempSync(join(tmpdir(), 'frames-'));
  files.forEach((p, i) => writeFileSync(join(dir, `${String(i).padStart(3, '0')}.jpg`), fixture(...p)));
  return dir;
}

describe.skipIf(skip)('face matcher: camera burst → guidance → decision', () => {
  let svc: FaceService;
  beforeAll(async () => {
    svc = await FaceService.create(faceConfig.parse({ burstFrames: 2 }));
  });

  it('guides past unusable frames, then matches the card holder', async () => {
    const cam = new FileFrameSource(folder([['quality', 'small-face.jpg'], ['quality', 'two-faces.jpg'], ['persons', 'grace-hopper', 'live-1.jpg'], ['persons', 'grace-hopper', 'live-2.jpg']]));
    const guidance: QualityReason[][] = [];
    const r = await new FaceMatcher(svc, cam).match(fixture('persons', 'grace-hopper', 'chip.jpg'), (g) => guidance.push([...g]), new AbortController().signal);
    expect(guidance).toEqual([['FACE_TOO_SMALL'], ['MULTIPLE_FACES']]);
    expect(r).toMatchObject({ decision: 'MATCH', usableFrames: 2, totalFrames: 4 });
    // The templates behind the decision: the chip's, and the live frame that scored best.
    expect(r.chip.length).toBe(svc.engine.embeddingSize);
    expect(cosine(r.chip, r.live!)).toBeCloseTo(r.score!, 5);
  });

  it('matches against reference templates alone (a visit\'s enrolled face), and a stranger\'s template does not match', async () => {
    const own = await svc.chipEmbedding(fixture('persons', 'grace-hopper', 'chip.jpg'));
    const cam = () => new FileFrameSource(folder([['persons', 'grace-hopper', 'live-1.jpg'], ['persons', 'grace-hopper', 'live-2.jpg']]));
    const r = await new FaceMatcher(svc, cam()).matchReferences([own], () => {}, new AbortController().signal);
    expect(r.decision).toBe('MATCH');
    const stranger = own.map((v, i) => (i % 2 === 0 ? -v : v));
    const other = await new FaceMatcher(svc, cam()).matchReferences([stranger], () => {}, new AbortController().signal);
    expect(other.decision).not.toBe('MATCH');
  });

  it('gives a decision with its score, and guidance as codes', async () => {
    const cam = new FileFrameSource(folder([['quality', 'no-face.jpg'], ['persons', 'grace-hopper', 'live-3.jpg']]));
    const seen: string[] = [];
    const out = await new FaceMatcher(svc, cam).match(fixture('persons', 'grace-hopper', 'chip.jpg'), (g) => seen.push(...g), new AbortController().signal);
    expect(out.decision).toBe('MATCH');
    expect(out.score).toBeGreaterThan(0.9);
    expect(seen).toContain('NO_FACE');
  });

  it('says NO_MATCH for another person', async () => {
    const cam = new FileFrameSource(folder([['persons', 'eileen-collins', 'live-1.jpg']]));
    const r = await new FaceMatcher(svc, cam).match(fixture('persons', 'grace-hopper', 'chip.jpg'), () => {}, new AbortController().signal);
    expect(r.decision).toBe('NO_MATCH');
  });

  it('a required blink challenge is not passed by a still photo: UNCERTAIN, not MATCH', async () => {
    const strict = await FaceService.create(faceConfig.parse({ burstFrames: 2, liveness: { activeRequired: true, challenge: 'blink', challengeMaxFrames: 4 } }));
    const cam = new FileFrameSource(folder([['persons', 'grace-hopper', 'live-1.jpg']]));
    const r = await new FaceMatcher(strict, cam).match(fixture('persons', 'grace-hopper', 'chip.jpg'), () => {}, new AbortController().signal);
    expect(r).toMatchObject({ decision: 'UNCERTAIN', notes: ['LIVENESS_CHALLENGE_FAILED'] });
    expect(r.score).toBeGreaterThan(strict.config.thresholds.clean.match);
  });
});
