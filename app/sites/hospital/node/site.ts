/**
 * The hospital site module, Node half: the HIS (FHIR) and BHYT adapters or their simulators, the
 * payment terminal, the kiosk's own visit records and payment ledger, the face kept for a visit's
 * day in the hospital's site store, and by role: reception (register, pay bills) or the clinic's
 * door (the identity check). For staff: today's registrations, the day's payments, the checks.
 */
import { KioskError } from '../../../core/errors.ts';
import type { CodeIdentity } from '../../../core/journey/site-flow.ts';
import { queueTicket, receipt } from '../../../core/receipts/index.ts';
import { AlertStore } from '../../../platform/store/alerts.ts';
import { parseSealingKey } from '../../../platform/store/sealing.ts';
import { siteNode } from '../../site-node.ts';
import { siteStoreOf } from '../../../platform/store/site-store/shared-file.ts';
import { billReceipt } from '../common/bill-receipt.ts';
import { createBillsFlow } from '../common/bills-flow.ts';
import { createHospitalFlow } from '../common/journey-flow.ts';
import { purposeFlow } from '../common/purpose-flow.ts';
import { hospitalMaintenanceSchema } from '../common/schemas.ts';
import { hospital } from '../common/site.ts';
import { wireClinicCheck, type ClinicWiring } from './clinic-wiring.ts';
import { createHospitalBackend } from './hospital-backend.ts';
import { startPaymentRecovery } from './payment-recovery.ts';
import { VisitFaces } from './visit-faces.ts';
import { siteQueueNumbers } from './queue-numbers.ts';
import { SiteVisits } from './site-visits.ts';
import { pendingVerifications } from './visit-store.ts';

const FACE_PURGE_MS = 3_600_000;

export const hospitalNode = siteNode(hospital, {
  async wire(ctx) {
    const { settings } = ctx;
    if (settings.role === 'clinic-check' && !settings.clinic) throw new KioskError('HOSPITAL_CONFIG_INVALID', 'site.clinic (the clinic at whose door the kiosk stands) is required for role clinic-check');
    if (settings.role === 'clinic-check' && !settings.siteKey) throw new KioskError('HOSPITAL_CONFIG_INVALID', 'site.siteKey is required for role clinic-check: it opens the faces kept at registration');
    const simulated = settings.his.adapter === 'sim' || settings.insurance.adapter === 'sim' || settings.terminal?.adapter === 'sim';
    const siteKey = settings.siteKey ? parseSealingKey(ctx.readSecret(settings.siteKey, 'site.siteKey'), 'HOSPITAL_CONFIG_INVALID', 'site.siteKey') : undefined;
    const { store, own } = siteStoreOf(ctx, settings.store?.file, 'HOSPITAL_CONFIG_INVALID');
    const siteVisits = new SiteVisits(store, { terminalId: ctx.terminalId, timeZone: settings.timeZone, log: ctx.log, ...(siteKey ? { siteKey } : {}) });
    const backend = await createHospitalBackend(settings, {
      dataDir: ctx.dataDir,
      terminalId: ctx.terminalId,
      readSecret: ctx.readSecret,
      db: ctx.db,
      audit: ctx.audit,
      defaultRetentionDays: ctx.personalDataDays,
      drawQueueNumber: siteQueueNumbers(store, settings.timeZone),
      onVisitChange: (change) => siteVisits.publish(change),
      ...(simulated ? { simulators: await import('./demo-wiring.ts') } : {}),
      onRetentionError: (e) => ctx.log(`hospital visit purge failed: ${e instanceof Error ? e.message : String(e)}`),
      purgeSiteEvents: async (retentionDays) => {
        const count = await siteVisits.purgePast(retentionDays);
        if (count > 0) ctx.audit.append({ action: 'hospital.visit-events.purged', actor: 'retention-job', detail: { count, retentionDays } });
        return count;
      },
    }).catch((e: unknown) => {
      own?.close();
      throw e;
    });
    void siteVisits.refresh().catch((e: unknown) => ctx.log(`hospital: the site's visits were not read (${e instanceof KioskError ? e.code : 'error'})`));
    const faces = siteKey ? new VisitFaces(store, siteKey, { timeZone: settings.timeZone }) : undefined;
    const failed = (what: string) => (e: unknown) => ctx.log(`hospital: ${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    const purgeFaces = () => void faces?.purgePastDays().catch(failed('removing the faces of past visits'));
    purgeFaces();
    const faceTimer = setInterval(purgeFaces, FACE_PURGE_MS);
    faceTimer.unref();
    const alerts = new AlertStore(ctx.db, ctx.audit);

    const printReceipt = (input: Parameters<typeof receipt>[0]) => ctx.printing.print(receipt(input, { paper: ctx.printing.paper }));
    const recovery = startPaymentRecovery(backend.payments, backend.ledger, {
      printReceipt: (record) => printReceipt(billReceipt(record, settings)),
      log: ctx.log,
    });
    const clinic: ClinicWiring | undefined =
      settings.role === 'clinic-check'
        ? wireClinicCheck({
            his: backend.his, desk: backend.desk, store, clinic: settings.clinic!, terminalId: ctx.terminalId, timeZone: settings.timeZone,
            raiseAlert: (code, detail) => void alerts.raise('clinic-check', code, detail),
            log: ctx.log,
          })
        : undefined;

    const canPay = backend.payments.terminalMethods.length > 0 || settings.payment !== undefined;
    const register = () =>
      createHospitalFlow({
        his: backend.his,
        insurance: backend.insurance,
        config: settings,
        terminalId: ctx.terminalId,
        recordVisit: (record) => backend.visits.record(record),
        markPaid: (visitId) => void backend.visits.markPaid(visitId),
        forgetVisit: (visitId) => backend.visits.forget(visitId),
        log: ctx.log,
        printTicket: (input) => ctx.printing.print(queueTicket(input, { paper: ctx.printing.paper })),
        ...(faces ? { keepVisitFace: async (visitId, face) => void (await faces.keep(visitId, face)) } : {}),
      });
    const pay = () =>
      createBillsFlow({ his: backend.his, billing: backend.billing, payments: backend.payments, config: settings, printReceipt, log: ctx.log });

    /** A queue ticket's QR: the face kept for that visit today is what the person must match. */
    const identifyCode = async (code: string): Promise<CodeIdentity> => {
      if (!/^[A-Za-z0-9\-.]{1,64}$/.test(code)) return { known: false, reason: 'TICKET_UNKNOWN' };
      const references = await faces!.references(code);
      if (references.length === 0) return { known: false, reason: 'TICKET_NO_FACE' };
      clinic?.scanned(code);
      return { known: true, subject: { id: code, references } };
    };

    return {
      flow: () => clinic?.flow() ?? purposeFlow({ register, ...(canPay ? { pay } : {}) }),
      // Tickets are taken at the door (the check), and at reception to pay a ticket's bills.
      ...(faces && (clinic || canPay) ? { identifyCode } : {}),
      // Parsed on the way out: only what the schema names (initials, never names) reaches the screen.
      maintenance: () => ({
        site: hospitalMaintenanceSchema.parse({
          kind: hospital.kind,
          registrations: siteVisits.today(backend.visits.todaysRegistrations()),
          payments: backend.ledger.dailyReport(),
          ...(clinic ? { checks: clinic.todaysChecks() } : {}),
        }),
      }),
      retention: backend.retention,
      pendingVerifications: pendingVerifications(backend.visits),
      simulators: backend.simulatorUrls,
      async close() {
        clearInterval(faceTimer);
        clinic?.stop();
        recovery.stop();
        await recovery.started;
        await backend.close();
        own?.close();
      },
    };
  },
  commands: { 'his-sim': () => import('./his-sim-command.ts') },
});
