/**
 * The gate site module, pure half: a factory's or an office's gate stations. One kind, three roles
 * a profile chooses: the door terminal (unattended; face 1:N, CCCD or visitor pass → door), the
 * enrolment desk (staff present; the worker's record and face from their verified chip) and the
 * visitors' reception (invitation or walk-in → host told → pass printed).
 */
import { z } from 'zod';
import { defineSite } from '../../../core/sites/site-module.ts';
import { gateConfig } from './config.ts';

const refusal = z.enum([
  'BLOCKLISTED', 'NOT_RECOGNISED', 'NOT_ACTIVE', 'NOT_VALID_NOW', 'DOOR_NOT_ALLOWED', 'OUTSIDE_SCHEDULE', 'ALREADY_INSIDE', 'NOT_INSIDE',
  'OUTER_AREA_REQUIRED', 'DECISION_UNAVAILABLE', 'DOOR_FAULT',
]);

const option = z.object({ id: z.string(), name: z.string() });

/** What each step of the gate's flows shows. */
export const gateViews = {
  /** The door opened: who, which way. `ruleBroken`: soft anti-passback let them through against the rule. */
  'door-open': z.object({ name: z.string(), direction: z.enum(['in', 'out']), door: z.string(), visitor: z.boolean(), visitEnded: z.boolean(), ruleBroken: z.enum(['ALREADY_INSIDE', 'NOT_INSIDE']).nullable() }),
  /** The door stays shut, and why (the person's name when the site knows them). */
  'door-refused': z.object({ reason: refusal, door: z.string(), name: z.string().nullable() }),
  /** Enrolment: what HR adds to the chip's record. */
  'enrolment-details': z.object({
    name: z.string(),
    birthYear: z.number(),
    replacing: z.boolean(),
    employeeNo: z.string().nullable(),
    department: z.string().nullable(),
    group: z.string().nullable(),
    groups: z.array(option),
    departments: z.array(z.string()),
    problem: z.enum(['EMPLOYEE_NO_INVALID', 'EMPLOYEE_NO_TAKEN', 'GROUP_UNKNOWN']).nullable(),
  }),
  /** The worker is enrolled (or re-enrolled: their old record and faces replaced). */
  enrolled: z.object({ name: z.string(), employeeNo: z.string(), group: z.string(), replaced: z.boolean(), withFace: z.boolean() }),
  /** Visitor without an invitation: whom they came to see, and why. */
  'visitor-host': z.object({ name: z.string(), hosts: z.array(option.extend({ department: z.string().nullable() })), purposes: z.array(z.string()), problem: z.enum(['HOST_UNKNOWN', 'PURPOSE_MISSING']).nullable() }),
  /** A walk-in waiting for the host's answer. */
  'visitor-waiting': z.object({ name: z.string(), hostName: z.string() }),
  /** The host refused, or the visit cannot be (no answer in time…). */
  'visitor-refused': z.object({ reason: z.enum(['HOST_REFUSED', 'HOST_NO_ANSWER', 'BLOCKLISTED', 'VISITOR_UNAVAILABLE']) }),
};

export const gate = defineSite({
  kind: 'gate',
  config: gateConfig,
  views: gateViews,
  returningByFace: () => false,
  // The door terminal watches, unattended: the people it serves consented at enrolment (workers) or at the reception (visitors).
  unattended: (settings) => (settings.role === 'door' && settings.identify.faceOnly ? { consentGivenAt: 'enrolment' } : undefined),
  // Attendance and the logbook follow retention.personalDataDays; visitors' own data goes sooner (visitorDataDays).
  personalDataDays: () => undefined,
});

/**
 * The guard's board on the staff screen (behind the staff PIN): who is inside each area (the
 * evacuation list), the open alarms, the latest passages, and today's counts. Names only, never ID
 * numbers; refreshed by the station every few seconds.
 */
export const gateBoardSchema = z.object({
  kind: z.literal('gate'),
  role: z.string(),
  updatedAt: z.string(),
  people: z.number(),
  templates: z.object({ people: z.number(), blocklist: z.number() }),
  doors: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
  areas: z.array(z.object({ id: z.string(), name: z.string(), inside: z.array(z.object({ name: z.string(), visitor: z.boolean(), since: z.string() })) })),
  alarms: z.array(z.object({ id: z.number(), at: z.string(), code: z.string(), door: z.string().nullable(), who: z.string().nullable() })),
  recent: z.array(z.object({ at: z.string(), door: z.string(), direction: z.enum(['in', 'out']), name: z.string().nullable(), method: z.string(), decision: z.enum(['opened', 'refused']), reason: z.string().nullable() })),
  today: z.object({ entries: z.number(), refusals: z.number(), visitors: z.number(), byAgeBand: z.record(z.string(), z.number()), bySex: z.record(z.string(), z.number()), byDepartment: z.record(z.string(), z.number()) }),
});
export type GateBoard = z.infer<typeof gateBoardSchema>;
