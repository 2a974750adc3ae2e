import type { DeviceState } from '../../core/device-state.ts';
import { KioskError } from '../../core/errors.ts';
import { defaultFaceConfig, type FaceConfig } from '../../core/face/config.ts';
import { activeThresholds, scoreDecision } from '../../core/face/policy.ts';
import type { FaceGallery, FaceIdentification, FaceIdentifyOutcome, FaceMatching, FaceMatchOutcome, FaceTemplate } from '../../core/journey/ports.ts';
import type { QualityReason } from '../../core/face/quality.ts';
import { FaceIndex, parseIndexKey } from '../../platform/face-index/face-index.ts';
import type { Db } from '../../platform/store/db.ts';
import type { CameraSource } from '../../platform/camera/camera.ts';
import { FileFrameSource } from '../../platform/camera/file-source.ts';
import { RendererFrameSource } from '../../platform/camera/renderer-source.ts';
import { FaceMatcher, type LiveMatch } from '../../platform/models/face-matcher.ts';
import { ChipPortraitUnusable, FaceService } from '../../platform/models/face-service.ts';
import { ConfigError, profileRelative, readSecret, type LoadedProfile } from '../config-loader.ts';
import { siteFacts } from './sites.ts';

export interface FaceWiring {
  readonly face: FaceMatching;
  /** Returning by face (1:N among enrolled people); present when the profile enables it. */
  readonly identification?: FaceIdentification;
  /** The renderer camera's door: frames pushed over the kiosk API (false: dropped by the rate bound). */
  pushFrame(jpeg: Uint8Array): boolean;
  /** The MATCH threshold of the active model set (the central service's bio request carries it). */
  threshold(): number;
  cameraStatus(): DeviceState;
  faceStatus(): DeviceState;
  /** Drops enrolled face templates past their retention date; returns how many. */
  purgeExpired(): number;
  /** The template of the face in a picture staff supply (SiteWiringContext.embedPicture). */
  embedPicture(image: Uint8Array): Promise<FaceTemplate>;
  close(): void;
}

/**
 * The camera of the profile and the face pipeline. Models load once at start; if they are missing
 * (npm install could not provision them) the kiosk still runs and says so, and the face step fails
 * with FACE_UNAVAILABLE instead of pretending.
 */
/**
 * 1:N identification over a gallery: a short burst from the camera until one frame passes the
 * quality gates, its best match, and the 1:1 thresholds or the gallery's stricter MATCH threshold
 * (MATCH / UNCERTAIN / NO_MATCH). Where the profile lets passive liveness decide, a frame below its
 * minimum cannot MATCH.
 */
export async function identifyIn(
  service: FaceService, camera: CameraSource, gallery: FaceGallery, onGuidance: (g: readonly QualityReason[]) => void, signal: AbortSignal, maxMillis = 12_000,
): Promise<FaceIdentifyOutcome> {
  const { config } = service;
  if (gallery.model !== config.modelSet) throw new KioskError('FACE_MODEL_MISMATCH', `the gallery holds ${gallery.model} templates; this kiosk matches ${config.modelSet}`);
  const t = activeThresholds(config);
  const thresholds = { match: Math.max(t.match, gallery.matchThreshold ?? t.match), noMatch: t.noMatch };
  const lv = config.liveness;
  const deadline = performance.now() + maxMillis;
  while (!signal.aborted && performance.now() < deadline) {
    const frame = await camera.nextFrame(signal, 2000);
    if (!frame) {
      onGuidance(['NO_FACE']);
      continue;
    }
    const a = await service.analyze(frame, { liveness: lv.passiveDecides });
    if (a.reasons.length > 0) onGuidance(a.reasons);
    if (!a.embedding) continue;
    const [best] = await gallery.search(a.embedding, 1, frame);
    if (!best) return { decision: 'NO_MATCH', score: 0 };
    let decision = scoreDecision(best.score, thresholds);
    if (decision === 'MATCH' && lv.passiveDecides && (a.liveness ?? 0) < lv.passiveMinScore) decision = 'UNCERTAIN';
    if (decision !== 'MATCH') return { decision, score: best.score };
    return { decision, score: best.score, subjectId: best.subjectId, verified: { model: config.modelSet, live: a.embedding } };
  }
  return { decision: 'NO_MATCH', score: 0 };
}

/** The host's encrypted face index (returning by face) as a gallery. */
function indexGallery(index: FaceIndex, model: string): FaceGallery {
  return { model, search: (live, limit) => index.search(live, limit) };
}

/** Returning by face over the encrypted face index: 1:N, and enrolment of the chip portrait's face. */
export function faceIdentification(service: FaceService, camera: CameraSource, index: FaceIndex, retentionDays: number, maxMillis = 12_000): FaceIdentification {
  const gallery = indexGallery(index, service.config.modelSet);
  return {
    identify: (onGuidance, signal) => identifyIn(service, camera, gallery, onGuidance, signal, maxMillis),
    async enrol(subjectId, portrait) {
      index.remove(subjectId); // one current template per person
      index.enroll(subjectId, await service.chipEmbedding(portrait), retentionDays);
    },
    async remove(subjectId) {
      return index.remove(subjectId);
    },
  };
}

/** The template of the one face in a picture staff supply; FACE_NOT_FOUND when none can be measured. */
export async function pictureTemplate(service: FaceService, image: Uint8Array): Promise<FaceTemplate> {
  try {
    return { model: service.config.modelSet, template: await service.chipEmbedding(image) };
  } catch (e) {
    if (e instanceof ChipPortraitUnusable) throw new KioskError('FACE_NOT_FOUND', 'no face that can be measured in the picture');
    throw e;
  }
}

/** The templates as embeddings of the active model; one from another model (or of another size) cannot be compared. */
function comparable(references: readonly FaceTemplate[], model: string, size: number): Float32Array[] {
  const foreign = references.find((r) => r.model !== model || r.template.length !== size);
  if (foreign) throw new KioskError('FACE_MODEL_MISMATCH', `a reference face is a ${foreign.model} template of ${foreign.template.length} values; this kiosk matches ${model} (${size})`);
  return references.map((r) => r.template);
}

export async function wireFace(profile: LoadedProfile, db: Db): Promise<FaceWiring> {
  const cfg = profile.config.devices.camera;
  const config: FaceConfig = profile.config.face ?? defaultFaceConfig;
  let camera: CameraSource;
  let renderer: RendererFrameSource | undefined;
  let cameraState: DeviceState;
  if (cfg.adapter === 'renderer') {
    renderer = new RendererFrameSource(cfg.maxFps);
    camera = renderer;
    cameraState = { device: 'camera', adapter: 'renderer', state: 'ok' };
  } else {
    try {
      camera = new FileFrameSource(profileRelative(profile, cfg.path ?? ''), cfg.maxFps);
      cameraState = { device: 'camera', adapter: 'file', state: 'ok' };
    } catch (e) {
      camera = { nextFrame: async () => undefined, close: () => undefined };
      cameraState = { device: 'camera', adapter: 'file', state: 'missing', reason: e instanceof Error ? e.message : String(e) };
    }
  }

  let service: FaceService | undefined;
  let faceState: DeviceState;
  try {
    service = await FaceService.create(config);
    faceState = { device: 'face', adapter: config.modelSet, state: 'ok' };
  } catch (e) {
    faceState = { device: 'face', adapter: config.modelSet, state: 'missing', reason: `face models unavailable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
  const matcher = service ? new FaceMatcher(service, camera) : undefined;
  let identification: FaceIdentification | undefined;
  let index: FaceIndex | undefined;
  const site = siteFacts(profile);
  if (service && site.returningByFace) {
    if (!config.index) throw new ConfigError(profile.file, 'face.index.key', 'returning by face needs a face index key');
    const key = parseIndexKey(readSecret(profile, config.index.key, 'face.index.key'));
    index = new FaceIndex(db, key, config.modelSet, service.engine.embeddingSize).load();
    identification = faceIdentification(service, camera, index, site.personalDataDays);
  }

  const ready = (): { matcher: FaceMatcher; service: FaceService } => {
    if (!matcher || !service) throw new KioskError('FACE_UNAVAILABLE', faceState.reason ?? 'face matching is not available');
    return { matcher, service };
  };
  const outcome = (r: LiveMatch, chip?: Float32Array): FaceMatchOutcome =>
    r.decision !== 'MATCH'
      ? { decision: r.decision, score: r.score ?? 0 }
      : { decision: r.decision, score: r.score ?? 0, verified: { model: config.modelSet, ...(chip ? { chip } : {}), ...(r.live ? { live: r.live } : {}) } };
  return {
    ...(identification ? { identification } : {}),
    face: {
      async match(portrait, onGuidance, signal) {
        const r = await ready().matcher.match(portrait, onGuidance, signal);
        return outcome(r, r.chip);
      },
      async watch(signal) {
        const { service: s } = ready();
        while (!signal.aborted) {
          const frame = await camera.nextFrame(signal, 2000);
          if (frame && !signal.aborted && (await s.faceInView(frame))) return true;
        }
        return false;
      },
      async identify(gallery, onGuidance, signal) {
        return identifyIn(ready().service, camera, gallery, onGuidance, signal);
      },
      async matchReferences(references, onGuidance, signal) {
        const { matcher: m, service: s } = ready();
        return outcome(await m.matchReferences(comparable(references, config.modelSet, s.engine.embeddingSize), onGuidance, signal));
      },
    },
    pushFrame: (jpeg) => renderer?.pushFrame(jpeg) ?? false,
    threshold: () => activeThresholds(config).match,
    cameraStatus: () => cameraState,
    purgeExpired: () => index?.purgeExpired() ?? 0,
    embedPicture: (image) => pictureTemplate(ready().service, image),
    faceStatus: () => faceState,
    close: () => camera.close(),
  };
}
