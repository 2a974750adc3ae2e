import { z } from 'zod';

/**
 * The site's fleet: each kiosk's newest heartbeat as the hub keeps it, and what makes a kiosk need
 * attention. One definition for the hub's `GET /v1/fleet`, `cccd-kiosk hub fleet` and the staff
 * screen's fleet page. Facts about machines only (ids, versions, device codes, counts): no person.
 */

const health = z.enum(['ok', 'missing', 'error']);

export const fleetKiosk = z.object({
  terminalId: z.string(),
  /** When the hub last heard this kiosk (the hub's clock). */
  lastSeen: z.iso.datetime({ offset: true }),
  /** The hub process that heard it. */
  hub: z.string(),
  softwareVersion: z.string().nullable(),
  profile: z.string().nullable(),
  devices: z.record(z.string(), health),
  paperLow: z.boolean().nullable(),
  outboxDepth: z.number().int().min(0),
  /** The kiosk's clock minus the hub's, as measured at its last heartbeat. */
  clockOffsetMs: z.number().int().nullable(),
  /** The audit row the hub anchored (the kiosk vouches for its hash each heartbeat); null before the first. */
  auditSeq: z.number().int().min(0).nullable(),
  /** An open AUDIT_ROLLBACK alert: this kiosk's audit chain was cut or rewritten below the anchor. */
  auditRollback: z.boolean(),
  state: z.enum(['ok', 'stale', 'failing']),
});
export type FleetKiosk = z.infer<typeof fleetKiosk>;

/** What the hub answers on `GET /v1/fleet`: its clock, so ages need no agreement between clocks. */
export const fleetAnswer = z.object({
  hub: z.string(),
  hubTime: z.iso.datetime({ offset: true }),
  /** The site's limit (`cccd-kiosk hub serve --stale-after`): no heartbeat for longer is stale. */
  staleAfterMs: z.number().int().positive(),
  kiosks: z.array(fleetKiosk),
});
export type FleetAnswer = z.infer<typeof fleetAnswer>;

/** An outbox this deep means events are not reaching the hub (or the kiosk was offline a long time). */
export const OUTBOX_FAILING = 1000;
/** A clock this far off breaks certificate checks and the order of the site's events. */
export const CLOCK_FAILING_MS = 120_000;

export const fleetProblem = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stale'), seconds: z.number().int().min(0) }),
  z.object({ kind: z.literal('device'), device: z.string(), state: health }),
  z.object({ kind: z.literal('paperLow') }),
  z.object({ kind: z.literal('outbox'), depth: z.number().int().min(0) }),
  z.object({ kind: z.literal('clock'), offsetSeconds: z.number().int() }),
  z.object({ kind: z.literal('auditRollback') }),
]);
export type FleetProblem = z.infer<typeof fleetProblem>;

type KioskFacts = Pick<FleetKiosk, 'lastSeen' | 'devices' | 'paperLow' | 'outboxDepth' | 'clockOffsetMs' | 'auditRollback'>;

/** Everything wrong with one kiosk, silence first (a stale kiosk's other facts are old news). */
export function kioskProblems(k: KioskFacts, now: Date, staleAfterMs: number): FleetProblem[] {
  const problems: FleetProblem[] = [];
  const ageMs = Math.max(0, now.getTime() - Date.parse(k.lastSeen));
  if (ageMs > staleAfterMs) problems.push({ kind: 'stale', seconds: Math.floor(ageMs / 1000) });
  for (const [device, state] of Object.entries(k.devices).sort(([a], [b]) => a.localeCompare(b))) if (state !== 'ok') problems.push({ kind: 'device', device, state });
  if (k.paperLow === true) problems.push({ kind: 'paperLow' });
  if (k.outboxDepth >= OUTBOX_FAILING) problems.push({ kind: 'outbox', depth: k.outboxDepth });
  if (k.clockOffsetMs !== null && Math.abs(k.clockOffsetMs) >= CLOCK_FAILING_MS) problems.push({ kind: 'clock', offsetSeconds: Math.round(k.clockOffsetMs / 1000) });
  if (k.auditRollback) problems.push({ kind: 'auditRollback' });
  return problems;
}

export function kioskState(problems: readonly FleetProblem[]): FleetKiosk['state'] {
  return problems.some((p) => p.kind === 'stale') ? 'stale' : problems.length > 0 ? 'failing' : 'ok';
}

export const fleetRow = fleetKiosk.extend({
  /** Seconds since the last heartbeat, by the hub's clock. */
  ageSeconds: z.number().int().min(0),
  problems: z.array(fleetProblem),
});
export type FleetRow = z.infer<typeof fleetRow>;

export const fleetView = z.object({
  hub: z.string(),
  hubTime: z.string(),
  staleAfterSeconds: z.number().int().min(0),
  /** Stale kiosks first, then failing ones, then the rest; by terminal id within each. */
  kiosks: z.array(fleetRow),
  stale: z.number().int().min(0),
  failing: z.number().int().min(0),
});
export type FleetView = z.infer<typeof fleetView>;

const ORDER: Record<FleetKiosk['state'], number> = { stale: 0, failing: 1, ok: 2 };

/** The staff's view of the hub's answer: each kiosk's problems, those needing attention on top. */
export function viewFleet(answer: FleetAnswer): FleetView {
  const now = new Date(answer.hubTime);
  const kiosks = answer.kiosks
    .map((k) => {
      const problems = kioskProblems(k, now, answer.staleAfterMs);
      return { ...k, state: kioskState(problems), problems, ageSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(k.lastSeen)) / 1000)) };
    })
    .sort((a, b) => ORDER[a.state] - ORDER[b.state] || a.terminalId.localeCompare(b.terminalId));
  return {
    hub: answer.hub,
    hubTime: answer.hubTime,
    staleAfterSeconds: Math.round(answer.staleAfterMs / 1000),
    kiosks,
    stale: kiosks.filter((k) => k.state === 'stale').length,
    failing: kiosks.filter((k) => k.state === 'failing').length,
  };
}
