import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { tempDir } from '../support/temp-dir.ts';

/**
 * Guessing the staff PIN must stay slow: each lock-out in a row lasts longer (1 min, 5 min,
 * 30 min…), and switching the kiosk off and on again neither lifts a lock nor resets the step.
 * The clock is the only thing faked; the kiosk, its database and the API are real.
 */

const DEMO_PIN = '1234'; // kiosk-config/secrets/demo-admin-pin.hash

describe('staff PIN lock-out across restarts', () => {
  const data = tempDir('sec-pin');
  let host: KioskHost | undefined;
  const restart = async () => {
    await host?.close();
    host = await startKioskHost({ profile: 'demo', port: 0, dataDir: data.path, log: () => undefined });
    return host;
  };
  const login = async (pin: string) => {
    const r = await host!.dispatch('adminLogin', { pin });
    if (!r.ok) throw new Error(r.error.code);
    return r.result as { ok: boolean; reason?: string; retryAfterSeconds?: number };
  };
  const wrongFiveTimes = async () => {
    for (let i = 0; i < 4; i += 1) expect(await login('000000')).toMatchObject({ ok: false, reason: 'WRONG_PIN' });
    return login('000000');
  };
  const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);

  afterEach(() => vi.useRealTimers());
  afterAll(async () => {
    await host?.close();
    data.cleanup();
  });

  it('escalates 1 min → 5 min → 30 min, and a restart changes nothing', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-02T08:00:00Z'));
    await restart();
    expect(await wrongFiveTimes()).toEqual({ ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: 60 });

    await restart();
    expect(await login(DEMO_PIN)).toMatchObject({ ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: 60 });
    later(30);
    await restart();
    expect(await login(DEMO_PIN)).toMatchObject({ ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: 30 });

    later(31);
    expect(await login('000000')).toMatchObject({ reason: 'WRONG_PIN' });
    await restart(); // the failure count survives too: three more wrong PINs, not five, bring the next lock
    for (let i = 0; i < 3; i += 1) expect(await login('000000')).toMatchObject({ reason: 'WRONG_PIN' });
    expect(await login('000000')).toEqual({ ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: 300 });

    later(301);
    await restart();
    expect(await wrongFiveTimes()).toEqual({ ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: 1800 });

    later(1801);
    await restart();
    expect(await login(DEMO_PIN)).toMatchObject({ ok: true });
    expect(await wrongFiveTimes()).toEqual({ ok: false, reason: 'LOCKED_OUT', retryAfterSeconds: 60 });

    const audited = host!.audit.recent(100).map((r) => r.action);
    expect(audited.filter((a) => a === 'admin.login-failed').length).toBeGreaterThanOrEqual(20);
  }, 120_000);
});
