/**
 * Builds the hospital journey's back end from the hospital's site settings: the HIS adapter, the
 * BHYT check, the visit store and its retention job. With `adapter: sim` the simulators are started
 * in-process (their start functions are passed in from ./demo-wiring.ts, the one door to ../sim)
 * and the real adapters talk to them over loopback, exactly as they would to a hospital.
 */
import type { SecretRef } from '../../../core/config/secret-ref.ts';
import { NexoTerminal } from '../../../platform/payments/nexo-terminal.ts';
import { AlertStore } from '../../../platform/store/alerts.ts';
import { BillPayments, newPaymentKey, newTerminalAttempt } from '../common/bill-payments.ts';
import type { HospitalBilling } from '../common/billing.ts';
import type { ClinicDesk } from '../common/clinic-check.ts';
import type { HospitalConfig, TerminalConfig } from '../common/config.ts';
import type { HospitalSystem } from '../common/hospital-system.ts';
import type { InsuranceCheck } from '../common/insurance.ts';
import { BhxhInsuranceCheck } from './insurance/bhxh-adapter.ts';
import type { AuditLog } from '../../../platform/store/audit-log.ts';
import type { Db } from '../../../platform/store/db.ts';
import { FhirHospitalSystem } from './his/fhir-adapter.ts';
import { FhirHospitalBilling } from './his/fhir-billing.ts';
import { FhirClinicDesk } from './his/fhir-clinic.ts';
import { PaymentLedgerStore } from './payment-ledger-store.ts';
import { startRetentionJob, type RetentionJob } from './retention-job.ts';
import type { VisitChange } from '../common/visit-record.ts';
import { VisitStore } from './visit-store.ts';
import { isAbsolute, join } from 'node:path';

interface Running { readonly url: string; close(): Promise<void> }

/** What `startHisSim` (../sim/his/server.ts) accepts and returns, as far as wiring needs. */
export type StartHisSim = (o: {
  port: number;
  dbFile: string;
  serviceFeeVnd: number;
  autoPayAfterMs?: number;
  ordersOnVisit?: boolean;
  identifierSystem: string;
  timeZone: string;
}) => Promise<Running>;

/** What `startTerminalSim` (app/sim/payment-terminal/server.ts) accepts and returns. */
export type StartTerminalSim = (o: { port: number; dbFile: string; approveAfterMs: number }) => Promise<Running & { controlUrl: string; caPem: string; poiId: string }>;

/** What `startInsuranceSim` (../sim/insurance/server.ts) accepts and returns. */
export type StartInsuranceSim = (o: { port: number }) => Promise<Running & { username: string; password: string }>;

export interface HospitalBackendDeps {
  /** storage.dataDir, already resolved. */
  readonly dataDir: string;
  /** The host's readSecret bound to the loaded profile. */
  readonly readSecret: (ref: SecretRef, keyPath: string) => string;
  readonly db: Db;
  readonly audit: AuditLog;
  /** retention.personalDataDays of the profile; the site's visitRetentionDays wins when set. */
  readonly defaultRetentionDays: number;
  readonly simulators?: { readonly startHisSim: StartHisSim; readonly startInsuranceSim: StartInsuranceSim; readonly startTerminalSim?: StartTerminalSim };
  /** The kiosk's terminal id: the sale system's id at the payment terminal (nexo SaleID). */
  readonly terminalId: string;
  /** The site's queue numbers (`his.queueNumber.source: site`), from ./queue-numbers.ts. */
  readonly drawQueueNumber?: (clinicId: string) => Promise<number>;
  /** Told of each visit change once committed here (the site's copy of the day's visits). */
  readonly onVisitChange?: (change: VisitChange) => void;
  readonly retentionIntervalMs?: number;
  readonly onRetentionError?: (e: unknown) => void;
  /** Purges the site's visit events past the same retention period (the retention job runs it). */
  readonly purgeSiteEvents?: (retentionDays: number) => Promise<number>;
}

export interface HospitalBackend {
  readonly his: HospitalSystem;
  readonly insurance: InsuranceCheck;
  readonly visits: VisitStore;
  readonly billing: HospitalBilling;
  readonly desk: ClinicDesk;
  readonly payments: BillPayments;
  readonly ledger: PaymentLedgerStore;
  readonly retention: RetentionJob;
  /** Where the embedded simulators listen, when they run (for the maintenance screen and tests). */
  readonly simulatorUrls: { readonly hisUrl?: string; readonly bhxhUrl?: string; readonly posUrl?: string; readonly posControlUrl?: string };
  close(): Promise<void>;
}

export async function createHospitalBackend(config: HospitalConfig, deps: HospitalBackendDeps): Promise<HospitalBackend> {
  const running: Running[] = [];
  const needSims = () => {
    if (!deps.simulators) throw new Error('hospital adapter "sim" needs the simulators passed in from the demo wiring');
    return deps.simulators;
  };
  try {
    const his = config.his;
    let hisUrl: string;
    let authorization: string | undefined;
    if (his.adapter === 'sim') {
      const sim = await needSims().startHisSim({
        port: his.port,
        dbFile: isAbsolute(his.dbFile) || his.dbFile === ':memory:' ? his.dbFile : join(deps.dataDir, his.dbFile),
        serviceFeeVnd: config.serviceFeeVnd,
        ...(his.autoPayAfterSeconds === undefined ? {} : { autoPayAfterMs: his.autoPayAfterSeconds * 1000 }),
        ordersOnVisit: his.ordersOnVisit,
        identifierSystem: his.identifierSystem,
        timeZone: config.timeZone,
      });
      running.push(sim);
      hisUrl = sim.url;
    } else {
      hisUrl = his.baseUrl;
      if (his.auth?.kind === 'bearer') authorization = `Bearer ${deps.readSecret(his.auth.token, 'site.his.auth.token')}`;
      if (his.auth?.kind === 'basic') {
        const password = deps.readSecret(his.auth.password, 'site.his.auth.password');
        authorization = `Basic ${Buffer.from(`${his.auth.username}:${password}`, 'utf8').toString('base64')}`;
      }
    }
    const hospitalSystem = new FhirHospitalSystem({
      baseUrl: hisUrl,
      identifierSystem: his.identifierSystem,
      queueNumber: his.queueNumber,
      queueLengths: his.queueLengths,
      timeoutMs: his.timeoutMs,
      timeZone: config.timeZone,
      fallbackDepartments: config.departments,
      ...(authorization ? { authorization } : {}),
      ...(deps.drawQueueNumber ? { drawQueueNumber: deps.drawQueueNumber } : {}),
    });

    const ins = config.insurance;
    let insurance: InsuranceCheck;
    let bhxhUrl: string | undefined;
    if (ins.adapter === 'sim') {
      const sim = await needSims().startInsuranceSim({ port: ins.port });
      running.push(sim);
      bhxhUrl = sim.url;
      insurance = new BhxhInsuranceCheck({
        gatewayUrl: sim.url,
        checkPath: '/api/egw/KQNhanLichSuKCB2024',
        username: sim.username,
        password: sim.password,
        passwordHashing: 'md5',
        // The simulated gateway needs a staff identity like the real one; a synthetic one (099: no province).
        staffName: 'Nhân viên tiếp đón (mô phỏng)',
        staffCccd: '099190000001',
        timeoutMs: 5000,
      });
    } else {
      insurance = new BhxhInsuranceCheck({
        gatewayUrl: ins.gatewayUrl,
        checkPath: ins.checkPath,
        username: deps.readSecret(ins.username, 'site.insurance.username'),
        password: deps.readSecret(ins.password, 'site.insurance.password'),
        passwordHashing: ins.passwordHashing,
        staffName: deps.readSecret(ins.staffName, 'site.insurance.staffName'),
        staffCccd: deps.readSecret(ins.staffCccd, 'site.insurance.staffCccd'),
        timeoutMs: ins.timeoutMs,
      });
    }

    const fhirClient = { baseUrl: hisUrl, timeoutMs: his.timeoutMs, ...(authorization ? { authorization } : {}) };
    const billing = new FhirHospitalBilling(fhirClient);
    const desk = new FhirClinicDesk({ ...fhirClient, queueNumber: his.queueNumber, timeZone: config.timeZone });
    const pos = config.terminal ? await startTerminal(config.terminal, deps, running) : undefined;
    const ledger = new PaymentLedgerStore(deps.db, deps.audit, { timeZone: config.timeZone });
    const alerts = new AlertStore(deps.db, deps.audit);
    const payments = new BillPayments({
      ledger,
      billing,
      ...(pos ? { terminal: pos.terminal } : {}),
      flagStaff: (r) => alerts.raise('hospital-payment', r.problem ?? 'PAYMENT_NEEDS_STAFF', { key: r.key, method: r.method, amountVnd: r.amountVnd }),
      newKey: newPaymentKey,
      newAttempt: newTerminalAttempt,
    });

    const visits = new VisitStore(deps.db, deps.audit, { timeZone: config.timeZone, ...(deps.onVisitChange ? { onChange: deps.onVisitChange } : {}) });
    const retention = startRetentionJob(visits, config.visitRetentionDays ?? deps.defaultRetentionDays, {
      ...(deps.retentionIntervalMs === undefined ? {} : { intervalMs: deps.retentionIntervalMs }),
      ...(deps.onRetentionError ? { onError: deps.onRetentionError } : {}),
      ...(deps.purgeSiteEvents ? { siteEvents: deps.purgeSiteEvents } : {}),
    });
    return {
      his: hospitalSystem,
      insurance,
      visits,
      billing,
      desk,
      payments,
      ledger,
      retention,
      simulatorUrls: { ...(his.adapter === 'sim' ? { hisUrl } : {}), ...(bhxhUrl ? { bhxhUrl } : {}), ...(pos?.urls ?? {}) },
      async close() {
        retention.stop();
        pos?.terminal.close();
        await Promise.all(running.map((r) => r.close()));
      },
    };
  } catch (e) {
    await Promise.all(running.map((r) => r.close()));
    throw e;
  }
}

/** The payment terminal: the simulator started here (its certificate handed over), or a network terminal by its profile. */
async function startTerminal(
  config: TerminalConfig,
  deps: HospitalBackendDeps,
  running: Running[],
): Promise<{ terminal: NexoTerminal; urls: { posUrl?: string; posControlUrl?: string } }> {
  const timeouts = { paymentTimeoutMs: config.paymentTimeoutSeconds * 1000, requestTimeoutMs: config.requestTimeoutMs, settleTimeoutMs: config.settleSeconds * 1000 };
  if (config.adapter === 'sim') {
    const start = deps.simulators?.startTerminalSim ?? needSimulators();
    const sim = await start({
      port: config.port,
      dbFile: isAbsolute(config.dbFile) || config.dbFile === ':memory:' ? config.dbFile : join(deps.dataDir, config.dbFile),
      approveAfterMs: config.approveAfterMs,
    });
    running.push(sim);
    const terminal = new NexoTerminal({
      url: sim.url, caPem: sim.caPem, saleId: deps.terminalId, poiId: sim.poiId, connectTimeoutMs: 5000, ...timeouts,
    });
    return { terminal, urls: { posUrl: sim.url, posControlUrl: sim.controlUrl } };
  }
  const terminal = new NexoTerminal({
    url: config.url,
    caPem: deps.readSecret(config.certificate, 'site.terminal.certificate'),
    saleId: deps.terminalId,
    poiId: config.poiId,
    connectTimeoutMs: config.connectTimeoutMs,
    ...timeouts,
  });
  return { terminal, urls: {} };
}

function needSimulators(): never {
  throw new Error('hospital adapter "sim" needs the simulators passed in from the demo wiring');
}
