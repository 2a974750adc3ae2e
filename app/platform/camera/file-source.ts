import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { KioskError } from '../../core/errors.ts';
import { imageKind, type CameraSource } from './camera.ts';

/**
 * Frames from files, for the demo and tests: one image, a folder of images (played in name order),
 * or a Motion-JPEG file (`.mjpeg`/`.mjpg`: JPEG frames back to back, the simplest video container).
 * Loops forever; paced at `maxFps` when given, else as fast as asked.
 */
export class FileFrameSource implements CameraSource {
  private readonly frames: Uint8Array[];
  private index = 0;
  private lastAt = -Infinity;

  constructor(path: string, private readonly maxFps?: number) {
    this.frames = loadFrames(path);
    if (this.frames.length === 0) throw new KioskError('CAMERA_SOURCE_EMPTY', `no JPEG or PNG frames in ${path}`);
  }

  get frameCount(): number {
    return this.frames.length;
  }

  async nextFrame(signal: AbortSignal, timeoutMs: number): Promise<Uint8Array | undefined> {
    if (signal.aborted) return undefined;
    if (this.maxFps) {
      const wait = this.lastAt + 1000 / this.maxFps - performance.now();
      if (wait > timeoutMs) return undefined;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.lastAt = performance.now();
    }
    const f = this.frames[this.index % this.frames.length]!;
    this.index++;
    return f;
  }

  close(): void {}
}

function loadFrames(path: string): Uint8Array[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new KioskError('CAMERA_SOURCE_NOT_FOUND', `camera source ${path} not found`);
  }
  if (st.isDirectory()) {
    return readdirSync(path)
      .filter((f) => /\.(jpe?g|png)$/i.test(f))
      .sort()
      .map((f) => readFileSync(join(path, f)));
  }
  const bytes = readFileSync(path);
  if (/^\.mjpe?g$/i.test(extname(path))) return splitMjpeg(bytes);
  if (!imageKind(bytes)) throw new KioskError('CAMERA_SOURCE_NOT_IMAGE', `${path} is neither JPEG, PNG nor MJPEG`);
  return [bytes];
}

/** Splits concatenated JPEGs at each SOI (FF D8 FF) that follows an EOI (FF D9). */
export function splitMjpeg(b: Uint8Array): Uint8Array[] {
  const frames: Uint8Array[] = [];
  let start = -1;
  for (let i = 0; i + 2 < b.length; i++) {
    if (b[i] === 0xff && b[i + 1] === 0xd8 && b[i + 2] === 0xff && (start < 0 || (b[i - 2] === 0xff && b[i - 1] === 0xd9))) {
      if (start >= 0) frames.push(b.subarray(start, i));
      start = i;
    }
  }
  if (start >= 0) frames.push(b.subarray(start));
  return frames;
}
