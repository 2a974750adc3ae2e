/**
 * A FHIR Encounter as the kiosk reads a visit: its patient, status, clinic and queue number. The
 * queue number is where the profile says the HIS puts it: an extension on the Encounter, or the
 * answer of a FHIR operation on it (`$queue-number`).
 */
import { parametersSchema, type Encounter, type Parameters } from '../../common/fhir-types.ts';
import { HospitalError, type VisitStatus } from '../../common/types.ts';
import { asResource, type FhirClient } from './fhir-client.ts';

/** `site`: the kiosk numbered the visit from the site store and wrote the number on as the `url` extension. */
export type QueueNumberSource = { source: 'extension' | 'site'; url: string } | { source: 'operation'; name: string };

/** The visit's number at the clinic's door; undefined when the HIS gives none. */
export async function queueNumberOf(fhir: FhirClient, source: QueueNumberSource, encounter: Encounter): Promise<number | undefined> {
  let value: number | undefined;
  if (source.source !== 'operation') {
    value = encounter.extension?.find((x) => x.url === source.url)?.valueInteger;
  } else {
    const res = await fhir.send('POST', `Encounter/${encodeURIComponent(encounter.id!)}/${source.name}`, { resourceType: 'Parameters', parameter: [] } satisfies Parameters);
    fhir.expectStatus(res, [200], source.name);
    value = asResource(res.body, parametersSchema).parameter?.find((p) => p.name === 'queueNumber')?.valueInteger;
  }
  return Number.isSafeInteger(value) && value! >= 1 ? value : undefined;
}

export async function visitStatusOf(fhir: FhirClient, source: QueueNumberSource, e: Encounter): Promise<VisitStatus> {
  const patientId = e.subject?.reference?.match(/^Patient\/(.+)$/)?.[1];
  if (!e.id || !patientId) throw new HospitalError('HIS_BAD_RESPONSE', 'the Encounter has no id or no Patient subject');
  const queueNumber = await queueNumberOf(fhir, source, e);
  const clinicId = e.location?.[0]?.location.reference?.match(/^Location\/(.+)$/)?.[1];
  return {
    visitId: e.id,
    patientId,
    status: e.status,
    ...(queueNumber === undefined ? {} : { queueNumber }),
    ...(clinicId ? { clinicId } : {}),
    ...(e.period?.start ? { registeredAt: e.period.start } : {}),
  };
}
