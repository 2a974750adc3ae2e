/**
 * Kiosk-side time of the hospital steps against the embedded simulators over loopback HTTP:
 *   node --import tsx test/bench/hospital.ts [runs]
 * Prints medians (and p90) in milliseconds for each call the journey makes and for the whole
 * back-end part of a registration (BHYT check → find/create patient → departments with queue
 * lengths → register → fee → record the visit). The simulators answer at once, so this is the
 * kiosk's own cost (adapters, JSON, HTTP, SQLite), not a hospital's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hospitalConfig } from '../../app/sites/hospital/common/config.ts';
import { insuranceQueryFor } from '../../app/sites/hospital/common/chip-identity.ts';
import type { ChipIdentity } from '../../app/sites/hospital/common/types.ts';
import { createHospitalBackend } from '../../app/sites/hospital/node/hospital-backend.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { startHisSim } from '../../app/sites/hospital/sim/his/server.ts';
import { DEMO_INSURANCE_CARDS } from '../../app/sites/hospital/sim/insurance/demo-cards.ts';
import { startInsuranceSim } from '../../app/sites/hospital/sim/insurance/server.ts';

const runs = Number(process.argv[2] ?? 50);

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5).toFixed(2)} ms  p90 ${at(0.9).toFixed(2)} ms  (n=${s.length})`;
}

const dir = mkdtempSync(join(tmpdir(), 'bench-hospital-'));
const db = openDatabase(join(dir, 'kiosk.sqlite'));
const backend = await createHospitalBackend(
  hospitalConfig.parse({ hospitalName: 'BV', his: { adapter: 'sim', dbFile: join(dir, 'his.sqlite') }, serviceFeeVnd: 150000 }),
  { dataDir: dir, readSecret: () => '', db, audit: new AuditLog(db), terminalId: 'K1', defaultRetentionDays: 30, simulators: { startHisSim, startInsuranceSim } },
);

const card = DEMO_INSURANCE_CARDS[0]!;
const steps: Record<string, number[]> = { bhyt: [], find: [], create: [], departments: [], register: [], fee: [], record: [], total: [] };
const lap = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
  const t0 = performance.now();
  const r = await fn();
  steps[name]!.push(performance.now() - t0);
  return r;
};

for (let i = 0; i < runs; i++) {
  const identity: ChipIdentity = { idNumber: `0992900${String(i).padStart(5, '0')}`, fullName: card.fullName, dateOfBirth: card.dateOfBirth, sex: 'female' };
  const t0 = performance.now();
  await lap('bhyt', () => backend.insurance.check({ ...insuranceQueryFor(identity), cardNumber: card.cccd }));
  const found = await lap('find', () => backend.his.findPatientByCccd(identity.idNumber));
  const patient = found ?? (await lap('create', () => backend.his.createPatient(identity)));
  const depts = await lap('departments', () => backend.his.listDepartments());
  const clinic = depts[i % depts.length]!.clinics[0]!;
  const v = await lap('register', () => backend.his.registerVisit({ patient, departmentId: clinic.departmentId, clinicId: clinic.id, examinationType: 'service', terminalId: 'BENCH' }));
  const fee = await lap('fee', () => backend.his.getFee(v.visitId));
  await lap('record', () => backend.visits.record({
    visitId: v.visitId, registeredAt: v.registeredAt, examinationType: 'service', departmentName: v.departmentName.vi, clinicId: clinic.id,
    room: v.room, queueNumber: v.queueNumber, insuranceCode: '000', verification: { pa: 'pass', clone: 'pass', faceScore: 0.8, central: 'confirmed' },
    paymentStatus: fee.status, feeVnd: fee.amountVnd, personal: { fullName: patient.fullName, patientId: patient.id },
  }));
  steps.total!.push(performance.now() - t0);
}

const labels: Record<string, string> = {
  bhyt: 'BHYT check (token cached)', find: 'find patient by CCCD', create: 'create patient',
  departments: 'departments + queue lengths', register: 'register visit (+count)', fee: 'fee + payment status',
  record: 'record visit (SQLite+audit)', total: 'back-end registration total',
};
console.log(`hospital back end against embedded simulators, ${runs} registrations`);
for (const [k, v] of Object.entries(steps)) console.log(`${labels[k]!.padEnd(30)} ${stats(v)}`);

await backend.close();
db.close();
rmSync(dir, { recursive: true, force: true });
