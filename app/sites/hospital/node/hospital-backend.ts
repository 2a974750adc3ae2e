/**
 * Builds the hospital journey's back end from the hospital's site settings: the HIS adapter, the
 * BHYT check, the visit store and its retention job. With `adapter: sim` the simulators are started
 * in-process (their start functions are passed in from ./demo-wiring.ts, the one door to ../sim)
 * and the real adapters talk to them over loopback, exactly as they would to a hospital.
 */
import type { SecretRef } from '../../../core/config/secret-ref.ts';
import type { HospitalConfig } from '../common/config.ts';
import type { HospitalSystem } from '../common/hospital-system.ts';
import type { InsuranceCheck } from '../common/insurance.ts';
import { BhxhInsuranceCheck } from './insurance/bhxh-adapter.ts';
import type { AuditLog } from '../../../platform/store/audit-log.ts';
import type { Db } from '../../../platform/store/db.ts';
import { FhirHospitalSystem } from './his/fhir-adapter.ts';
import { startRetentionJob, type RetentionJob } from './retention-job.ts';
import { VisitStore } from './visit-store.ts';
import { isAbsolute, join } from 'node:path';

interface Running { readonly url: string; close(): Promise<void> }

/** What `startHisSim` (../sim/his/server.ts) accepts and returns, as far as wiring needs. */
export type StartHisSim = (o: {
  port: number;
  dbFile: string;
  serviceFeeVnd: number;
  autoPayAfterMs?: number;
  identifierSystem: string;
  timeZone: string;
}) => Promise<Running>;

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
  readonly simulators?: { readonly startHisSim: StartHisSim; readonly startInsuranceSim: StartInsuranceSim };
  readonly retentionIntervalMs?: number;
  readonly onRetentionError?: (e: unknown) => void;
}

export interface HospitalBackend {
  readonly his: HospitalSystem;
  readonly insurance: InsuranceCheck;
  readonly visits: VisitStore;
  readonly retention: RetentionJob;
  /** Where the embedded simulators listen, when they run (for the maintenance screen and tests). */
  readonly simulatorUrls: { readonly hisUrl?: string; readonly bhxhUrl?: string };
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

    const visits = new VisitStore(deps.db, deps.audit, { timeZone: config.timeZone });
    const retention = startRetentionJob(visits, config.visitRetentionDays ?? deps.defaultRetentionDays, {
      ...(deps.retentionIntervalMs === undefined ? {} : { intervalMs: deps.retentionIntervalMs }),
      ...(deps.onRetentionError ? { onError: deps.onRetentionError } : {}),
    });
    return {
      his: hospitalSystem,
      insurance,
      visits,
      retention,
      simulatorUrls: { ...(his.adapter === 'sim' ? { hisUrl } : {}), ...(bhxhUrl ? { bhxhUrl } : {}) },
      async close() {
        retention.stop();
        await Promise.all(running.map((r) => r.close()));
      },
    };
  } catch (e) {
    await Promise.all(running.map((r) => r.close()));
    throw e;
  }
}
