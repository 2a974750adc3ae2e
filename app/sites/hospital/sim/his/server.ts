/**
 * `his-sim`: a small HL7 FHIR R4 server standing in for the hospital information system. It speaks
 * exactly the interactions listed in docs/hospital-integration.md — no more — and refuses others
 * with an OperationOutcome, so an adapter that drifts from the documented capabilities fails here.
 *
 * Embeddable: `startHisSim({ port, dbFile })` → `{ url, close }`; the hospital profile starts it
 * in-process, `cccd-kiosk his-sim` runs it alone.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { DEFAULT_CCCD_SYSTEM, DEFAULT_QUEUE_EXTENSION } from '../../common/config.ts';
import { localDay } from '../../common/local-day.ts';
import type { ChipIdentity } from '../../common/types.ts';
import {
  EXAMINATION_TYPE_SYSTEM,
  FHIR_JSON,
  IDENTITY_CHECK_EXTENSION,
  PAYMENT_STATUS_SYSTEM,
  translated,
  type Bundle,
  type ChargeItem,
  type Encounter,
  type HealthcareService,
  type Location,
  type Organization,
  type Patient,
  type PaymentNotice,
  type PaymentReconciliation,
  type Resource,
} from '../../common/fhir-types.ts';
import { simBilling } from './billing.ts';
import { DEMO_BILLS, type DemoBill } from './demo-bills.ts';
import { DEMO_DEPARTMENTS, DEMO_RETURNING_PATIENTS, type DemoDepartment } from './demo-hospital.ts';
import { FhirStore } from './fhir-store.ts';
import { allowOnly, FhirProblem, outcome, searchset, values, type Query } from './fhir-helpers.ts';

export interface HisSimOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** SQLite file; `:memory:` for a throw-away hospital. */
  readonly dbFile?: string;
  /** Fee billed for a service examination (ChargeItem), in đồng. */
  readonly serviceFeeVnd?: number;
  /** Demo: the hospital records the payment this long after billing (no bank in the loop). */
  readonly autoPayAfterMs?: number;
  /** The hospital's departments and clinics (defaults to DEMO_DEPARTMENTS; tests use a bigger hospital). */
  readonly departments?: readonly DemoDepartment[];
  /** Returning patients to know from the start (defaults to DEMO_RETURNING_PATIENTS). */
  readonly seedPatients?: readonly ChipIdentity[];
  readonly identifierSystem?: string;
  readonly timeZone?: string;
  /** When set, every request must carry `Authorization: Bearer <token>` (as a hospital's HIS would). */
  readonly bearerToken?: string;
  /** Bills due from the start, by ID number (defaults to DEMO_BILLS). */
  readonly bills?: Readonly<Record<string, readonly DemoBill[]>>;
  /** Demo: the doctor's orders (a blood test, a prescription) are billed for every visit registered. */
  readonly ordersOnVisit?: boolean;
  readonly clock?: () => Date;
}

/** Where the simulated HIS stops answering a payment record, to crash a kiosk in between (fault tests). */
export type PaymentFault = 'hang-before-record' | 'hang-after-record';

export interface HisSim {
  /** FHIR base URL, e.g. `http://127.0.0.1:41234/fhir`. */
  readonly url: string;
  readonly store: FhirStore;
  /** The bank reports the VietQR transfer of this kiosk payment key (false: none expected). */
  bankTransfer(key: string): boolean;
  /** From now on, payment records (POST PaymentReconciliation) are held unanswered; undefined ends it. */
  setPaymentFault(fault: PaymentFault | undefined): void;
  /** Payment records held so far. */
  readonly paymentsHeld: number;
  close(): Promise<void>;
}

const MRN_SYSTEM = 'urn:his-sim:mrn';
const BILL_SYSTEM = 'urn:his-sim:bill';
const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;
const CREATABLE = new Set(['Patient', 'Encounter', 'Coverage', 'PaymentNotice', 'PaymentReconciliation', 'Flag']);

export async function startHisSim(options: HisSimOptions = {}): Promise<HisSim> {
  const clock = options.clock ?? (() => new Date());
  const timeZone = options.timeZone ?? 'Asia/Ho_Chi_Minh';
  const system = options.identifierSystem ?? DEFAULT_CCCD_SYSTEM;
  const store = new FhirStore(options.dbFile ?? ':memory:', clock);
  const today = () => localDay(clock(), timeZone);

  const departments = options.departments ?? DEMO_DEPARTMENTS;
  seedHospital(store, departments);
  const seeded = options.seedPatients ?? DEMO_RETURNING_PATIENTS;
  seedPatients(store, seeded, system);
  const billing = simBilling(store, { clock, identifierSystem: system, ...(options.autoPayAfterMs === undefined ? {} : { autoPayAfterMs: options.autoPayAfterMs }) });
  billing.seed(seeded, options.bills ?? DEMO_BILLS);

  function nextMrn(): string {
    return `BN${String(store.count('Patient') + 1).padStart(6, '0')}`;
  }

  /** The people already waiting when the day starts, so demo queues are never empty. */
  function ensureDaysQueue(day: string): void {
    store.transaction(() => {
      for (const dept of departments) {
        for (const clinic of dept.clinics) {
          const started = store.db.prepare('SELECT 1 FROM queue_counters WHERE location_id = ? AND day = ?').get(clinic.locationId, day);
          if (started) continue;
          for (let i = 0; i < clinic.waiting; i++) {
            const number = store.nextQueueNumber(clinic.locationId, day);
            store.create<Encounter>({
              resourceType: 'Encounter',
              status: 'arrived',
              class: { code: 'AMB' },
              extension: [{ url: DEFAULT_QUEUE_EXTENSION, valueInteger: number }],
              location: [{ location: { reference: `Location/${clinic.locationId}` } }],
              period: { start: clock().toISOString() },
            });
          }
          if (clinic.waiting === 0) store.db.prepare('INSERT INTO queue_counters VALUES (?, ?, 0)').run(clinic.locationId, day);
        }
      }
    });
  }

  function createResource(body: Resource): Resource {
    if (!CREATABLE.has(body.resourceType)) throw new FhirProblem(405, 'not-supported', `creating ${body.resourceType} is not supported`);
    if (body.resourceType === 'Patient') return createPatient(body as Patient);
    if (body.resourceType === 'Encounter') return createEncounter(body as Encounter);
    if (body.resourceType === 'PaymentReconciliation') return billing.createPaymentReconciliation(body as PaymentReconciliation);
    if (body.resourceType === 'Flag') return createFlag(body);
    return store.create(body);
  }

  function createPatient(p: Patient): Patient {
    if (!p.identifier?.some((i) => i.system && i.value)) throw new FhirProblem(422, 'required', 'Patient.identifier is required');
    if (!p.name?.length) throw new FhirProblem(422, 'required', 'Patient.name is required');
    const identifier = [...p.identifier, { system: MRN_SYSTEM, value: nextMrn(), type: { coding: [{ code: 'MR' }] } }];
    return store.create<Patient>({ ...p, identifier });
  }

  function createEncounter(e: Encounter): Encounter {
    if (e.status !== 'arrived') throw new FhirProblem(422, 'business-rule', 'the kiosk may only record arrivals (status arrived)');
    const patientRef = e.subject?.reference?.match(/^Patient\/(.+)$/)?.[1];
    if (!patientRef || !store.read('Patient', patientRef)) throw new FhirProblem(422, 'not-found', 'Encounter.subject must be a known Patient');
    const locationId = e.location?.[0]?.location.reference?.match(/^Location\/(.+)$/)?.[1];
    if (!locationId || !store.read('Location', locationId)) throw new FhirProblem(422, 'not-found', 'Encounter.location must be a known Location');
    const type = e.type?.[0]?.coding?.find((c) => c.system === EXAMINATION_TYPE_SYSTEM)?.code;
    if (type !== 'insurance' && type !== 'service') throw new FhirProblem(422, 'code-invalid', 'Encounter.type must say insurance or service');
    const day = today();
    ensureDaysQueue(day);
    // A kiosk whose site numbers the queue sends its number; the hospital keeps it as given.
    const given = e.extension?.find((x) => x.url === DEFAULT_QUEUE_EXTENSION)?.valueInteger;
    if (given !== undefined && !(Number.isSafeInteger(given) && given >= 1)) throw new FhirProblem(422, 'value', 'the queue number must be a whole number from 1');
    return store.transaction(() => {
      const created = store.create<Encounter>({
        ...e,
        period: { start: clock().toISOString() },
        extension: given !== undefined ? e.extension! : [...(e.extension ?? []), { url: DEFAULT_QUEUE_EXTENSION, valueInteger: store.nextQueueNumber(locationId, day) }],
      });
      if (type === 'service' && (options.serviceFeeVnd ?? 0) > 0) {
        store.create<ChargeItem>({
          resourceType: 'ChargeItem',
          status: 'billable',
          identifier: [{ system: BILL_SYSTEM, value: `HD${day.replaceAll('-', '')}${created.id!.slice(0, 6).toUpperCase()}` }],
          code: { text: 'Khám bệnh dịch vụ' },
          subject: e.subject!,
          context: { reference: `Encounter/${created.id}` },
          priceOverride: { value: options.serviceFeeVnd!, currency: 'VND' },
        });
      }
      if (options.ordersOnVisit) billing.orderFor(patientRef, type === 'insurance');
      return created;
    });
  }

  /** A flag for the clinic's staff, on a known patient and visit. */
  function createFlag(f: Resource): Resource {
    const flag = f as Resource & { subject?: { reference?: string }; encounter?: { reference?: string }; status?: string };
    const patient = flag.subject?.reference?.match(/^Patient\/(.+)$/)?.[1];
    const encounter = flag.encounter?.reference?.match(/^Encounter\/(.+)$/)?.[1];
    if (!patient || !store.read('Patient', patient)) throw new FhirProblem(422, 'not-found', 'Flag.subject must be a known Patient');
    if (encounter !== undefined && !store.read('Encounter', encounter)) throw new FhirProblem(422, 'not-found', 'Flag.encounter must be a known Encounter');
    if (flag.status !== 'active') throw new FhirProblem(422, 'business-rule', 'a new Flag is active');
    return store.create(f);
  }

  /**
   * The changes the kiosk may make to a visit: cancel it (the person left before paying; its bill is
   * withdrawn with it, a paid visit is refused — a refund is the cashier's business), or check the
   * patient in at the clinic's door (`in-progress`, with the identity check recorded on it).
   */
  function updateEncounter(id: string, body: Encounter, ifMatch: string | undefined): Encounter {
    const current = store.read<Encounter>('Encounter', id);
    if (!current) throw new FhirProblem(404, 'not-found', `Encounter/${id} is not known`);
    if (body.id !== id) throw new FhirProblem(400, 'invariant', 'the body\'s id must be the id in the URL');
    if (ifMatch !== undefined && ifMatch !== `W/"${current.meta?.versionId}"`) throw new FhirProblem(412, 'conflict', 'the Encounter has changed (If-Match)');
    if (body.status === 'in-progress') return checkIn(id, current, body);
    if (body.status !== 'cancelled') throw new FhirProblem(422, 'business-rule', 'the kiosk may only cancel a visit or check it in (status cancelled or in-progress)');
    if (current.status === 'cancelled') return current;
    if (current.status !== 'arrived') throw new FhirProblem(422, 'business-rule', `a visit in status ${current.status} cannot be cancelled`);
    return store.transaction(() => {
      const items = store.all<ChargeItem>('ChargeItem').filter((c) => c.context?.reference === `Encounter/${id}`);
      const notices = store.all<PaymentNotice>('PaymentNotice');
      if (items.some((c) => notices.some((n) => n.request?.reference === `ChargeItem/${c.id}`))) {
        throw new FhirProblem(409, 'business-rule', 'the visit is paid: the cashier cancels it');
      }
      for (const item of items) store.update({ ...item, id: item.id!, status: 'not-billable' });
      return store.update<Encounter & { id: string }>({ ...current, id, status: 'cancelled' });
    });
  }

  function checkIn(id: string, current: Encounter, body: Encounter): Encounter {
    if (current.status === 'in-progress') return current;
    if (current.status !== 'arrived') throw new FhirProblem(422, 'business-rule', `a visit in status ${current.status} cannot be checked in`);
    const check = body.extension?.find((x) => x.url === IDENTITY_CHECK_EXTENSION);
    if (!check?.extension?.some((x) => x.url === 'result')) throw new FhirProblem(422, 'required', 'checking a visit in needs the identity-check extension');
    // Only the status and the check change: the rest of the visit is the hospital's.
    return store.update<Encounter & { id: string }>({ ...current, id, status: 'in-progress', extension: [...(current.extension ?? []), check] });
  }

  function searchPatient(q: Query): Bundle {
    allowOnly(q, ['identifier']);
    const token = values(q, 'identifier')[0];
    if (!token) throw new FhirProblem(400, 'required', 'search Patient by identifier=system|value');
    const [sys, value] = token.includes('|') ? token.split('|', 2) : [undefined, token];
    const matches = store.all<Patient>('Patient').filter((p) => p.identifier?.some((i) => i.value === value && (sys === undefined || i.system === sys)));
    return searchset(matches);
  }

  function searchHealthcareService(q: Query): Bundle {
    allowOnly(q, ['active', '_include', '_count']);
    const includes = values(q, '_include');
    const unknown = includes.filter((i) => i !== 'HealthcareService:location' && i !== 'HealthcareService:organization');
    if (unknown.length) throw new FhirProblem(400, 'not-supported', `_include not supported: ${unknown.join(', ')}`);
    const active = values(q, 'active')[0];
    const services = store.all<HealthcareService>('HealthcareService').filter((s) => active === undefined || String(s.active) === active);
    const included = new Map<string, Resource>();
    for (const s of services) {
      const refs = [
        ...(includes.includes('HealthcareService:location') ? (s.location ?? []) : []),
        ...(includes.includes('HealthcareService:organization') && s.providedBy ? [s.providedBy] : []),
      ];
      for (const ref of refs) {
        const [type, id] = (ref.reference ?? '').split('/');
        const r = type && id ? store.read(type, id) : undefined;
        if (r) included.set(`${type}/${id}`, r);
      }
    }
    return searchset(services, [...included.values()]);
  }

  function searchEncounter(q: Query): Bundle {
    allowOnly(q, ['location', 'status', 'date', '_summary', 'identifier', 'subject']);
    const location = values(q, 'location')[0];
    const subject = values(q, 'subject')[0];
    const status = values(q, 'status')[0];
    const date = values(q, 'date')[0];
    const dateMatch = date?.match(/^(ge|eq)?(\d{4}-\d{2}-\d{2})$/);
    if (date && !dateMatch) throw new FhirProblem(400, 'not-supported', 'date must be YYYY-MM-DD with optional ge or eq prefix');
    ensureDaysQueue(today());
    const equals: Record<string, string> = {
      ...(location ? { '$.location[0].location.reference': location } : {}),
      ...(status ? { '$.status': status } : {}),
      ...(subject ? { '$.subject.reference': subject } : {}),
    };
    const identifier = values(q, 'identifier')[0]?.split('|', 2);
    const matches = store.where<Encounter>('Encounter', equals).filter((e) => {
      if (identifier && !e.identifier?.some((i) => i.system === identifier[0] && i.value === identifier[1])) return false;
      if (dateMatch) {
        const day = e.period?.start ? localDay(new Date(e.period.start), timeZone) : '';
        return dateMatch[1] === 'ge' ? day >= dateMatch[2]! : day === dateMatch[2];
      }
      return true;
    });
    const summary = values(q, '_summary')[0];
    if (summary === 'count') return { resourceType: 'Bundle', type: 'searchset', total: matches.length };
    if (summary !== undefined) throw new FhirProblem(400, 'not-supported', '_summary supports count only');
    return searchset(matches);
  }

  function searchChargeItem(q: Query): Bundle {
    allowOnly(q, ['context', '_revinclude']);
    const context = values(q, 'context')[0];
    if (!context) throw new FhirProblem(400, 'required', 'search ChargeItem by context=Encounter/id');
    const rev = values(q, '_revinclude');
    if (rev.some((r) => r !== 'PaymentNotice:request')) throw new FhirProblem(400, 'not-supported', '_revinclude supports PaymentNotice:request only');
    const items = store.all<ChargeItem>('ChargeItem').filter((c) => c.context?.reference === context);
    if (options.autoPayAfterMs !== undefined) autoPay(items, options.autoPayAfterMs);
    const notices = rev.length
      ? store.all<PaymentNotice>('PaymentNotice').filter((n) => items.some((c) => n.request?.reference === `ChargeItem/${c.id}`))
      : [];
    return searchset(items, notices);
  }

  function autoPay(items: ChargeItem[], afterMs: number): void {
    const notices = store.all<PaymentNotice>('PaymentNotice');
    for (const item of items) {
      if (item.status !== 'billable') continue; // a withdrawn bill is never paid
      const billedAt = Date.parse(item.meta?.lastUpdated ?? '');
      if (clock().getTime() - billedAt < afterMs) continue;
      if (notices.some((n) => n.request?.reference === `ChargeItem/${item.id}`)) continue;
      store.create<PaymentNotice>({
        resourceType: 'PaymentNotice',
        status: 'active',
        created: clock().toISOString(),
        request: { reference: `ChargeItem/${item.id}` },
        paymentStatus: { coding: [{ system: PAYMENT_STATUS_SYSTEM, code: 'paid' }] },
        amount: item.priceOverride ?? { value: 0, currency: 'VND' },
      });
    }
  }

  const searches: Record<string, (q: Query) => Bundle> = {
    Patient: searchPatient,
    HealthcareService: searchHealthcareService,
    Encounter: searchEncounter,
    ChargeItem: searchChargeItem,
    Invoice: billing.searchInvoice,
    PaymentReconciliation: billing.searchPaymentReconciliation,
  };

  let paymentFault: PaymentFault | undefined;
  let paymentsHeld = 0;
  const releases = new Set<() => void>();
  /** An answer that never comes (until the simulator closes). */
  const unanswered = () => {
    paymentsHeld++;
    return new Promise<never>((_resolve, reject) => releases.add(() => reject(new Error('his-sim closed'))));
  };

  const app = Fastify({ logger: false, forceCloseConnections: true });
  app.addContentTypeParser(['application/fhir+json', 'application/json'], { parseAs: 'string' }, (_req, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(new FhirProblem(400, 'structure', 'the body is not JSON'), undefined);
    }
  });
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply) => {
    if (err instanceof FhirProblem) return send(reply, err.status, outcome(err.issueCode, err.message));
    const status = err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
    return send(reply, status, outcome(status < 500 ? 'invalid' : 'exception', status < 500 ? err.message : 'internal error'));
  });
  app.addHook('onRequest', async (req) => {
    if (options.bearerToken !== undefined && req.headers.authorization !== `Bearer ${options.bearerToken}`) {
      throw new FhirProblem(401, 'login', 'a valid bearer token is required');
    }
  });
  app.setNotFoundHandler((req, reply) => send(reply, 404, outcome('not-found', `no route for ${req.method} ${req.url.split('?')[0]}`)));

  function send(reply: FastifyReply, status: number, body: unknown) {
    return reply.code(status).type(FHIR_JSON).send(JSON.stringify(body));
  }

  app.get('/fhir/metadata', async (_req, reply) => send(reply, 200, capabilityStatement()));

  app.get('/fhir/:type', async (req: FastifyRequest<{ Params: { type: string }; Querystring: Query }>, reply) => {
    const search = searches[req.params.type];
    if (!search) throw new FhirProblem(400, 'not-supported', `searching ${req.params.type} is not supported`);
    return send(reply, 200, search(req.query));
  });

  app.get('/fhir/:type/:id', async (req: FastifyRequest<{ Params: { type: string; id: string } }>, reply) => {
    if (!ID_PATTERN.test(req.params.id)) throw new FhirProblem(400, 'value', 'not a valid id');
    const r = store.read(req.params.type, req.params.id);
    if (!r) throw new FhirProblem(404, 'not-found', `${req.params.type}/${req.params.id} is not known`);
    return send(reply, 200, r);
  });

  app.post('/fhir/:type', async (req: FastifyRequest<{ Params: { type: string }; Body: unknown }>, reply) => {
    const body = req.body as Resource | undefined;
    if (!body || typeof body !== 'object' || body.resourceType !== req.params.type) {
      throw new FhirProblem(400, 'structure', `the body must be a ${req.params.type} resource`);
    }
    const ifNoneExist = req.headers['if-none-exist'];
    if (typeof ifNoneExist === 'string') {
      const search = searches[req.params.type];
      if (!search) throw new FhirProblem(412, 'not-supported', `conditional create of ${req.params.type} is not supported`);
      const existing = search(Object.fromEntries(new URLSearchParams(ifNoneExist))).entry ?? [];
      if (existing.length > 1) throw new FhirProblem(412, 'multiple-matches', 'If-None-Exist matches more than one resource');
      if (existing.length === 1) return send(reply.header('location', `${existing[0]!.fullUrl}`), 200, existing[0]!.resource);
    }
    const holding = body.resourceType === 'PaymentReconciliation' ? paymentFault : undefined;
    if (holding === 'hang-before-record') return unanswered();
    const created = createResource(body);
    if (holding === 'hang-after-record') return unanswered();
    return send(reply.header('location', `${created.resourceType}/${created.id}/_history/1`), 201, created);
  });

  app.put('/fhir/Encounter/:id', async (req: FastifyRequest<{ Params: { id: string }; Body: unknown }>, reply) => {
    const body = req.body as Encounter | undefined;
    if (!body || typeof body !== 'object' || body.resourceType !== 'Encounter') throw new FhirProblem(400, 'structure', 'the body must be an Encounter resource');
    const ifMatch = req.headers['if-match'];
    return send(reply, 200, updateEncounter(req.params.id, body, typeof ifMatch === 'string' ? ifMatch : undefined));
  });

  app.put('/fhir/PaymentReconciliation/:id', async (req: FastifyRequest<{ Params: { id: string }; Body: unknown }>, reply) => {
    const body = req.body as PaymentReconciliation | undefined;
    if (!body || typeof body !== 'object' || body.resourceType !== 'PaymentReconciliation' || body.id !== req.params.id) {
      throw new FhirProblem(400, 'structure', 'the body must be this PaymentReconciliation');
    }
    const ifMatch = req.headers['if-match'];
    return send(reply, 200, billing.updatePaymentReconciliation(req.params.id, body, typeof ifMatch === 'string' ? ifMatch : undefined));
  });

  app.post('/fhir/Encounter/:id/$queue-number', async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
    const e = store.read<Encounter>('Encounter', req.params.id);
    if (!e) throw new FhirProblem(404, 'not-found', `Encounter/${req.params.id} is not known`);
    const number = e.extension?.find((x) => x.url === DEFAULT_QUEUE_EXTENSION)?.valueInteger;
    return send(reply, 200, { resourceType: 'Parameters', parameter: [{ name: 'queueNumber', valueInteger: number }] });
  });

  await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}/fhir`,
    store,
    bankTransfer: (key) => billing.bankTransfer(key),
    setPaymentFault: (fault) => void (paymentFault = fault),
    get paymentsHeld() {
      return paymentsHeld;
    },
    async close() {
      for (const release of releases) release();
      await app.close();
      store.close();
    },
  };
}

function seedHospital(store: FhirStore, departments: readonly DemoDepartment[]): void {
  if (store.count('HealthcareService') > 0) return;
  store.transaction(() => {
    for (const dept of departments) {
      store.create<Organization>({ resourceType: 'Organization', name: dept.vi, _name: translated('en', dept.en), type: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'dept' }] }] }, dept.id);
      for (const c of dept.clinics) {
        store.create<Location>({ resourceType: 'Location', name: c.room, managingOrganization: { reference: `Organization/${dept.id}` } }, c.locationId);
        store.create<HealthcareService>(
          {
            resourceType: 'HealthcareService',
            active: true,
            name: c.vi,
            _name: translated('en', c.en),
            providedBy: { reference: `Organization/${dept.id}` },
            location: [{ reference: `Location/${c.locationId}` }],
          },
          c.serviceId,
        );
      }
    }
  });
}

function seedPatients(store: FhirStore, patients: readonly ChipIdentity[], system: string): void {
  store.transaction(() => {
    for (const p of patients) {
      const known = store.all<Patient>('Patient').some((r) => r.identifier?.some((i) => i.system === system && i.value === p.idNumber));
      if (known) continue;
      const words = p.fullName.split(/\s+/u);
      store.create<Patient>({
        resourceType: 'Patient',
        identifier: [
          { system, value: p.idNumber },
          { system: MRN_SYSTEM, value: `BN${String(store.count('Patient') + 1).padStart(6, '0')}`, type: { coding: [{ code: 'MR' }] } },
        ],
        name: [{ use: 'official', text: p.fullName, family: words[0]!, given: words.slice(1) }],
        gender: p.sex,
        birthDate: p.dateOfBirth,
      });
    }
  });
}

function capabilityStatement(): Resource {
  const interaction = (...codes: string[]) => codes.map((code) => ({ code }));
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    kind: 'instance',
    fhirVersion: '4.0.1',
    format: ['json'],
    software: { name: 'cccd-kiosk his-sim' },
    rest: [
      {
        mode: 'server',
        resource: [
          { type: 'Patient', interaction: interaction('read', 'create', 'search-type'), conditionalCreate: true, searchParam: [{ name: 'identifier', type: 'token' }] },
          { type: 'HealthcareService', interaction: interaction('read', 'search-type'), searchParam: [{ name: 'active', type: 'token' }], searchInclude: ['HealthcareService:location', 'HealthcareService:organization'] },
          { type: 'Location', interaction: interaction('read') },
          { type: 'Organization', interaction: interaction('read') },
          { type: 'Encounter', interaction: interaction('read', 'create', 'update', 'search-type'), conditionalCreate: true, searchParam: ['identifier', 'location', 'status', 'date', 'subject'].map((name) => ({ name })), operation: [{ name: 'queue-number' }] },
          { type: 'Flag', interaction: interaction('read', 'create') },
          { type: 'Coverage', interaction: interaction('read', 'create') },
          { type: 'ChargeItem', interaction: interaction('read', 'search-type'), searchParam: [{ name: 'context', type: 'reference' }], searchRevInclude: ['PaymentNotice:request'] },
          { type: 'PaymentNotice', interaction: interaction('read', 'create') },
          { type: 'Invoice', interaction: interaction('read', 'search-type'), searchParam: [{ name: 'subject', type: 'reference' }, { name: 'status', type: 'token' }] },
          { type: 'PaymentReconciliation', interaction: interaction('read', 'create', 'update', 'search-type'), conditionalCreate: true, searchParam: [{ name: 'identifier', type: 'token' }] },
        ],
      },
    ],
  };
}
