/**
 * The hospital's registrations as the site sees them. Each kiosk keeps its own visits with the
 * patient's name and id (./visit-store.ts, purged by retention) and tells the site store what
 * changed as events of kind `hospital.visit` (registered, paid, released, verified), with no name
 * and no id: the subject is a pseudonym of the patient for that day only (keyed with the site key),
 * enough to count a patient's visits of the day across kiosks, useless the next day or without the
 * key. Any kiosk's staff screen then lists the day's visits of the whole site; its own come from its
 * own store (with initials, always current), the others' from the site's events.
 *
 * Nothing personal goes into the events even so, and they go after the visits' retention period
 * (purgePast, run by the retention job). Offline, the hub client queues them in its outbox and the
 * list shows what this kiosk knows until the hub answers again.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import { z } from 'zod';
import { purgeHorizon, type SiteStore, type StoredEvent } from '../../../core/site-store/site-store.ts';
import { localDay } from '../common/local-day.ts';
import { registrationSummarySchema } from '../common/schemas.ts';
import type { RegistrationSummary, VisitChange } from '../common/visit-record.ts';

export const VISIT_EVENT = 'hospital.visit';
/** The site's list is read again when staff look and it is older than this (and after each change here). */
const FRESH_MS = 5000;
/** A hospital day lies within this much of now, whatever the time zone. */
const DAY_SPAN_MS = 36 * 3_600_000;
const MAX_EVENTS = 10_000;

type Shared = Omit<RegistrationSummary, 'initials' | 'sameDayVisits'>;
type EventData = Exclude<VisitChange, { change: 'registered' }> | { readonly change: 'registered'; readonly visit: Shared };

/** What another kiosk wrote is checked before it is shown: a malformed event is skipped, never trusted. */
const visitId = z.string().min(1).max(64);
const eventData = z.discriminatedUnion('change', [
  z.object({ change: z.literal('registered'), visit: registrationSummarySchema.omit({ initials: true, sameDayVisits: true }).extend({ visitId, registeredAt: z.iso.datetime({ offset: true }) }) }),
  z.object({ change: z.enum(['paid', 'released']), visitId }),
  z.object({ change: z.literal('verified'), visitId, centralVerdict: z.enum(['confirmed', 'rejected']) }),
]);

export interface SiteVisitsOptions {
  readonly terminalId: string;
  readonly timeZone: string;
  /** The hospital's site key: without it the subject is left out, and repeats are counted per kiosk. */
  readonly siteKey?: Buffer;
  readonly clock?: () => Date;
  readonly log: (line: string) => void;
}

interface SiteVisit {
  readonly visit: Shared;
  readonly terminalId: string;
  readonly subject?: string;
}

export class SiteVisits {
  private readonly pseudonymKey: Buffer | undefined;
  private readonly clock: () => Date;
  private known: readonly SiteVisit[] = [];
  private readAt = -Infinity;
  private refreshing: Promise<void> | undefined;

  constructor(private readonly store: SiteStore, private readonly o: SiteVisitsOptions) {
    this.clock = o.clock ?? (() => new Date());
    this.pseudonymKey = o.siteKey ? Buffer.from(hkdfSync('sha256', o.siteKey, Buffer.alloc(0), 'cccd-kiosk hospital patient of the day', 32)) : undefined;
  }

  /** The patient's name for `day` in the site's events: the same all day at every kiosk, another one tomorrow. */
  private subjectOf(patientId: string, day: string): string | undefined {
    if (!this.pseudonymKey) return undefined;
    return `patient-day:${createHmac('sha256', this.pseudonymKey).update(`${day}\u0000${patientId}`, 'utf8').digest('base64url').slice(0, 32)}`;
  }

  /** Tells the site of a change committed here (VisitStore's `onChange`); the event key makes a repeat harmless. */
  publish(change: VisitChange): void {
    const visitId = change.change === 'registered' ? change.visit.visitId : change.visitId;
    const at = change.change === 'registered' ? change.visit.registeredAt : this.clock().toISOString();
    const subject = change.change === 'registered' ? this.subjectOf(change.patientId, localDay(new Date(at), this.o.timeZone)) : undefined;
    const data: EventData = change.change === 'registered' ? { change: 'registered', visit: change.visit } : change;
    this.store
      .appendEvent({ key: `${this.o.terminalId}:${VISIT_EVENT}:${visitId}:${change.change}`, kind: VISIT_EVENT, at, terminalId: this.o.terminalId, ...(subject ? { subject } : {}), data })
      .then(() => this.refresh())
      .catch((e: unknown) => this.o.log(`hospital: the site was not told of a visit (${(e as { code?: string }).code ?? 'error'})`));
  }

  /**
   * Forgets the site's visit events older than `retentionDays` (at least a day: the store never
   * purges the last one); answers how many went. With a hub it needs the hub (retried next hour).
   */
  purgePast(retentionDays: number): Promise<number> {
    return this.store.purgeEvents(VISIT_EVENT, purgeHorizon(this.clock(), retentionDays));
  }

  /** Reads the day's visits of the whole site again; a site store that does not answer leaves the last list. */
  refresh(): Promise<void> {
    this.refreshing ??= this.read().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async read(): Promise<void> {
    const now = this.clock();
    this.readAt = now.getTime();
    const events = await this.store.events({ kind: VISIT_EVENT, from: new Date(now.getTime() - DAY_SPAN_MS).toISOString(), limit: MAX_EVENTS });
    this.known = fold(events, localDay(now, this.o.timeZone), this.o.timeZone);
  }

  /** Reads in the background when the last read is older than a few seconds: the site is asked only while staff look. */
  private refreshIfStale(): void {
    if (this.clock().getTime() - this.readAt < FRESH_MS) return;
    void this.refresh().catch((e: unknown) => this.o.log(`hospital: the site's visits were not read (${(e as { code?: string }).code ?? 'error'})`));
  }

  /**
   * Today's registrations of the site, newest first: this kiosk's own (`local`, with initials) and the
   * other kiosks' (no initials, as last read). A patient's visits of the day are counted over the whole site.
   */
  today(local: readonly RegistrationSummary[]): RegistrationSummary[] {
    this.refreshIfStale();
    const day = localDay(this.clock(), this.o.timeZone);
    const todays = this.known.filter((v) => localDay(new Date(v.visit.registeredAt), this.o.timeZone) === day);
    const perSubject = new Map<string, number>();
    for (const v of todays) if (v.subject) perSubject.set(v.subject, (perSubject.get(v.subject) ?? 0) + 1);
    const siteCount = new Map(todays.map((v) => [v.visit.visitId, v.subject ? perSubject.get(v.subject)! : 1]));
    const own = local.map((r) => ({ ...r, sameDayVisits: Math.max(r.sameDayVisits, siteCount.get(r.visitId) ?? 1) }));
    // This kiosk's own visits are its store's to tell (always current), never the site's copy of them.
    const others = todays.filter((v) => v.terminalId !== this.o.terminalId).map((v) => ({ ...v.visit, initials: null, sameDayVisits: siteCount.get(v.visit.visitId)! }));
    return [...own, ...others].sort((a, b) => b.registeredAt.localeCompare(a.registeredAt));
  }
}

/** The visits registered on `day` as the events tell them, each with its latest state; released ones are gone. */
function fold(events: readonly StoredEvent[], day: string, timeZone: string): SiteVisit[] {
  const visits = new Map<string, SiteVisit>();
  for (const e of [...events].sort((a, b) => a.seq - b.seq)) {
    const parsed = eventData.safeParse(e.data);
    if (!parsed.success) continue;
    const d: EventData = parsed.data;
    if (d.change === 'registered') {
      if (localDay(new Date(d.visit.registeredAt), timeZone) === day) visits.set(d.visit.visitId, { visit: d.visit, terminalId: e.terminalId, ...(e.subject ? { subject: e.subject } : {}) });
      continue;
    }
    const v = visits.get(d.visitId);
    if (!v) continue;
    if (d.change === 'released') visits.delete(d.visitId);
    else if (d.change === 'paid') visits.set(d.visitId, { ...v, visit: { ...v.visit, paymentStatus: 'paid' } });
    else if (d.change === 'verified') visits.set(d.visitId, { ...v, visit: { ...v.visit, centralVerdict: d.centralVerdict, pendingVerification: false } });
  }
  return [...visits.values()];
}
