/**
 * The gate's retention: what the site keeps about people goes when its time is over.
 *
 * - a visitor's record, faces and attendance, and their invitations, `site.visitorDataDays` after the
 *   visit's window ended (whatever the invitation's status);
 * - attendance months wholly older than `retention.personalDataDays`;
 * - alarm captures past their `until` (set from the same period when they were taken);
 * - the gate's events (accesses, alarms, visits, enrolments, changes) older than
 *   `retention.personalDataDays`: the site store's log is append-only except that a purge moves a
 *   kind's horizon forward (SiteStore.purgeEvents), never into the last day.
 *
 * Run at start and then hourly, at every station (removing what another station removed already
 * is harmless); each run that removed anything is audited with counts only. With a hub the event
 * purge needs the hub: offline, the run fails before removing anything and the next one catches up.
 */
import { purgeHorizon, type SiteStore } from '../../../core/site-store/site-store.ts';
import type { GateSettings } from '../common/config.ts';
import { localTime } from '../common/local-time.ts';
import { COLLECTIONS, EVENT_KINDS, invitationRecord, personRecord, type InvitationRecord, type PersonRecord } from '../common/records.ts';
import { attendanceCollection } from './attendance.ts';
import type { PeopleStore } from './people.ts';
import type { GatePhotos } from './photos.ts';

const DAY_MS = 86_400_000;
/** How far back a run looks for attendance months to drop (older ones went in earlier runs). */
const MONTHS_BACK = 36;

export interface RetentionDeps {
  readonly store: SiteStore;
  readonly people: PeopleStore;
  readonly photos: GatePhotos;
  readonly settings: GateSettings;
  readonly personalDataDays: number;
  readonly clock: () => Date;
  readonly audit: (action: string, detail: Record<string, string | number | boolean>) => void;
  readonly log: (line: string) => void;
}

export interface RetentionCounts {
  readonly visitors: number;
  readonly invitations: number;
  readonly attendance: number;
  readonly captures: number;
  /** Entries of the site's event log. */
  readonly events: number;
}

/** One purge now; answers what went. */
export async function purgeExpired(d: RetentionDeps): Promise<RetentionCounts> {
  const now = d.clock();
  const visitorCutoff = now.getTime() - d.settings.visitorDataDays * DAY_MS;
  let visitors = 0, invitations = 0, attendance = 0, events = 0;

  const eventsBefore = purgeHorizon(now, d.personalDataDays);
  for (const kind of Object.values(EVENT_KINDS)) events += await d.store.purgeEvents(kind, eventsBefore);

  for (const r of await d.store.list<PersonRecord>(COLLECTIONS.person)) {
    const p = personRecord.safeParse(r.body).data;
    if (p?.kind === 'visitor' && p.validUntil !== undefined && Date.parse(p.validUntil) < visitorCutoff) {
      await d.people.remove(r.key);
      visitors++;
      // Their punches at the outer doors go with them (a visit spans at most two months).
      const months = new Set([p.validFrom ?? p.validUntil, p.validUntil].map((t) => localTime(new Date(t), d.settings.timeZone).day.slice(0, 7)));
      for (const month of months) if ((await d.store.remove(attendanceCollection(month), r.key))?.deleted) attendance++;
    }
  }
  for (const r of await d.store.list<InvitationRecord>(COLLECTIONS.invitation)) {
    const i = invitationRecord.safeParse(r.body).data;
    // Whatever its status: a visit whose window ended that long ago is over.
    if (i && Date.parse(i.until) < visitorCutoff) {
      await d.store.remove(COLLECTIONS.invitation, r.key);
      invitations++;
    }
  }
  // A month goes when its last day is older than the period: the month before the cutoff's, and earlier.
  const cutoffMonth = localTime(new Date(now.getTime() - d.personalDataDays * DAY_MS), d.settings.timeZone).day.slice(0, 7);
  for (const month of monthsBefore(cutoffMonth, MONTHS_BACK)) {
    for (const r of await d.store.list(attendanceCollection(month))) {
      await d.store.remove(attendanceCollection(month), r.key);
      attendance++;
    }
  }
  const captures = await d.photos.purgeExpired(now);
  const counts = { visitors, invitations, attendance, captures, events };
  if (visitors + invitations + attendance + captures + events > 0) d.audit('gate.retention-purged', { ...counts, personalDataDays: d.personalDataDays, visitorDataDays: d.settings.visitorDataDays });
  return counts;
}

/** The `n` months before `month` (YYYY-MM), newest first. */
export function monthsBefore(month: string, n: number): string[] {
  let y = Number(month.slice(0, 4)), m = Number(month.slice(5, 7));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    m--;
    if (m === 0) {
      m = 12;
      y--;
    }
    out.push(`${y}-${String(m).padStart(2, '0')}`);
  }
  return out;
}

export interface GateRetention {
  /** One purge now (what the timer runs too); answers how many records went. */
  runOnce(): Promise<number>;
  stop(): void;
}

/** Purges at start and then every `intervalMs` (hourly); a failed run is logged by code and retried at the next. */
export function startRetention(d: RetentionDeps, intervalMs = 3_600_000): GateRetention {
  const runOnce = async () => {
    const c = await purgeExpired(d);
    return c.visitors + c.invitations + c.attendance + c.captures + c.events;
  };
  const tick = () => void runOnce().catch((e) => d.log(`gate: retention purge failed (${(e as { code?: string }).code ?? 'error'})`));
  const first = setTimeout(tick, 0);
  first.unref();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return { runOnce, stop: () => (clearTimeout(first), clearInterval(timer)) };
}
