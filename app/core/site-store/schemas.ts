import { z } from 'zod';
import { SiteStoreError } from './errors.ts';
import { PURGE_FLOOR_MS, type EventQuery, type PassageRequest, type SiteEvent } from './site-store.ts';

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
/** An instant with its time zone, kept in one form (UTC, milliseconds) so every adapter compares it as text alike. */
export const instant = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());
export const siteDay = z.iso.date();

/** Why `v` would not come back the same through JSON (undefined, a function, NaN, a cycle…), or undefined when it would. */
function notJson(v: unknown, seen: Set<object>, depth: number): string | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : 'numbers must be finite';
  if (typeof v !== 'object') return `a ${typeof v} is not JSON`;
  if (seen.has(v)) return 'a cycle is not JSON';
  if (depth > 64) return 'nested more than 64 levels';
  const proto = Object.getPrototypeOf(v) as unknown;
  if (!Array.isArray(v) && proto !== Object.prototype && proto !== null) return 'only plain objects and arrays';
  seen.add(v);
  // An object member that is undefined is simply absent in JSON; an array slot is not.
  const items = Array.isArray(v) ? v : Object.values(v).filter((x) => x !== undefined);
  for (const x of items) {
    const problem = notJson(x, seen, depth + 1);
    if (problem) return problem;
  }
  seen.delete(v);
  return undefined;
}

/** A JSON value (what a body or event data may be). */
export const jsonValue = z.custom<unknown>().superRefine((v, ctx) => {
  const problem = notJson(v, new Set(), 0);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
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

export const purgeRequest = z.strictObject({ kind: siteName, before: instant });

/**
 * A purge's kind and horizon (UTC), checked against the floor at `now` (the clock of the store that
 * purges: the kiosk's for the embedded store, the database's for the hub).
 */
export function checkedPurge(kind: unknown, before: unknown, now: Date): { kind: string; before: string } {
  const p = checked(purgeRequest, { kind, before }, 'purge');
  if (Date.parse(p.before) > now.getTime() - PURGE_FLOOR_MS) {
    throw new SiteStoreError('SITE_STORE_PURGE_TOO_RECENT', `before must be at least ${PURGE_FLOOR_MS / 3_600_000} h ago`, { field: 'purge.before' });
  }
  return p;
}
