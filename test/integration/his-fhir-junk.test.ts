import Fastify from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CCCD_SYSTEM, DEFAULT_QUEUE_EXTENSION } from '../../app/sites/hospital/common/config.ts';
import { HospitalError } from '../../app/sites/hospital/common/types.ts';
import { FhirHospitalSystem } from '../../app/sites/hospital/node/his/fhir-adapter.ts';

// A HIS that answers with arbitrary JSON (shaped a little like FHIR, often wrong): every call must
// either return a well-formed value or fail with a HospitalError — never a TypeError.

const fhirish = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null), fc.boolean(), fc.integer(), fc.string({ maxLength: 8 }),
    fc.constantFrom('Bundle', 'Patient', 'Encounter', 'HealthcareService', 'ChargeItem', 'PaymentNotice', DEFAULT_CCCD_SYSTEM, 'Patient/p1', 'Location/l1'),
    fc.array(tie('value'), { maxLength: 3 }),
    tie('object'),
  ),
  object: fc.dictionary(
    fc.constantFrom('resourceType', 'id', 'entry', 'resource', 'identifier', 'system', 'value', 'name', 'text', 'family', 'given', 'gender', 'birthDate', 'total', 'location', 'reference', 'providedBy', 'extension', 'url', 'valueInteger', 'priceOverride', 'status', 'request', 'paymentStatus', 'coding', 'code', 'period', 'start', 'type'),
    tie('value'),
    { maxKeys: 6 },
  ),
}));

const bundleish = fc.record({
  resourceType: fc.constant('Bundle'),
  type: fc.constant('searchset'),
  total: fc.oneof(fc.integer(), fc.string()),
  entry: fc.oneof(fhirish.value, fc.array(fc.record({ resource: fhirish.object }), { maxLength: 4 })),
});

describe('FHIR adapter against a HIS that answers nonsense', () => {
  const app = Fastify();
  let next: unknown = {};
  let url = '';
  beforeAll(async () => {
    const reply = async (_q: unknown, r: { type: (t: string) => { send: (b: string) => unknown } }) => r.type('application/fhir+json').send(JSON.stringify(next));
    app.get('/fhir/*', reply);
    app.post('/fhir/*', reply);
    await app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/fhir`;
  });
  afterAll(async () => app.close());

  const his = () => new FhirHospitalSystem({
    baseUrl: url, identifierSystem: DEFAULT_CCCD_SYSTEM, queueNumber: { source: 'extension', url: DEFAULT_QUEUE_EXTENSION },
    queueLengths: true, timeoutMs: 10_000, timeZone: 'Asia/Ho_Chi_Minh',
  });
  const patient = { id: 'p1', idNumber: '099290001234', fullName: 'A B', sex: 'male' as const };

  it('every call returns a typed value or a HospitalError', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(bundleish, fhirish.value), fc.constantFrom('find', 'create', 'departments', 'fee', 'register'), async (body, call) => {
        next = body;
        const h = his();
        try {
          if (call === 'find') {
            const p = await h.findPatientByCccd(patient.idNumber);
            if (p !== null) expect(typeof p.id).toBe('string');
          } else if (call === 'create') {
            expect(typeof (await h.createPatient({ idNumber: patient.idNumber, fullName: 'A B', dateOfBirth: '1990', sex: 'male' })).id).toBe('string');
          } else if (call === 'departments') {
            for (const d of await h.listDepartments()) expect(Array.isArray(d.clinics)).toBe(true);
          } else if (call === 'fee') {
            const f = await h.getFee('e1');
            expect(Number.isFinite(f.amountVnd)).toBe(true);
          } else {
            await h.registerVisit({ patient, departmentId: 'd', clinicId: 'l1', examinationType: 'service', terminalId: 'K' });
          }
        } catch (e) {
          if (!(e instanceof HospitalError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
