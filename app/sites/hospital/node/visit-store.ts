/**
 * The kiosk's own record of hospital registrations (table hospital_visits, migration 040), with the
 * verification that preceded each one. Every change is one transaction together with its audit row,
 * so a visit is never recorded without its audit entry or the other way round. Audit rows carry the
 * visit id and codes, never the name.
 */
import { localDay } from '../common/local-day.ts';
import { HospitalError, type ExaminationType, type PaymentStatus } from '../common/types.ts';
import {
  centralVerdictOf,
  nameInitials,
  needsPendingVerification,
  type CentralVerdict,
  type NewVisitRecord,
  type RegistrationSummary,
  type SettledVisit,
  type VisitChange,
} from '../common/visit-record.ts';
import type { AuditLog } from '../../../platform/store/audit-log.ts';
import type { Db } from '../../../platform/store/db.ts';
import type { PendingVerifications } from '../../site-node.ts';

export type { RegistrationSummary };

interface Row {
  visit_id: string;
  registered_at: string;
  examination_type: ExaminationType;
  department_name: string;
  room: string;
  queue_number: number;
  central_verdict: CentralVerdict;
  pending_verification: 0 | 1;
  payment_status: PaymentStatus;
  full_name: string | null;
}

const DAY_MS = 86_400_000;

export interface VisitStoreOptions {
  readonly timeZone: string;
  readonly clock?: () => Date;
  /** Told of each change once it is committed here (the site's copy, ./site-visits.ts); its faults are its own. */
  readonly onChange?: (change: VisitChange) => void;
}

export class VisitStore {
  private readonly clock: () => Date;

  constructor(private readonly db: Db, private readonly audit: AuditLog, private readonly options: VisitStoreOptions) {
    this.clock = options.clock ?? (() => new Date());
    // Purged names must not linger in free space of the database pages.
    this.db.pragma('secure_delete = ON');
  }

  private changed(change: VisitChange): void {
    try {
      this.options.onChange?.(change);
    } catch {
      // The kiosk's record stands; the site's copy is a listener's job.
    }
  }

  record(visit: NewVisitRecord): void {
    const registeredAt = new Date(visit.registeredAt);
    if (Number.isNaN(registeredAt.getTime())) throw invalid('registeredAt is not a date');
    const score = visit.verification.faceScore;
    if (score !== null && !(score >= 0 && score <= 1)) throw invalid('faceScore must be between 0 and 1');
    if (!Number.isSafeInteger(visit.queueNumber) || visit.queueNumber < 1) throw invalid('queueNumber must be a positive integer');
    if (!Number.isSafeInteger(visit.feeVnd) || visit.feeVnd < 0) throw invalid('feeVnd must be a whole number of đồng');
    if (!visit.personal.fullName.trim() || !visit.personal.patientId) throw invalid('the patient\'s name and id are required');
    const pending = needsPendingVerification(visit.verification);
    this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM hospital_visits WHERE visit_id = ?').get(visit.visitId);
      if (exists) throw new HospitalError('VISIT_DUPLICATE', 'this visit is already recorded', { visitId: visit.visitId });
      this.db
        .prepare(
          `INSERT INTO hospital_visits (visit_id, registered_at, local_day, examination_type, department_name, clinic_id, room,
             queue_number, insurance_code, pa_verdict, clone_verdict, face_score, central_verdict, pending_verification,
             central_request_id, payment_status, fee_vnd, full_name, patient_id)
           VALUES (@visitId, @registeredAt, @localDay, @examinationType, @departmentName, @clinicId, @room,
             @queueNumber, @insuranceCode, @pa, @clone, @faceScore, @central, @pending, @requestId, @paymentStatus, @feeVnd, @fullName, @patientId)`,
        )
        .run({
          visitId: visit.visitId,
          registeredAt: registeredAt.toISOString(),
          localDay: localDay(registeredAt, this.options.timeZone),
          examinationType: visit.examinationType,
          departmentName: visit.departmentName,
          clinicId: visit.clinicId,
          room: visit.room,
          queueNumber: visit.queueNumber,
          insuranceCode: visit.insuranceCode,
          pa: visit.verification.pa,
          clone: visit.verification.clone,
          faceScore: score,
          central: visit.verification.central,
          pending: pending ? 1 : 0,
          requestId: visit.verification.requestId ?? null,
          paymentStatus: visit.paymentStatus,
          feeVnd: visit.feeVnd,
          fullName: visit.personal.fullName.normalize('NFC').trim(),
          patientId: visit.personal.patientId,
        });
      this.audit.append({
        action: 'hospital.visit.registered',
        actor: 'kiosk',
        detail: {
          visitId: visit.visitId,
          examinationType: visit.examinationType,
          insuranceCode: visit.insuranceCode,
          pa: visit.verification.pa,
          clone: visit.verification.clone,
          central: visit.verification.central,
          pendingVerification: pending,
          ...(pending && visit.verification.requestId ? { requestId: visit.verification.requestId } : {}),
        },
      });
    })();
    this.changed({
      change: 'registered',
      patientId: visit.personal.patientId,
      visit: {
        visitId: visit.visitId, registeredAt: registeredAt.toISOString(), examinationType: visit.examinationType, departmentName: visit.departmentName, room: visit.room,
        queueNumber: visit.queueNumber, centralVerdict: visit.verification.central, pendingVerification: pending, paymentStatus: visit.paymentStatus,
      },
    });
  }

  /** Records that the hospital system reported the fee paid. False if it was already paid. */
  markPaid(visitId: string): boolean {
    const paid = this.db.transaction(() => {
      const row = this.db.prepare('SELECT payment_status FROM hospital_visits WHERE visit_id = ?').get(visitId) as
        | { payment_status: PaymentStatus }
        | undefined;
      if (!row) throw new HospitalError('VISIT_NOT_FOUND', 'no such visit', { visitId });
      if (row.payment_status === 'paid') return false;
      this.db.prepare("UPDATE hospital_visits SET payment_status = 'paid' WHERE visit_id = ?").run(visitId);
      this.audit.append({ action: 'hospital.visit.paid', actor: 'kiosk', detail: { visitId } });
      return true;
    })();
    if (paid) this.changed({ change: 'paid', visitId });
    return paid;
  }

  /** The hospital cancelled the visit (left unpaid): the kiosk keeps nothing of it but the audit line. */
  forget(visitId: string): void {
    const removed = this.db.transaction(() => {
      const n = this.db.prepare('DELETE FROM hospital_visits WHERE visit_id = ?').run(visitId).changes;
      if (n > 0) this.audit.append({ action: 'hospital.visit.released', actor: 'kiosk', detail: { visitId } });
      return n;
    })();
    if (removed > 0) this.changed({ change: 'released', visitId });
  }

  /** Staff (or a later successful check) settled a visit that was registered without the central service. */
  resolvePendingVerification(visitId: string, verdict: 'confirmed' | 'rejected', actor: string): void {
    this.db.transaction(() => {
      const changed = this.db
        .prepare('UPDATE hospital_visits SET central_verdict = ?, pending_verification = 0 WHERE visit_id = ? AND pending_verification = 1')
        .run(verdict, visitId).changes;
      if (changed === 0) throw new HospitalError('VISIT_NOT_FOUND', 'no visit pending verification with this id', { visitId });
      this.audit.append({ action: 'hospital.visit.verification-resolved', actor, detail: { visitId, verdict } });
    })();
    this.changed({ change: 'verified', visitId, centralVerdict: verdict });
  }

  /** Request ids of visits still waiting for their central verdict. */
  pendingRequestIds(): string[] {
    const rows = this.db
      .prepare('SELECT DISTINCT central_request_id AS id FROM hospital_visits WHERE pending_verification = 1 AND central_request_id IS NOT NULL')
      .all() as { id: string }[];
    return rows.map((r) => r.id);
  }

  /**
   * The central verdict for a request arrived after its visit went on: the visit is settled
   * (confirmed or rejected, no longer pending) with its audit row, in one transaction. Returns the
   * visits it settled (none when no pending visit carries this request id).
   */
  settleVerification(requestId: string, verdict: string, transactionCode: string | null): SettledVisit[] {
    const central = centralVerdictOf(verdict);
    if (central !== 'confirmed' && central !== 'rejected') throw invalid(`a late verdict must be final, not ${verdict}`);
    const settled = this.db.transaction(() => {
      const rows = this.db
        .prepare('SELECT visit_id, queue_number, room FROM hospital_visits WHERE central_request_id = ? AND pending_verification = 1')
        .all(requestId) as { visit_id: string; queue_number: number; room: string }[];
      const settle = this.db.prepare('UPDATE hospital_visits SET central_verdict = ?, pending_verification = 0 WHERE visit_id = ?');
      for (const r of rows) {
        settle.run(central, r.visit_id);
        this.audit.append({
          action: 'hospital.visit.verification-settled',
          actor: 'rar-outbox',
          detail: { visitId: r.visit_id, requestId, verdict, central, transactionCode },
        });
      }
      return rows.map((r) => ({ visitId: r.visit_id, queueNumber: r.queue_number, room: r.room, central }));
    })();
    for (const v of settled) this.changed({ change: 'verified', visitId: v.visitId, centralVerdict: central });
    return settled;
  }

  /**
   * Today's registrations (the hospital's day), newest first, with name initials only. Each says how
   * many visits its patient has today: several can be a family member's card, a queue bought for
   * someone else, or a patient sent back; staff look (the patient id itself never leaves here).
   */
  todaysRegistrations(): RegistrationSummary[] {
    const rows = this.db
      .prepare(
        `SELECT visit_id, registered_at, examination_type, department_name, room, queue_number, central_verdict,
                pending_verification, payment_status, full_name,
                CASE WHEN patient_id IS NULL THEN 1 ELSE COUNT(*) OVER (PARTITION BY patient_id) END AS same_day_visits
           FROM hospital_visits WHERE local_day = ? ORDER BY registered_at DESC, rowid DESC`,
      )
      .all(localDay(this.clock(), this.options.timeZone)) as (Row & { same_day_visits: number })[];
    return rows.map((r) => ({
      visitId: r.visit_id,
      registeredAt: r.registered_at,
      initials: r.full_name === null ? null : nameInitials(r.full_name),
      examinationType: r.examination_type,
      departmentName: r.department_name,
      room: r.room,
      queueNumber: r.queue_number,
      centralVerdict: r.central_verdict,
      pendingVerification: r.pending_verification === 1,
      paymentStatus: r.payment_status,
      sameDayVisits: r.same_day_visits,
    }));
  }

  /**
   * Removes the personal data of visits registered more than `retentionDays` ago. One transaction
   * with its audit row (counts only). Returns how many visits were purged.
   */
  purgeExpired(retentionDays: number, actor = 'retention-job'): number {
    if (!Number.isInteger(retentionDays) || retentionDays < 0) throw invalid('retentionDays must be a whole number ≥ 0');
    const now = this.clock();
    const cutoff = new Date(now.getTime() - retentionDays * DAY_MS).toISOString();
    const count = this.db.transaction(() => {
      const purged = this.db
        .prepare('UPDATE hospital_visits SET full_name = NULL, patient_id = NULL, purged_at = ? WHERE purged_at IS NULL AND registered_at < ?')
        .run(now.toISOString(), cutoff).changes;
      if (purged > 0) this.audit.append({ action: 'hospital.visits.purged', actor, detail: { count: purged, retentionDays } });
      return purged;
    })();
    // The old pages still sit in the write-ahead log until a checkpoint copies the new ones over.
    if (count > 0) this.db.pragma('wal_checkpoint(TRUNCATE)');
    return count;
  }
}

function invalid(message: string): HospitalError {
  return new HospitalError('HOSPITAL_INVALID_INPUT', `visit record: ${message}`);
}

/** Visits registered while the central answer was pending, as the host settles them (staff find a refused one by visit, number and room). */
export function pendingVerifications(visits: VisitStore): PendingVerifications {
  return {
    requestIds: () => visits.pendingRequestIds(),
    settle: (requestId, verdict, transactionCode) =>
      visits.settleVerification(requestId, verdict, transactionCode).map((v) => ({
        rejected: v.central === 'rejected',
        reference: { visitId: v.visitId, queueNumber: v.queueNumber, room: v.room },
      })),
  };
}
