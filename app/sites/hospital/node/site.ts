/**
 * The hospital site module, Node half: the HIS (FHIR) and BHYT adapters or their simulators, the
 * payment terminal, the kiosk's own visit records and payment ledger, the queue ticket and the
 * receipt, and for staff today's registrations and the day's payments.
 */
import { queueTicket, receipt } from '../../../core/receipts/index.ts';
import { siteNode } from '../../site-node.ts';
import { billReceipt } from '../common/bill-receipt.ts';
import { createBillsFlow } from '../common/bills-flow.ts';
import { createHospitalFlow } from '../common/journey-flow.ts';
import { purposeFlow } from '../common/purpose-flow.ts';
import { hospitalMaintenanceSchema } from '../common/schemas.ts';
import { hospital } from '../common/site.ts';
import { createHospitalBackend } from './hospital-backend.ts';
import { startPaymentRecovery } from './payment-recovery.ts';
import { pendingVerifications } from './visit-store.ts';

export const hospitalNode = siteNode(hospital, {
  async wire(ctx) {
    const { settings } = ctx;
    const simulated = settings.his.adapter === 'sim' || settings.insurance.adapter === 'sim' || settings.terminal?.adapter === 'sim';
    const backend = await createHospitalBackend(settings, {
      dataDir: ctx.dataDir,
      terminalId: ctx.terminalId,
      readSecret: ctx.readSecret,
      db: ctx.db,
      audit: ctx.audit,
      defaultRetentionDays: ctx.personalDataDays,
      ...(simulated ? { simulators: await import('./demo-wiring.ts') } : {}),
      onRetentionError: (e) => ctx.log(`hospital visit purge failed: ${e instanceof Error ? e.message : String(e)}`),
    });
    const printReceipt = (input: Parameters<typeof receipt>[0]) => ctx.printing.print(receipt(input, { paper: ctx.printing.paper }));
    const recovery = startPaymentRecovery(backend.payments, backend.ledger, {
      printReceipt: (record) => printReceipt(billReceipt(record, settings)),
      log: ctx.log,
    });
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
      });
    const pay = () =>
      createBillsFlow({ his: backend.his, billing: backend.billing, payments: backend.payments, config: settings, printReceipt, log: ctx.log });
    return {
      flow: () => purposeFlow({ register, ...(canPay ? { pay } : {}) }),
      // Parsed on the way out: only what the schema names (initials, never names) reaches the screen.
      maintenance: () => ({
        site: hospitalMaintenanceSchema.parse({
          kind: hospital.kind,
          registrations: backend.visits.todaysRegistrations(),
          payments: backend.ledger.dailyReport(),
        }),
      }),
      retention: backend.retention,
      pendingVerifications: pendingVerifications(backend.visits),
      simulators: backend.simulatorUrls,
      async close() {
        recovery.stop();
        await recovery.started;
        await backend.close();
      },
    };
  },
  commands: { 'his-sim': () => import('./his-sim-command.ts') },
});
