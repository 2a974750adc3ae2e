import { randomBytes } from 'node:crypto';
import type { Staff, StaffRole } from '../core/api/kiosk-api.ts';
import { KioskError } from '../core/errors.ts';
import type { LockoutStore } from '../platform/store/admin-lockout.ts';
import { verifyPin } from './admin-pin.ts';

/** Each lock-out lasts longer than the one before (a correct PIN starts over); the last step repeats. */
export const LOCKOUT_STEPS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000] as const;

/** A member of staff who may log in: a name for the audit, a role for what they may do, a PIN hash. */
export interface StaffAccount extends Staff {
  readonly pinHash: string;
}

export interface AdminSessionOptions {
  readonly now?: () => number;
  /** Wrong PINs that trigger a lock-out. */
  readonly maxFailures?: number;
  /** A session ends this long after its last use (at least 10 minutes)… */
  readonly idleMs?: number;
  /** …and this long after the login whatever happens (a shift). */
  readonly maxSessionMs?: number;
}

const MIN_IDLE_MS = 10 * 60_000;

/**
 * Staff access: a PIN check with an escalating lock-out after repeated mistakes, and short-lived
 * session tokens that carry who logged in and their role. The kiosk sits in a public hall, so
 * guessing must be slow and every attempt is audited; the lock-out lives in the store, so restarting
 * the kiosk resets nothing. One lock-out covers every account: a guesser cannot spread tries over them.
 */
export class AdminSessions {
  private readonly sessions = new Map<string, { lastUse: number; loggedInAt: number; staff: Staff }>();
  private readonly now: () => number;
  private readonly maxFailures: number;
  private readonly idleMs: number;
  private readonly maxSessionMs: number;

  constructor(
    private readonly accounts: readonly StaffAccount[],
    private readonly lockout: LockoutStore,
    options: AdminSessionOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.maxFailures = options.maxFailures ?? 5;
    this.idleMs = Math.max(MIN_IDLE_MS, options.idleMs ?? 0);
    this.maxSessionMs = options.maxSessionMs ?? 12 * 3_600_000;
  }

  login(pin: string): { ok: true; adminToken: string; staff: Staff } | { ok: false; reason: 'WRONG_PIN' | 'LOCKED_OUT'; retryAfterSeconds?: number } {
    const now = this.now();
    const state = this.lockout.read();
    if (now < state.lockedUntil) return { ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: Math.ceil((state.lockedUntil - now) / 1000) };
    const account = this.accounts.find((a) => verifyPin(pin, a.pinHash));
    if (!account) {
      const failures = state.failures + 1;
      if (failures < this.maxFailures) {
        this.lockout.write({ ...state, failures });
        return { ok: false, reason: 'WRONG_PIN' };
      }
      const lockMs = LOCKOUT_STEPS_MS[Math.min(state.lockouts, LOCKOUT_STEPS_MS.length - 1)]!;
      this.lockout.write({ failures: 0, lockouts: state.lockouts + 1, lockedUntil: now + lockMs });
      return { ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: Math.ceil(lockMs / 1000) };
    }
    this.lockout.write({ failures: 0, lockouts: 0, lockedUntil: 0 });
    const adminToken = randomBytes(24).toString('hex');
    const staff = { name: account.name, role: account.role };
    this.sessions.set(adminToken, { lastUse: now, loggedInAt: now, staff });
    return { ok: true, adminToken, staff };
  }

  logout(token: string): boolean {
    return this.sessions.delete(token);
  }

  /**
   * Who holds the session `token`; throws ADMIN_REQUIRED unless it is live, and STAFF_ROLE_REFUSED
   * when `roles` is given and names neither their role nor theirs is `administrator`. A use keeps
   * the session alive for another idle period, never past the longest session.
   */
  require(token: string, roles?: readonly StaffRole[]): Staff {
    const session = this.sessions.get(token);
    const now = this.now();
    if (session === undefined || now > session.lastUse + this.idleMs || now > session.loggedInAt + this.maxSessionMs) {
      this.sessions.delete(token);
      throw new KioskError('ADMIN_REQUIRED', 'maintenance login required');
    }
    session.lastUse = now;
    const { role } = session.staff;
    if (roles && role !== 'administrator' && !roles.includes(role)) throw new KioskError('STAFF_ROLE_REFUSED', `a ${role} may not do this`);
    return session.staff;
  }
}
