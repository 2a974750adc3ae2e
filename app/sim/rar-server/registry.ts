import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { listMigrations, migrate, type Db } from '../../platform/store/db.ts';

/** The reference server's SQLite registry (its own schema, apart from the kiosk's database). */

export interface Citizen {
  readonly idNumber: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly sex?: string;
  readonly dateOfExpiry?: string;
  readonly dscSha256?: string;
  readonly sodSha256?: string;
}

export interface Transaction {
  readonly requestId: string;
  readonly terminalId: string;
  readonly bodySha256: string;
  readonly verdict: string;
  readonly reasons: string[];
  readonly transactionCode: string;
  readonly decidedAt: string;
  readonly receipts: number;
}

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export type RegistryWrite = ({ readonly kind: 'insert' } & Omit<Transaction, 'receipts'>) | { readonly kind: 'receipt'; readonly requestId: string };

/** The writer thread's side of the conversation: numbered groups, each answered once committed. */
class RegistryWriter {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { ok: () => void; fail: (e: Error) => void }>();
  private next = 0;

  constructor(file: string) {
    this.worker = new Worker(new URL('./registry-writer.mjs', import.meta.url), { workerData: { file } });
    this.worker.on('message', ({ id, error }: { id: number; error?: string }) => {
      const w = this.waiting.get(id);
      this.waiting.delete(id);
      if (error) w?.fail(new Error(`registry write failed: ${error}`));
      else w?.ok();
    });
    this.worker.on('error', (e) => {
      for (const w of this.waiting.values()) w.fail(e);
      this.waiting.clear();
    });
  }

  write(ops: readonly RegistryWrite[]): Promise<void> {
    const id = this.next++;
    return new Promise((ok, fail) => {
      this.waiting.set(id, { ok, fail });
      this.worker.postMessage({ id, ops });
    });
  }

  async close(): Promise<void> {
    while (this.waiting.size > 0) await new Promise((r) => setTimeout(r, 5));
    await this.worker.terminate();
  }
}

export class Registry {
  readonly db: Db;
  private readonly q;
  private readonly writer: RegistryWriter | undefined;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // An answered request is on disk (FULL: each commit synced); the server commits in groups (in
    // the writer thread), so one sync serves many requests. A cache that holds the growing tables
    // keeps lookups flat.
    this.db.pragma('synchronous = FULL');
    this.db.pragma('cache_size = -65536');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db, listMigrations(migrationsDir));
    if (file !== ':memory:') this.writer = new RegistryWriter(file);
    this.q = {
      citizen: this.db.prepare('SELECT * FROM citizens WHERE id_number = ?'),
      revoked: this.db.prepare('SELECT 1 FROM revoked_cards WHERE id_number = ? AND (sod_sha256 IS NULL OR sod_sha256 = ?) LIMIT 1'),
      terminalByCert: this.db.prepare('SELECT terminal_id FROM terminals WHERE cert_sha256 = ? AND active = 1'),
      tx: this.db.prepare('SELECT * FROM transactions WHERE request_id = ?'),
      insertTx: this.db.prepare(
        'INSERT INTO transactions (request_id, terminal_id, body_sha256, verdict, reasons, transaction_code, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      bumpTx: this.db.prepare('UPDATE transactions SET receipts = receipts + 1 WHERE request_id = ?'),
    };
  }

  upsertCitizen(c: Citizen): void {
    this.db
      .prepare(
        `INSERT INTO citizens (id_number, full_name, date_of_birth, sex, date_of_expiry, dsc_sha256, sod_sha256)
         VALUES (@idNumber, @fullName, @dateOfBirth, @sex, @dateOfExpiry, @dscSha256, @sodSha256)
         ON CONFLICT (id_number) DO UPDATE SET full_name = excluded.full_name, date_of_birth = excluded.date_of_birth,
           sex = excluded.sex, date_of_expiry = excluded.date_of_expiry, dsc_sha256 = excluded.dsc_sha256, sod_sha256 = excluded.sod_sha256`,
      )
      .run({ sex: null, dateOfExpiry: null, dscSha256: null, sodSha256: null, ...c });
  }

  citizen(idNumber: string): Citizen | undefined {
    const row = this.q.citizen.get(idNumber) as Record<string, string | null> | undefined;
    if (!row) return undefined;
    return {
      idNumber: row.id_number!,
      fullName: row.full_name!,
      dateOfBirth: row.date_of_birth!,
      ...(row.sex ? { sex: row.sex } : {}),
      ...(row.date_of_expiry ? { dateOfExpiry: row.date_of_expiry } : {}),
      ...(row.dsc_sha256 ? { dscSha256: row.dsc_sha256 } : {}),
      ...(row.sod_sha256 ? { sodSha256: row.sod_sha256 } : {}),
    };
  }

  revokeCard(idNumber: string, reason: string, sodSha256?: string, at = new Date()): void {
    this.db.prepare('INSERT INTO revoked_cards (id_number, sod_sha256, revoked_at, reason) VALUES (?, ?, ?, ?)').run(idNumber, sodSha256 ?? null, at.toISOString(), reason);
  }

  isRevoked(idNumber: string, sodSha256: string | undefined): boolean {
    return this.q.revoked.get(idNumber, sodSha256 ?? '') !== undefined;
  }

  enrolTerminal(terminalId: string, certSha256: string, at = new Date()): void {
    this.db
      .prepare(
        `INSERT INTO terminals (terminal_id, cert_sha256, enrolled_at) VALUES (?, ?, ?)
         ON CONFLICT (terminal_id) DO UPDATE SET cert_sha256 = excluded.cert_sha256, enrolled_at = excluded.enrolled_at, active = 1`,
      )
      .run(terminalId, certSha256, at.toISOString());
  }

  terminalForCert(certSha256: string): string | undefined {
    return (this.q.terminalByCert.get(certSha256) as { terminal_id: string } | undefined)?.terminal_id;
  }

  transaction(requestId: string): Transaction | undefined {
    const row = this.q.tx.get(requestId) as Record<string, string | number> | undefined;
    if (!row) return undefined;
    return {
      requestId: row.request_id as string,
      terminalId: row.terminal_id as string,
      bodySha256: row.body_sha256 as string,
      verdict: row.verdict as string,
      reasons: JSON.parse(row.reasons as string) as string[],
      transactionCode: row.transaction_code as string,
      decidedAt: row.decided_at as string,
      receipts: row.receipts as number,
    };
  }

  /**
   * Writes a group of decisions and receipts in one transaction, resolved once it is on disk. A
   * registry file is written by a worker thread (registry-writer.mjs), so the sync does not stall
   * this thread; an in-memory registry is written here.
   */
  commit(ops: readonly RegistryWrite[]): Promise<void> {
    if (!this.writer) {
      this.db.transaction(() => {
        for (const op of ops) {
          if (op.kind === 'insert') this.q.insertTx.run(op.requestId, op.terminalId, op.bodySha256, op.verdict, JSON.stringify(op.reasons), op.transactionCode, op.decidedAt);
          else this.q.bumpTx.run(op.requestId);
        }
      }).immediate();
      return Promise.resolve();
    }
    return this.writer.write(ops);
  }

  /** For tests and the load report: how many requests were decided, and how many POSTs were duplicates. */
  stats(): { transactions: number; duplicateReceipts: number } {
    const r = this.db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(receipts - 1), 0) AS d FROM transactions').get() as { n: number; d: number };
    return { transactions: r.n, duplicateReceipts: r.d };
  }

  async close(): Promise<void> {
    await this.writer?.close();
    this.db.close();
  }
}
