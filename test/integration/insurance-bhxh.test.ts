import Fastify from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KioskError } from '../../app/core/errors.ts';
import type { InsuranceStatus } from '../../app/sites/hospital/common/insurance.ts';
import { BhxhInsuranceCheck, type BhxhAdapterOptions } from '../../app/sites/hospital/node/insurance/bhxh-adapter.ts';
import { CRASH_NUMBER, DEMO_INSURANCE_CARDS, scenarioNumber } from '../../app/sites/hospital/sim/insurance/demo-cards.ts';
import { startInsuranceSim, type InsuranceSim } from '../../app/sites/hospital/sim/insurance/server.ts';

// The BHXH adapter against the gateway simulator, over real HTTP on 127.0.0.1.

const STAFF = { staffName: 'Nguyễn Thị Tiếp Đón', staffCccd: '099180000777' };
const fixedNow = () => new Date('2026-06-01T03:00:00Z');

function adapter(sim: { url: string; username: string; password: string }, extra: Partial<BhxhAdapterOptions> = {}) {
  return new BhxhInsuranceCheck({
    gatewayUrl: sim.url,
    checkPath: '/api/egw/KQNhanLichSuKCB2024',
    username: sim.username,
    password: sim.password,
    passwordHashing: 'md5',
    timeoutMs: 10_000,
    ...STAFF,
    ...extra,
  });
}

const someone = { fullName: 'Hoàng Văn Em', dateOfBirth: '1980-02-29' };

/** What each gateway code must become, written out here rather than derived from the mapping. */
const EXPECTED: [code: string, status: InsuranceStatus, advice: string][] = [
  ['000', 'valid', 'insurance'],
  ['001', 'valid-managed-elsewhere', 'staff'],
  ['002', 'valid-managed-elsewhere', 'staff'],
  ['003', 'valid-new-card-issued', 'insurance'],
  ['004', 'valid-new-card-issued', 'insurance'],
  ['010', 'expired', 'service'],
  ['050', 'not-found', 'staff'],
  ['051', 'invalid-card-number', 'staff'],
  ['052', 'invalid-card-number', 'staff'],
  ['053', 'invalid-card-number', 'staff'],
  ['060', 'wrong-name', 'staff'],
  ['061', 'wrong-name', 'staff'],
  ['070', 'wrong-date-of-birth', 'staff'],
  ['080', 'wrong-sex', 'staff'],
  ['090', 'wrong-facility', 'staff'],
  ['100', 'card-data-error', 'staff'],
  ['101', 'server-error', 'retry'],
  ['110', 'revoked', 'service'],
  ['120', 'suspended', 'service'],
  ['121', 'suspended', 'service'],
  ['122', 'suspended', 'service'],
  ['123', 'suspended', 'service'],
  ['124', 'suspended', 'service'],
  ['130', 'child-without-card', 'staff'],
  ['205', 'kiosk-misconfigured', 'staff'],
  ['401', 'kiosk-misconfigured', 'staff'],
];

describe('BHXH adapter against the gateway simulator', () => {
  let sim: InsuranceSim;
  beforeAll(async () => {
    sim = await startInsuranceSim({ port: 0, clock: fixedNow });
  });
  afterAll(async () => sim.close());

  it.each(EXPECTED)('gateway code %s → %s (%s)', async (code, status, advice) => {
    const result = await adapter(sim).check({ cardNumber: scenarioNumber(code), ...someone });
    expect(result.code).toBe(code);
    expect(result.status).toBe(status);
    expect(result.advice).toBe(advice);
    expect(result.message.vi.length).toBeGreaterThan(10);
    expect(result.message.en!.length).toBeGreaterThan(10);
  });

  it('reads the card a valid answer carries', async () => {
    const r = await adapter(sim).check({ cardNumber: scenarioNumber('004'), ...someone });
    expect(r.card).toMatchObject({ fullName: 'Hoàng Văn Em', dateOfBirth: '1980-02-29', sex: 'female', validTo: '2099-12-31', registeredFacility: '79001' });
    expect(r.card!.newCardNumber).toMatch(/^DN4\d{12}$/);
  });

  it('checks a registered card: valid, expired, wrong name, wrong birth date, year-only birth date', async () => {
    const [binh, cuong] = DEMO_INSURANCE_CARDS as [typeof DEMO_INSURANCE_CARDS[0], typeof DEMO_INSURANCE_CARDS[0]];
    const check = adapter(sim);
    const ok = await check.check({ cardNumber: binh.cccd, fullName: '  trần  thị BÌNH ', dateOfBirth: binh.dateOfBirth });
    expect(ok.status).toBe('valid');
    expect(ok.card).toMatchObject({ cardNumber: binh.bhytNumber, sex: 'female', validFrom: '2025-01-01' });
    expect((await check.check({ cardNumber: binh.bhytNumber, fullName: binh.fullName, dateOfBirth: '1958' })).status).toBe('valid');
    expect((await check.check({ cardNumber: cuong.cccd, fullName: cuong.fullName, dateOfBirth: cuong.dateOfBirth })).status).toBe('expired');
    expect((await check.check({ cardNumber: binh.cccd, fullName: 'Trần Thị Bính', dateOfBirth: binh.dateOfBirth })).status).toBe('wrong-name');
    expect((await check.check({ cardNumber: binh.cccd, fullName: binh.fullName, dateOfBirth: '1958-04-13' })).status).toBe('wrong-date-of-birth');
    expect((await check.check({ cardNumber: '099999999999', ...someone })).status).toBe('not-found');
  });

  it('sends the responsible staff member and reuses its token', async () => {
    const check = adapter(sim);
    const before = sim.calls.length;
    await check.check({ cardNumber: scenarioNumber('000'), ...someone });
    await check.check({ cardNumber: scenarioNumber('000'), ...someone });
    const calls = sim.calls.slice(before);
    expect(calls.map((c) => c.path)).toEqual(['/api/token/take', '/api/egw/KQNhanLichSuKCB2024', '/api/egw/KQNhanLichSuKCB2024']);
    expect(calls[1]).toMatchObject({ hoTenCb: STAFF.staffName, cccdCb: STAFF.staffCccd });
  });

  it('takes a new token when the gateway stops honouring the old one', async () => {
    const check = adapter(sim);
    expect((await check.check({ cardNumber: scenarioNumber('000'), ...someone })).status).toBe('valid');
    sim.revokeTokens();
    const before = sim.calls.length;
    expect((await check.check({ cardNumber: scenarioNumber('000'), ...someone })).status).toBe('valid');
    expect(sim.calls.slice(before).map((c) => c.path)).toEqual(['/api/egw/KQNhanLichSuKCB2024', '/api/token/take', '/api/egw/KQNhanLichSuKCB2024']);
  });

  it('refuses a number that cannot be a card without asking the gateway', async () => {
    const before = sim.calls.length;
    const r = await adapter(sim).check({ cardNumber: '12345', ...someone });
    expect(r).toMatchObject({ status: 'invalid-card-number', code: null });
    expect(sim.calls.length).toBe(before);
  });

  it('wrong credentials: the kiosk is misconfigured, not the patient', async () => {
    const r = await adapter({ ...sim, password: 'not-it' }).check({ cardNumber: scenarioNumber('000'), ...someone });
    expect(r).toMatchObject({ status: 'kiosk-misconfigured', advice: 'staff', code: null });
  });

  it('a crashing gateway is "unavailable"', async () => {
    expect((await adapter(sim).check({ cardNumber: CRASH_NUMBER, ...someone })).status).toBe('unavailable');
  });

  it('rejects a staff identity that is not a 12-digit ID at construction', () => {
    expect(() => adapter(sim, { staffCccd: '123' })).toThrow(KioskError);
  });
});

describe('BHXH adapter when the gateway is slow, gone or speaks nonsense', () => {
  it('times out into "unavailable"', async () => {
    const slow = await startInsuranceSim({ port: 0, answerDelayMs: 1500 });
    try {
      const r = await adapter(slow, { timeoutMs: 500 }).check({ cardNumber: scenarioNumber('000'), ...someone });
      expect(r.status).toBe('unavailable');
    } finally {
      await slow.close();
    }
  });

  it('unreachable and non-JSON answers are "unavailable"', async () => {
    const app = Fastify();
    app.post('/api/token/take', async (_q, r) => r.type('text/html').send('<html>maintenance</html>'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const creds = { username: 'u', password: 'p' };
    expect((await adapter({ url: `http://127.0.0.1:${port}`, ...creds }).check({ cardNumber: scenarioNumber('000'), ...someone })).status).toBe('unavailable');
    await app.close();
    expect((await adapter({ url: `http://127.0.0.1:${port}`, ...creds }).check({ cardNumber: scenarioNumber('000'), ...someone })).status).toBe('unavailable');
  });
});

describe('BHXH adapter against a gateway that answers nonsense', () => {
  it('always ends in a result with a known status, never an exception', async () => {
    const app = Fastify();
    let token: unknown = {};
    let check: unknown = {};
    app.post('/api/token/take', async (_q, r) => r.type('application/json').send(JSON.stringify(token)));
    app.post('/api/egw/KQNhanLichSuKCB2024', async (_q, r) => r.type('application/json').send(JSON.stringify(check)));
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const known = new Set(EXPECTED.map(([, s]) => s).concat(['unavailable', 'unknown-code']));
    const junk = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.record({ maKetQua: fc.oneof(fc.constantFrom('200', '000', '010', '401', 200, 0, 'abc'), fc.jsonValue()), APIKey: fc.oneof(fc.jsonValue(), fc.record({ access_token: fc.jsonValue(), id_token: fc.jsonValue(), expires_in: fc.jsonValue() })) }, { requiredKeys: [] }),
      fc.record({ maKetQua: fc.constant('200'), APIKey: fc.record({ access_token: fc.string(), id_token: fc.string() }) }),
    );
    try {
      await fc.assert(
        fc.asyncProperty(junk, junk, async (t, c) => {
          token = t;
          check = c;
          const r = await adapter({ url, username: 'u', password: 'p' }).check({ cardNumber: scenarioNumber('000'), ...someone });
          expect(known.has(r.status)).toBe(true);
        }),
        { numRuns: 200 },
      );
    } finally {
      await app.close();
    }
  });
});
