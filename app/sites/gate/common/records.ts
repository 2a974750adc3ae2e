/**
 * The gate's records in the site store, one zod schema per collection: the store never reads inside
 * a body, so the site parses every body it reads and refuses one that does not match.
 *
 * Privacy: no ID number is ever a key or a clear field. A person is found by `idRef`, a keyed hash
 * of their ID number (the site's key; ./identity.ts); what the chip said beyond the name and the
 * coarse facts statistics need travels sealed (`sealed`, opened only by the site's key).
 */
import { z } from 'zod';
import { KioskError } from '../../../core/errors.ts';
import type { SiteRecord } from '../../../core/site-store/site-store.ts';
import { holiday, weekPlan } from './schedule.ts';

const instant = z.iso.datetime({ offset: true });
const idRef = z.string().regex(/^[0-9a-f]{64}$/, 'a keyed hash of an ID number');

export const COLLECTIONS = {
  person: 'gate-person',
  template: 'gate-face-template',
  group: 'gate-access-group',
  plan: 'gate-week-plan',
  holiday: 'gate-holiday',
  blocklist: 'gate-blocklist',
  invitation: 'gate-invitation',
  attendance: 'gate-attendance',
  staff: 'gate-staff',
  photo: 'gate-photo',
} as const;

/** Events the gate appends to the site's log (`SiteEvent.kind`). */
export const EVENT_KINDS = { access: 'gate-access', alarm: 'gate-alarm', visit: 'gate-visit', enrolment: 'gate-enrolment', admin: 'gate-admin' } as const;

export const personRecord = z
  .object({
    kind: z.enum(['worker', 'visitor']),
    name: z.string().min(1).max(200),
    employeeNo: z.string().min(1).max(40).optional(),
    department: z.string().min(1).max(100).optional(),
    /** The access group's key. */
    group: z.string().min(1).max(64),
    active: z.boolean(),
    /** A visitor's window; a worker's contract dates, when HR sets them. */
    validFrom: instant.optional(),
    validUntil: instant.optional(),
    idRef,
    /** What statistics need, and nothing finer: birth year, sex, province codes and names. */
    profile: z
      .object({
        birthYear: z.number().int().min(1900).max(2399),
        sex: z.enum(['M', 'F']),
        birthProvinceCode: z.string().regex(/^\d{3}$/),
        residenceProvince: z.string().max(100).optional(),
      })
      .strict(),
    /** The chip's fields beyond the name (ID number, birth date, origin, residence), sealed. */
    sealed: z.string().min(1).max(8192),
    enrolledAt: instant,
    /** When the person consented to their face being kept (enrolment); visitors at check-in. */
    consentAt: instant.optional(),
  })
  .strict();
export type PersonRecord = z.infer<typeof personRecord>;

/** The personal fields sealed inside a person record. */
export const sealedPerson = z
  .object({
    idNumber: z.string().regex(/^\d{12}$/),
    dateOfBirth: z.string().max(10),
    sex: z.string().max(8),
    placeOfOrigin: z.string().max(300).optional(),
    placeOfResidence: z.string().max(300).optional(),
  })
  .strict();
export type SealedPerson = z.infer<typeof sealedPerson>;

export const templateRecord = z
  .object({
    /** Whose face: a person key, or a blocklist entry's key. */
    owner: z.string().min(1).max(64),
    gallery: z.enum(['people', 'blocklist']),
    source: z.enum(['chip', 'live']),
    /** The embedder's model id; a gallery holds one model's templates only. */
    model: z.string().min(1).max(64),
    dim: z.number().int().min(16).max(4096),
    /** The L2-normalised float32 embedding, sealed (bound to this record's key). */
    sealed: z.string().min(1).max(65536),
    at: instant,
  })
  .strict();
export type TemplateRecord = z.infer<typeof templateRecord>;

export const accessGroupRecord = z
  .object({
    name: z.string().min(1).max(100),
    /** Door ids the group may pass. */
    doors: z.array(z.string().min(1).max(64)).max(200),
    /** The week plan's key; absent: every day, all day. */
    plan: z.string().min(1).max(64).optional(),
  })
  .strict();
export type AccessGroupRecord = z.infer<typeof accessGroupRecord>;

export { weekPlan as weekPlanRecord, holiday as holidayRecord };

export const blocklistRecord = z
  .object({
    /** How the guard knows them (may be "unknown person"). */
    name: z.string().min(1).max(200),
    reason: z.string().min(1).max(300),
    /** Restricted by ID number (keyed hash); a face-only entry has none. */
    idRef: idRef.optional(),
    addedBy: z.string().min(1).max(64),
    addedAt: instant,
  })
  .strict();
export type BlocklistRecord = z.infer<typeof blocklistRecord>;

export const invitationStatus = z.enum(['invited', 'awaiting-host', 'arrived', 'checked-out', 'refused', 'cancelled', 'expired']);
export type InvitationStatus = z.infer<typeof invitationStatus>;

export const invitationRecord = z
  .object({
    idRef,
    name: z.string().min(1).max(200),
    /** The host's person key, and their name as the visitor is told it. */
    host: z.string().min(1).max(64),
    hostName: z.string().min(1).max(200),
    purpose: z.string().min(1).max(200),
    plate: z.string().max(16).optional(),
    from: instant,
    until: instant,
    group: z.string().min(1).max(64),
    status: invitationStatus,
    /** A walk-in visitor asked at the kiosk; the host approves or refuses. */
    walkIn: z.boolean(),
    /** The visitor's person key once they arrived. */
    visitor: z.string().min(1).max(64).optional(),
    createdBy: z.string().min(1).max(64),
    createdAt: instant,
  })
  .strict();
export type InvitationRecord = z.infer<typeof invitationRecord>;

/**
 * A person's attendance for one month (key: the person, in the month's collection): per day of the
 * month (index 0 = the 1st, in the site's time zone), the first entry and the last exit as whole
 * minutes since 1970 (UTC), or null. Merged by min and max, so applying the same passage twice, or
 * in any order, gives the same record (a replayed outbox never skews it). Numbers, not texts: a
 * month's report reads thousands of these.
 */
// One check per array (not one schema per element): a month's report validates thousands of these.
const dayMinutes = z.custom<(number | null)[]>((v) => Array.isArray(v) && v.length === 31 && v.every((x) => x === null || (Number.isSafeInteger(x) && x >= 0)), 'a day-by-day list of 31 minutes or nulls');
export const attendanceRecord = z
  .object({
    person: z.string().min(1).max(64),
    month: z.string().regex(/^\d{4}-\d{2}$/),
    firstIn: dayMinutes,
    lastOut: dayMinutes,
  })
  .strict();
export type AttendanceRecord = z.infer<typeof attendanceRecord>;

/**
 * A photo the guard sees beside an alarm (key `blocklist:<entry>`: the entry's picture; `alert:<id>`:
 * the live capture that hit), sealed with the site's key and bound to its key. A capture is kept
 * until `until` (the site's retention), then purged.
 */
export const photoRecord = z
  .object({
    type: z.enum(['image/jpeg', 'image/png']),
    sealed: z.string().min(1).max(4_000_000),
    at: instant,
    until: instant.optional(),
  })
  .strict();
export type PhotoRecord = z.infer<typeof photoRecord>;

/** The body of a record, parsed by its collection's schema; a body that does not match is a fault named by code. */
export function parseBody<T>(schema: z.ZodType<T>, record: SiteRecord): T {
  const parsed = schema.safeParse(record.body);
  if (!parsed.success) throw new KioskError('GATE_RECORD_INVALID', `${record.collection}/${record.key.slice(0, 40)} does not match its schema`);
  return parsed.data;
}
