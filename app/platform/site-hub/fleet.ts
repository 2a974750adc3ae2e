import type pg from 'pg';
import type { DeviceHealth } from '../../core/device-state.ts';
import { kioskProblems, kioskState, type FleetKiosk } from '../../core/fleet/fleet.ts';
import type { Heartbeat } from '../../core/site-store/hub-protocol.ts';
import type { SiteStore } from '../../core/site-store/site-store.ts';

/**
 * The fleet view: each kiosk's newest heartbeat (table hub_kiosks), and the audit anchors that
 * make a truncated audit chain visible. Read by `GET /v1/fleet` and `cccd-kiosk hub fleet`.
 */

/**
 * Records a heartbeat and returns the audit anchor the kiosk must vouch for next time. The chain
 * was cut or rewritten when it is now shorter than the anchor, or the kiosk's row at the anchor no
 * longer has the anchored hash: an alert is raised and the anchor kept (a later honest heartbeat
 * must not erase the evidence).
 */
export async function recordHeartbeat(pool: pg.Pool, alerts: Pick<SiteStore, 'raiseAlert'>, terminalId: string, hub: string, hb: Heartbeat, now = new Date()): Promise<number | null> {
  const { rows } = await pool.query<{ audit_seq: string | null; audit_hash: string | null }>('SELECT audit_seq, audit_hash FROM hub_kiosks WHERE terminal_id = $1', [terminalId]);
  const anchor = rows[0]?.audit_seq != null ? { seq: Number(rows[0].audit_seq), hash: rows[0].audit_hash } : undefined;
  const a = hb.audit;
  const rolledBack =
    anchor !== undefined &&
    a !== undefined &&
    (a.seq < anchor.seq || (a.seq === anchor.seq && a.hash !== anchor.hash) || (a.anchor?.seq === anchor.seq && a.anchor.hash !== anchor.hash));
  // The anchor moves on only once the kiosk vouched for it (a kiosk just started does not know it yet).
  const vouched = anchor === undefined || (a !== undefined && (a.seq === anchor.seq || a.anchor?.seq === anchor.seq));
  const keepAnchor = rolledBack || !vouched || !a;
  await pool.query(
    `INSERT INTO hub_kiosks (terminal_id, last_seen, hub, software_version, profile, devices, paper_low, outbox_depth, clock_offset_ms, audit_seq, audit_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (terminal_id) DO UPDATE SET last_seen = excluded.last_seen, hub = excluded.hub, software_version = excluded.software_version,
       profile = excluded.profile, devices = excluded.devices, paper_low = excluded.paper_low, outbox_depth = excluded.outbox_depth,
       clock_offset_ms = excluded.clock_offset_ms
       ${keepAnchor ? '' : ', audit_seq = excluded.audit_seq, audit_hash = excluded.audit_hash'}`,
    [terminalId, now, hub, hb.softwareVersion, hb.profile, JSON.stringify(hb.devices), hb.paperLow ?? null, hb.outboxDepth, Date.parse(hb.sentAt) - now.getTime(), a?.seq ?? null, a?.hash ?? null],
  );
  if (rolledBack) {
    await alerts.raiseAlert('audit-chain', 'AUDIT_ROLLBACK', { terminal: terminalId, anchoredSeq: anchor.seq, reportedSeq: a.seq });
  }
  return keepAnchor ? (anchor?.seq ?? null) : a.seq;
}

/** Every kiosk's newest heartbeat, its state judged as app/core/fleet/fleet.ts says. */
export async function listFleet(pool: pg.Pool, staleAfterMs = 60_000, now = new Date()): Promise<FleetKiosk[]> {
  const { rows } = await pool.query<{
    terminal_id: string;
    last_seen: Date;
    hub: string;
    software_version: string | null;
    profile: string | null;
    devices: Record<string, DeviceHealth>;
    paper_low: boolean | null;
    outbox_depth: number;
    clock_offset_ms: number | null;
    audit_seq: string | null;
    audit_rollback: boolean;
  }>(
    `SELECT k.*, EXISTS (SELECT 1 FROM site_alerts a WHERE a.acknowledged_at IS NULL AND a.code = 'AUDIT_ROLLBACK' AND a.detail->>'terminal' = k.terminal_id) AS audit_rollback
     FROM hub_kiosks k ORDER BY k.terminal_id`,
  );
  return rows.map((r) => {
    const kiosk = {
      terminalId: r.terminal_id,
      lastSeen: r.last_seen.toISOString(),
      hub: r.hub,
      softwareVersion: r.software_version,
      profile: r.profile,
      devices: r.devices,
      paperLow: r.paper_low,
      outboxDepth: r.outbox_depth,
      clockOffsetMs: r.clock_offset_ms,
      auditSeq: r.audit_seq === null ? null : Number(r.audit_seq),
      auditRollback: r.audit_rollback,
    };
    return { ...kiosk, state: kioskState(kioskProblems(kiosk, now, staleAfterMs)) };
  });
}
