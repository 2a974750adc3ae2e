import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from '../../app/host/admin-pin.ts';
import { AdminSessions } from '../../app/host/admin-sessions.ts';

describe('maintenance PIN', () => {
  const hash = hashPin('482913');

  it('stores only a salted scrypt hash', () => {
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('482913');
    expect(hashPin('482913')).not.toBe(hash);
    expect(verifyPin('482913', hash)).toBe(true);
    expect(verifyPin('482914', hash)).toBe(false);
  });

  it('locks out after five wrong PINs, even for the right one, until the lock expires', () => {
    let now = 0;
    const sessions = new AdminSessions(hash, () => now);
    for (let i = 0; i < 4; i += 1) expect(sessions.login('000000')).toEqual({ ok: false, reason: 'WRONG_PIN' });
    expect(sessions.login('000000')).toEqual({ ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: 60 });
    expect(sessions.login('482913')).toMatchObject({ ok: false, reason: 'LOCKED_OUT' });
    now += 60_001;
    expect(sessions.login('482913')).toMatchObject({ ok: true });
  });

  it('expires sessions and honours logout', () => {
    let now = 0;
    const sessions = new AdminSessions(hash, () => now);
    const login = sessions.login('482913');
    if (!login.ok) throw new Error('login failed');
    expect(() => sessions.require(login.adminToken)).not.toThrow();
    now += 10 * 60_000 + 1;
    expect(() => sessions.require(login.adminToken)).toThrow(/maintenance login required/);
    const again = sessions.login('482913');
    if (!again.ok) throw new Error('login failed');
    expect(sessions.logout(again.adminToken)).toBe(true);
    expect(() => sessions.require(again.adminToken)).toThrow();
  });
});
