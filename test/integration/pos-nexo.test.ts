import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NexoTerminal, newAttemptId, type NexoTerminalOptions } from '../../app/platform/payments/nexo-terminal.ts';
import { startTerminalSim, type TerminalSim } from '../../app/sim/payment-terminal/server.ts';
import { selfSignedIdentity } from '../../app/sim/payment-terminal/tls.ts';

/**
 * The nexo adapter against the terminal simulator over real HTTPS: every outcome a terminal can
 * give, a lost answer recovered by TransactionStatus (never by charging again), and refunds.
 */
describe('nexo payment terminal over HTTPS', () => {
  let sim: TerminalSim;
  let terminal: NexoTerminal;
  const options = (o: Partial<NexoTerminalOptions> = {}): NexoTerminalOptions => ({
    url: sim.url, caPem: sim.caPem, saleId: 'BV-KIOSK-01', poiId: sim.poiId,
    connectTimeoutMs: 2000, paymentTimeoutMs: 1500, requestTimeoutMs: 1500, settleTimeoutMs: 3000, pollMs: 100, ...o,
  });
  let n = 0;
  const payment = (method: 'card' | 'ewallet' = 'card', amountVnd = 350_000) => ({ reference: `KP-TEST-${++n}`, attempt: newAttemptId(), amountVnd, method });

  beforeAll(async () => {
    sim = await startTerminalSim({ approveAfterMs: 100 });
    terminal = new NexoTerminal(options());
  });
  afterAll(async () => {
    terminal?.close();
    await sim?.close();
  });

  it('takes a card payment once, with the terminal transaction to refund it by', async () => {
    const p = payment();
    const outcome = await terminal.pay(p);
    expect(outcome).toMatchObject({ status: 'approved', amountVnd: 350_000, brand: 'NAPAS' });
    expect(outcome.status === 'approved' && outcome.approvalCode).toMatch(/^\d{6}$/);
    expect(sim.charges(p.reference)).toHaveLength(1);
    await expect(terminal.paymentStatus(p.attempt)).resolves.toEqual(outcome);
  });

  it('asks for an e-wallet QR through the same port', async () => {
    const p = payment('ewallet', 70_000);
    await expect(terminal.pay(p)).resolves.toMatchObject({ status: 'approved', amountVnd: 70_000, brand: 'MoMo' });
    expect(sim.charges(p.reference)[0]).toMatchObject({ method: 'ewallet', amountVnd: 70_000 });
  });

  it('reports a decline and a cancel on the terminal as nothing taken', async () => {
    sim.next({ outcome: 'decline', reason: 'WrongPIN' }, { outcome: 'cancel' });
    const declined = payment();
    await expect(terminal.pay(declined)).resolves.toEqual({ status: 'declined', reason: 'WrongPIN' });
    const cancelled = payment();
    await expect(terminal.pay(cancelled)).resolves.toEqual({ status: 'cancelled' });
    expect([...sim.charges(declined.reference), ...sim.charges(cancelled.reference)]).toEqual([]);
  });

  it('cancels on the terminal when the kiosk gives up (the person pressed Cancel on the screen)', async () => {
    const slow = await startTerminalSim({ approveAfterMs: 5000 });
    const t = new NexoTerminal(options({ url: slow.url, caPem: slow.caPem, poiId: slow.poiId, paymentTimeoutMs: 10_000 }));
    try {
      const ac = new AbortController();
      const p = payment();
      setTimeout(() => ac.abort(), 300);
      await expect(t.pay(p, ac.signal)).resolves.toEqual({ status: 'cancelled' });
      expect(slow.charges(p.reference)).toEqual([]);
    } finally {
      t.close();
      await slow.close();
    }
  });

  it('recovers a lost answer by asking the terminal, and never charges twice', async () => {
    sim.next({ outcome: 'timeout' });
    const p = payment();
    const started = Date.now();
    await expect(terminal.pay(p)).resolves.toMatchObject({ status: 'approved', amountVnd: 350_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
    expect(sim.charges(p.reference)).toHaveLength(1);
  });

  it('says "unknown" while the terminal cannot be asked, and the truth once it can', async () => {
    // Deaf for 6 s after approving: the payment (1.5 s), the abort (1.5 s) and the statuses (1 s of asking) all go unanswered.
    sim.next({ outcome: 'timeout', offlineMs: 6000 });
    const t = new NexoTerminal(options({ settleTimeoutMs: 1000 }));
    const p = payment();
    const outcome = await t.pay(p);
    t.close();
    expect(outcome).toMatchObject({ status: 'unknown' });
    await new Promise((r) => setTimeout(r, 2500));
    await expect(terminal.paymentStatus(p.attempt)).resolves.toMatchObject({ status: 'approved' });
    expect(sim.charges(p.reference)).toHaveLength(1);
  }, 20_000);

  it('knows a request that never arrived took nothing', async () => {
    sim.next({ outcome: 'lost' });
    const p = payment();
    await expect(terminal.pay(p)).resolves.toEqual({ status: 'not-found' });
    expect(sim.ledger().filter((e) => e.reference === p.reference)).toEqual([]);
  });

  it('refunds an approved payment once; a second refund is refused and the first is found by its id', async () => {
    const p = payment();
    const paid = await terminal.pay(p);
    if (paid.status !== 'approved') throw new Error('not approved');
    const refund = { reference: p.reference, attempt: newAttemptId(), original: paid.transaction, amountVnd: p.amountVnd };
    const refunded = await terminal.refund(refund);
    expect(refunded).toMatchObject({ status: 'refunded' });
    await expect(terminal.refundStatus(refund.attempt)).resolves.toEqual(refunded);
    await expect(terminal.refund({ ...refund, attempt: newAttemptId() })).resolves.toMatchObject({ status: 'refused', reason: 'NotAllowed' });
    expect(sim.charges(p.reference)).toEqual([expect.objectContaining({ state: 'reversed' })]);
    await expect(terminal.refundStatus(newAttemptId())).resolves.toEqual({ status: 'not-found' });
  });

  it('refuses a terminal whose certificate the profile does not trust', async () => {
    const stranger = new NexoTerminal(options({ caPem: selfSignedIdentity('localhost').certPem }));
    try {
      await expect(stranger.pay(payment())).rejects.toMatchObject({ code: 'POS_MISCONFIGURED' });
    } finally {
      stranger.close();
    }
    expect(() => new NexoTerminal(options({ url: 'http://127.0.0.1:1/nexo' }))).toThrow(/https/);
  });

  it('answers "unknown" when the terminal is off the network', async () => {
    const off = new NexoTerminal(options({ url: 'https://127.0.0.1:9/nexo', settleTimeoutMs: 0 }));
    try {
      await expect(off.pay(payment())).resolves.toMatchObject({ status: 'unknown' });
    } finally {
      off.close();
    }
  });
});
