import type { Db } from './db.ts';

/** Where the maintenance PIN's lock-out stands (table admin_lockout, migration 060). */
export interface LockoutState {
  /** Wrong PINs since the last lock-out or success. */
  readonly failures: number;
  /** Lock-outs in a row: the step of the escalation. */
  readonly lockouts: number;
  /** Epoch ms; 0 when not locked. */
  readonly lockedUntil: number;
}

export interface LockoutStore {
  read(): LockoutState;
  write(state: LockoutState): void;
}

/** The lock-out kept in the kiosk database, so a restart starts where the last run stopped. */
export class DbLockoutStore implements LockoutStore {
  private readonly q;

  constructor(db: Db) {
    this.q = {
      read: db.prepare('SELECT failures, lockouts, locked_until AS lockedUntil FROM admin_lockout WHERE singleton = 1'),
      write: db.prepare(
        `INSERT INTO admin_lockout (singleton, failures, lockouts, locked_until) VALUES (1, @failures, @lockouts, @lockedUntil)
         ON CONFLICT (singleton) DO UPDATE SET failures = excluded.failures, lockouts = excluded.lockouts, locked_until = excluded.locked_until`,
      ),
    };
  }

  read(): LockoutState {
    return (this.q.read.get() as LockoutState | undefined) ?? { failures: 0, lockouts: 0, lockedUntil: 0 };
  }

  write(state: LockoutState): void {
    this.q.write.run(state);
  }
}
