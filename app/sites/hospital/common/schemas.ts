/**
 * Zod schemas of the hospital values that cross the kiosk API to the screen (departments, the BHYT
 * result, the registered visit, the fee) and of the hospital's views, which the flow builds and the
 * screens read. The compile-time checks at the bottom tie each schema to its domain type, so the two
 * cannot drift apart.
 */
import { z } from 'zod';
import { BILL_KINDS, type DueBill } from './billing.ts';
import { PAYMENT_STATES } from './payment-ledger.ts';
import type { InsuranceAdvice, InsuranceResult, InsuranceStatus } from './insurance.ts';
import type { Clinic, Department, ExaminationType, LocalizedText, PaymentStatus, RegisteredVisit, VisitFee } from './types.ts';
import type { RegistrationSummary } from './visit-record.ts';

export const localizedTextSchema = z.object({ vi: z.string(), en: z.string().optional() });
export const examinationTypeSchema = z.enum(['insurance', 'service']);
export const paymentStatusSchema = z.enum(['not-required', 'unpaid', 'paid']);

export const clinicSchema = z.object({
  id: z.string(),
  departmentId: z.string(),
  name: localizedTextSchema,
  room: z.string(),
  queueLength: z.number().int().min(0).optional(),
});

export const departmentSchema = z.object({
  id: z.string(),
  name: localizedTextSchema,
  clinics: z.array(clinicSchema),
});

export const registeredVisitSchema = z.object({
  visitId: z.string(),
  queueNumber: z.number().int().min(1),
  departmentName: localizedTextSchema,
  clinicName: localizedTextSchema,
  room: z.string(),
  examinationType: examinationTypeSchema,
  registeredAt: z.string(),
  waitingAhead: z.number().int().min(0).optional(),
});

export const visitFeeSchema = z.object({
  visitId: z.string(),
  amountVnd: z.number().int().min(0),
  status: paymentStatusSchema,
  billNumber: z.string(),
});

export const insuranceStatusSchema = z.enum([
  'valid', 'valid-managed-elsewhere', 'valid-new-card-issued', 'expired', 'not-found', 'invalid-card-number',
  'wrong-name', 'wrong-date-of-birth', 'wrong-sex', 'wrong-facility', 'card-data-error', 'revoked', 'suspended',
  'child-without-card', 'server-error', 'kiosk-misconfigured', 'unavailable', 'unknown-code',
]);
export const insuranceAdviceSchema = z.enum(['insurance', 'staff', 'service', 'retry']);

/** What the screen needs of a BHYT result: the card's details stay in the host. */
export const insuranceResultViewSchema = z.object({
  status: insuranceStatusSchema,
  advice: insuranceAdviceSchema,
  code: z.string().nullable(),
  message: localizedTextSchema,
  validTo: z.string().optional(),
});

/** Examination type: the BHYT result in words and the types this patient may choose. */
export const examTypeViewSchema = z.object({
  returning: z.boolean(),
  insurance: insuranceResultViewSchema,
  options: z.array(examinationTypeSchema).min(1),
  serviceFeeVnd: z.number().int().min(0),
});

/** Clinics by department, names in the person's language. */
export const departmentViewSchema = z.object({
  examinationType: examinationTypeSchema,
  departments: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      clinics: z.array(z.object({ id: z.string(), name: z.string(), room: z.string(), queueLength: z.number().int().min(0).optional() })),
    }),
  ),
});

/** A service fee to pay by VietQR (the EMVCo payload the screen draws as a QR code). */
export const paymentViewSchema = z.object({
  amountVnd: z.number().int().min(0),
  billNumber: z.string(),
  status: paymentStatusSchema,
  vietQr: z.string().min(1),
});

/** The person cancelled before paying: the hospital gave the visit (and its queue number) up. */
export const paymentCancelledViewSchema = z.object({ queueNumberReleased: z.number().int().min(1) });

export const billKindSchema = z.enum(BILL_KINDS);
export const paymentMethodSchema = z.enum(['card', 'ewallet', 'vietqr']);
export const paymentStateSchema = z.enum(PAYMENT_STATES);
const vnd = z.number().int().min(0);

/** A bill as the screen lists it: its kind, the hospital's title and lines, the insurance part and the patient's part. */
export const billViewSchema = z.object({
  billId: z.string(),
  number: z.string(),
  kind: billKindSchema,
  title: z.string().optional(),
  lines: z.array(z.object({ name: z.string(), priceVnd: vnd, insuranceVnd: vnd })),
  totalVnd: vnd,
  insuranceVnd: vnd,
  patientVnd: vnd,
});

/** What is due, and the ways to pay this kiosk offers; after a failed try, what happened (nothing was taken). */
export const billsViewSchema = z.object({
  bills: z.array(billViewSchema).min(1),
  methods: z.array(paymentMethodSchema).min(1),
  problem: z.object({ code: z.enum(['declined', 'cancelled', 'bills-changed']), method: paymentMethodSchema.optional() }).optional(),
});
/** Nothing to pay: `known` says whether the hospital knows the person at all. */
export const noBillsViewSchema = z.object({ known: z.boolean() });
/** The terminal has the payment: the person follows it (card, or the e-wallet QR on its screen). */
export const payTerminalViewSchema = z.object({ method: z.enum(['card', 'ewallet']), amountVnd: vnd, bills: z.number().int().min(1) });
/** A VietQR transfer for the chosen bills, with the payment's key as its reference. */
export const payVietQrViewSchema = z.object({ amountVnd: vnd, reference: z.string(), vietQr: z.string().min(1) });
/** The terminal did not say whether the money was taken: never pay again, ask it again. */
export const payUnknownViewSchema = z.object({ amountVnd: vnd, method: paymentMethodSchema });
/** The hospital would not take the payment: the money is (being) given back. */
export const payRefundedViewSchema = z.object({ amountVnd: vnd, method: paymentMethodSchema, returned: z.boolean() });
/**
 * Paid: what was paid and how, each bill, where to go next in both languages (the screen switches
 * language on the spot), and whether the receipt came out of the printer.
 */
export const payPaidViewSchema = z.object({
  amountVnd: vnd,
  method: paymentMethodSchema,
  brand: z.string().optional(),
  approvalCode: z.string().optional(),
  reference: z.string(),
  bills: z.array(z.object({ kind: billKindSchema, number: z.string(), amountVnd: vnd })).min(1),
  nextSteps: z.array(z.object({ vi: z.string(), en: z.string() })),
  printed: z.boolean(),
  printerProblem: z.string().optional(),
  /** The terminal took the money; the hospital has not confirmed it yet (the kiosk keeps telling it). */
  pending: z.boolean(),
});
/** Money moved and the kiosk cannot settle it: the cashier will (staff have been told). */
export const payStaffViewSchema = z.object({ amountVnd: vnd, method: paymentMethodSchema });

export function billView(b: DueBill) {
  return {
    billId: b.billId, number: b.number, kind: b.kind, ...(b.title ? { title: b.title.vi } : {}),
    lines: b.lines.map((l) => ({ name: l.name, priceVnd: l.priceVnd, insuranceVnd: l.insuranceVnd })),
    totalVnd: b.totalVnd, insuranceVnd: b.insuranceVnd, patientVnd: b.patientVnd,
  };
}

/** Checked in at the clinic's door: the person's number, the numbers to be called in order, how many before them. */
export const clinicCheckedViewSchema = z.object({
  queueNumber: z.number().int().min(1).nullable(),
  called: z.array(z.number().int().min(1)),
  ahead: z.number().int().min(0).nullable(),
});
/** The ticket is for another clinic: its room, when the hospital names it. */
export const clinicElsewhereViewSchema = z.object({ room: z.string().nullable() });
/** No open visit today at this clinic for this person (a ticket of another day, a visit finished or cancelled). */
export const clinicNoVisitViewSchema = z.object({});

/** The hospital's views by step. */
export const hospitalViews = {
  'exam-type': examTypeViewSchema,
  department: departmentViewSchema,
  payment: paymentViewSchema,
  'payment-cancelled': paymentCancelledViewSchema,
  bills: billsViewSchema,
  'no-bills': noBillsViewSchema,
  'pay-terminal': payTerminalViewSchema,
  'pay-vietqr': payVietQrViewSchema,
  'pay-unknown': payUnknownViewSchema,
  'pay-refunded': payRefundedViewSchema,
  'pay-staff': payStaffViewSchema,
  'pay-paid': payPaidViewSchema,
  'clinic-checked': clinicCheckedViewSchema,
  'clinic-elsewhere': clinicElsewhereViewSchema,
  'clinic-no-visit': clinicNoVisitViewSchema,
};

/** A line of today's registrations on the maintenance screen. */
export const registrationSummarySchema = z.object({
  visitId: z.string(),
  registeredAt: z.string(),
  initials: z.string().nullable(),
  examinationType: examinationTypeSchema,
  departmentName: z.string(),
  room: z.string(),
  queueNumber: z.number().int().min(1),
  centralVerdict: z.enum(['confirmed', 'rejected', 'unreachable', 'not-run']),
  pendingVerification: z.boolean(),
  paymentStatus: paymentStatusSchema,
  /** How many visits this patient registered today (this one included): more than one is flagged to staff. */
  sameDayVisits: z.number().int().min(1),
});

/** The hospital's section of the maintenance screen: today's registrations, as staff see them. */
export const hospitalMaintenanceSchema = z.object({
  kind: z.literal('hospital'),
  registrations: z.array(
    registrationSummarySchema.pick({ registeredAt: true, initials: true, queueNumber: true, room: true, examinationType: true, pendingVerification: true, paymentStatus: true, sameDayVisits: true }),
  ),
  /** The day's bill payments for the staff's reconciliation: by method and state, then each one (no personal data). */
  payments: z
    .object({
      day: z.string(),
      tallies: z.array(z.object({ method: paymentMethodSchema, state: paymentStateSchema, count: z.number().int().min(0), amountVnd: vnd })),
      payments: z.array(
        z.object({ key: z.string(), at: z.string(), method: paymentMethodSchema, amountVnd: vnd, state: paymentStateSchema, problem: z.string().nullable(), bills: z.array(z.string()) }),
      ),
    })
    .optional(),
  /** The identity checks at a clinic's door today (the nurse's list): number, time, how, and whether it confirmed. */
  checks: z
    .array(
      z.object({
        queueNumber: z.number().int().min(1).nullable(),
        at: z.string(),
        result: z.enum(['confirmed', 'not-confirmed']),
        method: z.enum(['ticket-face', 'card-face', 'none']),
      }),
    )
    .optional(),
});

export function insuranceResultView(r: InsuranceResult): z.infer<typeof insuranceResultViewSchema> {
  return { status: r.status, advice: r.advice, code: r.code, message: r.message, ...(r.card?.validTo ? { validTo: r.card.validTo } : {}) };
}

// ---- compile-time ties between schemas and domain types (no runtime cost) ----
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type DeepMutable<T> = T extends readonly (infer U)[] ? DeepMutable<U>[] : T extends object ? { -readonly [K in keyof T]: DeepMutable<T[K]> } : T;
const ties: [
  Same<z.infer<typeof localizedTextSchema>, DeepMutable<LocalizedText>>,
  Same<z.infer<typeof examinationTypeSchema>, ExaminationType>,
  Same<z.infer<typeof paymentStatusSchema>, PaymentStatus>,
  Same<z.infer<typeof clinicSchema>, DeepMutable<Clinic>>,
  Same<z.infer<typeof departmentSchema>, DeepMutable<Department>>,
  Same<z.infer<typeof registeredVisitSchema>, DeepMutable<RegisteredVisit>>,
  Same<z.infer<typeof visitFeeSchema>, DeepMutable<VisitFee>>,
  Same<z.infer<typeof insuranceStatusSchema>, InsuranceStatus>,
  Same<z.infer<typeof insuranceAdviceSchema>, InsuranceAdvice>,
  Same<z.infer<typeof registrationSummarySchema>, DeepMutable<RegistrationSummary>>,
] = [true, true, true, true, true, true, true, true, true, true];
void ties;
