/**
 * 1:N over a gallery a site supplies (an e-gate's flight, a door's workers): the kiosk's quality
 * gates pick the frame, the site's index scores it, and the journey's thresholds decide, with the
 * gallery's stricter MATCH threshold and never a looser one.
 */
import { describe, expect, it, vi } from 'vitest';
import { faceConfig } from '../../app/core/face/config.ts';
import type { FaceGallery } from '../../app/core/journey/ports.ts';
import { identifyIn } from '../../app/host/wiring/face.ts';
import type { CameraSource } from '../../app/platform/camera/camera.ts';
import type { FaceService } from '../../app/platform/models/face-service.ts';

const live = Float32Array.of(0.6, 0.8);

/** A face service that sees one unusable frame, then a usable one (the real one is tested with models elsewhere). */
function stubs(config = faceConfig.parse({}), liveness?: number) {
  const analyses = [{ reasons: ['FACE_TOO_SMALL'] }, { reasons: [], embedding: live, ...(liveness !== undefined ? { liveness } : {}) }];
  const service = { config, analyze: vi.fn(async () => analyses.shift() ?? analyses[0]) } as unknown as FaceService;
  const camera: CameraSource = { nextFrame: async () => Uint8Array.of(0xff, 0xd8), close: () => undefined };
  return { service, camera };
}

const gallery = (score: number, over: Partial<FaceGallery> = {}): FaceGallery => ({
  model: 'clean',
  search: vi.fn(async () => [{ subjectId: 'worker-12', score }]),
  ...over,
});

const identify = (g: FaceGallery, s = stubs()) => {
  const guidance: string[] = [];
  return identifyIn(s.service, s.camera, g, (r) => guidance.push(...r), new AbortController().signal).then((r) => ({ ...r, guidance }));
};

describe('identification against a site gallery', () => {
  it('searches with the first frame that passes the quality gates and hands on its template on MATCH', async () => {
    const g = gallery(0.95);
    const r = await identify(g);
    expect(r).toMatchObject({ decision: 'MATCH', score: 0.95, subjectId: 'worker-12', verified: { model: 'clean', live }, guidance: ['FACE_TOO_SMALL'] });
    // The frame the template came from goes along (a door keeps it, sealed, as an alarm's evidence).
    expect(g.search).toHaveBeenCalledWith(live, 1, Uint8Array.of(0xff, 0xd8));
  });

  it('holds a score between the 1:1 and the gallery\'s stricter threshold at UNCERTAIN, without a subject', async () => {
    const r = await identify(gallery(0.95, { matchThreshold: 0.97 }));
    expect(r.decision).toBe('UNCERTAIN');
    expect(r.subjectId).toBeUndefined();
    expect(r.verified).toBeUndefined();
  });

  it('never lets a gallery loosen the 1:1 threshold', async () => {
    expect((await identify(gallery(0.92, { matchThreshold: 0.5 }))).decision).toBe('UNCERTAIN');
    expect((await identify(gallery(0.5, { matchThreshold: 0.4 }))).decision).toBe('NO_MATCH');
  });

  it('refuses a gallery of another model, and answers NO_MATCH for an empty one', async () => {
    await expect(identify(gallery(0.99, { model: 'faceplugin' }))).rejects.toMatchObject({ code: 'FACE_MODEL_MISMATCH' });
    expect((await identify({ model: 'clean', search: async () => [] })).decision).toBe('NO_MATCH');
  });

  it('lets passive liveness veto a MATCH where the profile makes it decide', async () => {
    const config = faceConfig.parse({ liveness: { passive: true, passiveDecides: true, passiveMinScore: 0.5 } });
    expect((await identify(gallery(0.99), stubs(config, 0.2))).decision).toBe('UNCERTAIN');
    expect((await identify(gallery(0.99), stubs(config, 0.9))).decision).toBe('MATCH');
  });
});
