import type { DeviceState } from '../../core/device-state.ts';
import type { ModelSetName } from '../../core/face/config.ts';
import { MODEL_SETS } from './face-engine.ts';
import { missingModels, modelsDir, readManifest } from './provision.ts';

/**
 * Health of the face models for `/api/status`: `missing` when provisioning has not run (offline install)
 * or a file does not match its pinned hash — face matching is then unavailable, and says so.
 */
export function faceModelsStatus(modelSet: ModelSetName, dir = modelsDir): DeviceState {
  const spec = MODEL_SETS[modelSet];
  const needed = [spec.detector, spec.landmarks.file, spec.embedder.file, spec.liveness];
  const missing = missingModels(readManifest(dir), dir).filter((f) => needed.includes(f));
  return missing.length === 0
    ? { device: 'faceModels', adapter: modelSet, state: 'ok' }
    : { device: 'faceModels', adapter: modelSet, state: 'missing', reason: `face matching unavailable: models not installed or altered (${missing.join(', ')}); run node models/provision.mjs` };
}
