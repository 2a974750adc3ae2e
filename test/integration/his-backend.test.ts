import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SecretRef } from '../../app/core/config/secret-ref.ts';
import { chipIdentityFromDg13, insuranceQueryFor } from '../../app/sites/hospital/common/chip-identity.ts';
import { hospitalConfig } from '../../app/sites/hospital/common/config.ts';
import {
  departmentSchema, insuranceResultView, insuranceResultViewSchema, registeredVisitSchema, visitFeeSchema,
} from '../../app/sites/hospital/common/schemas.ts';
import { PERSONAS } from '../../app/sim/personas/personas.ts';
import { buildVietQr, parseVietQr } from '../../app/core/payments/vietqr.ts';
import { createHospitalBackend, type HospitalBackend } from '../../app/sites/hospital/node/hospital-backend.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { DEMO_RETURNING_PATIENTS } from '../../app/sites/hospital/sim/his/demo-hospital.ts';
import { startHisSim, type HisSim } from '../../app/sites/hospital/sim/his/server.ts';
import { scenarioNumber } from '../../app/sites/hospital/sim/insurance/demo-cards.ts';
import { startInsuranceSim, type InsuranceSim } from '../../app/sites/hospital/sim/insurance/server.ts';

// The back end as the host will build it from a profile: simulators embedded, real adapters,
// real SQLite, real HTTP on loopback. Walks the hospital steps the journey will take.

const simulators = { startHisSim, startInsuranceSim };
const envSecret = (ref: SecretRef, keyPath: string) => {
  const value = 'env' in ref ? process.env[ref.env] : undefined;
  if (!value) throw new Error(`${keyPath}: secret not set`);
  return value;
};

describe('hospital back end from the profile section (simulators embedded)', () => {
  let dir: string;
  let db: Db;
  let backend: HospitalBackend;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hospital-'));
    db = openDatabase(join(dir, 'kiosk.sqlite'));
    const config = hospitalConfig.parse({
      hospitalName: 'Bệnh viện Đa khoa Trình diễn',
      his: { adapter: 'sim', autoPayAfterSeconds: 0 },
      serviceFeeVnd: 150000,
      payment: { bankBin: '970415', accountNumber: '113366668888' },
    });
    backend = await createHospitalBackend(config, {
      dataDir: dir, readSecret: envSecret, db, audit: new AuditLog(db), terminalId: 'K1', defaultRetentionDays: 30, simulators,
    });
  });
  afterAll(async () => {
    await backend.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returning patient on insurance: BHYT valid → found → clinic with queue → number → recorded', async () => {
    const person = DEMO_RETURNING_PATIENTS[0]!;
    const bhyt = await backend.insurance.check({ cardNumber: person.idNumber, fullName: person.fullName, dateOfBirth: person.dateOfBirth });
    expect(bhyt.status).toBe('valid');
    const patient = await backend.his.findPatientByCccd(person.idNumber);
    expect(patient?.fullName).toBe(person.fullName);
    const depts = await backend.his.listDepartments();
    const clinic = depts[0]!.clinics[0]!;
    expect(clinic.queueLength).toBe(6);
    const v = await backend.his.registerVisit({ patient: patient!, departmentId: depts[0]!.id, clinicId: clinic.id, examinationType: 'insurance', insuranceCardNumber: person.idNumber, terminalId: 'BV-KIOSK-01' });
    expect(v.queueNumber).toBe(7);
    const fee = await backend.his.getFee(v.visitId);
    expect(fee.status).toBe('not-required');
    backend.visits.record({
      visitId: v.visitId, registeredAt: v.registeredAt, examinationType: 'insurance', departmentName: v.departmentName.vi,
      clinicId: clinic.id, room: v.room, queueNumber: v.queueNumber, insuranceCode: bhyt.code,
      verification: { pa: 'pass', clone: 'pass', faceScore: 0.81, central: 'confirmed' },
      paymentStatus: fee.status, feeVnd: fee.amountVnd, personal: { fullName: patient!.fullName, patientId: patient!.id },
    });
    expect(backend.visits.todaysRegistrations()[0]).toMatchObject({ visitId: v.visitId, initials: 'T.T.B.', queueNumber: 7 });
    // What goes to the screen passes the kiosk-API schemas; the BHYT view carries no card holder data.
    expect(() => departmentSchema.array().parse(depts)).not.toThrow();
    expect(registeredVisitSchema.parse(v)).toEqual(v);
    expect(visitFeeSchema.parse(fee)).toEqual(fee);
    const view = insuranceResultViewSchema.parse(insuranceResultView(bhyt));
    expect(view).toMatchObject({ status: 'valid', validTo: '2099-12-31' });
    expect(JSON.stringify(view)).not.toContain(person.fullName);
  });

  it('new patient, card expired → service visit with a VietQR for the HIS bill, then paid', async () => {
    const identity = { idNumber: '099285004321', fullName: 'Đỗ Minh Khôi', dateOfBirth: '1985-09-09', sex: 'male' as const };
    const bhyt = await backend.insurance.check({ cardNumber: scenarioNumber('010'), fullName: identity.fullName, dateOfBirth: identity.dateOfBirth });
    expect(bhyt).toMatchObject({ status: 'expired', advice: 'service' });
    expect(await backend.his.findPatientByCccd(identity.idNumber)).toBeNull();
    const patient = await backend.his.createPatient(identity);
    const v = await backend.his.registerVisit({ patient, departmentId: 'dept-mat', clinicId: 'p207', examinationType: 'service', terminalId: 'BV-KIOSK-01' });
    const fee = await backend.his.getFee(v.visitId);
    expect(fee.amountVnd).toBe(150000);
    // autoPayAfterSeconds 0: the simulated cashier records the payment on the first look.
    expect(fee.status).toBe('paid');
    const qr = buildVietQr({ bankBin: '970415', accountNumber: '113366668888', amountVnd: fee.amountVnd, billNumber: fee.billNumber });
    expect(parseVietQr(qr)).toMatchObject({ amountVnd: 150000, billNumber: fee.billNumber });
  });
});

describe('the demo card personas in the simulated hospital', () => {
  let db: Db;
  let backend: HospitalBackend;
  beforeAll(async () => {
    db = openDatabase(':memory:');
    backend = await createHospitalBackend(hospitalConfig.parse({ hospitalName: 'BV', his: { adapter: 'sim', dbFile: ':memory:' } }), {
      dataDir: '/unused', readSecret: envSecret, db, audit: new AuditLog(db), terminalId: 'K1', defaultRetentionDays: 1, simulators,
    });
  });
  afterAll(async () => {
    await backend.close();
    db.close();
  });

  it('nguyen-van-an (the demo card) is a new patient with a valid BHYT card', async () => {
    const an = chipIdentityFromDg13(PERSONAS['nguyen-van-an'].dg13);
    expect(await backend.his.findPatientByCccd(an.idNumber)).toBeNull();
    expect((await backend.insurance.check(insuranceQueryFor(an))).status).toBe('valid');
  });

  it('tran-thi-bich-ngoc is a returning patient whose BHYT card has expired', async () => {
    const ngoc = chipIdentityFromDg13(PERSONAS['tran-thi-bich-ngoc'].dg13);
    expect(await backend.his.findPatientByCccd(ngoc.idNumber)).toMatchObject({ fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '2001-02-28' });
    expect((await backend.insurance.check(insuranceQueryFor(ngoc))).status).toBe('expired');
  });
});

describe('hospital back end wired to real-adapter settings (fhir + bhxh) with secrets', () => {
  let his: HisSim;
  let bhxh: InsuranceSim;
  let db: Db;
  beforeAll(async () => {
    his = await startHisSim({ port: 0, bearerToken: 'tok' });
    bhxh = await startInsuranceSim({ port: 0 });
    db = openDatabase(':memory:');
  });
  afterAll(async () => {
    await his.close();
    await bhxh.close();
    db.close();
  });

  const section = () => hospitalConfig.parse({
    hospitalName: 'BV',
    his: { adapter: 'fhir', baseUrl: his.url, auth: { kind: 'bearer', token: { env: 'T_HIS_TOKEN' } } },
    insurance: {
      adapter: 'bhxh', gatewayUrl: bhxh.url, username: { env: 'T_BHXH_USER' }, password: { env: 'T_BHXH_PASS' },
      staffName: { env: 'T_BHXH_STAFF' }, staffCccd: { env: 'T_BHXH_STAFF_CCCD' },
    },
  });

  it('reads every credential from its secret and works end to end', async () => {
    Object.assign(process.env, { T_HIS_TOKEN: 'tok', T_BHXH_USER: bhxh.username, T_BHXH_PASS: bhxh.password, T_BHXH_STAFF: 'Lý Thị Mai', T_BHXH_STAFF_CCCD: '099185000999' });
    const backend = await createHospitalBackend(section(), { dataDir: '/nonexistent', readSecret: envSecret, db, audit: new AuditLog(db), terminalId: 'K1', defaultRetentionDays: 1 });
    try {
      expect(backend.simulatorUrls).toEqual({});
      expect((await backend.insurance.check({ cardNumber: scenarioNumber('090'), fullName: 'A B', dateOfBirth: '1990' })).status).toBe('wrong-facility');
      expect(await backend.his.findPatientByCccd(DEMO_RETURNING_PATIENTS[1]!.idNumber)).toMatchObject({ fullName: 'Lê Văn Cường' });
      expect(bhxh.calls.at(-1)).toMatchObject({ hoTenCb: 'Lý Thị Mai', cccdCb: '099185000999' });
    } finally {
      await backend.close();
    }
  });

  it('sends the HIS token; a wrong one is HIS_AUTH_FAILED', async () => {
    process.env.T_HIS_TOKEN = 'stale';
    const backend = await createHospitalBackend(section(), { dataDir: '/x', readSecret: envSecret, db, audit: new AuditLog(db), terminalId: 'K1', defaultRetentionDays: 1 });
    try {
      await expect(backend.his.listDepartments()).rejects.toMatchObject({ code: 'HIS_AUTH_FAILED' });
    } finally {
      await backend.close();
      process.env.T_HIS_TOKEN = 'tok';
    }
  });

  it('a missing secret stops start-up, naming the key', async () => {
    delete process.env.T_BHXH_STAFF_CCCD;
    await expect(createHospitalBackend(section(), { dataDir: '/x', readSecret: envSecret, db, audit: new AuditLog(db), terminalId: 'K1', defaultRetentionDays: 1 }))
      .rejects.toThrow('site.insurance.staffCccd');
  });
});
