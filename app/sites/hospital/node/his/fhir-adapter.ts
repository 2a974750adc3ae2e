/**
 * HospitalSystem over HL7 FHIR R4 REST (JSON). Capabilities it relies on are listed in
 * docs/hospital-integration.md; in short:
 *   Patient: search by `identifier=system|value`, conditional create (If-None-Exist)
 *   HealthcareService: search `active=true` with `_include` of its Location and Organization
 *   Encounter: create with status `arrived`; search `location`, `status`, `date`, `_summary=count`;
 *     update (PUT, If-Match) to status `cancelled` when a person leaves before paying
 *   queue number: an extension on the created Encounter, or a `$queue-number` operation on it; or,
 *     numbered by the site (`site`), the site's number sent as that extension on the Encounter
 *   ChargeItem: search `context=Encounter/…` with `_revinclude=PaymentNotice:request`
 */
import { isIdNumber } from '../../../../core/cccd/id-number.ts';
import type { FallbackDepartment } from '../../common/config.ts';
import type { HospitalSystem } from '../../common/hospital-system.ts';
import { localDay } from '../../common/local-day.ts';
import {
  assertChipIdentity,
  HospitalError,
  type ChipIdentity,
  type Clinic,
  type Department,
  type Patient,
  type RegisteredVisit,
  type Sex,
  type VisitFee,
  type VisitRequest,
  type VisitStatus,
} from '../../common/types.ts';
import {
  BHYT_CARD_SYSTEM,
  EXAMINATION_TYPE_SYSTEM,
  PAYMENT_STATUS_SYSTEM,
  REGISTRATION_REQUEST_SYSTEM,
  translationOf,
  chargeItemSchema,
  encounterSchema,
  healthcareServiceSchema,
  locationSchema,
  organizationSchema,
  patientSchema,
  paymentNoticeSchema,
  type Bundle,
  type ChargeItem,
  type Encounter,
  type Extension,
  type HealthcareService,
  type Location,
  type Organization,
  type PaymentNotice,
  type Patient as FhirPatient,
} from '../../common/fhir-types.ts';
import { asResource, entriesOf, FhirClient } from './fhir-client.ts';
import { queueNumberOf, visitStatusOf, type QueueNumberSource } from './visit-status.ts';

export type { QueueNumberSource };


export interface FhirAdapterOptions {
  /** Service base URL, e.g. `https://his.example/fhir` (no trailing slash needed). */
  readonly baseUrl: string;
  readonly identifierSystem: string;
  readonly queueNumber: QueueNumberSource;
  readonly queueLengths: boolean;
  readonly timeoutMs: number;
  /** Value of the Authorization header, built by the host from the profile's secrets. */
  readonly authorization?: string;
  /** Used when the HIS publishes no HealthcareService. */
  readonly fallbackDepartments?: readonly FallbackDepartment[];
  /** Decides which day's arrivals count as today's queue. */
  readonly timeZone: string;
  /** With `queueNumber.source: site`: the site's next number for a clinic today (the site store's counter). */
  readonly drawQueueNumber?: (clinicId: string) => Promise<number>;
  readonly clock?: () => Date;
}

const MRN_TYPE = 'MR';

export class FhirHospitalSystem implements HospitalSystem {
  private readonly fhir: FhirClient;
  private readonly clock: () => Date;
  private departments: Department[] | undefined;

  constructor(private readonly options: FhirAdapterOptions) {
    this.fhir = new FhirClient(options);
    this.clock = options.clock ?? (() => new Date());
  }

  async findPatientByCccd(idNumber: string): Promise<Patient | null> {
    if (!isIdNumber(idNumber)) throw new HospitalError('HOSPITAL_INVALID_INPUT', 'the ID number must be 12 digits', { field: 'idNumber' });
    const token = `${this.options.identifierSystem}|${idNumber}`;
    const bundle = await this.fhir.search('Patient', { identifier: token });
    const matches = entriesOf(bundle, patientSchema);
    if (matches.length === 0) return null;
    if (matches.length > 1) {
      throw new HospitalError('HIS_PATIENT_AMBIGUOUS', `the HIS has ${matches.length} patients with this ID number`, { count: matches.length });
    }
    return this.toPatient(matches[0]!);
  }

  async getPatient(patientId: string): Promise<Patient | null> {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(patientId)) throw new HospitalError('HOSPITAL_INVALID_INPUT', 'not a FHIR id', { field: 'patientId' });
    const res = await this.fhir.send('GET', `Patient/${patientId}`);
    if (res.status === 404 || res.status === 410) return null;
    this.fhir.expectStatus(res, [200], 'read Patient');
    return this.toPatient(asResource(res.body, patientSchema));
  }

  async createPatient(identity: ChipIdentity): Promise<Patient> {
    assertChipIdentity(identity);
    const words = identity.fullName.normalize('NFC').trim().split(/\s+/u);
    const resource: FhirPatient = {
      resourceType: 'Patient',
      identifier: [{ system: this.options.identifierSystem, value: identity.idNumber }],
      // Vietnamese names are written family name first: "Nguyễn Văn An" → family Nguyễn, given Văn An.
      name: [{ use: 'official', text: words.join(' '), family: words[0]!, given: words.slice(1) }],
      gender: identity.sex,
      birthDate: identity.dateOfBirth,
      ...(identity.address ? { address: [{ text: identity.address }] } : {}),
    };
    const res = await this.fhir.send('POST', 'Patient', resource, {
      'if-none-exist': `identifier=${encodeURIComponent(`${this.options.identifierSystem}|${identity.idNumber}`)}`,
      prefer: 'return=representation',
    });
    this.fhir.expectStatus(res, [200, 201], 'create Patient');
    const created = res.body === undefined ? await this.fhir.readCreated(res, patientSchema) : asResource(res.body, patientSchema);
    return this.toPatient(created);
  }

  async listDepartments(): Promise<Department[]> {
    let bundle: Bundle;
    try {
      bundle = await this.fhir.search('HealthcareService', {
        active: 'true',
        _include: ['HealthcareService:location', 'HealthcareService:organization'],
        _count: '500',
      });
    } catch (e) {
      // A HIS without HealthcareService (404) or without this search (400): the profile's list stands in.
      const unsupported = e instanceof HospitalError && (e.code === 'HIS_NOT_FOUND' || e.code === 'HIS_REJECTED');
      if (!unsupported || this.fallback().length === 0) throw e;
      bundle = { resourceType: 'Bundle', type: 'searchset', entry: [] };
    }
    const services = entriesOf(bundle, healthcareServiceSchema);
    const departments = services.length > 0 ? this.departmentsFrom(bundle, services) : this.fallback();
    if (departments.length === 0) {
      throw new HospitalError('HIS_BAD_RESPONSE', 'the HIS lists no clinics and the profile has no hospital.departments fallback');
    }
    this.departments = departments;
    if (!this.options.queueLengths || services.length === 0) return departments;
    const withQueues = await Promise.all(
      departments.map(async (d) => ({
        ...d,
        clinics: await Promise.all(d.clinics.map(async (c) => ({ ...c, queueLength: await this.waitingAt(c.id) }))),
      })),
    );
    this.departments = withQueues;
    return withQueues;
  }

  async registerVisit(request: VisitRequest): Promise<RegisteredVisit> {
    const { department, clinic } = await this.findClinic(request.departmentId, request.clinicId);
    if (request.examinationType === 'insurance' && request.insuranceCardNumber) {
      await this.recordCoverage(request.patient.id, request.insuranceCardNumber);
    }
    const numbered = await this.siteNumber(clinic.id);
    const now = this.clock().toISOString();
    const encounter: Encounter = {
      resourceType: 'Encounter',
      meta: { source: `urn:cccd-kiosk:terminal:${encodeURIComponent(request.terminalId)}` },
      ...(request.requestId ? { identifier: [{ system: REGISTRATION_REQUEST_SYSTEM, value: request.requestId }] } : {}),
      status: 'arrived',
      class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB', display: 'ambulatory' },
      type: [{ coding: [{ system: EXAMINATION_TYPE_SYSTEM, code: request.examinationType }] }],
      subject: { reference: `Patient/${request.patient.id}` },
      serviceProvider: { reference: `Organization/${department.id}` },
      location: [{ location: { reference: `Location/${clinic.id}` }, status: 'active' }],
      period: { start: now },
      ...(numbered ? { extension: [numbered] } : {}),
    };
    const res = await this.fhir.send('POST', 'Encounter', encounter, {
      prefer: 'return=representation',
      ...(request.requestId
        ? { 'if-none-exist': `identifier=${encodeURIComponent(`${REGISTRATION_REQUEST_SYSTEM}|${request.requestId}`)}` }
        : {}),
    });
    this.fhir.expectStatus(res, [200, 201], 'create Encounter');
    const created = res.body === undefined ? await this.fhir.readCreated(res, encounterSchema) : asResource(res.body, encounterSchema);
    if (!created.id) throw new HospitalError('HIS_BAD_RESPONSE', 'the created Encounter has no id');
    const queueNumber = await this.queueNumberFor(created);
    const waiting = this.options.queueLengths ? await this.waitingAt(clinic.id) : undefined;
    return {
      visitId: created.id,
      queueNumber,
      departmentName: department.name,
      clinicName: clinic.name,
      room: clinic.room,
      examinationType: request.examinationType,
      registeredAt: created.period?.start ?? now,
      ...(waiting === undefined ? {} : { waitingAhead: Math.max(0, waiting - 1) }),
    };
  }

  async getVisit(visitId: string): Promise<VisitStatus | null> {
    if (!/^[A-Za-z0-9\-.]{1,64}$/.test(visitId)) return null; // not an id this HIS could have issued (a stranger's QR)
    const res = await this.fhir.send('GET', `Encounter/${visitId}`);
    if (res.status === 404 || res.status === 410) return null;
    this.fhir.expectStatus(res, [200], 'read Encounter');
    return visitStatusOf(this.fhir, this.options.queueNumber, asResource(res.body, encounterSchema));
  }

  async getFee(visitId: string): Promise<VisitFee> {
    const bundle = await this.fhir.search('ChargeItem', {
      context: `Encounter/${visitId}`,
      _revinclude: ['PaymentNotice:request'],
    });
    const items = entriesOf(bundle, chargeItemSchema).filter((c) => c.status !== 'entered-in-error' && c.status !== 'not-billable');
    if (items.length === 0) return { visitId, amountVnd: 0, status: 'not-required', billNumber: visitId };
    const notices = entriesOf(bundle, paymentNoticeSchema);
    let amount = 0;
    for (const item of items) {
      const price = item.priceOverride;
      if (price?.value === undefined || (price.currency !== undefined && price.currency !== 'VND')) {
        throw new HospitalError('HIS_BAD_RESPONSE', 'a ChargeItem has no price in VND', { chargeItem: item.id ?? null });
      }
      amount += price.value;
    }
    const paid = items.every((item) => notices.some((n) => isPaymentOf(n, item)));
    const billNumber = items[0]!.identifier?.[0]?.value ?? items[0]!.id ?? visitId;
    return { visitId, amountVnd: Math.round(amount), status: paid ? 'paid' : 'unpaid', billNumber };
  }

  // ---- internals ----

  async releaseVisit(visitId: string): Promise<void> {
    const path = `Encounter/${encodeURIComponent(visitId)}`;
    const got = await this.fhir.send('GET', path);
    this.fhir.expectStatus(got, [200], 'read Encounter');
    const encounter = asResource(got.body, encounterSchema);
    if (encounter.status === 'cancelled') return;
    // If-Match: a clerk who changed the visit meanwhile (e.g. took the payment at the desk) wins.
    const version = encounter.meta?.versionId;
    const res = await this.fhir.send('PUT', path, { ...encounter, status: 'cancelled' }, version ? { 'if-match': `W/"${version}"` } : {});
    this.fhir.expectStatus(res, [200], 'cancel Encounter');
  }

  private async recordCoverage(patientId: string, cardNumber: string): Promise<void> {
    const res = await this.fhir.send('POST', 'Coverage', {
      resourceType: 'Coverage',
      status: 'active',
      identifier: [{ system: cardNumber.length === 12 ? this.options.identifierSystem : BHYT_CARD_SYSTEM, value: cardNumber }],
      beneficiary: { reference: `Patient/${patientId}` },
      payor: [{ display: 'Bảo hiểm xã hội Việt Nam' }],
    });
    this.fhir.expectStatus(res, [200, 201], 'create Coverage');
  }

  private async findClinic(departmentId: string, clinicId: string): Promise<{ department: Department; clinic: Clinic }> {
    const lookup = (list: readonly Department[] | undefined) => {
      const department = list?.find((d) => d.id === departmentId);
      const clinic = department?.clinics.find((c) => c.id === clinicId);
      return department && clinic ? { department, clinic } : undefined;
    };
    const found = lookup(this.departments) ?? lookup(await this.listDepartments());
    if (!found) throw new HospitalError('HIS_UNKNOWN_CLINIC', 'the chosen clinic is not offered by the HIS', { departmentId, clinicId });
    return found;
  }

  private departmentsFrom(bundle: Bundle, services: HealthcareService[]): Department[] {
    const byRef = new Map<string, Organization | Location>();
    for (const org of entriesOf(bundle, organizationSchema)) if (org.id) byRef.set(`Organization/${org.id}`, org);
    for (const loc of entriesOf(bundle, locationSchema)) if (loc.id) byRef.set(`Location/${loc.id}`, loc);
    const departments = new Map<string, { id: string; name: Department['name']; clinics: Clinic[] }>();
    for (const hs of services) {
      const org = byRef.get(hs.providedBy?.reference ?? '') as Organization | undefined;
      const loc = byRef.get(hs.location?.[0]?.reference ?? '') as Location | undefined;
      if (!org?.id || !loc?.id || !hs.name) continue; // a service without a room or department cannot take a visit
      let dept = departments.get(org.id);
      if (!dept) {
        const en = translationOf(org._name, 'en');
        dept = { id: org.id, name: { vi: org.name ?? org.id, ...(en ? { en } : {}) }, clinics: [] };
        departments.set(org.id, dept);
      }
      const en = translationOf(hs._name, 'en');
      dept.clinics.push({ id: loc.id, departmentId: org.id, name: { vi: hs.name, ...(en ? { en } : {}) }, room: loc.name ?? loc.id });
    }
    return [...departments.values()];
  }

  private fallback(): Department[] {
    return (this.options.fallbackDepartments ?? []).map((d) => ({
      id: d.id,
      name: d.name,
      clinics: d.clinics.map((c) => ({ id: c.id, departmentId: d.id, name: c.name, room: c.room })),
    }));
  }

  /** People with status `arrived` at the clinic today: the queue in front of the door. */
  private async waitingAt(locationId: string): Promise<number | undefined> {
    try {
      const bundle = await this.fhir.search('Encounter', {
        location: `Location/${locationId}`,
        status: 'arrived',
        date: `ge${localDay(this.clock(), this.options.timeZone)}`,
        _summary: 'count',
      });
      return typeof bundle.total === 'number' ? bundle.total : undefined;
    } catch (e) {
      // A queue length is a nicety: a HIS that cannot count must not stop a registration.
      if (e instanceof HospitalError && (e.code === 'HIS_REJECTED' || e.code === 'HIS_BAD_RESPONSE')) return undefined;
      throw e;
    }
  }

  /**
   * Numbered by the site: its next number for the clinic today, as the extension the Encounter
   * carries. A retried registration (the same request id) gets the Encounter made the first time and
   * its number, so a drawn number is at worst left unused, never given twice.
   */
  private async siteNumber(clinicId: string): Promise<Extension | undefined> {
    const source = this.options.queueNumber;
    if (source.source !== 'site') return undefined;
    if (!this.options.drawQueueNumber) throw new HospitalError('HOSPITAL_INVALID_INPUT', 'queue numbers from the site need the site store');
    return { url: source.url, valueInteger: await this.options.drawQueueNumber(clinicId) };
  }

  private async queueNumberFor(encounter: Encounter): Promise<number> {
    const value = await queueNumberOf(this.fhir, this.options.queueNumber, encounter);
    if (value === undefined) {
      throw new HospitalError('HIS_NO_QUEUE_NUMBER', 'the HIS did not give a queue number for the visit', { visitId: encounter.id ?? null });
    }
    return value;
  }

  private toPatient(p: FhirPatient): Patient {
    if (!p.id) throw new HospitalError('HIS_BAD_RESPONSE', 'a Patient has no id');
    const idNumber = p.identifier?.find((i) => i.system === this.options.identifierSystem)?.value;
    if (!idNumber) throw new HospitalError('HIS_BAD_RESPONSE', 'the Patient does not carry the CCCD identifier', { patientId: p.id });
    const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
    const fullName = name?.text ?? [name?.family, ...(name?.given ?? [])].filter(Boolean).join(' ');
    const mrn = p.identifier?.find((i) => i.type?.coding?.some((c) => c.code === MRN_TYPE))?.value;
    const sex: Sex = p.gender ?? 'unknown';
    return {
      id: p.id,
      idNumber,
      fullName,
      sex,
      ...(mrn ? { mrn } : {}),
      ...(p.birthDate ? { dateOfBirth: p.birthDate } : {}),
    };
  }
}

function isPaymentOf(notice: PaymentNotice, item: ChargeItem): boolean {
  if (notice.status !== 'active' || notice.request?.reference !== `ChargeItem/${item.id}`) return false;
  return notice.paymentStatus?.coding?.some((c) => c.system === PAYMENT_STATUS_SYSTEM && c.code === 'paid') ?? false;
}
