import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CCCD_SYSTEM, DEFAULT_QUEUE_EXTENSION } from '../../app/sites/hospital/common/config.ts';
import { HospitalError, type ChipIdentity } from '../../app/sites/hospital/common/types.ts';
import { FhirHospitalSystem, type FhirAdapterOptions } from '../../app/sites/hospital/node/his/fhir-adapter.ts';
import { PAYMENT_STATUS_SYSTEM, type ChargeItem, type Encounter, type Patient as FhirPatient } from '../../app/sites/hospital/common/fhir-types.ts';
import { DEMO_DEPARTMENTS, DEMO_RETURNING_PATIENTS } from '../../app/sites/hospital/sim/his/demo-hospital.ts';
import { startHisSim, type HisSim } from '../../app/sites/hospital/sim/his/server.ts';

// Everything here runs over real HTTP on 127.0.0.1: the FHIR adapter against the HIS simulator.

const newPatient: ChipIdentity = {
  idNumber: '099290001234',
  fullName: 'Phạm Thị Dung',
  dateOfBirth: '1990-07-21',
  sex: 'female',
  address: 'Xã Tân Hòa, Tỉnh Đồng Nai',
};

function adapter(url: string, extra: Partial<FhirAdapterOptions> = {}): FhirHospitalSystem {
  return new FhirHospitalSystem({
    baseUrl: url,
    identifierSystem: DEFAULT_CCCD_SYSTEM,
    queueNumber: { source: 'extension', url: DEFAULT_QUEUE_EXTENSION },
    queueLengths: true,
    timeoutMs: 10_000,
    timeZone: 'Asia/Ho_Chi_Minh',
    ...extra,
  });
}

async function expectCode(p: Promise<unknown>, code: string): Promise<HospitalError> {
  const err = await p.then(
    () => { throw new Error(`expected ${code}, but it succeeded`); },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HospitalError);
  expect((err as HospitalError).code).toBe(code);
  return err as HospitalError;
}

describe('FHIR adapter against his-sim', () => {
  let sim: HisSim;
  let his: FhirHospitalSystem;

  beforeAll(async () => {
    sim = await startHisSim({ port: 0, dbFile: ':memory:', serviceFeeVnd: 150_000 });
    his = adapter(sim.url);
  });
  afterAll(async () => sim.close());

  it('finds a returning patient by CCCD and returns null for an unknown one', async () => {
    const known = DEMO_RETURNING_PATIENTS[0]!;
    const p = await his.findPatientByCccd(known.idNumber);
    expect(p).not.toBeNull();
    expect(p!.fullName).toBe(known.fullName);
    expect(p!.idNumber).toBe(known.idNumber);
    expect(p!.sex).toBe('female');
    expect(p!.mrn).toMatch(/^BN\d{6}$/);
    expect(await his.findPatientByCccd(newPatient.idNumber)).toBeNull();
  });

  it('creates a new patient from chip data, once, even when asked twice', async () => {
    const created = await his.createPatient(newPatient);
    expect(created.fullName).toBe('Phạm Thị Dung');
    expect(created.dateOfBirth).toBe('1990-07-21');
    const again = await his.createPatient(newPatient);
    expect(again.id).toBe(created.id);
    const found = await his.findPatientByCccd(newPatient.idNumber);
    expect(found?.id).toBe(created.id);
    // The name went over in FHIR's structure, family name first.
    const stored = sim.store.read<FhirPatient>('Patient', created.id)!;
    expect(stored.name?.[0]).toMatchObject({ family: 'Phạm', given: ['Thị', 'Dung'] });
  });

  it('refuses malformed chip data before calling the HIS', async () => {
    await expectCode(his.createPatient({ ...newPatient, idNumber: '12345' }), 'HOSPITAL_INVALID_INPUT');
    await expectCode(his.createPatient({ ...newPatient, dateOfBirth: '21/07/1990' }), 'HOSPITAL_INVALID_INPUT');
    await expectCode(his.findPatientByCccd('abc'), 'HOSPITAL_INVALID_INPUT');
  });

  it('lists departments with clinics, English names and live queue lengths', async () => {
    const depts = await his.listDepartments();
    expect(depts.map((d) => d.id)).toEqual(DEMO_DEPARTMENTS.map((d) => d.id));
    const kkb = depts.find((d) => d.id === 'dept-kham-benh')!;
    expect(kkb.name).toEqual({ vi: 'Khoa Khám bệnh', en: 'Outpatient Department' });
    const p101 = kkb.clinics.find((c) => c.id === 'p101')!;
    expect(p101.room).toBe('P.101 – Tầng 1');
    expect(p101.queueLength).toBe(6);
    expect(kkb.clinics.find((c) => c.id === 'p105')!.queueLength).toBe(0);
  });

  it('registers an arrival, gets the next queue number, and the queue grows', async () => {
    const patient = (await his.findPatientByCccd(DEMO_RETURNING_PATIENTS[1]!.idNumber))!;
    const request = { patient, departmentId: 'dept-tmh', clinicId: 'p205', examinationType: 'insurance' as const, insuranceCardNumber: patient.idNumber, terminalId: 'BV-KIOSK-01' };
    const first = await his.registerVisit(request);
    expect(first.queueNumber).toBe(6); // five already waiting
    expect(first.waitingAhead).toBe(5);
    expect(first.room).toBe('P.205 – Tầng 2');
    expect(first.clinicName.vi).toBe('Phòng khám Tai Mũi Họng');
    const second = await his.registerVisit(request);
    expect(second.queueNumber).toBe(7);
    expect(second.visitId).not.toBe(first.visitId);
    const enc = sim.store.read<Encounter>('Encounter', first.visitId)!;
    expect(enc.status).toBe('arrived');
    expect(enc.meta?.source).toBe('urn:cccd-kiosk:terminal:BV-KIOSK-01');
    expect(sim.store.count('Coverage')).toBe(2);
    const depts = await his.listDepartments();
    expect(depts.find((d) => d.id === 'dept-tmh')!.clinics[0]!.queueLength).toBe(7);
  });

  it('insurance visits cost nothing at the kiosk; service visits are billed and become paid', async () => {
    const patient = (await his.findPatientByCccd(newPatient.idNumber))!;
    const ins = await his.registerVisit({ patient, departmentId: 'dept-mat', clinicId: 'p207', examinationType: 'insurance', terminalId: 'K1' });
    expect(await his.getFee(ins.visitId)).toMatchObject({ status: 'not-required', amountVnd: 0 });

    const svc = await his.registerVisit({ patient, departmentId: 'dept-mat', clinicId: 'p207', examinationType: 'service', terminalId: 'K1' });
    const unpaid = await his.getFee(svc.visitId);
    expect(unpaid).toMatchObject({ status: 'unpaid', amountVnd: 150_000 });
    expect(unpaid.billNumber).toMatch(/^HD\d{8}[0-9A-F]{6}$/);

    // The hospital's cashier (or bank reconciliation) records the payment as a PaymentNotice.
    const item = sim.store.all<ChargeItem>('ChargeItem').find((c) => c.context?.reference === `Encounter/${svc.visitId}`)!;
    const res = await fetch(`${sim.url}/PaymentNotice`, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify({ resourceType: 'PaymentNotice', status: 'active', request: { reference: `ChargeItem/${item.id}` }, paymentStatus: { coding: [{ system: PAYMENT_STATUS_SYSTEM, code: 'paid' }] } }),
    });
    expect(res.status).toBe(201);
    expect(await his.getFee(svc.visitId)).toMatchObject({ status: 'paid', amountVnd: 150_000 });
  });

  it('asking again with the same request id returns the same visit, not a second number', async () => {
    const patient = (await his.findPatientByCccd(newPatient.idNumber))!;
    const request = { patient, departmentId: 'dept-ngoai', clinicId: 'p112', examinationType: 'service' as const, terminalId: 'K1', requestId: 'session-7f3a' };
    const first = await his.registerVisit(request);
    const again = await his.registerVisit(request);
    expect(again.visitId).toBe(first.visitId);
    expect(again.queueNumber).toBe(first.queueNumber);
    const other = await his.registerVisit({ ...request, requestId: 'session-8b41' });
    expect(other.queueNumber).toBe(first.queueNumber + 1);
  });

  it('reads the queue number from the $queue-number operation when configured so', async () => {
    const viaOp = adapter(sim.url, { queueNumber: { source: 'operation', name: '$queue-number' }, queueLengths: false });
    const patient = (await viaOp.findPatientByCccd(newPatient.idNumber))!;
    const v = await viaOp.registerVisit({ patient, departmentId: 'dept-kham-benh', clinicId: 'p105', examinationType: 'service', terminalId: 'K1' });
    expect(v.queueNumber).toBe(1);
    expect(v.waitingAhead).toBeUndefined();
  });

  it('gives ten kiosks registering at once ten different consecutive numbers, and one patient record', async () => {
    const twin: ChipIdentity = { ...newPatient, idNumber: '099291005678', fullName: 'Võ Thị Hạnh' };
    const created = await Promise.all(Array.from({ length: 5 }, () => his.createPatient(twin)));
    expect(new Set(created.map((p) => p.id)).size).toBe(1);
    const before = (await his.listDepartments()).find((d) => d.id === 'dept-kham-benh')!.clinics.find((c) => c.id === 'p103')!.queueLength!;
    const visits = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      his.registerVisit({ patient: created[0]!, departmentId: 'dept-kham-benh', clinicId: 'p103', examinationType: 'service', terminalId: `K${i}` })));
    const numbers = visits.map((v) => v.queueNumber).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => before + 1 + i));
  });

  it('refuses a clinic the HIS does not offer', async () => {
    const patient = (await his.findPatientByCccd(newPatient.idNumber))!;
    await expectCode(his.registerVisit({ patient, departmentId: 'dept-mat', clinicId: 'p999', examinationType: 'service', terminalId: 'K1' }), 'HIS_UNKNOWN_CLINIC');
  });

  it('says HIS_NO_QUEUE_NUMBER when the extension it expects is absent', async () => {
    const wrongExt = adapter(sim.url, { queueNumber: { source: 'extension', url: 'urn:other' } });
    const patient = (await wrongExt.findPatientByCccd(newPatient.idNumber))!;
    await expectCode(wrongExt.registerVisit({ patient, departmentId: 'dept-mat', clinicId: 'p207', examinationType: 'service', terminalId: 'K1' }), 'HIS_NO_QUEUE_NUMBER');
  });

  it('numbered by the site: the HIS keeps the site’s number; a retry keeps the first; no site, no registration', async () => {
    const drawn: string[] = [];
    let next = 500;
    const numbered = adapter(sim.url, { queueNumber: { source: 'site', url: DEFAULT_QUEUE_EXTENSION }, drawQueueNumber: async (clinicId) => (drawn.push(clinicId), next++) });
    const patient = (await numbered.findPatientByCccd(newPatient.idNumber))!;
    const request = { patient, departmentId: 'dept-mat', clinicId: 'p207', examinationType: 'service' as const, terminalId: 'K1' };
    const first = await numbered.registerVisit({ ...request, requestId: 'site-numbered-1' });
    expect(first.queueNumber).toBe(500);
    expect(drawn).toEqual(['p207']);
    expect((await numbered.getVisit(first.visitId))?.queueNumber).toBe(500);
    // The same request again: the visit made the first time, with its number (the one drawn now goes unused).
    expect(await numbered.registerVisit({ ...request, requestId: 'site-numbered-1' })).toMatchObject({ visitId: first.visitId, queueNumber: 500 });
    await expectCode(adapter(sim.url, { queueNumber: { source: 'site', url: DEFAULT_QUEUE_EXTENSION } }).registerVisit(request), 'HOSPITAL_INVALID_INPUT');
    // A number that is no number is refused by the hospital.
    await expectCode(adapter(sim.url, { queueNumber: { source: 'site', url: DEFAULT_QUEUE_EXTENSION }, drawQueueNumber: async () => 0 }).registerVisit(request), 'HIS_REJECTED');
  });
});

describe('FHIR adapter against a misbehaving or absent HIS', () => {
  const app = Fastify();
  let url = '';
  let hits = 0;
  beforeAll(async () => {
    app.get('/junk/Patient', async (_q, r) => r.type('application/fhir+json').send('<html>oops'));
    app.get('/auth/Patient', async (_q, r) => r.code(401).type('application/fhir+json').send({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'login' }] }));
    app.get('/two/Patient', async (_q, r) => r.type('application/fhir+json').send({
      resourceType: 'Bundle', type: 'searchset', entry: [1, 2].map((n) => ({ resource: { resourceType: 'Patient', id: `p${n}`, identifier: [{ system: DEFAULT_CCCD_SYSTEM, value: '099290001234' }] } })),
    }));
    app.get('/slow/Patient', async () => { hits++; await new Promise((r) => setTimeout(r, 1500)); return {}; });
    app.addContentTypeParser('application/fhir+json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
    // A HIS that answers a create with 201 + Location and no body: the adapter reads the resource back.
    app.post('/nobody/Patient', async (_q, r) => r.code(201).header('location', 'Patient/p77/_history/1').send());
    app.get('/nobody/Patient/p77', async (_q, r) => r.type('application/fhir+json').send({
      resourceType: 'Patient', id: 'p77', identifier: [{ system: DEFAULT_CCCD_SYSTEM, value: '099290001234' }], name: [{ text: 'Phạm Thị Dung' }],
    }));
    app.get('/empty/HealthcareService', async (_q, r) => r.type('application/fhir+json').send({ resourceType: 'Bundle', type: 'searchset', entry: [] }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const addr = app.server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(async () => app.close());

  it('maps transport and protocol failures to stable codes', async () => {
    await expectCode(adapter(`${url}/junk`).findPatientByCccd('099290001234'), 'HIS_BAD_RESPONSE');
    await expectCode(adapter(`${url}/auth`).findPatientByCccd('099290001234'), 'HIS_AUTH_FAILED');
    await expectCode(adapter(`${url}/two`).findPatientByCccd('099290001234'), 'HIS_PATIENT_AMBIGUOUS');
    await expectCode(adapter(`${url}/slow`, { timeoutMs: 500 }).findPatientByCccd('099290001234'), 'HIS_TIMEOUT');
    expect(hits).toBe(1);
    // A port nothing listens on: bind one, learn its number, close it.
    const gone = Fastify();
    await gone.listen({ port: 0, host: '127.0.0.1' });
    const port = (gone.server.address() as { port: number }).port;
    await gone.close();
    await expectCode(adapter(`http://127.0.0.1:${port}/fhir`).findPatientByCccd('099290001234'), 'HIS_UNREACHABLE');
  });

  it('reads a created resource back when the HIS returns only its Location', async () => {
    const p = await adapter(`${url}/nobody`).createPatient(newPatient);
    expect(p).toMatchObject({ id: 'p77', fullName: 'Phạm Thị Dung', idNumber: '099290001234' });
  });

  it('falls back to the profile\'s departments when the HIS publishes none', async () => {
    const his = adapter(`${url}/empty`, {
      fallbackDepartments: [{ id: 'd1', name: { vi: 'Khoa Nội' }, clinics: [{ id: 'loc-1', name: { vi: 'Phòng khám Nội' }, room: 'P.1' }] }],
    });
    const depts = await his.listDepartments();
    expect(depts).toEqual([{ id: 'd1', name: { vi: 'Khoa Nội' }, clinics: [{ id: 'loc-1', departmentId: 'd1', name: { vi: 'Phòng khám Nội' }, room: 'P.1' }] }]);
    await expectCode(adapter(`${url}/empty`).listDepartments(), 'HIS_BAD_RESPONSE');
    // A HIS that has no HealthcareService endpoint at all (404) uses the fallback too, or says so.
    const without = adapter(`${url}/none`, { fallbackDepartments: [{ id: 'd1', name: { vi: 'Khoa Nội' }, clinics: [{ id: 'loc-1', name: { vi: 'P' }, room: 'P.1' }] }] });
    expect((await without.listDepartments()).map((d) => d.id)).toEqual(['d1']);
    await expectCode(adapter(`${url}/none`).listDepartments(), 'HIS_NOT_FOUND');
  });
});
