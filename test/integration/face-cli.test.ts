import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { modelsMissingReason } from './face-models.ts';

const skip = modelsMissingReason();
const root = join(import.meta.dirname, '..', '..');
const faces = join(root, 'test', 'fixtures', 'faces');

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [join(root, 'app/cli/bin.mjs'), ...args], { cwd: root });
    return { code: 0, out: stdout, err: stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

describe.skipIf(skip)('cccd-kiosk face-match / face-eval', () => {
  it('face-match --json gives decision, score, reasons and timings; exit code follows the decision', async () => {
    const r = await cli(['face-match', join(faces, 'persons/grace-hopper/chip.jpg'), join(faces, 'persons/eileen-collins/live-1.jpg'), join(faces, 'quality/two-faces.jpg'), '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ decision: 'NO_MATCH', modelSet: 'clean', usableFrames: 1, totalFrames: 2, reasons: ['MULTIPLE_FACES'] });
    expect(j.score).toBeLessThan(j.thresholds.noMatch);
    expect(j.timingsMs.embed).toBeGreaterThan(0);
  }, 60_000);

  it('face-match rejects an unknown model set as a usage error', async () => {
    const r = await cli(['face-match', 'a.jpg', 'b.jpg', '--model-set', 'arcface']);
    expect(r.code).toBe(64);
    expect(r.err).toContain('--model-set must be clean or faceplugin');
  }, 60_000);

  it('face-eval reports AUC, EER and a recommended threshold on the public-domain fixtures', async () => {
    const r = await cli(['face-eval', join(faces, 'persons'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ people: 2, images: 8, noFace: 0 });
    expect(j.reports.map((x: { condition: string }) => x.condition)).toEqual(['photo vs photo', 'chip JPEG ≤10 KB vs photo', 'chip JPEG 2000 vs photo']);
    for (const rep of j.reports) {
      expect(rep.auc).toBe(1);
      expect(rep.genuine.count).toBeGreaterThan(0);
      expect(rep.recommended.threshold).toBeGreaterThan(rep.impostor.max);
    }
    expect(j.meanChipBytes.jpeg).toBeLessThanOrEqual(10_000);
  }, 120_000);
});
