import { randomBytes } from 'node:crypto';
import { KioskError } from '../core/errors.ts';
import { verifyPin } from './admin-pin.ts';

/**
 * Maintenance access: a PIN check with lock-out after repeated mistakes, and short-lived session
 * tokens. The kiosk sits in a public hall, so guessing must be slow and every attempt is audited.
 */
export class AdminSessions {
  private failures = 0;
  private lockedUntil = 0;
  private readonly sessions = new Map<string, number>();

  constructor(
    private readonly pinHash: string,
    private readonly now: () => number = Date.now,
    private readonly maxFailures = 5,
    private readonly lockoutMs = 60_000,
    private readonly sessionMs = 10 * 60_000,
  ) {}

  login(pin: string): { ok: true; adminToken: string } | { ok: false; reason: 'WRONG_PIN' | 'LOCKED_OUT'; retryAfterSeconds?: number } {
    const now = this.now();
    if (now < this.lockedUntil) return { ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: Math.ceil((this.lockedUntil - now) / 1000) };
    if (!verifyPin(pin, this.pinHash)) {
      this.failures += 1;
      if (this.failures >= this.maxFailures) {
        this.failures = 0;
        this.lockedUntil = now + this.lockoutMs;
        return { ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: Math.ceil(this.lockoutMs / 1000) };
      }
      return { ok: false, reason: 'WRONG_PIN' };
    }
    this.failures = 0;
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
