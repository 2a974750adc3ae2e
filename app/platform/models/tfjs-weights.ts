import { KioskError } from '../../core/errors.ts';

/** One entry of a tfjs `*-weights_manifest.json`. */
interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale: number; min: number };
}

export interface NamedWeight {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Reads tfjs layers weights (manifest + concatenated shard bytes) into named float32 arrays.
 * face-api.js stores most tensors as uint8 with an affine (scale, min) per tensor: value = q·scale + min.
 */
export function readTfjsWeights(manifestJson: string, shards: Uint8Array): Map<string, NamedWeight> {
  const groups = JSON.parse(manifestJson) as { weights: ManifestWeight[] }[];
  const out = new Map<string, NamedWeight>();
  let offset = 0;
  for (const w of groups.flatMap((g) => g.weights)) {
    const count = w.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    const q = w.quantization;
    if (q) {
      if (q.dtype !== 'uint8') throw new KioskError('MODEL_WEIGHTS_UNSUPPORTED', `weight ${w.name}: quantization ${q.dtype} not supported`);
      for (let i = 0; i < count; i++) data[i] = shards[offset + i]! * q.scale + q.min;
      offset += count;
    } else {
      if (w.dtype !== 'float32') throw new KioskError('MODEL_WEIGHTS_UNSUPPORTED', `weight ${w.name}: dtype ${w.dtype} not supported`);
      const view = new DataView(shards.buffer, shards.byteOffset + offset, count * 4);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
      offset += count * 4;
    }
    out.set(w.name, { shape: w.shape, data });
  }
  if (offset !== shards.length) {
    throw new KioskError('MODEL_WEIGHTS_SIZE', `weights manifest describes ${offset} bytes but the shards hold ${shards.length}`);
  }
  return out;
}
