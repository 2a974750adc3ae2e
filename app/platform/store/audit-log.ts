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

  recent(limit = 20): AuditRow[] {
    return this.db.prepare('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
  }

  /** Walks the chain from the first row; reports the first row whose link or content does not hold. */
  verify(): VerifyResult {
    let prevHash = GENESIS_HASH;
    let expectedId = 1;
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
