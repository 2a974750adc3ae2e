/**
 * The access decision at a door, as pure rules over what the kiosk knows. The order is the order
 * of what matters most: a blocklisted person is refused with an alarm whatever else holds; then
 * who it is, whether they are active and within their window, whether their group may use this
 * door, and whether their week plan allows now. What passes these is a passage the site store
 * decides against anti-passback (one authority for who is inside), and it counts only once the
 * door has opened.
 */
import type { PassageDecision, PassageRequest } from '../../../core/site-store/site-store.ts';
import type { AreaSettings, DoorSettings } from './config.ts';
import type { AccessGroupRecord, PersonRecord } from './records.ts';
import { ALWAYS, scheduleAllows, type WeekPlan } from './schedule.ts';

/** How the person presented themselves. */
export type Credential = 'face' | 'card' | 'qr';

/** Why a door stays shut, as codes the screen words and the log records. */
export type RefusalCode =
  | 'BLOCKLISTED'
  | 'NOT_RECOGNISED'
  | 'NOT_ACTIVE'
  | 'NOT_VALID_NOW'
  | 'DOOR_NOT_ALLOWED'
  | 'OUTSIDE_SCHEDULE'
  | 'ALREADY_INSIDE'
  | 'NOT_INSIDE'
  | 'OUTER_AREA_REQUIRED'
  | 'DECISION_UNAVAILABLE'
  | 'DOOR_FAULT';

export interface KnownPerson {
  readonly key: string;
  readonly record: PersonRecord;
}

export interface AccessFacts {
  readonly door: DoorSettings;
  readonly area: AreaSettings;
  /** Who the credential names; undefined: nobody the site knows. */
  readonly person?: KnownPerson;
  /** The face or ID number is on the blocklist. */
  readonly blocklisted: boolean;
  /** The person's access group and its week plan (undefined plan: always). */
  readonly group?: AccessGroupRecord;
  readonly plan?: WeekPlan;
  readonly holidays: ReadonlySet<string>;
  readonly at: Date;
  readonly timeZone: string;
}

/** What the door's own rules say before anti-passback. */
export type AccessVerdict =
  | { readonly kind: 'refuse'; readonly reason: RefusalCode; readonly alarm: boolean }
  | { readonly kind: 'passage'; readonly person: KnownPerson; readonly passage: Omit<PassageRequest, 'event' | 'subject'> };

const refuse = (reason: RefusalCode, alarm = false): AccessVerdict => ({ kind: 'refuse', reason, alarm });

export function checkAccess(f: AccessFacts): AccessVerdict {
  if (f.blocklisted) return refuse('BLOCKLISTED', true);
  const person = f.person;
  if (!person) return refuse('NOT_RECOGNISED');
  const r = person.record;
  if (!r.active) return refuse('NOT_ACTIVE');
  const t = f.at.getTime();
  if ((r.validFrom !== undefined && t < Date.parse(r.validFrom)) || (r.validUntil !== undefined && t >= Date.parse(r.validUntil))) return refuse('NOT_VALID_NOW');
  if (!f.group || !f.group.doors.includes(f.door.id)) return refuse('DOOR_NOT_ALLOWED');
  if (!scheduleAllows(f.plan ?? ALWAYS, f.at, f.timeZone, f.holidays)) return refuse('OUTSIDE_SCHEDULE');
  return {
    kind: 'passage',
    person,
    passage: {
      area: f.area.id,
      direction: f.door.direction,
      antiPassback: f.area.antiPassback,
      // Nested areas: coming into an inner area requires being inside the one around it.
      ...(f.door.direction === 'in' && f.area.parent !== undefined ? { requiresInside: f.area.parent } : {}),
    },
  };
}

/** The site store's answer in the door's words. */
export function passageRefusal(d: PassageDecision): RefusalCode | undefined {
  return d.admitted ? undefined : d.reason;
}

/**
 * The door's failure rule when the decision cannot be made (the store unreachable or failing):
 * `known-only` lets a worker through on the door's own rules without anti-passback; everyone else,
 * and every door set `closed`, is refused. A visitor is never let in blind.
 */
export function whenUndecidable(door: DoorSettings, verdict: AccessVerdict): AccessVerdict {
  if (verdict.kind === 'refuse') return verdict;
  if (door.whenUndecidable === 'known-only' && verdict.person.record.kind === 'worker') return verdict;
  return refuse('DECISION_UNAVAILABLE');
}
