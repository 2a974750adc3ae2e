import type { DeviceState } from '../../core/device-state.ts';
import { KioskError } from '../../core/errors.ts';
import { defaultFaceConfig, type FaceConfig } from '../../core/face/config.ts';
import type { FaceMatching } from '../../core/journey/ports.ts';
import type { CameraSource } from '../../platform/camera/camera.ts';
import { FileFrameSource } from '../../platform/camera/file-source.ts';
import { RendererFrameSource } from '../../platform/camera/renderer-source.ts';
import { FaceMatcher } from '../../platform/models/face-matcher.ts';
import { FaceService } from '../../platform/models/face-service.ts';
import { profileRelative, type LoadedProfile } from '../config-loader.ts';

export interface FaceWiring {
  readonly face: FaceMatching;
  /** The renderer camera's door: frames pushed over the kiosk API (false: dropped by the rate bound). */
  pushFrame(jpeg: Uint8Array): boolean;
  /** The MATCH threshold of the active model set (the central service's bio request carries it). */
  threshold(): number;
  cameraStatus(): DeviceState;
  faceStatus(): DeviceState;
  close(): void;
}

/**
 * The camera of the profile and the face pipeline. Models load once at start; if they are missing
 * (npm install could not provision them) the kiosk still runs and says so, and the face step fails
 * with FACE_UNAVAILABLE instead of pretending.
 */
export async function wireFace(profile: LoadedProfile): Promise<FaceWiring> {
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

  return {
    face: {
      async match(portraitJpeg, onGuidance, signal) {
        if (!matcher) throw new KioskError('FACE_UNAVAILABLE', faceState.reason ?? 'face matching is not available');
        const r = await matcher.match(portraitJpeg, onGuidance, signal);
        return { decision: r.decision, score: r.score ?? 0 };
      },
    },
    pushFrame: (jpeg) => renderer?.pushFrame(jpeg) ?? false,
    threshold: () => config.thresholds[config.modelSet].match,
    cameraStatus: () => cameraState,
    faceStatus: () => faceState,
    close: () => camera.close(),
  };
}
