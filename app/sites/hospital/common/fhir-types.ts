/**
 * The small subset of HL7 FHIR R4 the kiosk reads and writes (hl7.org/fhir/R4). Only the elements
 * used are typed; everything else a server sends is carried along untouched.
 */
import { z } from 'zod';

// Each resource is a zod schema (loose: elements we do not read pass through untouched) and its
// type is derived from it, so what the adapter reads from a HIS is checked against what it expects.

const str = z.string();
export const codingSchema = z.looseObject({ system: str.optional(), code: str.optional(), display: str.optional() });
export const codeableConceptSchema = z.looseObject({ coding: z.array(codingSchema).optional(), text: str.optional() });
export const identifierSchema = z.looseObject({ system: str.optional(), value: str.optional(), type: codeableConceptSchema.optional() });
export const referenceSchema = z.looseObject({ reference: str.optional(), display: str.optional() });
export const moneySchema = z.looseObject({ value: z.number().optional(), currency: str.optional() });
export const periodSchema = z.looseObject({ start: str.optional(), end: str.optional() });

export interface Extension {
  url: string;
  valueInteger?: number;
  valueString?: string;
  valueCode?: string;
  extension?: Extension[];
  [element: string]: unknown;
}
export const extensionSchema: z.ZodType<Extension> = z.lazy(() =>
  z.looseObject({
    url: str,
    valueInteger: z.number().int().optional(),
    valueString: str.optional(),
    valueCode: str.optional(),
    extension: z.array(extensionSchema).optional(),
  }),
);
/** `_name` etc.: extensions on a primitive, here the standard translation extension. */
export const primitiveElementSchema = z.looseObject({ extension: z.array(extensionSchema).optional() });
export type PrimitiveElement = z.infer<typeof primitiveElementSchema>;
export type Coding = z.infer<typeof codingSchema>;
export type Identifier = z.infer<typeof identifierSchema>;
export type Reference = z.infer<typeof referenceSchema>;

const base = {
  id: str.optional(),
  meta: z.looseObject({ versionId: str.optional(), lastUpdated: str.optional(), source: str.optional() }).optional(),
  extension: z.array(extensionSchema).optional(),
};

export const resourceSchema = z.looseObject({ resourceType: str, ...base });
export type Resource = z.infer<typeof resourceSchema>;

export const humanNameSchema = z.looseObject({ text: str.optional(), family: str.optional(), given: z.array(str).optional(), use: str.optional() });

export const patientSchema = z.looseObject({
  resourceType: z.literal('Patient'),
  ...base,
  identifier: z.array(identifierSchema).optional(),
  name: z.array(humanNameSchema).optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: str.optional(),
  address: z.array(z.looseObject({ text: str.optional() })).optional(),
});
export type Patient = z.infer<typeof patientSchema>;

export const organizationSchema = z.looseObject({ resourceType: z.literal('Organization'), ...base, name: str.optional(), _name: primitiveElementSchema.optional() });
export type Organization = z.infer<typeof organizationSchema>;

export const locationSchema = z.looseObject({
  resourceType: z.literal('Location'), ...base, name: str.optional(), description: str.optional(), managingOrganization: referenceSchema.optional(),
});
export type Location = z.infer<typeof locationSchema>;

export const healthcareServiceSchema = z.looseObject({
  resourceType: z.literal('HealthcareService'),
  ...base,
  active: z.boolean().optional(),
  name: str.optional(),
  _name: primitiveElementSchema.optional(),
  providedBy: referenceSchema.optional(),
  location: z.array(referenceSchema).optional(),
});
export type HealthcareService = z.infer<typeof healthcareServiceSchema>;

export const encounterStatusSchema = z.enum(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']);
export const encounterSchema = z.looseObject({
  resourceType: z.literal('Encounter'),
  ...base,
  identifier: z.array(identifierSchema).optional(),
  status: encounterStatusSchema,
  class: codingSchema,
  type: z.array(codeableConceptSchema).optional(),
  subject: referenceSchema.optional(),
  serviceProvider: referenceSchema.optional(),
  location: z.array(z.looseObject({ location: referenceSchema, status: str.optional() })).optional(),
  period: periodSchema.optional(),
});
export type Encounter = z.infer<typeof encounterSchema>;

export const chargeItemSchema = z.looseObject({
  resourceType: z.literal('ChargeItem'),
  ...base,
  status: str,
  identifier: z.array(identifierSchema).optional(),
  context: referenceSchema.optional(),
  subject: referenceSchema.optional(),
  priceOverride: moneySchema.optional(),
  code: codeableConceptSchema.optional(),
});
export type ChargeItem = z.infer<typeof chargeItemSchema>;

export const paymentNoticeSchema = z.looseObject({
  resourceType: z.literal('PaymentNotice'),
  ...base,
  status: str,
  request: referenceSchema.optional(),
  paymentStatus: codeableConceptSchema.optional(),
  amount: moneySchema.optional(),
  created: str.optional(),
});
export type PaymentNotice = z.infer<typeof paymentNoticeSchema>;

export const invoiceSchema = z.looseObject({
  resourceType: z.literal('Invoice'),
  ...base,
  identifier: z.array(identifierSchema).optional(),
  status: z.enum(['draft', 'issued', 'balanced', 'cancelled', 'entered-in-error']),
  type: codeableConceptSchema.optional(),
  subject: referenceSchema.optional(),
  date: str.optional(),
  lineItem: z
    .array(
      z.looseObject({
        sequence: z.number().int().optional(),
        chargeItemCodeableConcept: codeableConceptSchema.optional(),
        chargeItemReference: referenceSchema.optional(),
        priceComponent: z
          .array(z.looseObject({ type: z.enum(['base', 'surcharge', 'deduction', 'discount', 'tax', 'informational']), code: codeableConceptSchema.optional(), amount: moneySchema.optional() }))
          .optional(),
      }),
    )
    .optional(),
  totalGross: moneySchema.optional(),
  totalNet: moneySchema.optional(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

export const paymentReconciliationSchema = z.looseObject({
  resourceType: z.literal('PaymentReconciliation'),
  ...base,
  identifier: z.array(identifierSchema).optional(),
  status: z.enum(['active', 'cancelled', 'draft', 'entered-in-error']),
  created: str,
  outcome: z.enum(['queued', 'complete', 'error', 'partial']).optional(),
  disposition: str.optional(),
  paymentDate: str,
  paymentAmount: moneySchema,
  paymentIdentifier: identifierSchema.optional(),
  detail: z.array(z.looseObject({ type: codeableConceptSchema, request: referenceSchema.optional(), amount: moneySchema.optional() })).optional(),
});
export type PaymentReconciliation = z.infer<typeof paymentReconciliationSchema>;

export const bundleSchema = z.looseObject({
  resourceType: z.literal('Bundle'),
  ...base,
  type: str,
  total: z.number().int().min(0).optional(),
  entry: z
    .array(z.looseObject({ fullUrl: str.optional(), resource: resourceSchema.optional(), search: z.looseObject({ mode: str.optional() }).optional() }))
    .optional(),
});
export type Bundle = z.infer<typeof bundleSchema>;

export const operationOutcomeSchema = z.looseObject({
  resourceType: z.literal('OperationOutcome'),
  ...base,
  issue: z.array(z.looseObject({ severity: z.enum(['fatal', 'error', 'warning', 'information']), code: str, diagnostics: str.optional() })),
});
export type OperationOutcome = z.infer<typeof operationOutcomeSchema>;

export const parametersSchema = z.looseObject({
  resourceType: z.literal('Parameters'),
  ...base,
  parameter: z
    .array(z.looseObject({ name: str, valueInteger: z.number().int().optional(), valueString: str.optional(), valueReference: referenceSchema.optional() }))
    .optional(),
});
export type Parameters = z.infer<typeof parametersSchema>;

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
/** PaymentReconciliation.detail.type (R4 core). */
export const PAYMENT_TYPE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/payment-type';
/** Invoice.type: what a bill is for (ours; docs/hospital-integration.md). */
export const BILL_KIND_SYSTEM = 'urn:cccd-kiosk:fhir:bill-kind';
/** Invoice.lineItem.priceComponent.code of the part health insurance pays (type `deduction`; ours). */
export const PRICE_COMPONENT_SYSTEM = 'urn:cccd-kiosk:fhir:price-component';
/** PaymentReconciliation.identifier: the kiosk's idempotency key of a payment (ours). */
export const PAYMENT_KEY_SYSTEM = 'urn:cccd-kiosk:fhir:payment';
/** PaymentReconciliation.paymentIdentifier: the payment terminal's transaction id (ours). */
export const TERMINAL_TRANSACTION_SYSTEM = 'urn:cccd-kiosk:fhir:terminal-transaction';
/** Extension on Encounter: the identity check at the clinic's door (result, method, time, terminal; ours). */
export const IDENTITY_CHECK_EXTENSION = 'urn:cccd-kiosk:fhir:StructureDefinition/identity-check';
/** Flag.code of a check at the clinic's door that did not confirm the patient (ours). */
export const IDENTITY_CHECK_FLAG_SYSTEM = 'urn:cccd-kiosk:fhir:identity-check';
/** Extension on PaymentReconciliation: how the patient paid (`card`, `ewallet`, `vietqr`; ours). */
export const PAYMENT_METHOD_EXTENSION = 'urn:cccd-kiosk:fhir:StructureDefinition/payment-method';

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
