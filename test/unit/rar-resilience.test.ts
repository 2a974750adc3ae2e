import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs } from '../../app/platform/rar/backoff.ts';
import { CircuitBreaker } from '../../app/platform/rar/circuit-breaker.ts';
import { RateLimiter } from '../../app/sim/rar-server/rate-limit.ts';

describe('back-off', () => {
  it('grows exponentially up to the cap, jittered within [0, ceiling]', () => {
    expect(backoffMs(0, 100, 10_000, () => 0.999)).toBe(99);
    expect(backoffMs(3, 100, 10_000, () => 0.999)).toBe(799);
    expect(backoffMs(20, 100, 10_000, () => 0.999)).toBe(9990);
    expect(backoffMs(5, 100, 10_000, () => 0)).toBe(0);
    expect(backoffMs(5, 100, 10_000, () => 0, 1500)).toBe(1500);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(undefined)).toBe(0);
    expect(retryAfterMs('soon')).toBe(0);
  });
});

describe('circuit breaker', () => {
  it('opens after the threshold, lets one probe through after the cool-down, closes on success', () => {
    let now = 0;
    const states: string[] = [];
    const b = new CircuitBreaker(3, 1000, () => now, (s) => states.push(s));
    for (let i = 0; i < 3; i++) {
      expect(b.allow()).toBe(true);
      b.failure();
    }
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
    expect(b.retryInMs()).toBe(1000);
    now = 1000;
    expect(b.allow()).toBe(true);
    expect(b.state).toBe('half-open');
    expect(b.allow()).toBe(false);
    b.success();
    expect(b.state).toBe('closed');
    expect(states).toEqual(['open', 'half-open', 'closed']);
  });

  it('a failed probe re-opens at once; successes reset the count', () => {
    let now = 0;
    const b = new CircuitBreaker(2, 100, () => now);
    b.failure();
    b.success();
    b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    now = 100;
    expect(b.allow()).toBe(true);
    b.failure();
    expect(b.state).toBe('open');
    expect(b.allow()).toBe(false);
  });
});

describe('per-terminal rate limit', () => {
  it('allows the burst, then one call per refill interval, per terminal', () => {
    let now = 0;
    const l = new RateLimiter(2, 3, () => now);
    expect([l.take('a'), l.take('a'), l.take('a')]).toEqual([0, 0, 0]);
    expect(l.take('a')).toBe(500);
    expect(l.take('b')).toBe(0);
    now = 500;
    expect(l.take('a')).toBe(0);
  });
});
