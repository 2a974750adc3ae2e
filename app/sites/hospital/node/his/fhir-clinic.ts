/**
 * The clinic check over HL7 FHIR R4 REST (docs/hospital-integration.md, "Identity at the clinic"):
 *   Encounter: search `subject`, `location`, `date=ge{today}`; GET, then PUT (If-Match) to
 *     `in-progress` with the identity-check extension — the visit is confirmed at the door
 *   Flag: create, category `admin`, on the Patient and the Encounter — a check that did not confirm
 *   the queue at the door: Encounters at the Location today, `in-progress` (checked in) and `arrived`
 */
import { encounterSchema, IDENTITY_CHECK_EXTENSION, IDENTITY_CHECK_FLAG_SYSTEM, type Encounter } from '../../common/fhir-types.ts';
import { localDay } from '../../common/local-day.ts';
import type { ClinicDesk, ClinicQueue, IdentityCheck } from '../../common/clinic-check.ts';
import type { VisitStatus } from '../../common/types.ts';
import { asResource, entriesOf, FhirClient, type FhirClientOptions } from './fhir-client.ts';
import { queueNumberOf, visitStatusOf, type QueueNumberSource } from './visit-status.ts';

const OPEN = new Set(['arrived', 'in-progress']);

export class FhirClinicDesk implements ClinicDesk {
  private readonly fhir: FhirClient;

  constructor(private readonly o: FhirClientOptions & { queueNumber: QueueNumberSource; timeZone: string; clock?: () => Date }) {
    this.fhir = new FhirClient(o);
  }

  private today(): string {
    return localDay(this.o.clock?.() ?? new Date(), this.o.timeZone);
  }

  async todaysVisit(patientId: string, clinicId: string): Promise<VisitStatus | null> {
    const bundle = await this.fhir.search('Encounter', { subject: `Patient/${patientId}`, location: `Location/${clinicId}`, date: `ge${this.today()}` });
    const open = entriesOf(bundle, encounterSchema).filter((e) => OPEN.has(e.status));
    // The latest registration today, should there be several.
    const latest = open.sort((a, b) => (b.period?.start ?? '').localeCompare(a.period?.start ?? ''))[0];
    return latest ? visitStatusOf(this.fhir, this.o.queueNumber, latest) : null;
  }

  async recordCheck(check: IdentityCheck): Promise<void> {
    const path = `Encounter/${encodeURIComponent(check.visitId)}`;
    const got = await this.fhir.send('GET', path);
    this.fhir.expectStatus(got, [200], 'read Encounter');
    const encounter = asResource(got.body, encounterSchema);
    if (encounter.status === 'in-progress') return;
    const version = encounter.meta?.versionId;
    const checked: Encounter = {
      ...encounter,
      status: 'in-progress',
      extension: [
        ...(encounter.extension ?? []),
        {
          url: IDENTITY_CHECK_EXTENSION,
          extension: [
            { url: 'result', valueCode: 'confirmed' },
            { url: 'method', valueCode: check.method },
            { url: 'time', valueDateTime: check.at },
            { url: 'terminal', valueString: check.terminalId },
          ],
        },
      ],
    };
    const res = await this.fhir.send('PUT', path, checked, version ? { 'if-match': `W/"${version}"` } : {});
    this.fhir.expectStatus(res, [200], 'check in Encounter');
  }

  async flagCheck(check: IdentityCheck & { patientId: string; reason: string }): Promise<void> {
    const res = await this.fhir.send('POST', 'Flag', {
      resourceType: 'Flag',
      status: 'active',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: 'admin' }] }],
      code: { coding: [{ system: IDENTITY_CHECK_FLAG_SYSTEM, code: check.reason }], text: 'Kiểm tra danh tính tại phòng khám chưa xác nhận được người bệnh' },
      subject: { reference: `Patient/${check.patientId}` },
      encounter: { reference: `Encounter/${check.visitId}` },
      period: { start: check.at },
      author: { display: `kiosk ${check.terminalId}` },
    });
    this.fhir.expectStatus(res, [200, 201], 'create Flag');
  }

  async queueAt(clinicId: string): Promise<ClinicQueue> {
    const numbers = async (status: string) => {
      const bundle = await this.fhir.search('Encounter', { location: `Location/${clinicId}`, status, date: `ge${this.today()}` });
      const found = await Promise.all(entriesOf(bundle, encounterSchema).map((e) => queueNumberOf(this.fhir, this.o.queueNumber, e)));
      return found.filter((n): n is number => n !== undefined).sort((a, b) => a - b);
    };
    const [called, waiting] = await Promise.all([numbers('in-progress'), numbers('arrived')]);
    return { called, waiting };
  }
}
