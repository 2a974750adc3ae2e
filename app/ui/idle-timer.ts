/**
 * The kiosk's idle timer: after `idleMs` without a touch it asks "are you still there?" with a
 * countdown, then resets. While held (a card read, a face capture, a print) it never fires.
 * Clock and scheduler are injected so the behaviour is unit-tested without waiting.
 */
export type IdlePhase = { kind: 'active' } | { kind: 'countdown'; secondsLeft: number } | { kind: 'held' };

export interface Scheduler {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

export class IdleTimer {
  private lastActivity: number;
  private holds = 0;
  private handle: unknown;
  private phase: IdlePhase = { kind: 'active' };

  constructor(
    private readonly idleMs: number,
    private readonly countdownMs: number,
    private readonly onPhase: (phase: IdlePhase) => void,
    private readonly onReset: () => void,
    private readonly scheduler: Scheduler = {
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
      now: () => Date.now(),
    },
  ) {
    this.lastActivity = scheduler.now();
  }

  start(): void {
    this.handle = this.scheduler.setInterval(() => this.tick(), 250);
  }

  stop(): void {
    this.scheduler.clearInterval(this.handle);
  }

  /** A touch, a key, a scan: the person is there. */
  activity(): void {
    this.lastActivity = this.scheduler.now();
    if (this.phase.kind === 'countdown') this.setPhase({ kind: 'active' });
  }

  /** Suspends the timer until the returned release is called (idempotent). */
  hold(): () => void {
    this.holds += 1;
    this.setPhase({ kind: 'held' });
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      if (this.holds === 0) {
        this.lastActivity = this.scheduler.now();
        this.setPhase({ kind: 'active' });
      }
    };
  }

  private tick(): void {
    if (this.holds > 0) return;
    const idle = this.scheduler.now() - this.lastActivity;
    if (idle < this.idleMs) return;
    const left = this.idleMs + this.countdownMs - idle;
    if (left <= 0) {
      this.lastActivity = this.scheduler.now();
      this.setPhase({ kind: 'active' });
      this.onReset();
      return;
    }
    const secondsLeft = Math.ceil(left / 1000);
    if (this.phase.kind !== 'countdown' || this.phase.secondsLeft !== secondsLeft) this.setPhase({ kind: 'countdown', secondsLeft });
  }

  private setPhase(phase: IdlePhase): void {
    this.phase = phase;
    this.onPhase(phase);
  }
}
