/**
 * One walk-up at a door, from who was presented to the door's answer: the blocklist (by ID and by
 * face, every face seen), the door's own rules (./../common/access.ts), the site store's passage
 * decision (anti-passback, nested areas), the door command, and the settling that makes the
 * passage count only when the door opened. Every attempt goes to the site's event log; a blocklist
 * hit also raises an alert; a door that did not open undoes its passage and raises one too.
 */
import { randomUUID } from 'node:crypto';
import type { SiteEvent, SiteStore } from '../../../core/site-store/site-store.ts';
import { checkAccess, passageRefusal, whenUndecidable, type AccessVerdict, type Credential, type RefusalCode } from '../common/access.ts';
import type { GateSettings } from '../common/config.ts';
import { DoorError, type AlarmNotice, type Door } from '../common/ports.ts';
import { EVENT_KINDS } from '../common/records.ts';
import { NEVER } from '../common/schedule.ts';
import { recordPunch, type AccessEventData } from './attendance.ts';
import type { GateDirectory } from './directory.ts';
import { photoKey, type GatePhotos } from './photos.ts';

export interface Presented {
  readonly method: Credential;
  /** Whom the credential names: a face matched 1:N, a pass's visitor, a card's holder. Undefined: nobody known. */
  readonly person?: string;
  /** The face seen (unit embedding of the directory's model): always searched against the blocklist. */
  readonly face?: Float32Array;
  /** The keyed hash of the ID number read from a card: searched against the blocklist. */
  readonly idRef?: string;
  /** The 1:N or 1:1 score that named the person. */
  readonly score?: number;
}

export type DoorOutcome =
  | { readonly opened: true; readonly person: string; readonly name: string; readonly direction: 'in' | 'out'; readonly visitor: boolean; readonly ruleBroken?: 'ALREADY_INSIDE' | 'NOT_INSIDE'; readonly undecided?: boolean }
  | { readonly opened: false; readonly reason: RefusalCode; readonly person?: string; readonly name?: string; readonly alarm: boolean };

export interface DoorServiceDeps {
  readonly store: SiteStore;
  readonly directory: GateDirectory;
  readonly door: Door;
  readonly settings: GateSettings;
  readonly doorId: string;
  readonly terminalId: string;
  readonly clock: () => Date;
  /** The kiosk's audit trail (codes and keys only). */
  readonly audit: (action: string, detail: Record<string, string | number | boolean>) => void;
  readonly log: (line: string) => void;
  /** Where the live capture of a blocklist hit is kept (sealed), and for how many days. */
  readonly captures?: { readonly photos: GatePhotos; readonly days: number };
  /** Tells the site's security of a blocklist hit at once (the webhook). */
  readonly alarmNotice?: (notice: AlarmNotice) => Promise<void>;
  /** A visitor went out through an outer door: their visit ends. */
  readonly visitorLeft?: (person: string) => Promise<void>;
}

export interface DoorService {
  pass(presented: Presented): Promise<DoorOutcome>;
  /** The blocklist entry this face matches (at the blocklist's threshold), if any. */
  blocklistHit(face: Float32Array): Promise<{ entry: string; score: number } | undefined>;
  /**
   * A face the camera saw, before anyone is named: when it is on the blocklist the alarm is raised
   * (logged, alerted, audited, the capture `frame` kept sealed for the guard, the webhook told) and
   * true is answered, so the face is never matched to anyone.
   */
  screen(face: Float32Array, frame?: Uint8Array): Promise<boolean>;
}

export function doorService(deps: DoorServiceDeps): DoorService {
  const { store, directory, settings } = deps;
  const door = settings.doors.find((d) => d.id === deps.doorId)!;
  const area = settings.areas.find((a) => a.id === door.area)!;

  const blocklistHit = async (face: Float32Array) => {
    const [hit] = await directory.searchBlocklist(face, 1);
    return hit && hit.score >= settings.identify.blocklist ? { entry: hit.key, score: hit.score } : undefined;
  };

  const event = (at: Date, person: string | undefined, data: AccessEventData): SiteEvent => ({
    key: `${deps.terminalId}:${randomUUID()}`,
    kind: EVENT_KINDS.access,
    at: at.toISOString(),
    terminalId: deps.terminalId,
    ...(person ? { subject: person } : {}),
    data,
  });

  const base = (p: Presented) => ({
    door: door.id, area: area.id, outer: area.parent === undefined, direction: door.direction, method: p.method,
    ...(p.score !== undefined ? { score: Math.round(p.score * 10_000) / 10_000 } : {}),
  });

  /** Logs a refusal; an alarm also raises an alert for the guard. Never throws: the answer to the person comes first. */
  const refuse = async (p: Presented, at: Date, reason: RefusalCode, alarm: boolean, extra: { entry?: string; blockScore?: number; frame?: Uint8Array } = {}): Promise<DoorOutcome> => {
    const person = p.person !== undefined ? directory.people.get(p.person) : undefined;
    try {
      await store.appendEvent(event(at, p.person, { ...base(p), decision: 'refused', reason, ...(person?.kind === 'visitor' ? { visitor: true } : {}) }));
      if (alarm) {
        const alert = await store.raiseAlert('gate', reason, { door: door.id, terminal: deps.terminalId, entry: extra.entry ?? null, person: p.person ?? null, score: extra.blockScore ?? null });
        await store.appendEvent({ ...event(at, extra.entry, { ...base(p), decision: 'refused', reason, alert: alert.id }), kind: EVENT_KINDS.alarm });
        await alarmEvidence(alert.id, at, extra.entry, extra.frame);
      }
    } catch (e) {
      deps.log(`gate: could not log a refusal (${(e as { code?: string }).code ?? 'error'})`);
    }
    deps.audit(alarm ? 'gate.alarm' : 'gate.refused', { door: door.id, reason, method: p.method });
    return { opened: false, reason, alarm, ...(p.person !== undefined ? { person: p.person } : {}), ...(person ? { name: person.name } : {}) };
  };

  return {
    blocklistHit,
    async screen(face, frame) {
      const hit = await blocklistHit(face);
      if (hit) await refuse({ method: 'face', face }, deps.clock(), 'BLOCKLISTED', true, { entry: hit.entry, blockScore: hit.score, ...(frame ? { frame } : {}) });
      return hit !== undefined;
    },
    async pass(p) {
      const at = deps.clock();
      const byId = p.idRef !== undefined ? directory.blockedByIdRef(p.idRef) : undefined;
      const byFace = byId === undefined && p.face ? await blocklistHit(p.face) : undefined;
      const entry = byId ?? byFace?.entry;
      const record = p.person !== undefined ? directory.people.get(p.person) : undefined;
      const group = record ? directory.groups.get(record.group) : undefined;
      const plan = group?.plan !== undefined ? directory.plans.get(group.plan) : undefined;
      const verdict: AccessVerdict = checkAccess({
        door, area, blocklisted: entry !== undefined, at, timeZone: settings.timeZone, holidays: directory.holidays,
        ...(record && p.person !== undefined ? { person: { key: p.person, record } } : {}),
        ...(group ? { group } : {}),
        // A group naming a plan that is not (or no longer) there allows nothing: never "always" by accident.
        ...(group?.plan !== undefined ? { plan: plan ?? NEVER } : {}),
      });
      if (verdict.kind === 'refuse') return refuse(p, at, verdict.reason, verdict.alarm, { ...(entry ? { entry } : {}), ...(byFace ? { blockScore: byFace.score } : {}) });

      const person = verdict.person;
      const visitor = person.record.kind === 'visitor';
      const opened: AccessEventData = { ...base(p), decision: 'opened', ...(visitor ? { visitor: true } : {}) };
      const e = event(at, person.key, opened);
      let decision;
      try {
        decision = await store.decidePassage({ ...verdict.passage, subject: person.key, event: e });
      } catch (err) {
        // The authority cannot be asked: the door's failure rule decides, on this station's own copy.
        deps.log(`gate: passage undecidable (${(err as { code?: string }).code ?? 'error'})`);
        const fallback = whenUndecidable(door, verdict);
        if (fallback.kind === 'refuse') return refuse(p, at, fallback.reason, false);
        return openWithoutPassage(p, person.key, person.record.name, visitor, at, opened);
      }
      const refusal = passageRefusal(decision);
      if (refusal || !decision.admitted) return refuse(p, at, refusal ?? 'DECISION_UNAVAILABLE', false);
      try {
        await deps.door.open(door.id);
      } catch (err) {
        await store.settlePassage(decision.passageId, false).catch(() => undefined);
        await alertDoorFault(err, at);
        return refuse(p, at, 'DOOR_FAULT', false);
      }
      await store.settlePassage(decision.passageId, true);
      await afterOpening(person.key, visitor, at);
      deps.audit('gate.opened', { door: door.id, method: p.method, visitor });
      return { opened: true, person: person.key, name: person.record.name, direction: door.direction, visitor, ...(decision.ruleBroken ? { ruleBroken: decision.ruleBroken } : {}) };
    },
  };

  async function openWithoutPassage(p: Presented, key: string, name: string, visitor: boolean, at: Date, data: AccessEventData): Promise<DoorOutcome> {
    try {
      await deps.door.open(door.id);
    } catch (err) {
      await alertDoorFault(err, at);
      return refuse(p, at, 'DOOR_FAULT', false);
    }
    // Logged locally first by the store's own outbox when it is a hub that is away; here it may fail too.
    await store.appendEvent(event(at, key, { ...data, undecided: true })).catch(() => deps.log('gate: could not log an undecided opening'));
    deps.audit('gate.opened', { door: door.id, method: p.method, visitor, undecided: true });
    return { opened: true, person: key, name, direction: door.direction, visitor, undecided: true };
  }

  /** A blocklist hit's capture, sealed for the guard until the retention period ends, and the webhook; neither failing stops the alarm. */
  async function alarmEvidence(alert: number, at: Date, entry: string | undefined, frame: Uint8Array | undefined): Promise<void> {
    if (frame && deps.captures && deps.captures.days > 0) {
      const until = new Date(at.getTime() + deps.captures.days * 86_400_000);
      await deps.captures.photos.put(photoKey.capture(alert), frame, at, until).catch((e) => deps.log(`gate: alarm capture not kept (${(e as { code?: string }).code ?? 'error'})`));
    }
    const entryName = entry !== undefined ? (directory.blocklist.get(entry)?.name ?? '?') : '?';
    await deps.alarmNotice?.({ kind: 'blocklist-alarm', alert, entryName, door: door.name, gate: deps.terminalId, at: at.toISOString() }).catch((e) => deps.log(`gate: alarm webhook failed (${(e as { code?: string }).code ?? 'error'})`));
  }

  async function alertDoorFault(err: unknown, at: Date): Promise<void> {
    const fault = err instanceof DoorError ? err.fault : 'DOOR_UNREACHABLE';
    deps.log(`gate: door ${door.id} did not open (${fault})`);
    await store.raiseAlert('gate', 'DOOR_FAULT', { door: door.id, terminal: deps.terminalId, fault, at: at.toISOString() }).catch(() => undefined);
  }

  /** After the door opened, at outer doors: a visitor's exit ends their visit; attendance. A failure here never undoes the passage. */
  async function afterOpening(person: string, visitor: boolean, at: Date): Promise<void> {
    if (area.parent !== undefined) return;
    if (visitor && door.direction === 'out') await deps.visitorLeft?.(person).catch((e) => deps.log(`gate: visit not closed (${(e as { code?: string }).code ?? 'error'})`));
    await recordPunch(store, { person, at, direction: door.direction }, settings.timeZone).catch((e) => deps.log(`gate: attendance not updated (${(e as { code?: string }).code ?? 'error'}); rebuild from the log`));
  }
}
