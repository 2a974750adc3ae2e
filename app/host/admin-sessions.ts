import { randomBytes } from 'node:crypto';
import { KioskError } from '../core/errors.ts';
import type { LockoutStore } from '../platform/store/admin-lockout.ts';
import { verifyPin } from './admin-pin.ts';

/** Each lock-out lasts longer than the one before (a correct PIN starts over); the last step repeats. */
export const LOCKOUT_STEPS_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 3_600_000] as const;

export interface AdminSessionOptions {
  readonly now?: () => number;
  /** Wrong PINs that trigger a lock-out. */
  readonly maxFailures?: number;
  readonly sessionMs?: number;
}

/**
 * Maintenance access: a PIN check with an escalating lock-out after repeated mistakes, and
 * short-lived session tokens. The kiosk sits in a public hall, so guessing must be slow and every
 * attempt is audited; the lock-out lives in the store, so restarting the kiosk resets nothing.
 */
export class AdminSessions {
  private readonly sessions = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxFailures: number;
  private readonly sessionMs: number;

  constructor(
    private readonly pinHash: string,
    private readonly lockout: LockoutStore,
    options: AdminSessionOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.maxFailures = options.maxFailures ?? 5;
    this.sessionMs = options.sessionMs ?? 10 * 60_000;
  }

  login(pin: string): { ok: true; adminToken: string } | { ok: false; reason: 'WRONG_PIN' | 'LOCKED_OUT'; retryAfterSeconds?: number } {
    const now = this.now();
    const state = this.lockout.read();
    if (now < state.lockedUntil) return { ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: Math.ceil((state.lockedUntil - now) / 1000) };
    if (!verifyPin(pin, this.pinHash)) {
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
    this.sessions.set(adminToken, now + this.sessionMs);
    return { ok: true, adminToken };
  }

  logout(token: string): boolean {
    return this.sessions.delete(token);
  }

  /** Throws ADMIN_REQUIRED unless the token names a live session. */
  require(token: string): void {
    const expires = this.sessions.get(token);
    if (expires === undefined || expires < this.now()) {
      this.sessions.delete(token);
      throw new KioskError('ADMIN_REQUIRED', 'maintenance login required');
    }
  }
}
