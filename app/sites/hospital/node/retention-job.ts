import type { VisitStore } from './visit-store.ts';

export interface RetentionJob {
  /** Runs one purge now (also what the timer does); returns how many visits were purged. */
  runOnce(): number;
  stop(): void;
}

/**
 * Purges visits' personal data once at start and then every `intervalMs` (hourly by default), so
 * a kiosk that was off for a week catches up the moment it starts. The timer never keeps the
 * process alive. A failed run is reported and retried at the next tick.
 */
export function startRetentionJob(
  store: VisitStore,
  retentionDays: number,
  options: { intervalMs?: number; onError?: (e: unknown) => void } = {},
): RetentionJob {
  const runOnce = () => store.purgeExpired(retentionDays);
  const tick = () => {
    try {
      runOnce();
    } catch (e) {
      options.onError?.(e);
    }
  };
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
