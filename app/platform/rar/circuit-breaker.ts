/**
 * Stops hammering a failing service: after `failureThreshold` consecutive failures the circuit
 * opens and calls fail fast; after `cooldownMs` one probe is let through (half-open); its success
 * closes the circuit, its failure opens it again.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: CircuitState = 'closed';

  constructor(
    private readonly failureThreshold: number,
    private readonly cooldownMs: number,
    private readonly now: () => number = () => Date.now(),
    private readonly onChange: (state: CircuitState) => void = () => {},
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** May a call go out now? In half-open state only one probe at a time. */
  allow(): boolean {
    if (this.current === 'open' && this.now() - this.openedAt >= this.cooldownMs) this.set('half-open');
    if (this.current === 'closed') return true;
    if (this.current === 'half-open' && !this.probing) {
      this.probing = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.set('closed');
  }

  failure(): void {
    this.probing = false;
    this.failures += 1;
    if (this.current === 'half-open' || this.failures >= this.failureThreshold) {
      this.openedAt = this.now();
      if (this.current !== 'open') this.set('open');
    }
  }

  /** A call that ended without telling anything about the service's health (e.g. a bad request). */
  neutral(): void {
    this.probing = false;
  }

  /** Milliseconds until a probe may go out (0 when calls may go now). */
  retryInMs(): number {
    return this.current === 'open' ? Math.max(0, this.cooldownMs - (this.now() - this.openedAt)) : 0;
  }

  private set(s: CircuitState): void {
    this.current = s;
    this.onChange(s);
  }
}
