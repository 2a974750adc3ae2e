import type { VisitStore } from './visit-store.ts';

export interface RetentionJob {
  /** Runs one purge now (also what the timer does); answers how many visits and site events went. */
  runOnce(): Promise<number>;
  stop(): void;
}

export interface RetentionJobOptions {
  readonly intervalMs?: number;
  readonly onError?: (e: unknown) => void;
  /** Purges the site's events of the visits older than the same period (SiteVisits.purgePast); answers how many went. */
  readonly siteEvents?: (retentionDays: number) => Promise<number>;
}

/**
 * Purges visits' personal data, and then the site's events of them, once at start and then every
 * `intervalMs` (hourly by default), so a kiosk that was off for a week catches up the moment it
 * starts. The timer never keeps the process alive. A failed run (the hub away: its events wait) is
 * reported and retried at the next tick.
 */
export function startRetentionJob(store: VisitStore, retentionDays: number, options: RetentionJobOptions = {}): RetentionJob {
  const runOnce = async () => {
    // The kiosk's own records first, at once: they never wait for the site.
    const visits = store.purgeExpired(retentionDays);
    return visits + ((await options.siteEvents?.(retentionDays)) ?? 0);
  };
  const tick = () => void runOnce().catch((e: unknown) => options.onError?.(e));
  tick();
  const timer = setInterval(tick, options.intervalMs ?? 3_600_000);
  timer.unref();
  return { runOnce, stop: () => clearInterval(timer) };
}
