import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPrivateFile, makePrivateDir } from './private-files.ts';
import { Sealer } from './sealing.ts';
import { loadStoreKey } from './store-key.ts';

export type Db = Database.Database;

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens the kiosk database and brings it to the newest schema.
 * WAL lets the UI read while a journey writes; synchronous=FULL makes every committed transaction
 * survive power loss, which the audit log and the outboxes promise; secure_delete overwrites what
 * is deleted, so purged personal data does not linger in free pages.
 * A new folder is made 0700 and a new database file 0600 (its -wal and -shm files follow its mode).
 * Migrations are `migrations/NNN-name.sql`, applied once each, in number order, each in a transaction.
 */
export function openDatabase(file: string): Db {
  const inMemory = file === ':memory:';
  if (!inMemory) {
    makePrivateDir(dirname(file));
    createPrivateFile(file);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('secure_delete = ON');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // An in-memory database dies with the process, and so may its key.
  registerSealing(db, () => (inMemory ? randomBytes(32) : loadStoreKey(file)));
  migrate(db);
  return db;
}

/**
 * SQL functions `seal(text, aad)` → blob and `unseal(blob, aad)` → text (NULL when the blob does not
 * open: another key, altered, or moved to another row). The key is read on first use, so a
 * database that never seals anything never needs one.
 */
function registerSealing(db: Db, key: () => Buffer): void {
  let sealer: Sealer | undefined;
  const get = () => (sealer ??= new Sealer(key()));
  const bytes = (v: unknown) => Buffer.from(String(v), 'utf8');
  db.function('seal', { directOnly: true }, (plain: unknown, aad: unknown) => (plain === null ? null : get().seal(bytes(plain), bytes(aad))));
  db.function('unseal', { deterministic: true, directOnly: true }, (blob: unknown, aad: unknown) =>
    Buffer.isBuffer(blob) ? (get().open(blob, bytes(aad))?.toString('utf8') ?? null) : null,
  );
}

/** Moves committed pages out of the write-ahead log and empties it, so erased rows leave no copy there either. */
export function forgetFreedPages(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export function listMigrations(dir = migrationsDir): Migration[] {
  const seen = new Map<number, string>();
  return readdirSync(dir)
    .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f))
    .sort()
    .map((f) => {
      const version = Number(f.slice(0, 3));
      const other = seen.get(version);
      if (other) throw new Error(`two migrations share number ${version}: ${other} and ${f}`);
      seen.set(version, f);
      return { version, name: f, sql: readFileSync(join(dir, f), 'utf8') };
    });
}

export function migrate(db: Db, migrations = listMigrations()): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)');
  const applied = new Set(
    (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version),
  );
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const pending = migrations.filter((m) => !applied.has(m.version));
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
  }
  // A migration may have rewritten personal data (e.g. sealed it): leave no old copy in the log.
  if (pending.length > 0 && !db.memory) forgetFreedPages(db);
}
