/**
 * The hospital site module, Node half: the HIS (FHIR) and BHYT adapters or their simulators, the
 * kiosk's own visit records and their purge, the queue ticket, and today's registrations for staff.
 */
import { queueTicket } from '../../../core/receipts/index.ts';
import { siteNode } from '../../site-node.ts';
import { createHospitalFlow } from '../common/journey-flow.ts';
import { hospitalMaintenanceSchema } from '../common/schemas.ts';
import { hospital } from '../common/site.ts';
import { createHospitalBackend } from './hospital-backend.ts';
import { pendingVerifications } from './visit-store.ts';

export const hospitalNode = siteNode(hospital, {
  async wire(ctx) {
    const { settings } = ctx;
    const simulated = settings.his.adapter === 'sim' || settings.insurance.adapter === 'sim';
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
    return {
      flow: () =>
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
        }),
      // Parsed on the way out: only what the schema names (initials, never names) reaches the screen.
      maintenance: () => ({
        site: hospitalMaintenanceSchema.parse({ kind: hospital.kind, registrations: backend.visits.todaysRegistrations() }),
      }),
      retention: backend.retention,
      pendingVerifications: pendingVerifications(backend.visits),
      simulators: backend.simulatorUrls,
      close: () => backend.close(),
    };
  },
  commands: { 'his-sim': () => import('./his-sim-command.ts') },
});
