import { z } from 'zod';
import type { SiteStoreErrorCode } from './errors.ts';

/**
 * The site hub's HTTP protocol (`cccd-kiosk hub` ↔ the kiosk's hub client), over mutual TLS.
 * Request bodies are the port's own values (checked with ./schemas.ts on both sides); answers are
 * JSON; a refusal is `{"error":{"code":"SITE_STORE_…","message":"…"}}` with the status below, so
 * the client raises the same SiteStoreError the hub's store raised.
 *
 *   GET    /v1/records/:collection            list            GET  /v1/changes?since=V&limit=N
 *   GET    /v1/records/:collection/:key       get             GET  /v1/changes/stream?since=V  (NDJSON, pushed)
 *   POST   /v1/records/:collection/:key       put {body, ifVersion?}
 *   POST   /v1/records/:collection/:key/remove
 *   POST   /v1/events                         {events:[…]} → {results:[{stored, seq}]}   (one group commit)
 *   GET    /v1/events?kind=&subject=&terminalId=&from=&to=&limit=
 *   POST   /v1/events/purge                   {kind, before} → {purged}   (retention; never queued in the outbox)
 *   POST   /v1/passages                       decide;  POST /v1/passages/settle {passageId, opened}
 *   GET    /v1/areas/:area/inside;  POST /v1/areas/:area/reset
 *   POST   /v1/counters/:counter/:day/next
 *   POST   /v1/alerts {kind, code, detail};  GET /v1/alerts;  POST /v1/alerts/:id/acknowledge {by}
 *   POST   /v1/heartbeat                      the fleet view's facts → {hub, hubTime, auditAnchor}
 *   GET    /v1/fleet                          every kiosk's last heartbeat → {hub, hubTime, staleAfterMs, kiosks} (read-only, any enrolled terminal)
 */
export const HUB_STATUS: Record<SiteStoreErrorCode, number> = {
  SITE_STORE_INVALID: 400,
  SITE_STORE_REFUSED: 403,
  SITE_STORE_UNKNOWN_PASSAGE: 404,
  SITE_STORE_CONFLICT: 409,
  SITE_STORE_PURGE_TOO_RECENT: 422,
  SITE_STORE_FAILED: 500,
  SITE_STORE_CLOSED: 503,
  SITE_STORE_UNAVAILABLE: 503,
};

/** Events per POST /v1/events at most (the client's outbox sends batches of this size). */
export const MAX_EVENTS_PER_POST = 500;

/** One line of the change stream: a record, or a keep-alive that proves the hub still listens. */
export type StreamLine = { readonly record: unknown } | { readonly ping: string };
export const STREAM_PING_MS = 10_000;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** What a kiosk tells the hub every heartbeat, for the fleet view. Codes and counts only. */
export const heartbeat = z.strictObject({
  softwareVersion: z.string().max(64),
  profile: z.string().max(64),
  /** Device → its health (app/core/device-state.ts), e.g. `{ cardReader: "ok", printer: "error" }`. */
  devices: z.record(z.string().max(32), z.enum(['ok', 'missing', 'error'])),
  paperLow: z.boolean().optional(),
  outboxDepth: z.number().int().min(0),
  /** The kiosk's clock when it sent this (the hub derives the offset). */
  sentAt: z.iso.datetime({ offset: true }),
  /**
   * The newest row of the kiosk's audit chain, and the hash of its row at the hub's anchor (the
   * head it reported last time; null when that row is gone): a truncated or rewritten chain shows.
   */
  audit: z
    .strictObject({
      seq: z.number().int().min(0),
      hash: sha256Hex,
      anchor: z.strictObject({ seq: z.number().int().min(0), hash: sha256Hex.nullable() }).optional(),
    })
    .optional(),
});
export type Heartbeat = z.infer<typeof heartbeat>;

/** One kiosk in `GET /v1/fleet` (defined with the fleet's rules in app/core/fleet/fleet.ts). */
export type { FleetKiosk } from '../fleet/fleet.ts';
