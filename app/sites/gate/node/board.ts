/**
 * The guard's board (common/site.ts `gateBoardSchema`), kept current from the site store: the
 * maintenance screen reads it without waiting on the store.
 */
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import type { GateSettings } from '../common/config.ts';
import { localTime } from '../common/local-time.ts';
import { EVENT_KINDS, type PersonRecord } from '../common/records.ts';
import type { GateBoard } from '../common/site.ts';
import { peopleStatistics } from '../common/statistics.ts';
import type { AccessEventData } from './attendance.ts';
import type { GateDirectory } from './directory.ts';

export async function readBoard(store: SiteStore, directory: GateDirectory, settings: GateSettings, now: Date): Promise<GateBoard> {
  const name = (key: string | undefined) => (key === undefined ? null : (directory.people.get(key)?.name ?? directory.blocklist.get(key)?.name ?? null));
  const doorName = (id: string) => settings.doors.find((d) => d.id === id)?.name ?? id;
  const areas = await Promise.all(
    settings.areas.map(async (a) => ({
      id: a.id,
      name: a.name,
      inside: (await store.inside(a.id)).map((p) => ({ name: name(p.subject) ?? '?', visitor: directory.people.get(p.subject)?.kind === 'visitor', since: p.since })),
    })),
  );
  const alarms = (await store.openAlerts())
    .filter((a) => a.kind === 'gate')
    .map((a) => ({ id: a.id, at: a.raisedAt, code: a.code, door: typeof a.detail.door === 'string' ? doorName(a.detail.door) : null, who: name(typeof a.detail.entry === 'string' ? a.detail.entry : typeof a.detail.person === 'string' ? a.detail.person : undefined) }));
  const day = localTime(now, settings.timeZone).day;
  const since = new Date(now.getTime() - 36 * 3_600_000).toISOString();
  const events = (await store.events({ kind: EVENT_KINDS.access, from: since, limit: 2000 })).filter((e) => localTime(new Date(e.at), settings.timeZone).day === day);
  const recent = events.slice(0, 15).map((e) => {
    const d = e.data as AccessEventData;
    return { at: e.at, door: d.door === 'auto' ? 'auto' : doorName(d.door), direction: d.direction, name: name(e.subject), method: d.method, decision: d.decision, reason: d.reason ?? null };
  });
  const enteredToday = new Set(events.filter((e) => (e.data as AccessEventData).decision === 'opened' && (e.data as AccessEventData).direction === 'in' && e.subject).map((e) => e.subject!));
  const todays = [...enteredToday].map((k) => directory.people.get(k)).filter((p): p is PersonRecord => p !== undefined);
  const stats = peopleStatistics(todays, Number(day.slice(0, 4)));
  return {
    kind: 'gate',
    role: settings.role,
    updatedAt: now.toISOString(),
    people: directory.people.size,
    templates: directory.templates,
    doors: settings.doors.map((x) => ({ id: x.id, name: x.name })),
    areas,
    alarms,
    recent,
    today: {
      entries: events.filter((e) => (e.data as AccessEventData).decision === 'opened' && (e.data as AccessEventData).direction === 'in').length,
      refusals: events.filter((e) => (e.data as AccessEventData).decision === 'refused').length,
      visitors: todays.filter((p) => p.kind === 'visitor').length,
      byAgeBand: stats.byAgeBand,
      bySex: stats.bySex,
      byDepartment: stats.byDepartment,
    },
  };
}
