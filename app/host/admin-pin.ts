import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { KioskError } from '../core/errors.ts';

/**
 * The maintenance PIN is stored only as `scrypt$N$r$p$saltB64$hashB64`. Comparing is constant-time;
 * the PIN itself is never logged or kept.
 */
const N = 16384;
const R = 8;
const P = 1;

/** A new PIN: 6 to 12 digits (a million guesses at the least; the lock-out makes each one slow). */
export const NEW_PIN_PATTERN = /^\d{6,12}$/;

/** Hashes a new PIN; refuses one shorter than 6 digits (older, shorter hashes still verify). */
export function hashPin(pin: string, salt = randomBytes(16)): string {
  if (!NEW_PIN_PATTERN.test(pin)) throw new KioskError('ADMIN_PIN_TOO_WEAK', 'a maintenance PIN must be 6 to 12 digits');
  const hash = scryptSync(pin, salt, 32, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export function verifyPin(pin: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') throw new Error('admin PIN hash is not in scrypt$N$r$p$salt$hash form');
  const [, n, r, p, saltB64, hashB64] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hashB64, 'base64');
  const actual = scryptSync(pin, Buffer.from(saltB64, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p) });
  return timingSafeEqual(actual, expected);
}
