import { KioskError } from '../../core/errors.ts';

/**
 * The camera port: a source of encoded still frames (JPEG or PNG). Two adapters: frames pushed from the
 * renderer (getUserMedia in the kiosk window, sent over the kiosk API) and files (demo and tests).
 */
export interface CameraSource {
  /** The next frame, or undefined if none came within `timeoutMs` (or the signal aborted). */
  nextFrame(signal: AbortSignal, timeoutMs: number): Promise<Uint8Array | undefined>;
  close(): void;
}

/** Most bytes one pushed frame may have: a 1280×720 JPEG is ~150 KB; 2 MB leaves room, bounds memory. */
export const MAX_FRAME_BYTES = 2 * 1024 * 1024;

export type ImageKind = 'jpeg' | 'png';

export function imageKind(b: Uint8Array): ImageKind | undefined {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'png';
  return undefined;
}

/** A pushed frame that is not an image we accept. */
export class FrameRejected extends KioskError {
  constructor(code: 'CAMERA_FRAME_TOO_LARGE' | 'CAMERA_FRAME_NOT_IMAGE', message: string) {
    super(code, message);
  }
}

/** Waits for `produce` to deliver, the timeout, or the abort — whichever comes first. */
export function waitFor<T>(signal: AbortSignal, timeoutMs: number, subscribe: (deliver: (v: T) => void) => () => void): Promise<T | undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined);
    let unsubscribe = () => {};
    const finish = (v: T | undefined) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      unsubscribe();
      resolve(v);
    };
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    signal.addEventListener('abort', onAbort, { once: true });
    unsubscribe = subscribe((v) => finish(v));
  });
}
