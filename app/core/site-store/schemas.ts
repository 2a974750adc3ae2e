import { z } from 'zod';
import { SiteStoreError } from './errors.ts';
import type { EventQuery, PassageRequest, SiteEvent } from './site-store.ts';

/**
 * What a site store accepts, as schemas every adapter (and the hub's HTTP boundary) checks first,
 * so the embedded store, the hub and the kiosk's hub client refuse the same input with the same
 * `SITE_STORE_INVALID` naming the field. Times are normalised to UTC (`toISOString`), so every
 * adapter orders and compares them alike.
 */

/** Collections, areas, counters, event kinds: short names. */
export const siteName = z.string().min(1).max(64).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');
/** Record keys, subjects, event keys: opaque ids, never a raw ID number (the site module's rule). */
export const siteKey = z.string().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]+$/, 'no control characters');
export const terminalId = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, . _ - (at most 64)');
const instant = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());
export const siteDay = z.iso.date();

/** A JSON value (what a body or event data may be): no undefined, functions, NaN or Infinity. */
const jsonValue: z.ZodType<unknown> = z.lazy(() =>
  z.union([z.string(), z.number().refine(Number.isFinite, 'a finite number'), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]),
);
export const recordBody = jsonValue.refine((b) => b !== null, 'a body (null is how a removal reads)');

export const siteEvent = z.strictObject({
  key: siteKey,
  kind: siteName,
  at: instant,
  terminalId,
  subject: siteKey.optional(),
  data: jsonValue,
});

export const passageRequest = z
  .strictObject({
    area: siteName,
    subject: siteKey,
    direction: z.enum(['in', 'out']),
    antiPassback: z.enum(['hard', 'soft', 'none']),
    requiresInside: siteName.optional(),
    event: siteEvent,
  })
  .refine((r) => r.event.subject === undefined || r.event.subject === r.subject, { path: ['event', 'subject'], message: 'the passage subject' })
  .refine((r) => r.requiresInside !== r.area, { path: ['requiresInside'], message: 'another area than the one entered' });

export const eventQuery = z.strictObject({
  kind: siteName.optional(),
  subject: siteKey.optional(),
  terminalId: terminalId.optional(),
  from: instant.optional(),
  to: instant.optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
});

export const alertDetail = z.record(z.string().max(64), z.union([z.string().max(500), z.number().refine(Number.isFinite), z.null()]));
export const version = z.number().int().min(0);

/** Parses `value` or throws SITE_STORE_INVALID naming the first wrong field (never its value). */
export function checked<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const path = [what, ...issue.path.map(String)].join('.');
  throw new SiteStoreError('SITE_STORE_INVALID', `${path}: ${issue.message}`, { field: path });
}

export const checkedEvent = (e: unknown): SiteEvent => checked(siteEvent, e, 'event') as SiteEvent;
export const checkedPassage = (r: unknown): PassageRequest => checked(passageRequest, r, 'passage') as PassageRequest;
export const checkedQuery = (q: unknown): EventQuery => checked(eventQuery, q, 'query') as EventQuery;
