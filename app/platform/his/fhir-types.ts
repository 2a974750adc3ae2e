/**
 * The small subset of HL7 FHIR R4 the kiosk reads and writes (hl7.org/fhir/R4). Only the elements
 * used are typed; everything else a server sends is carried along untouched.
 */

export interface Coding { system?: string; code?: string; display?: string }
export interface CodeableConcept { coding?: Coding[]; text?: string }
export interface Identifier { system?: string; value?: string; type?: CodeableConcept }
export interface Reference { reference?: string; display?: string }
export interface Extension {
  url: string;
  valueInteger?: number;
  valueString?: string;
  valueCode?: string;
  extension?: Extension[];
}
/** `_name` etc.: extensions on a primitive, here the standard translation extension. */
export interface PrimitiveElement { extension?: Extension[] }
export interface Money { value?: number; currency?: string }
export interface Period { start?: string; end?: string }

export interface Resource {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string; source?: string };
  extension?: Extension[];
  [element: string]: unknown;
}

export interface HumanName { text?: string; family?: string; given?: string[]; use?: string }

export interface Patient extends Resource {
  resourceType: 'Patient';
  identifier?: Identifier[];
  name?: HumanName[];
  gender?: 'male' | 'female' | 'other' | 'unknown';
  birthDate?: string;
  address?: { text?: string }[];
}

export interface Organization extends Resource {
  resourceType: 'Organization';
  name?: string;
  _name?: PrimitiveElement;
}

export interface Location extends Resource {
  resourceType: 'Location';
  name?: string;
  description?: string;
  managingOrganization?: Reference;
}

export interface HealthcareService extends Resource {
  resourceType: 'HealthcareService';
  active?: boolean;
  name?: string;
  _name?: PrimitiveElement;
  providedBy?: Reference;
  location?: Reference[];
}

export type EncounterStatus =
  | 'planned' | 'arrived' | 'triaged' | 'in-progress' | 'onleave' | 'finished' | 'cancelled' | 'entered-in-error' | 'unknown';

export interface Encounter extends Resource {
  resourceType: 'Encounter';
  identifier?: Identifier[];
  status: EncounterStatus;
  class: Coding;
  type?: CodeableConcept[];
  subject?: Reference;
  serviceProvider?: Reference;
  location?: { location: Reference; status?: string }[];
  period?: Period;
}

export interface ChargeItem extends Resource {
  resourceType: 'ChargeItem';
  status: string;
  identifier?: Identifier[];
  context?: Reference;
  subject?: Reference;
  priceOverride?: Money;
  code?: CodeableConcept;
}

export interface PaymentNotice extends Resource {
  resourceType: 'PaymentNotice';
  status: string;
  request?: Reference;
  paymentStatus?: CodeableConcept;
  amount?: Money;
  created?: string;
}

export interface BundleEntry<R extends Resource = Resource> {
  fullUrl?: string;
  resource?: R;
  search?: { mode?: 'match' | 'include' | 'outcome' };
}

export interface Bundle<R extends Resource = Resource> extends Resource {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  entry?: BundleEntry<R>[];
}

export interface OperationOutcome extends Resource {
  resourceType: 'OperationOutcome';
  issue: { severity: 'fatal' | 'error' | 'warning' | 'information'; code: string; diagnostics?: string }[];
}

export interface Parameters extends Resource {
  resourceType: 'Parameters';
  parameter?: { name: string; valueInteger?: number; valueString?: string; valueReference?: Reference }[];
}

export const FHIR_JSON = 'application/fhir+json';
/** Standard extension for a translation of a string element (R4 core). */
export const TRANSLATION_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/translation';
/** Code system for the kiosk's examination type on Encounter.type (ours; documented in docs/hospital-integration.md). */
export const EXAMINATION_TYPE_SYSTEM = 'urn:cccd-kiosk:fhir:examination-type';
/** Identifier system of the BHYT card number on Coverage. */
export const BHYT_CARD_SYSTEM = 'http://fhir.hl7.org.vn/core/sid/bhyt';
/** Identifier system of the kiosk's idempotency key on Encounter (ours). */
export const REGISTRATION_REQUEST_SYSTEM = 'urn:cccd-kiosk:fhir:registration-request';
export const PAYMENT_STATUS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/paymentstatus';

/** The English translation of a string element, if the server gave one. */
export function translationOf(element: PrimitiveElement | undefined, lang: string): string | undefined {
  for (const ext of element?.extension ?? []) {
    if (ext.url !== TRANSLATION_EXTENSION) continue;
    const parts = ext.extension ?? [];
    if (parts.find((p) => p.url === 'lang')?.valueCode === lang) return parts.find((p) => p.url === 'content')?.valueString;
  }
  return undefined;
}

export function translated(lang: string, content: string): PrimitiveElement {
  return {
    extension: [{ url: TRANSLATION_EXTENSION, extension: [{ url: 'lang', valueCode: lang }, { url: 'content', valueString: content }] }],
  };
}
