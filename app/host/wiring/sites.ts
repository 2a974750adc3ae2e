import type { SiteFlow } from '../../core/journey/site-flow.ts';
import { queueTicket } from '../../core/receipts/index.ts';
import { createHospitalFlow } from '../../sites/hospital/common/journey-flow.ts';
import { createHospitalBackend, type HospitalBackend } from '../../sites/hospital/node/hospital-backend.ts';
import type { AuditLog } from '../../platform/store/audit-log.ts';
import type { Db } from '../../platform/store/db.ts';
import { startHisSim } from '../../sites/hospital/sim/his/server.ts';
import { startInsuranceSim } from '../../sites/hospital/sim/insurance/server.ts';
import { readSecret, type LoadedProfile } from '../config-loader.ts';
import type { Printing } from './printing.ts';

export interface SiteWiring {
  readonly flow: () => SiteFlow;
  readonly hospital?: HospitalBackend;
  close(): Promise<void>;
}

/**
 * The site's own steps. Hospital (and the demo, which shows the hospital journey on simulators)
 * get the hospital flow; airport and gate journeys are not built yet, so their profiles confirm the
 * identity and stop there — nothing is printed that the site has not defined.
 */
export async function wireSite(profile: LoadedProfile, deps: { db: Db; audit: AuditLog; dataDir: string; printing: Printing }): Promise<SiteWiring> {
  const hospitalConfig = profile.config.hospital;
  if (!hospitalConfig) {
    return { flow: identityOnlyFlow, close: async () => undefined };
  }
  const backend = await createHospitalBackend(hospitalConfig, {
    dataDir: deps.dataDir,
    readSecret: (ref, keyPath) => readSecret(profile, ref, keyPath),
    db: deps.db,
    audit: deps.audit,
    defaultRetentionDays: profile.config.retention.personalDataDays,
    simulators: { startHisSim, startInsuranceSim },
  });
  return {
    hospital: backend,
    flow: () =>
      createHospitalFlow({
        his: backend.his,
        insurance: backend.insurance,
        config: hospitalConfig,
        terminalId: profile.config.kiosk.terminalId,
        recordVisit: (record) => backend.visits.record(record),
        markPaid: (visitId) => void backend.visits.markPaid(visitId),
        printTicket: (input) => deps.printing.print(queueTicket(input, { paper: deps.printing.paper })),
      }),
    close: () => backend.close(),
  };
}

/** Sites whose journey is not built yet: the person sees their identity confirmed, and finishes. */
function identityOnlyFlow(): SiteFlow {
  let name = '';
  return {
    async start(ctx) {
      name = ctx.holder.fullName;
      return { kind: 'view', view: { siteStep: 'identity-confirmed', data: { fullName: name, verdict: ctx.evidence.central } } };
    },
    async act() {
      return { kind: 'failed', code: 'SITE_JOURNEY_NOT_AVAILABLE', retryable: false };
    },
    dispose() {
      name = '';
    },
  };
}
