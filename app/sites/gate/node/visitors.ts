/**
 * Visitors through the site store: invitations made by hosts (staff screen or HTTP), arrivals at
 * the reception (the verified chip finds the invitation; the visitor becomes a time-boxed person
 * with the invitation's access group; the host is told; a signed pass is printed), walk-ins waiting
 * for the host's approval, check-out, and the end of each window (expiry, automatic check-out).
 */
import { randomBytes } from 'node:crypto';
import { KioskError } from '../../../core/errors.ts';
import type { Holder } from '../../../core/journey/ports.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import type { GateSettings } from '../common/config.ts';
import { checkInvitation, endOfWindow, findInvitation, invitationRequest, moveInvitation } from '../common/invitations.ts';
import type { HostNotice, Notifier } from '../common/ports.ts';
import { COLLECTIONS, EVENT_KINDS, invitationRecord, parseBody, type InvitationRecord, type InvitationStatus } from '../common/records.ts';
import { signPass } from '../common/visitor-pass.ts';
import type { GateDirectory } from './directory.ts';
import type { FaceTemplates, PeopleStore } from './people.ts';

export interface VisitorsDeps {
  readonly store: SiteStore;
  readonly people: PeopleStore;
  readonly directory: GateDirectory;
  readonly notifier: Notifier;
  readonly settings: GateSettings;
  readonly siteId: string;
  readonly passKey: Buffer;
  readonly terminalId: string;
  readonly audit: (action: string, detail: Record<string, string | number | boolean>) => void;
  readonly log: (line: string) => void;
  /** Where the host's system answers a walk-in (the partner API's public address), put into the notice. */
  readonly answerBaseUrl?: string;
}

export interface Arrival {
  readonly invitation: string;
  readonly visitor: string;
  readonly hostName: string;
  readonly from: Date;
  readonly until: Date;
  /** The signed pass (the QR's text) and a short id staff can read. */
  readonly passCode: string;
  readonly passId: string;
}

/** Short enough for the pass's Code 128 to fit 58 mm paper; a clash is refused by the store (ifVersion 0). */
const newKey = () => `I-${randomBytes(4).toString('hex').toUpperCase()}`;

export class Visitors {
  constructor(private readonly d: VisitorsDeps) {}

  private async read(key: string): Promise<{ body: InvitationRecord; version: number }> {
    const r = await this.d.store.get<InvitationRecord>(COLLECTIONS.invitation, key);
    if (!r || r.deleted) throw new KioskError('INVITATION_UNKNOWN', 'no such invitation');
    return { body: parseBody(invitationRecord, r), version: r.version };
  }

  /** Moves an invitation to `to` if nobody changed it meanwhile (SITE_STORE_CONFLICT otherwise). */
  private async move(key: string, to: InvitationStatus, extra: { visitor?: string } = {}): Promise<InvitationRecord> {
    const { body, version } = await this.read(key);
    const next = moveInvitation(body, to, extra);
    await this.d.store.put(COLLECTIONS.invitation, key, next, { ifVersion: version });
    await this.d.store.appendEvent({ key: `${this.d.terminalId}:${key}:${to}`, kind: EVENT_KINDS.visit, at: new Date().toISOString(), terminalId: this.d.terminalId, subject: next.visitor ?? key, data: { invitation: key, status: to, walkIn: next.walkIn } });
    this.d.audit('gate.invitation', { invitation: key, status: to });
    return next;
  }

  /** A host's invitation (staff screen or HTTP endpoint); returns its key. */
  async invite(input: unknown, by: string, now: Date, walkIn = false): Promise<string> {
    const parsed = invitationRequest.safeParse(input);
    if (!parsed.success) throw new KioskError('INVITATION_INVALID', `the invitation is not complete: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    const request = parsed.data;
    const host = this.d.directory.people.get(request.host);
    if (!host || host.kind !== 'worker' || !host.active) throw new KioskError('INVITATION_INVALID', 'the host is not an active worker of the site');
    const group = request.group ?? this.d.settings.visitorGroup;
    if (!this.d.directory.groups.has(group)) throw new KioskError('INVITATION_INVALID', `no access group "${group.slice(0, 64)}"`);
    const window = checkInvitation(request, now);
    const key = newKey();
    const body: InvitationRecord = {
      idRef: this.d.people.idRef(request.idNumber), name: request.name, host: request.host, hostName: host.name, purpose: request.purpose, group,
      ...window, status: walkIn ? 'awaiting-host' : 'invited', walkIn, createdBy: by, createdAt: now.toISOString(),
    };
    await this.d.store.put(COLLECTIONS.invitation, key, body, { ifVersion: 0 });
    this.d.audit('gate.invitation', { invitation: key, status: body.status, by });
    return key;
  }

  /** The open invitation of this arriving visitor (verified chip), if any. */
  invitationFor(idNumber: string, now: Date): string | undefined {
    const idRef = this.d.people.idRef(idNumber);
    const list = [...this.d.directory.invitations.entries()].map(([key, body]) => ({ key, body }));
    return findInvitation(list, idRef, now, this.d.settings.visitorEarlyMinutes)?.key;
  }

  /** A walk-in asks to see `host`: an invitation awaiting the host, who is told. */
  async askHost(holder: Holder, host: string, purpose: string, now: Date): Promise<string> {
    const until = new Date(now.getTime() + 8 * 3_600_000);
    const key = await this.invite({ idNumber: holder.idNumber, name: holder.fullName, host, purpose, from: now.toISOString(), until: until.toISOString() }, 'walk-in', now, true);
    await this.tell('walk-in-request', key, now);
    return key;
  }

  /** Staff or the host's system call a visit off before it began. */
  async cancel(key: string, by: string): Promise<void> {
    await this.move(key, 'cancelled');
    this.d.audit('gate.invitation-cancel', { invitation: key, by });
  }

  /** The host's answer to a walk-in. */
  async answer(key: string, approve: boolean, by: string): Promise<void> {
    await this.move(key, approve ? 'invited' : 'refused');
    this.d.audit('gate.walk-in', { invitation: key, approved: approve, by });
  }

  status(key: string): InvitationStatus | undefined {
    return this.d.directory.invitations.get(key)?.status;
  }

  async statusNow(key: string): Promise<InvitationStatus> {
    return (await this.read(key)).body.status;
  }

  /** The visitor arrived (chip and face verified): their time-boxed record, the host told, the signed pass. */
  async arrive(key: string, holder: Holder, face: FaceTemplates | undefined, now: Date): Promise<Arrival> {
    const { body } = await this.read(key);
    if (body.idRef !== this.d.people.idRef(holder.idNumber)) throw new KioskError('INVITATION_NOT_YOURS', 'the invitation is for another person');
    const { key: visitor } = await this.d.people.enrol(
      { kind: 'visitor', holder, group: body.group, validFrom: new Date(Math.min(now.getTime(), Date.parse(body.from))).toISOString(), validUntil: body.until, ...(face ? { face } : {}), consentAt: now.toISOString() },
      now,
    );
    await this.move(key, 'arrived', { visitor });
    await this.tell('visitor-arrived', key, now);
    const from = new Date(Math.min(now.getTime(), Date.parse(body.from)));
    const until = new Date(body.until);
    return {
      invitation: key, visitor, hostName: body.hostName, from, until,
      passCode: signPass(this.d.passKey, { site: this.d.siteId, invitation: key, visitor, from, until }),
      passId: key,
    };
  }

  /** Takes a visitor out of every area they are still inside (their window ended): logged as an automatic exit. */
  async leaveAreas(visitor: string, now: Date): Promise<void> {
    for (const area of this.d.settings.areas) {
      if (!(await this.d.store.inside(area.id)).some((p) => p.subject === visitor)) continue;
      const event = { key: `${this.d.terminalId}:${visitor}:${area.id}:auto-out:${now.getTime()}`, kind: EVENT_KINDS.access, at: now.toISOString(), terminalId: this.d.terminalId, subject: visitor, data: { door: 'auto', area: area.id, outer: area.parent === undefined, direction: 'out', method: 'auto', decision: 'opened', visitor: true } };
      const d = await this.d.store.decidePassage({ area: area.id, subject: visitor, direction: 'out', antiPassback: 'none', event });
      if (d.admitted) await this.d.store.settlePassage(d.passageId, true);
    }
  }

  /** The visitor left through an outer exit: their visit ends. */
  async checkOut(visitor: string): Promise<void> {
    for (const [key, inv] of this.d.directory.invitations) if (inv.visitor === visitor && inv.status === 'arrived') await this.move(key, 'checked-out');
  }

  /** Ends every window that is over: expires unused invitations, checks out visitors still marked arrived. */
  async endWindows(now: Date): Promise<number> {
    let n = 0;
    for (const [key, inv] of this.d.directory.invitations) {
      const to = endOfWindow(inv, now);
      if (!to) continue;
      try {
        await this.move(key, to);
        if (to === 'checked-out' && inv.visitor) await this.leaveAreas(inv.visitor, now);
        n++;
      } catch (e) {
        this.d.log(`gate: invitation not closed (${(e as { code?: string }).code ?? 'error'})`);
      }
    }
    return n;
  }

  private async tell(kind: HostNotice['kind'], key: string, now: Date): Promise<void> {
    const { body } = await this.read(key);
    try {
      const employeeNo = this.d.directory.people.get(body.host)?.employeeNo;
      const answerUrl = kind === 'walk-in-request' && this.d.answerBaseUrl ? `${this.d.answerBaseUrl.replace(/\/+$/, '')}/invitations/${key}/answer` : undefined;
      await this.d.notifier.notify({
        kind, invitation: key, host: body.host, ...(employeeNo ? { hostEmployeeNo: employeeNo } : {}), visitorName: body.name, purpose: body.purpose,
        gate: this.d.settings.gateName, at: now.toISOString(), ...(kind === 'walk-in-request' ? { until: body.until } : {}), ...(answerUrl ? { answerUrl } : {}),
      });
    } catch (e) {
      // The visit goes on; the guard sees that the host was not told.
      await this.d.store.raiseAlert('gate', 'HOST_NOT_NOTIFIED', { invitation: key, code: (e as { code?: string }).code ?? 'error' }).catch(() => undefined);
    }
  }
}
