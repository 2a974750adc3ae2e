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
  'door-open': z.object({ name: z.string(), direction: z.enum(['in', 'out']), door: z.string(), visitor: z.boolean(), ruleBroken: z.string().nullable() }),
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
    problem: z.string().nullable(),
  }),
  /** The worker is enrolled (or re-enrolled: their old record and faces replaced). */
  enrolled: z.object({ name: z.string(), employeeNo: z.string(), group: z.string(), replaced: z.boolean(), withFace: z.boolean() }),
  /** Visitor without an invitation: whom they came to see, and why. */
  'visitor-host': z.object({ name: z.string(), hosts: z.array(option.extend({ department: z.string().nullable() })), purposes: z.array(z.string()), problem: z.string().nullable() }),
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
  // Attendance and the logbook follow retention.personalDataDays; visitors' own data goes sooner (visitorDataDays).
  personalDataDays: () => undefined,
});
