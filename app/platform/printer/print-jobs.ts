/**
 * The print queue's rows (migration 010). Every state change is one UPDATE guarded by the state it
 * leaves, so two callers can never both start the same job: that guard is what "exactly once"
 * rests on.
 */
import type { Db } from '../store/db.ts';

export type JobState = 'queued' | 'printing' | 'interrupted' | 'done' | 'failed';

export interface JobRow {
  readonly id: number;
  readonly kind: string;
  readonly state: JobState;
  readonly attempts: number;
  readonly reprint_of: number | null;
  readonly reference: string | null;
  readonly error_code: string | null;
  readonly rows: number;
  readonly cuts: string;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What the maintenance screen lists: no image, no personal data. */
export interface JobSummary {
  readonly id: number;
  readonly kind: string;
  readonly state: JobState;
  readonly attempts: number;
  readonly reprintOf: number | null;
  /** The document's reference (a queue number), so staff know which ticket they print again. */
  readonly reference: string | null;
  readonly errorCode: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly hasImage: boolean;
}

const COLUMNS = 'id, kind, state, attempts, reprint_of, reference, error_code, rows, cuts, created_at, updated_at';

export class PrintJobs {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  add(job: { kind: string; rows: number; cuts: readonly number[]; png: Uint8Array; reprintOf?: number; reference?: string | null }): number {
    const at = this.now().toISOString();
    const r = this.db
      .prepare(
        `INSERT INTO print_jobs (kind, state, attempts, reprint_of, reference, rows, cuts, png, created_at, updated_at)
         VALUES (?, 'queued', 0, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(job.kind, job.reprintOf ?? null, job.reference ?? null, job.rows, JSON.stringify(job.cuts), Buffer.from(job.png), at, at);
    return Number(r.lastInsertRowid);
  }

  get(id: number): JobRow | undefined {
    return this.db.prepare(`SELECT ${COLUMNS} FROM print_jobs WHERE id = ?`).get(id) as JobRow | undefined;
  }

  png(id: number): Buffer | undefined {
    const r = this.db.prepare('SELECT png FROM print_jobs WHERE id = ?').get(id) as { png: Buffer | null } | undefined;
    return r?.png ?? undefined;
  }

  /** Jobs waiting to print (new or interrupted), oldest first. */
  open(): JobRow[] {
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM print_jobs WHERE state IN ('queued', 'interrupted') ORDER BY id`)
      .all() as JobRow[];
  }

  /** Moves a waiting job to `printing` and counts the attempt; false if someone else moved it. */
  claim(id: number): boolean {
    const r = this.db
      .prepare(
        `UPDATE print_jobs SET state = 'printing', attempts = attempts + 1, updated_at = ?
         WHERE id = ? AND state IN ('queued', 'interrupted')`,
      )
      .run(this.now().toISOString(), id);
    return r.changes === 1;
  }

  /** Leaves `from` for `to`; false if the job was not in `from`. */
  move(id: number, from: JobState, to: JobState, errorCode: string | null = null): boolean {
    const r = this.db
      .prepare('UPDATE print_jobs SET state = ?, error_code = ?, updated_at = ? WHERE id = ? AND state = ?')
      .run(to, errorCode, this.now().toISOString(), id, from);
    return r.changes === 1;
  }

  /** Notes why a waiting job is still waiting (printer not ready), without touching its state. */
  noteWaiting(id: number, errorCode: string): void {
    this.db
      .prepare(`UPDATE print_jobs SET error_code = ?, updated_at = ? WHERE id = ? AND state IN ('queued', 'interrupted')`)
      .run(errorCode, this.now().toISOString(), id);
  }

  /** Jobs left `printing` by a process that stopped mid-job: their outcome is unknown. */
  abandoned(): JobRow[] {
    return this.db.prepare(`SELECT ${COLUMNS} FROM print_jobs WHERE state = 'printing'`).all() as JobRow[];
  }

  /** Erases the images of finished jobs last touched before `before`; returns how many. */
  purgeImages(before: Date): number {
    return this.db
      .prepare(`UPDATE print_jobs SET png = NULL WHERE png IS NOT NULL AND state IN ('done', 'failed') AND updated_at < ?`)
      .run(before.toISOString()).changes;
  }

  list(limit: number): JobSummary[] {
    const rows = this.db
      .prepare(`SELECT ${COLUMNS}, png IS NOT NULL AS has_image FROM print_jobs ORDER BY id DESC LIMIT ?`)
      .all(limit) as (JobRow & { has_image: number })[];
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      state: r.state,
      attempts: r.attempts,
      reprintOf: r.reprint_of,
      reference: r.reference,
      errorCode: r.error_code,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      hasImage: r.has_image === 1,
    }));
  }
}
