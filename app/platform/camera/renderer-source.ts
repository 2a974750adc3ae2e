import { FrameRejected, imageKind, MAX_FRAME_BYTES, waitFor, type CameraSource } from './camera.ts';

/**
 * Frames captured in the renderer (getUserMedia → canvas → JPEG) and pushed to the host through the
 * kiosk API. Bounded twice over: frames arriving faster than `maxFps` are dropped, and only the newest
 * frame is held, so a busy matcher never queues stale frames or grows memory.
 */
export class RendererFrameSource implements CameraSource {
  private latest: Uint8Array | undefined;
  private lastAcceptedAt = -Infinity;
  private readonly waiters = new Set<(f: Uint8Array) => void>();
  private closed = false;

  constructor(
    private readonly maxFps: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * What the host wires to the kiosk API's camera-frame call. Returns whether the frame was taken
   * (false: over the rate, or the source is closed). Not-an-image and oversize frames throw typed errors.
   */
  pushFrame(bytes: Uint8Array): boolean {
    if (bytes.length > MAX_FRAME_BYTES) throw new FrameRejected('CAMERA_FRAME_TOO_LARGE', `frame of ${bytes.length} bytes exceeds ${MAX_FRAME_BYTES}`);
    if (!imageKind(bytes)) throw new FrameRejected('CAMERA_FRAME_NOT_IMAGE', 'frame is neither JPEG nor PNG');
    if (this.closed) return false;
    const t = this.now();
    if (t - this.lastAcceptedAt < 1000 / this.maxFps) return false;
    this.lastAcceptedAt = t;
    const copy = Uint8Array.from(bytes); // the caller may reuse its buffer
    if (this.waiters.size > 0) {
      for (const w of [...this.waiters]) w(copy);
      this.latest = undefined;
    } else {
      this.latest = copy;
    }
    return true;
  }

  nextFrame(signal: AbortSignal, timeoutMs: number): Promise<Uint8Array | undefined> {
    if (this.latest) {
      const f = this.latest;
      this.latest = undefined;
      return Promise.resolve(f);
    }
    return waitFor<Uint8Array>(signal, timeoutMs, (deliver) => {
      this.waiters.add(deliver);
      return () => this.waiters.delete(deliver);
    });
  }

  close(): void {
    this.closed = true;
    this.latest = undefined;
  }
}
