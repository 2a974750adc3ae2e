/**
 * The stores behind late central verdicts: a pending visit keeps its request id and is settled once
 * by the final verdict; alerts stay open until acknowledged; each change has its audit row.
 */
import { describe, expect, it } from 'vitest';
import type { NewVisitRecord } from '../../app/sites/hospital/common/visit-record.ts';
import { lateVerdictSettlement } from '../../app/host/wiring/late-verdicts.ts';
import { pendingVerifications, VisitStore } from '../../app/sites/hospital/node/visit-store.ts';
import { AlertStore } from '../../app/platform/store/alerts.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';

function stores() {
  const db = openDatabase(':memory:');
  const audit = new AuditLog(db);
  return { db, audit, visits: new VisitStore(db, audit, { timeZone: 'Asia/Ho_Chi_Minh' }), alerts: new AlertStore(db, audit) };
}

const visit = (visitId: string, central: 'unreachable' | 'confirmed', requestId?: string): NewVisitRecord => ({
  visitId, registeredAt: new Date().toISOString(), examinationType: 'insurance', departmentName: 'Nội', clinicId: 'p101', room: 'P.101',
  queueNumber: 7, insuranceCode: '000', paymentStatus: 'not-required', feeVnd: 0, personal: { fullName: 'Nguyễn Văn An', patientId: 'P-1' },
  verification: { pa: 'pass', clone: 'pass', faceScore: 0.9, central, ...(requestId ? { requestId } : {}) },
});

const actions = (audit: AuditLog) => audit.recent(50).map((r) => r.action).reverse();

describe('late central verdicts', () => {
  it('settle the pending visits of their request once, and raise one alert for a refusal', () => {
    const { db, audit, visits, alerts } = stores();
    visits.record(visit('V1', 'unreachable', 'R1'));
    visits.record(visit('V2', 'unreachable', 'R2'));
    visits.record(visit('V3', 'confirmed'));
    expect(visits.pendingRequestIds().sort()).toEqual(['R1', 'R2']);
    const verdicts: Record<string, { verdict: string; transactionCode: string | null }> = { R1: { verdict: 'MISMATCH', transactionCode: 'T1' } };
    const settle = lateVerdictSettlement({ db, pending: pendingVerifications(visits), alerts, verdictOf: (id) => verdicts[id], onError: (e) => { throw e; } });
    settle();
    settle(); // a second run changes nothing
    expect(visits.pendingRequestIds()).toEqual(['R2']);
    expect(alerts.open()).toEqual([expect.objectContaining({ kind: 'central-verdict-late', code: 'MISMATCH', detail: { visitId: 'V1', requestId: 'R1', queueNumber: 7, room: 'P.101' } })]);
    verdicts.R2 = { verdict: 'VERIFIED', transactionCode: 'T2' };
    settle();
    expect(visits.pendingRequestIds()).toEqual([]);
    expect(alerts.open()).toHaveLength(1);
    expect(actions(audit).filter((a) => a === 'hospital.visit.verification-settled')).toHaveLength(2);
    expect(JSON.stringify(audit.recent(50))).not.toContain('Nguyễn');
  });

  it('only a final verdict settles a visit', () => {
    const { visits } = stores();
    visits.record(visit('V1', 'unreachable', 'R1'));
    expect(() => visits.settleVerification('R1', 'PENDING', null)).toThrow(expect.objectContaining({ code: 'HOSPITAL_INVALID_INPUT' }));
    expect(visits.settleVerification('R-unknown', 'VERIFIED', null)).toEqual([]);
    expect(visits.pendingRequestIds()).toEqual(['R1']);
  });

  it('alerts stay open until acknowledged, once', () => {
    const { audit, alerts } = stores();
    const id = alerts.raise('central-verdict-late', 'REVOKED', { visitId: 'V1' });
    expect(alerts.acknowledge(id, 'admin')).toBe(true);
    expect(alerts.acknowledge(id, 'admin')).toBe(false);
    expect(alerts.open()).toEqual([]);
    expect(actions(audit)).toEqual(['alert.raised', 'alert.acknowledged']);
  });
});
