/**
 * Identity at the clinic's door (kiosk role `clinic-check`): the person scans the queue ticket's QR
 * (and their face is matched 1:1 against the face kept for that visit at registration), or taps
 * their CCCD (and the journey matches their face to the chip). A confirmed check is written to the
 * hospital system (the visit goes `in-progress`, the check recorded on it) and to the nurse's list;
 * a check that does not confirm is flagged to staff and to the hospital system, never shown as an
 * accusation on the screen the waiting room sees. The screen then shows the numbers to be called.
 */
import { KioskError } from '../../../core/errors.ts';
import type { SiteContext, SiteFlow, SiteResult } from '../../../core/journey/site-flow.ts';
import { siteView } from '../../../core/sites/site-module.ts';
import type { HospitalSystem } from './hospital-system.ts';
import { hospitalViews } from './schemas.ts';
import type { VisitStatus } from './types.ts';

/** How the person at the door was matched to the visit. */
export type CheckMethod = 'ticket-face' | 'card-face';

export interface IdentityCheck {
  readonly visitId: string;
  readonly method: CheckMethod;
  readonly at: string;
  readonly terminalId: string;
}

export interface ClinicQueue {
  /** Numbers checked in at the door, to be called in this order (lowest first). */
  readonly called: readonly number[];
  /** Numbers registered and not yet at the door. */
  readonly waiting: readonly number[];
}

/** What the clinic check needs of the hospital system (FHIR: node/his/fhir-clinic.ts). */
export interface ClinicDesk {
  /** The patient's visit today at this clinic that is still open, or null. */
  todaysVisit(patientId: string, clinicId: string): Promise<VisitStatus | null>;
  /** Confirms the person: the visit goes in-progress with the check recorded on it. */
  recordCheck(check: IdentityCheck): Promise<void>;
  /** Flags a check that did not confirm, for the clinic's staff (the visit stays as it was). */
  flagCheck(check: IdentityCheck & { readonly patientId: string; readonly reason: string }): Promise<void>;
  queueAt(clinicId: string): Promise<ClinicQueue>;
}

/** One line of the nurse's list: a visit's number, when and how it was checked, and the result. */
export interface CheckRecord {
  readonly visitId: string;
  readonly queueNumber: number | null;
  readonly at: string;
  readonly result: 'confirmed' | 'not-confirmed';
  readonly method: CheckMethod | 'none';
}

export interface ClinicCheckDeps {
  readonly his: Pick<HospitalSystem, 'findPatientByCccd' | 'getVisit' | 'listDepartments'>;
  readonly desk: ClinicDesk;
  readonly clinicId: string;
  readonly terminalId: string;
  /** The nurse's list (the site store's event log): confirmed and not confirmed checks. */
  readonly record: (check: CheckRecord) => Promise<void>;
  /** A ticket whose face was matched: its pending check is settled (see ClinicChecks). */
  readonly settled: (visitId: string) => void;
  readonly clock?: () => Date;
}

export function createClinicCheckFlow(deps: ClinicCheckDeps): SiteFlow {
  const now = () => (deps.clock?.() ?? new Date()).toISOString();

  const queueView = async (visit: VisitStatus): Promise<SiteResult> => {
    const queue = await deps.desk.queueAt(deps.clinicId);
    const called = queue.called.slice(0, 6);
    return siteView(hospitalViews, 'clinic-checked', {
      queueNumber: visit.queueNumber ?? null,
      called,
      ahead: visit.queueNumber === undefined ? null : queue.called.filter((n) => n < visit.queueNumber!).length,
    });
  };

  /** A ticket for another clinic: the person is sent on to its room (no check recorded here). */
  const elsewhere = async (visit: VisitStatus): Promise<SiteResult> => {
    const clinic = (await deps.his.listDepartments()).flatMap((d) => d.clinics).find((c) => c.id === visit.clinicId);
    return siteView(hospitalViews, 'clinic-elsewhere', { room: clinic?.room ?? null });
  };

  const confirm = async (visit: VisitStatus, method: CheckMethod): Promise<SiteResult> => {
    deps.settled(visit.visitId);
    if (visit.clinicId !== deps.clinicId) return elsewhere(visit);
    if (visit.status === 'arrived') await deps.desk.recordCheck({ visitId: visit.visitId, method, at: now(), terminalId: deps.terminalId });
    else if (visit.status !== 'in-progress') return siteView(hospitalViews, 'clinic-no-visit', {});
    await deps.record({ visitId: visit.visitId, queueNumber: visit.queueNumber ?? null, at: now(), result: 'confirmed', method });
    return queueView({ ...visit, status: 'in-progress' });
  };

  return {
    async start(ctx: SiteContext) {
      // The card and the face matched each other (the journey): this patient's visit at this clinic, today.
      const patient = await deps.his.findPatientByCccd(ctx.holder.idNumber);
      const visit = patient ? await deps.desk.todaysVisit(patient.id, deps.clinicId) : null;
      return visit ? confirm(visit, 'card-face') : siteView(hospitalViews, 'clinic-no-visit', {});
    },
    async startWithCode(visitId) {
      // The face matched the one kept for this visit at registration.
      const visit = await deps.his.getVisit(visitId);
      return visit ? confirm(visit, 'ticket-face') : siteView(hospitalViews, 'clinic-no-visit', {});
    },
    async act(action) {
      throw new KioskError('SITE_BAD_ACTION', `the clinic check takes no action (${String(action.choose).slice(0, 20)})`);
    },
    dispose() {
      // Nothing of the person is held.
    },
  };
}

/**
 * Tickets scanned at the door whose face has not (yet) matched. The journey tells the site only of
 * a match (startWithCode); a ticket still pending after the time allowed did not confirm — a
 * different face, or a person who walked away before matching — and goes to staff.
 */
export class ClinicChecks {
  private readonly pending = new Map<string, number>();

  constructor(private readonly o: { withinMs: number; clock?: () => Date }) {}

  private now(): number {
    return (this.o.clock?.() ?? new Date()).getTime();
  }

  scanned(visitId: string): void {
    if (!this.pending.has(visitId)) this.pending.set(visitId, this.now());
  }

  settled(visitId: string): void {
    this.pending.delete(visitId);
  }

  /** The tickets whose time ran out, taken off the list. */
  overdue(): string[] {
    const due = [...this.pending].filter(([, at]) => this.now() - at >= this.o.withinMs).map(([id]) => id);
    for (const id of due) this.pending.delete(id);
    return due;
  }
}
