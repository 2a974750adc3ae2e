import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hashPin, verifyPin } from '../../app/host/admin-pin.ts';
import { AdminSessions, LOCKOUT_STEPS_MS, type StaffAccount } from '../../app/host/admin-sessions.ts';
import { DbLockoutStore } from '../../app/platform/store/admin-lockout.ts';
import { openDatabase } from '../../app/platform/store/db.ts';

describe('maintenance PIN', () => {
  const hash = hashPin('482913');
  const sessionsAt = (clock: () => number) => new AdminSessions([{ name: 'admin', role: 'administrator', pinHash: hash }], new DbLockoutStore(openDatabase(':memory:')), { now: clock });

  it('stores only a salted scrypt hash', () => {
    expect(hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('482913');
    expect(hashPin('482913')).not.toBe(hash);
    expect(verifyPin('482913', hash)).toBe(true);
    expect(verifyPin('482914', hash)).toBe(false);
  });

  it('refuses to hash a new PIN shorter than 6 digits or not all digits', () => {
    for (const weak of ['1234', '12345', '12345a', '', '1234567890123']) {
      expect(() => hashPin(weak), weak).toThrow(expect.objectContaining({ code: 'ADMIN_PIN_TOO_WEAK' }));
    }
    expect(verifyPin('123456', hashPin('123456'))).toBe(true);
  });

  it('`cccd-kiosk hash-pin` refuses a PIN under 6 digits and hashes a good one', () => {
    const hashPinCli = (pin: string) => spawnSync(process.execPath, ['app/cli/bin.mjs', 'hash-pin'], { input: pin, encoding: 'utf8', timeout: 30_000 });
    const weak = hashPinCli('12345');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toContain('the PIN must be 6 to 12 digits');
    expect(weak.stdout).toBe('');
    const good = hashPinCli('730514\n');
    expect(good.status).toBe(0);
    expect(verifyPin('730514', good.stdout.trim())).toBe(true);
  });

  it('locks out after five wrong PINs, even for the right one, until the lock expires', () => {
    let now = 0;
    const sessions = sessionsAt(() => now);
    for (let i = 0; i < 4; i += 1) expect(sessions.login('000000')).toEqual({ ok: false, reason: 'WRONG_PIN' });
    expect(sessions.login('000000')).toEqual({ ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: 60 });
    expect(sessions.login('482913')).toMatchObject({ ok: false, reason: 'LOCKED_OUT' });
    now += 60_001;
    expect(sessions.login('482913')).toMatchObject({ ok: true });
  });

  it('escalates each lock-out in a row (1, 5, 30 min, then 2 h) and starts over after a correct PIN', () => {
    let now = 0;
    const sessions = sessionsAt(() => now);
    const lockOut = () => {
      for (let i = 0; i < 4; i += 1) expect(sessions.login('000000')).toMatchObject({ reason: 'WRONG_PIN' });
      const r = sessions.login('000000');
      if (r.ok || r.reason !== 'LOCKED_OUT') throw new Error('expected a lock-out');
      now += r.retryAfterSeconds! * 1000;
      return r.retryAfterSeconds;
    };
    expect([lockOut(), lockOut(), lockOut(), lockOut(), lockOut()]).toEqual([60, 300, 1800, 7200, 7200]);
    expect(LOCKOUT_STEPS_MS.map((ms) => ms / 1000)).toEqual([60, 300, 1800, 7200]);
    expect(sessions.login('482913')).toMatchObject({ ok: true });
    expect(lockOut()).toBe(60);
  });

  it('expires sessions and honours logout', () => {
    let now = 0;
    const sessions = sessionsAt(() => now);
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

  it('keeps a session in use alive for its idle period (a guard desk all shift), never past the longest session', () => {
    let now = 0;
    const hour = 3_600_000;
    const sessions = new AdminSessions([{ name: 'guard', role: 'guard', pinHash: hash }], new DbLockoutStore(openDatabase(':memory:')), { now: () => now, idleMs: hour });
    const login = sessions.login('482913');
    if (!login.ok) throw new Error('login failed');
    // Used every 50 minutes for 11 hours: still logged in.
    for (let t = 50 * 60_000; t < 11 * hour; t += 50 * 60_000) {
      now = t;
      expect(sessions.require(login.adminToken).name).toBe('guard');
    }
    // Twelve hours after the login it ends, used or not.
    now = 12 * hour + 1;
    expect(() => sessions.require(login.adminToken)).toThrow(/maintenance login required/);
    // Left alone longer than the idle period: it ends.
    const again = sessions.login('482913');
    if (!again.ok) throw new Error('login failed');
    now += hour + 1;
    expect(() => sessions.require(again.adminToken)).toThrow(/maintenance login required/);
  });

  it('never lets an idle period shorter than 10 minutes end a session in use sooner', () => {
    let now = 0;
    const sessions = new AdminSessions([{ name: 'a', role: 'administrator', pinHash: hash }], new DbLockoutStore(openDatabase(':memory:')), { now: () => now, idleMs: 1000 });
    const login = sessions.login('482913');
    if (!login.ok) throw new Error('login failed');
    now = 9 * 60_000;
    expect(() => sessions.require(login.adminToken)).not.toThrow();
  });

  it('knows who logged in by their PIN, and lets each role do only what it may', () => {
    const accounts: StaffAccount[] = [
      { name: 'admin', role: 'administrator', pinHash: hash },
      { name: 'Bảo vệ Hùng', role: 'guard', pinHash: hashPin('246802') },
      { name: 'Lễ tân Mai', role: 'reception', pinHash: hashPin('135791') },
    ];
    const sessions = new AdminSessions(accounts, new DbLockoutStore(openDatabase(':memory:')));
    const guard = sessions.login('246802');
    if (!guard.ok) throw new Error('guard login failed');
    expect(guard.staff).toEqual({ name: 'Bảo vệ Hùng', role: 'guard' });
    expect(sessions.require(guard.adminToken, ['guard'])).toEqual({ name: 'Bảo vệ Hùng', role: 'guard' });
    expect(() => sessions.require(guard.adminToken, ['reception'])).toThrow(expect.objectContaining({ code: 'STAFF_ROLE_REFUSED' }));
    const admin = sessions.login('482913');
    if (!admin.ok) throw new Error('admin login failed');
    // The administrator may run an action whatever roles it names.
    expect(sessions.require(admin.adminToken, ['reception']).role).toBe('administrator');
    // A wrong PIN counts against the one lock-out shared by every account.
    expect(sessions.login('999999')).toEqual({ ok: false, reason: 'WRONG_PIN' });
  });
});
