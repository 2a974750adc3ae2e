/**
 * Storage of the HIS simulator: FHIR resources as JSON rows in SQLite, and daily queue counters.
 * A database of its own (the simulated hospital is another system), migrated by the kiosk's
 * migration runner from this folder's migrations/.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listMigrations, migrate, type Db } from '../../../../platform/store/db.ts';
import type { Resource } from '../../common/fhir-types.ts';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export class FhirStore {
  readonly db: Db;

  constructor(file: string, private readonly clock: () => Date) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    migrate(this.db, listMigrations(migrationsDir));
  }

  /** Stores a new resource under a fresh id (or the one given, for seed data) and returns it as stored. */
  create<R extends Resource>(resource: R, id = randomBytes(6).toString('hex')): R {
    const lastUpdated = this.clock().toISOString();
    const stored = { ...resource, id, meta: { ...resource.meta, versionId: '1', lastUpdated } } as R;
    this.db
      .prepare('INSERT INTO resources (type, id, version_id, last_updated, json) VALUES (?, ?, 1, ?, ?)')
      .run(resource.resourceType, id, lastUpdated, JSON.stringify(stored));
    return stored;
  }

  /** Replaces a stored resource with its next version; returns it as stored. */
  update<R extends Resource & { id: string }>(resource: R): R {
    const current = this.db.prepare('SELECT version_id FROM resources WHERE type = ? AND id = ?').get(resource.resourceType, resource.id) as
      | { version_id: number }
      | undefined;
    if (!current) throw new Error(`${resource.resourceType}/${resource.id} is not stored`);
    const version = current.version_id + 1;
    const lastUpdated = this.clock().toISOString();
    const stored = { ...resource, meta: { ...resource.meta, versionId: String(version), lastUpdated } } as R;
    this.db
      .prepare('UPDATE resources SET version_id = ?, last_updated = ?, json = ? WHERE type = ? AND id = ?')
      .run(version, lastUpdated, JSON.stringify(stored), resource.resourceType, resource.id);
    return stored;
  }

  read<R extends Resource>(type: string, id: string): R | undefined {
    const row = this.db.prepare('SELECT json FROM resources WHERE type = ? AND id = ?').get(type, id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as R) : undefined;
  }

  all<R extends Resource>(type: string): R[] {
    return (this.db.prepare('SELECT json FROM resources WHERE type = ? ORDER BY rowid').all(type) as { json: string }[]).map(
      (r) => JSON.parse(r.json) as R,
    );
  }

  /** Resources of a type whose JSON has the given values at the given paths (e.g. `$.status`). */
  where<R extends Resource>(type: string, equals: Record<string, string>): R[] {
    const paths = Object.keys(equals);
    const sql = `SELECT json FROM resources WHERE type = ?${paths.map(() => ' AND json_extract(json, ?) = ?').join('')} ORDER BY rowid`;
    const args = [type, ...paths.flatMap((p) => [p, equals[p]!])];
    return (this.db.prepare(sql).all(...args) as { json: string }[]).map((r) => JSON.parse(r.json) as R);
  }

  count(type: string): number {
    return (this.db.prepare('SELECT count(*) AS n FROM resources WHERE type = ?').get(type) as { n: number }).n;
  }

  /** The next number at a clinic's door for that day; numbers restart each day. */
  nextQueueNumber(locationId: string, day: string): number {
    const row = this.db
      .prepare(
        `INSERT INTO queue_counters (location_id, day, last_number) VALUES (?, ?, 1)
         ON CONFLICT (location_id, day) DO UPDATE SET last_number = last_number + 1
         RETURNING last_number`,
      )
      .get(locationId, day) as { last_number: number };
    return row.last_number;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  close(): void {
    this.db.close();
  }
}
