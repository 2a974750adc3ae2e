/**
 * The gate's steps inside the shared journey, one flow per station role:
 * - door: the person was identified (card tap → chip verified; face 1:N → `startReturning`); the
 *   door service decides and opens, and the screen greets them or says why not;
 * - enrolment: staff add the employee number, department and access group to the verified chip's
 *   record; the person's faces (chip portrait and live capture) are kept sealed;
 * - reception: an invited visitor's verified chip finds the invitation, the host is told and the
 *   pass is printed; a walk-in names the host and waits for the answer.
 */
import { KioskError } from '../../../core/errors.ts';
import type { SiteContext, SiteFlow, SiteResult } from '../../../core/journey/site-flow.ts';
import { visitorPass } from '../../../core/receipts/index.ts';
import type { Paper } from '../../../core/receipts/index.ts';
import type { PrintedReceipt } from '../../../core/journey/ports.ts';
import { siteView } from '../../../core/sites/site-module.ts';
import type { GateSettings } from '../common/config.ts';
import { gateViews } from '../common/site.ts';
import type { GateDirectory } from './directory.ts';
import type { DoorOutcome, DoorService } from './door-service.ts';
import type { FaceTemplates, PeopleStore } from './people.ts';
import type { Visitors } from './visitors.ts';

/** The face the journey verified (chip portrait and live capture templates), when it matched one. */
function faceOf(ctx: Omit<SiteContext, 'holder'>): FaceTemplates | undefined {
  const f = ctx.face;
  return f && (f.chip || f.live) ? f : undefined;
}

const doorName = (settings: GateSettings, id: string) => settings.doors.find((d) => d.id === id)?.name ?? id;

/** A visitor going out through a door of the outermost area: their visit ends there (door-service's afterOpening). */
function endsVisit(settings: GateSettings, doorId: string, o: DoorOutcome & { opened: true }): boolean {
  const area = settings.areas.find((a) => a.id === settings.doors.find((d) => d.id === doorId)?.area);
  return o.visitor && o.direction === 'out' && area !== undefined && area.parent === undefined;
}

function doorView(settings: GateSettings, doorId: string, o: DoorOutcome): SiteResult {
  const door = doorName(settings, doorId);
  return o.opened
    ? siteView(gateViews, 'door-open', { name: o.name, direction: o.direction, door, visitor: o.visitor, visitEnded: endsVisit(settings, doorId, o), ruleBroken: o.ruleBroken ?? null })
    : siteView(gateViews, 'door-refused', { reason: o.reason, door, name: o.name ?? null });
}

type How = { readonly by: 'card' } | { readonly by: 'face' | 'code'; readonly subject: string };

/** A flow whose screen shows one answer: acting again shows the same (the journey's cancel or timer moves on). */
function answerFlow(answer: (ctx: SiteContext | Omit<SiteContext, 'holder'>, how: How) => Promise<SiteResult>): SiteFlow {
  let shown: SiteResult | undefined;
  return {
    start: async (ctx) => (shown = await answer(ctx, { by: 'card' })),
    startReturning: async (subject, ctx) => (shown = await answer(ctx, { by: 'face', subject })),
    startWithCode: async (subject, ctx) => (shown = await answer(ctx, { by: 'code', subject })),
    act: async () => {
      if (!shown) throw new KioskError('SITE_NOT_STARTED', 'the gate has not answered yet');
      return shown;
    },
    dispose: () => void (shown = undefined),
  };
}

export function doorFlow(settings: GateSettings, doorId: string, door: DoorService, people: PeopleStore, directory: GateDirectory): SiteFlow {
  return answerFlow(async (ctx, how) => {
    // The face seen is searched against the blocklist whatever the credential.
    const face = faceOf(ctx)?.live;
    const score = ctx.evidence.face?.score;
    const seen = { ...(face ? { face } : {}), ...(score !== undefined ? { score } : {}) };
    if (how.by !== 'card') return doorView(settings, doorId, await door.pass({ method: how.by === 'code' ? 'qr' : 'face', person: how.subject, ...seen }));
    const idRef = people.idRef((ctx as SiteContext).holder.idNumber);
    const person = directory.personByIdRef(idRef);
    return doorView(settings, doorId, await door.pass({ method: 'card', idRef, ...(person ? { person: person.key } : {}), ...seen }));
  });
}

const EMPLOYEE_NO = /^[A-Za-z0-9._-]{1,40}$/;

export function enrolmentFlow(settings: GateSettings, people: PeopleStore, directory: GateDirectory, clock: () => Date): SiteFlow {
  let ctx: SiteContext | undefined;
  let done: SiteResult | undefined;
  const details = (problem: 'EMPLOYEE_NO_INVALID' | 'EMPLOYEE_NO_TAKEN' | 'GROUP_UNKNOWN' | null, input: { employeeNo?: string; department?: string; group?: string } = {}): SiteResult => {
    const c = ctx!;
    const current = directory.personByIdRef(people.idRef(c.holder.idNumber));
    const groups = [...directory.groups.entries()].filter(([id]) => id !== settings.visitorGroup).map(([id, g]) => ({ id, name: g.name })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
    const departments = [...new Set([...directory.people.values()].map((p) => p.department).filter((d): d is string => !!d))].sort((a, b) => a.localeCompare(b, 'vi'));
    return siteView(gateViews, 'enrolment-details', {
      name: c.holder.fullName,
      birthYear: Number(c.holder.dateOfBirth.slice(0, 4)),
      replacing: current?.record.kind === 'worker',
      employeeNo: input.employeeNo ?? current?.record.employeeNo ?? null,
      department: input.department ?? current?.record.department ?? null,
      group: input.group ?? current?.record.group ?? null,
      groups,
      departments,
      problem,
    });
  };
  return {
    async start(c) {
      ctx = c;
      return details(null);
    },
    async act(action) {
      if (!ctx) throw new KioskError('SITE_NOT_STARTED', 'no verified card yet');
      if (done) return done;
      const text = (k: string) => (typeof action[k] === 'string' ? (action[k] as string).trim() : '');
      const input = { employeeNo: text('employeeNo'), department: text('department').slice(0, 100), group: text('group') };
      if (!EMPLOYEE_NO.test(input.employeeNo)) return details('EMPLOYEE_NO_INVALID', input);
      if (!directory.groups.has(input.group)) return details('GROUP_UNKNOWN', input);
      const self = directory.personByIdRef(people.idRef(ctx.holder.idNumber))?.key;
      const taken = [...directory.people.entries()].some(([key, p]) => key !== self && p.kind === 'worker' && p.employeeNo === input.employeeNo);
      if (taken) return details('EMPLOYEE_NO_TAKEN', input);
      const face = faceOf(ctx);
      const now = clock();
      const r = await people.enrol({ kind: 'worker', holder: ctx.holder, group: input.group, employeeNo: input.employeeNo, ...(input.department ? { department: input.department } : {}), ...(face ? { face } : {}), consentAt: now.toISOString() }, now);
      await directory.catchUp();
      done = siteView(gateViews, 'enrolled', { name: ctx.holder.fullName, employeeNo: input.employeeNo, group: directory.groups.get(input.group)!.name, replaced: r.replaced, withFace: face !== undefined });
      return done;
    },
    dispose() {
      ctx = undefined;
      done = undefined;
    },
  };
}

export interface ReceptionDeps {
  readonly settings: GateSettings;
  readonly siteName: string;
  readonly visitors: Visitors;
  readonly people: PeopleStore;
  readonly directory: GateDirectory;
  readonly paper: Paper;
  readonly print: (doc: ReturnType<typeof visitorPass>) => Promise<PrintedReceipt>;
  readonly clock: () => Date;
}

export function receptionFlow(d: ReceptionDeps): SiteFlow {
  let ctx: SiteContext | undefined;
  let waiting: string | undefined;
  const hosts = () =>
    [...d.directory.people.entries()]
      .filter(([, p]) => p.kind === 'worker' && p.active)
      .map(([id, p]) => ({ id, name: p.name, department: p.department ?? null }))
      .sort((a, b) => a.name.localeCompare(b.name, 'vi'))
      .slice(0, 500);
  const arrive = async (invitation: string): Promise<SiteResult> => {
    const c = ctx!;
    const a = await d.visitors.arrive(invitation, c.holder, faceOf(c), d.clock());
    const group = d.directory.invitations.get(invitation)?.group;
    const doors = group ? (d.directory.groups.get(group)?.doors ?? []) : [];
    const zones = [...new Set(doors.map((id) => d.settings.areas.find((ar) => ar.id === d.settings.doors.find((x) => x.id === id)?.area)?.name).filter((n): n is string => !!n))];
    const doc = visitorPass({ siteName: d.siteName, visitorName: c.holder.fullName, hostName: a.hostName, zones, validFrom: a.from, validUntil: a.until, passId: a.passId, qr: a.passCode }, { paper: d.paper });
    return {
      kind: 'done',
      receipt: {
        print: () => d.print(doc),
        summary: { invitation: a.invitation, host: a.hostName, until: a.until.toISOString() },
        ticket: { name: c.holder.fullName, issuedAt: d.clock().toISOString(), code: a.passCode, place: { vi: `Gặp ${a.hostName}`, en: `Visiting ${a.hostName}` } },
      },
    };
  };
  return {
    async start(c) {
      ctx = c;
      const idRef = d.people.idRef(c.holder.idNumber);
      if (d.directory.blockedByIdRef(idRef)) return siteView(gateViews, 'visitor-refused', { reason: 'BLOCKLISTED' });
      const invitation = d.visitors.invitationFor(c.holder.idNumber, d.clock());
      if (invitation) return arrive(invitation);
      return siteView(gateViews, 'visitor-host', { name: c.holder.fullName, hosts: hosts(), purposes: ['Họp', 'Giao hàng', 'Phỏng vấn', 'Sửa chữa'], problem: null });
    },
    async act(action) {
      if (!ctx) throw new KioskError('SITE_NOT_STARTED', 'no verified card yet');
      if (waiting) {
        const status = await d.visitors.statusNow(waiting);
        if (status === 'invited') return arrive(waiting);
        if (status === 'refused' || status === 'cancelled') return siteView(gateViews, 'visitor-refused', { reason: 'HOST_REFUSED' });
        if (status === 'expired') return siteView(gateViews, 'visitor-refused', { reason: 'HOST_NO_ANSWER' });
        return siteView(gateViews, 'visitor-waiting', { name: ctx.holder.fullName, hostName: d.directory.invitations.get(waiting)?.hostName ?? '' });
      }
      const host = typeof action.host === 'string' ? action.host : '';
      const purpose = typeof action.purpose === 'string' ? action.purpose.trim().slice(0, 200) : '';
      const hostRecord = d.directory.people.get(host);
      if (!hostRecord || hostRecord.kind !== 'worker' || !purpose) {
        return siteView(gateViews, 'visitor-host', { name: ctx.holder.fullName, hosts: hosts(), purposes: ['Họp', 'Giao hàng', 'Phỏng vấn', 'Sửa chữa'], problem: hostRecord ? 'PURPOSE_MISSING' : 'HOST_UNKNOWN' });
      }
      waiting = await d.visitors.askHost(ctx.holder, host, purpose, d.clock());
      return siteView(gateViews, 'visitor-waiting', { name: ctx.holder.fullName, hostName: hostRecord.name });
    },
    dispose() {
      ctx = undefined;
      waiting = undefined;
    },
  };
}
