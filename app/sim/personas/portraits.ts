/**
 * Persona portraits as a chip would store them: the committed JPEG as is, or the same face
 * re-encoded to JPEG 2000 at 120×160 (reversible coding keeps it under the 32 KB that plain
 * READ BINARY offsets can address).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import type { FaceImageInput, ImageFormat } from '../../core/icao/lds/dg2.ts';
import { encodeJpeg2000 } from '../../platform/image/openjpeg.ts';

export const PORTRAIT_JPEG_PATH = fileURLToPath(new URL('./assets/grace-hopper-chip.jpg', import.meta.url));

const cache = new Map<ImageFormat, Promise<FaceImageInput>>();

async function make(format: ImageFormat): Promise<FaceImageInput> {
  const jpeg = new Uint8Array(readFileSync(PORTRAIT_JPEG_PATH));
  if (format === 'jpeg') {
    const meta = await sharp(jpeg).metadata();
    return { format, width: meta.width!, height: meta.height!, image: jpeg };
  }
  const { data, info } = await sharp(jpeg).resize(120, 160).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const image = await encodeJpeg2000({ width: info.width, height: info.height, data: new Uint8Array(data) });
  return { format, width: info.width, height: info.height, image };
}

/** The persona face in the requested chip format (cached per process). */
export function personaPortrait(format: ImageFormat): Promise<FaceImageInput> {
  let p = cache.get(format);
  if (!p) {
    p = make(format);
    cache.set(format, p);
  }
  return p;
}
