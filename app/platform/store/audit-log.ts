import { createHash } from 'node:crypto';
import type { Db } from './db.ts';

export interface AuditEntry {
  readonly action: string;
  /** Who did it: `kiosk`, `admin`, `system`, a job name. */
  readonly actor: string;
  /** Codes, counts and ids only: never names, ID numbers, MRZ, keys or images. */
  readonly detail?: Record<string, string | number | boolean | null>;
}

export interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail: string;
  readonly prev_hash: string;
  readonly hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

export function rowHash(prevHash: string, row: Pick<AuditRow, 'id' | 'at' | 'actor' | 'action' | 'detail'>): string {
  const content = JSON.stringify([row.id, row.at, row.actor, row.action, row.detail]);
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export type VerifyResult =
  | { ok: true; rows: number }
  | { ok: false; rows: number; firstBrokenId: number; reason: string };

/** The append-only, hash-chained audit trail. Appends are single transactions: a row is whole or absent. */
export class AuditLog {
  private readonly insert;
  private readonly last;

  constructor(private readonly db: Db, private readonly clock: () => Date = () => new Date()) {
    this.insert = db.prepare(
      'INSERT INTO audit_log (id, at, actor, action, detail, prev_hash, hash) VALUES (@id, @at, @actor, @action, @detail, @prev_hash, @hash)',
    );
    this.last = db.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1');
  }

  append(entry: AuditEntry): AuditRow {
    return this.db.transaction((): AuditRow => {
      const prev = this.last.get() as { id: number; hash: string } | undefined;
      const base = {
        id: (prev?.id ?? 0) + 1,
        at: this.clock().toISOString(),
        actor: entry.actor,
        action: entry.action,
        detail: JSON.stringify(entry.detail ?? {}),
      };
      const prev_hash = prev?.hash ?? GENESIS_HASH;
      const row = { ...base, prev_hash, hash: rowHash(prev_hash, base) };
      this.insert.run(row);
      return row;
    }).immediate();
  }

  /** The hash of row `id`, or undefined when there is no such row (purged, or never written). */
  hashAt(id: number): string | undefined {
    return (this.db.prepare('SELECT hash FROM audit_log WHERE id = ?').get(id) as { hash: string } | undefined)?.hash;
  }

  recent(limit = 20): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
  }

  /**
   * Removes rows older than `before` (the audit retention period) and records where the chain now
   * starts, so `verify` still proves every remaining row. The purge itself is audited.
   */
  purgeBefore(before: Date): number {
    const removed = this.db.transaction((): number => {
      const last = this.db.prepare('SELECT id, hash FROM audit_log WHERE at < ? ORDER BY id DESC LIMIT 1').get(before.toISOString()) as
        | { id: number; hash: string }
        | undefined;
      if (!last) return 0;
      this.db
        .prepare('INSERT INTO audit_anchor (singleton, first_id, prev_hash, purged_at) VALUES (1, ?, ?, ?) ON CONFLICT(singleton) DO UPDATE SET first_id = excluded.first_id, prev_hash = excluded.prev_hash, purged_at = excluded.purged_at')
        .run(last.id + 1, last.hash, this.clock().toISOString());
      return this.db.prepare('DELETE FROM audit_log WHERE id <= ?').run(last.id).changes;
    })();
    if (removed > 0) this.append({ actor: 'retention-job', action: 'audit.purged', detail: { rows: removed } });
    return removed;
  }

  /** Walks the chain from its start (genesis, or the retention anchor); reports the first row that does not hold. */
  verify(): VerifyResult {
    const anchor = this.db.prepare('SELECT first_id, prev_hash FROM audit_anchor WHERE singleton = 1').get() as
      | { first_id: number; prev_hash: string }
      | undefined;
    let prevHash = anchor?.prev_hash ?? GENESIS_HASH;
    let expectedId = anchor?.first_id ?? 1;
    let rows = 0;
    for (const row of this.db.prepare('SELECT * FROM audit_log ORDER BY id').iterate() as Iterable<AuditRow>) {
      if (row.id !== expectedId) {
        return { ok: false, rows, firstBrokenId: expectedId, reason: `row ${expectedId} is missing` };
      }
      if (row.prev_hash !== prevHash) {
        return { ok: false, rows, firstBrokenId: row.id, reason: 'link to the previous row does not match' };
      }
      if (rowHash(prevHash, row) !== row.hash) {
        return { ok: false, rows, firstBrokenId: row.id, reason: 'content does not match its hash' };
      }
      prevHash = row.hash;
      expectedId += 1;
      rows += 1;
    }
    return { ok: true, rows };
  }
}
