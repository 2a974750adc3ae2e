import { describe, expect, it } from 'vitest';
import { IdleTimer, type IdlePhase, type Scheduler } from '../../app/ui/idle-timer.ts';

function fakeScheduler() {
  let now = 0;
  let tick: (() => void) | undefined;
  const scheduler: Scheduler = { setInterval: (fn) => (tick = fn), clearInterval: () => (tick = undefined), now: () => now };
  return { scheduler, advance(ms: number) { for (let t = 0; t < ms; t += 250) { now += 250; tick?.(); } } };
}

function setup() {
  const clock = fakeScheduler();
  const phases: IdlePhase[] = [];
  let resets = 0;
  const timer = new IdleTimer(90_000, 30_000, (p) => phases.push(p), () => (resets += 1), clock.scheduler);
  timer.start();
  return { clock, phases, timer, resets: () => resets };
}

describe('idle timer', () => {
  it('shows a countdown after the idle time, then resets', () => {
    const { clock, phases, resets } = setup();
    clock.advance(89_000);
    expect(phases).toEqual([]);
    clock.advance(1_000);
    expect(phases.at(-1)).toEqual({ kind: 'countdown', secondsLeft: 30 });
    clock.advance(29_000);
    expect(phases.at(-1)).toEqual({ kind: 'countdown', secondsLeft: 1 });
    expect(resets()).toBe(0);
    clock.advance(1_000);
    expect(resets()).toBe(1);
    expect(phases.at(-1)).toEqual({ kind: 'active' });
  });

  it('a touch during the countdown keeps the session', () => {
    const { clock, phases, timer, resets } = setup();
    clock.advance(100_000);
    expect(phases.at(-1)?.kind).toBe('countdown');
    timer.activity();
    expect(phases.at(-1)).toEqual({ kind: 'active' });
    clock.advance(60_000);
    expect(resets()).toBe(0);
  });

  it('never fires while held (a read, a capture, a print), and restarts the wait after', () => {
    const { clock, timer, resets, phases } = setup();
    const release = timer.hold();
    clock.advance(10 * 60_000);
    expect(resets()).toBe(0);
    expect(phases.filter((p) => p.kind === 'countdown')).toEqual([]);
    release();
    release(); // idempotent
    clock.advance(89_000);
    expect(phases.at(-1)).toEqual({ kind: 'active' });
    clock.advance(31_000);
    expect(resets()).toBe(1);
  });

  it('stays held until every hold is released', () => {
    const { clock, timer, resets } = setup();
    const a = timer.hold();
    const b = timer.hold();
    a();
    clock.advance(200_000);
    expect(resets()).toBe(0);
    b();
    clock.advance(120_000);
    expect(resets()).toBe(1);
  });
});
