/**
 * An anchored card (PA_OK) may go on while the central service is unreachable (allow-offline): its
 * visit is registered "pending verification" with the id of the queued request. The verdict that
 * comes later settles that visit; a refusal raises an alert staff see on the maintenance screen,
 * and every step is audited.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningRarServer } from '../../app/sim/rar-server/server.ts';
import { testTrustAnchors } from '../../app/sim/pki/test-pki.ts';
import { tempDir } from '../support/temp-dir.ts';
import { auditOf, centralService, ID_NUMBER, trustKiosk, type TrustKiosk } from './trust-kiosk.ts';

interface VisitRow { central_verdict: string; pending_verification: number; central_request_id: string | null; room: string; queue_number: number }

describe('late central verdicts for visits registered offline', { timeout: 120_000 }, () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  /**
   * The service decides, but its answers are lost on the way (503 from the gateway in front of it),
   * until the test lets them through. `revoked`: the card was reported lost before the visit.
   */
  async function offlineKiosk(name: string, revoked = false): Promise<{ k: TrustKiosk; central: RunningRarServer }> {
    const dir = tempDir(`trust-late-${name}`);
    const central = await centralService(dir.path, testTrustAnchors());
    if (revoked) central.registry.revokeCard(ID_NUMBER, 'REPORTED_LOST');
    central.setFault({ kind: 'status', status: 503 });
    const k = await trustKiosk(name, { central });
    cleanups.push(() => dir.cleanup(), () => central.close(), () => k.close());
    return { k, central };
  }

  const visits = (k: TrustKiosk) => k.host.db.prepare('SELECT central_verdict, pending_verification, central_request_id, room, queue_number FROM hospital_visits').all() as VisitRow[];

  async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const v = probe();
      if (v !== undefined) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function adminSummary(k: TrustKiosk) {
    const login = await k.host.dispatch('adminLogin', { pin: '1234' });
    const adminToken = (login as { ok: true; result: { adminToken: string } }).result.adminToken;
    const summary = await k.host.dispatch('maintenanceSummary', { adminToken });
    if (!summary.ok) throw new Error(summary.error.code);
    return { adminToken, summary: summary.result as { alerts: { id: number; kind: string; code: string; detail: Record<string, unknown> }[] } };
  }

  it('a late refusal settles the visit as rejected, raises an alert for staff, and is audited', async () => {
    const { k, central } = await offlineKiosk('revoked', true);
    expect((await k.present()).state).toMatchObject({ step: 'site' });
    expect(auditOf(k.host, 'journey.verify')[0]).toMatchObject({ verdict: 'PENDING', decision: 'TRUSTED_PENDING_CENTRAL' });
    expect((await k.register()).state).toEqual({ step: 'done' });
    const [visit] = visits(k);
    const requestId = auditOf(k.host, 'journey.verify')[0]!.requestId as string;
    expect(visit).toMatchObject({ central_verdict: 'unreachable', pending_verification: 1, central_request_id: requestId });

    // The service's answers get through again; the outbox delivers and learns the card was reported lost.
    central.setFault(undefined);
    await until('the visit to be settled', () => (visits(k)[0]!.pending_verification === 0 ? true : undefined));
    expect(visits(k)[0]).toMatchObject({ central_verdict: 'rejected', pending_verification: 0 });
    expect(auditOf(k.host, 'rar.verdict.late')[0]).toMatchObject({ requestId, verdict: 'REVOKED' });
    const visitId = auditOf(k.host, 'hospital.visit.registered')[0]!.visitId;
    expect(auditOf(k.host, 'hospital.visit.verification-settled')).toEqual([expect.objectContaining({ visitId, requestId, verdict: 'REVOKED', central: 'rejected' })]);
    const where = { room: visit!.room, queueNumber: visit!.queue_number };
    expect(auditOf(k.host, 'alert.raised')).toEqual([expect.objectContaining({ kind: 'central-verdict-late', code: 'REVOKED', visitId, requestId, ...where })]);

    // Staff see it on the maintenance screen until one of them takes it in hand.
    const { adminToken, summary } = await adminSummary(k);
    expect(summary.alerts).toEqual([expect.objectContaining({ kind: 'central-verdict-late', code: 'REVOKED', detail: expect.objectContaining({ visitId, ...where }) })]);
    expect(JSON.stringify(summary.alerts)).not.toMatch(/Nguyễn|001092012345/);
    const ack = await k.host.dispatch('acknowledgeAlert', { adminToken, alertId: summary.alerts[0]!.id });
    expect(ack).toEqual({ ok: true, result: { ok: true } });
    expect((await adminSummary(k)).summary.alerts).toEqual([]);
    expect(auditOf(k.host, 'alert.acknowledged')).toEqual([{ alertId: summary.alerts[0]!.id }]);
  });

  it('a late VERIFIED confirms the visit, with no alert', async () => {
    const { k, central } = await offlineKiosk('verified');
    await k.present();
    await k.register();
    central.setFault(undefined);
    await until('the visit to be settled', () => (visits(k)[0]!.pending_verification === 0 ? true : undefined));
    expect(visits(k)[0]).toMatchObject({ central_verdict: 'confirmed' });
    expect(auditOf(k.host, 'alert.raised')).toEqual([]);
  });

  it('a verdict that lands before the visit is recorded settles it when the journey finishes', async () => {
    const { k, central } = await offlineKiosk('early', true);
    expect((await k.present()).state).toMatchObject({ step: 'site' });
    central.setFault(undefined);
    await until('the late verdict', () => (auditOf(k.host, 'rar.verdict.late').length > 0 ? true : undefined));
    expect((await k.register()).state).toEqual({ step: 'done' });
    expect(visits(k)[0]).toMatchObject({ central_verdict: 'rejected', pending_verification: 0 });
    expect(auditOf(k.host, 'alert.raised')).toHaveLength(1);
  });
});
