import type { AuditLog } from './audit-log.ts';
import type { Db } from './db.ts';

/** Codes, ids, counts and short place names only: never a name, an ID number or an image. */
export type AlertDetail = Record<string, string | number | null>;

export interface Alert {
  readonly id: number;
  readonly raisedAt: string;
  /** What happened, e.g. `central-verdict-late`. */
  readonly kind: string;
  /** The finding, e.g. the central verdict `MISMATCH`. */
  readonly code: string;
  readonly detail: AlertDetail;
}

/**
 * Things staff must act on, shown on the maintenance screen until someone acknowledges them
 * (table kiosk_alerts, migration 045). Raising and acknowledging are each one transaction with
 * their audit row.
 */
export class AlertStore {
  constructor(private readonly db: Db, private readonly audit: AuditLog, private readonly clock: () => Date = () => new Date()) {}

  raise(kind: string, code: string, detail: AlertDetail): number {
    return this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare('INSERT INTO kiosk_alerts (raised_at, kind, code, detail) VALUES (?, ?, ?, ?)')
          .run(this.clock().toISOString(), kind, code, JSON.stringify(detail)).lastInsertRowid,
      );
      this.audit.append({ action: 'alert.raised', actor: 'kiosk', detail: { alertId: id, kind, code, ...detail } });
      return id;
    })();
  }

  /** Alerts no one has acknowledged yet, oldest first. */
  open(): Alert[] {
    const rows = this.db
      .prepare('SELECT id, raised_at, kind, code, detail FROM kiosk_alerts WHERE acknowledged_at IS NULL ORDER BY raised_at, id')
      .all() as { id: number; raised_at: string; kind: string; code: string; detail: string }[];
    return rows.map((r) => ({ id: r.id, raisedAt: r.raised_at, kind: r.kind, code: r.code, detail: JSON.parse(r.detail) as AlertDetail }));
  }

  /** False when there is no such open alert (already acknowledged, or unknown). */
  acknowledge(id: number, actor: string): boolean {
    return this.db.transaction(() => {
      const changed = this.db
        .prepare('UPDATE kiosk_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL')
        .run(this.clock().toISOString(), actor, id).changes;
      if (changed > 0) this.audit.append({ action: 'alert.acknowledged', actor, detail: { alertId: id } });
      return changed > 0;
    })();
  }
}
