import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import type { LedgerEntry, TerminalScenario } from '../../app/sim/payment-terminal/server.ts';
import { decodeEscPos } from '../../app/sim/printer/escpos-reader.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { decodeBarcodes } from '../integration/print-helpers.ts';
import { openKiosk, type KioskPage } from './kiosk-page.ts';
import { expectKitLayout, LAYOUTS } from './layout-check.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));

/**
 * Paying hospital bills at the kiosk, as Lê Văn Cường (born 1947, a returning patient who owes a
 * lab, an imaging and a pharmacy bill) lives it: in Debian's Chromium against the hospital profile,
 * the payment terminal and the hospital system simulated behind their real protocols. Each case
 * proves from the terminal's own ledger what was charged, and saves portrait screenshots in both
 * languages.
 */
describe.skipIf(!chromiumAvailable || !uiBuilt)('hospital bills in Chromium', { timeout: 240_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  const kiosk = (name: string, terminal: Record<string, unknown> = {}) =>
    openKiosk(browser, {
      prefix: 'bills',
      name,
      mutate: (p) => {
        p.devices.cardReader.persona = 'le-van-cuong';
        p.site.his.autoPayAfterSeconds = 3; // the simulated bank reports a VietQR transfer 3 s after it is announced
        p.site.terminal = { adapter: 'sim', approveAfterMs: 600, ...terminal };
      },
    });

  const control = (k: KioskPage) => k.host.simulators.posControlUrl!;
  const script = (k: KioskPage, ...scenarios: TerminalScenario[]) =>
    fetch(`${control(k)}/scenario`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scenarios }) });
  const ledger = async (k: KioskPage): Promise<LedgerEntry[]> => ((await (await fetch(`${control(k)}/ledger`)).json()) as { entries: LedgerEntry[] }).entries;
  const charged = (entries: LedgerEntry[]) => entries.filter((e) => e.kind === 'payment' && e.state === 'approved');

  /** Start "pay", consent, the card, the face: the bills screen. */
  async function toBills(page: Page) {
    await page.getByTestId('start-pay').click();
    await page.getByTestId('consent-accept').click();
    await page.getByTestId('demo-scan').click();
    await page.getByTestId('site-bills').waitFor({ timeout: 90_000 });
  }

  const amountShown = (page: Page) => page.getByTestId('bills-amount').getAttribute('data-amount');
  const payment = (k: KioskPage) => k.host.db.prepare('SELECT payment_key AS key, state, method, amount_vnd AS amount, receipt_printed_at AS printed FROM hospital_payments ORDER BY rowid').all() as {
    key: string; state: string; method: string; amount: number; printed: string | null;
  }[];

  it('pays the lab bill alone by card: the terminal approves, the hospital records it, one receipt', async () => {
    const k = await kiosk('lab-card');
    try {
      await toBills(k.page);
      await expect(k.page.getByTestId('bill-list').locator('button').count()).resolves.toBe(3);
      await expect(amountShown(k.page)).resolves.toBe(String(43_000 + 13_000 + 21_000));
      await expectKitLayout(k.page, LAYOUTS[0], 'bills');
      await k.shotBoth('1-bills');
      // The insurance part and the patient's part, as the hospital reported them.
      await expect(k.page.getByTestId('bill-laboratory').textContent()).resolves.toMatch(/BHYT trả: 172\.000 đ.*Bạn trả: 43\.000 đ/);
      await k.page.getByTestId('bill-imaging').click();
      await k.page.getByTestId('bill-pharmacy').click();
      await expect(amountShown(k.page)).resolves.toBe('43000');
      await k.shotBoth('2-lab-chosen');
      await k.page.getByTestId('pay-card').click();
      await k.page.getByTestId('site-pay-terminal').waitFor();
      await expectKitLayout(k.page, LAYOUTS[0], 'terminal');
      await k.shotBoth('3-terminal');
      await k.page.getByTestId('site-pay-paid').waitFor({ timeout: 30_000 });
      await expect(k.page.getByTestId('paid-amount').textContent()).resolves.toBe('43.000 đ');
      await expect(k.page.getByTestId('paid-how').textContent()).resolves.toMatch(/^Cách trả: Thẻ ngân hàng · NAPAS · mã duyệt \d{6}$/);
      await expect(k.page.getByTestId('paid-next').textContent()).resolves.toBe('Đến Khoa Xét nghiệm để lấy mẫu.');
      await expect(k.page.getByTestId('paid-printed').getAttribute('data-printed')).resolves.toBe('true');
      await k.shotBoth('4-done');

      const [paid] = payment(k);
      expect(paid).toMatchObject({ state: 'hospital-confirmed', method: 'card', amount: 43_000 });
      expect(charged(await ledger(k))).toEqual([expect.objectContaining({ reference: paid!.key, amountVnd: 43_000, method: 'card' })]);
      // The paper: one receipt, its barcode the payment's key (what the cashier looks it up by).
      const job = decodeEscPos(readFileSync(k.printerFile), 576);
      expect(job.pages).toHaveLength(1);
      const codes = await decodeBarcodes(job.pages[0]!, ['Code128']);
      expect(codes.map((c) => c.text)).toEqual([paid!.key]);
      expect(paid!.printed).not.toBeNull();

      // Staff: the day's reconciliation, by method and state, then each payment.
      await k.page.getByTestId('done').click();
      await k.page.getByTestId('staff-button').click();
      for (const d of '1234') await k.page.getByTestId(`pin-${d}`).click();
      await k.page.getByTestId('pin-ok').click();
      const tally = k.page.getByTestId('payment-tallies').locator('tr[data-method="card"][data-state="hospital-confirmed"]');
      await expect(tally.textContent()).resolves.toBe('Thẻ ngân hàngHoàn tất143.000 đ');
      await expect(k.page.getByTestId('payments').locator(`tr[data-key="${paid!.key}"]`).textContent()).resolves.toContain('HD');
      await k.page.getByTestId('payment-tallies').scrollIntoViewIfNeeded();
      await k.shotBoth('5-maintenance');
    } finally {
      await k.close();
    }
  });

  it('a declined card takes nothing, and the same bills are paid by VietQR', async () => {
    const k = await kiosk('declined-vietqr');
    try {
      await script(k, { outcome: 'decline' });
      await toBills(k.page);
      await k.page.getByTestId('pay-card').click();
      await k.page.getByTestId('bills-problem').waitFor({ timeout: 30_000 });
      await expect(k.page.getByTestId('bills-problem').textContent()).resolves.toContain('Bạn chưa bị trừ tiền');
      await expectKitLayout(k.page, LAYOUTS[0], 'declined');
      await k.shotBoth('1-declined');
      expect(charged(await ledger(k))).toEqual([]);
      await k.page.getByTestId('pay-vietqr').click();
      await k.page.getByTestId('site-pay-vietqr').waitFor();
      await k.page.getByTestId('vietqr').waitFor();
      await k.shotBoth('2-vietqr');
      const payload = await k.page.getByTestId('vietqr').getAttribute('data-payload');
      const [declined, transfer] = payment(k);
      expect(payload).toContain(transfer!.key);
      expect(payload).toContain('5405' + '77000');
      // The bank reports the transfer (3 s); the screen moves on by itself.
      await k.page.getByTestId('site-pay-paid').waitFor({ timeout: 30_000 });
      await k.shotBoth('3-done');
      expect(payment(k).map((p) => [p.method, p.state])).toEqual([['card', 'declined'], ['vietqr', 'hospital-confirmed']]);
      expect(declined!.amount).toBe(77_000);
      expect(charged(await ledger(k))).toEqual([]);
    } finally {
      await k.close();
    }
  });

  it('pays the imaging and pharmacy bills with an e-wallet, choosing them after unchoosing all', async () => {
    const k = await kiosk('ewallet');
    try {
      await toBills(k.page);
      for (const kind of ['laboratory', 'imaging', 'pharmacy']) await k.page.getByTestId(`bill-${kind}`).click();
      await k.page.getByTestId('bills-none').waitFor();
      await expect(k.page.getByTestId('pay-ewallet').count()).resolves.toBe(0);
      await k.shotBoth('1-none-chosen');
      await k.page.getByTestId('bill-imaging').click();
      await k.page.getByTestId('bill-pharmacy').click();
      await expect(amountShown(k.page)).resolves.toBe('34000');
      await k.page.getByTestId('pay-ewallet').click();
      await k.page.getByTestId('site-pay-terminal').waitFor();
      await expect(k.page.getByTestId('pay-instructions').getAttribute('data-method')).resolves.toBe('ewallet');
      await k.shotBoth('2-terminal-ewallet');
      await k.page.getByTestId('site-pay-paid').waitFor({ timeout: 30_000 });
      await k.shotBoth('3-done');
      expect(charged(await ledger(k))).toEqual([expect.objectContaining({ method: 'ewallet', amountVnd: 34_000 })]);
      // The lab bill is still due at the hospital.
      await k.page.getByTestId('done').click();
      await k.page.getByTestId('welcome').waitFor();
      await toBills(k.page);
      await expect(k.page.getByTestId('bill-list').locator('button').count()).resolves.toBe(1);
      await expect(amountShown(k.page)).resolves.toBe('43000');
    } finally {
      await k.close();
    }
  });

  it('the terminal falls silent after approving: the kiosk says it does not know yet, and checking again charges nothing more', async () => {
    // The terminal takes the money, then its answers are lost for 20 s (a network drop).
    const k = await kiosk('pos-timeout', { paymentTimeoutSeconds: 10, requestTimeoutMs: 1500, settleSeconds: 2 });
    try {
      await script(k, { outcome: 'timeout', offlineMs: 20_000 });
      await toBills(k.page);
      await k.page.getByTestId('bill-imaging').click();
      await k.page.getByTestId('bill-pharmacy').click();
      await k.page.getByTestId('pay-card').click();
      await k.page.getByTestId('site-pay-unknown').waitFor({ timeout: 40_000 });
      await expectKitLayout(k.page, LAYOUTS[0], 'payment unknown');
      await k.shotBoth('1-unknown');
      expect(payment(k)).toEqual([expect.objectContaining({ state: 'started', amount: 43_000 })]);
      const [first] = charged(await ledger(k));
      // Until the terminal answers, asking again says the same; then it settles, once.
      await k.page.waitForTimeout(Math.max(0, Date.parse(first!.at) + 21_000 - Date.now()));
      await k.page.getByTestId('pay-ask-again').click();
      await k.page.getByTestId('site-pay-paid').waitFor({ timeout: 30_000 });
      await k.shotBoth('2-done');
      const entries = await ledger(k);
      expect(charged(entries)).toHaveLength(1);
      expect(entries.filter((e) => e.kind === 'payment')).toHaveLength(1);
      expect(payment(k)).toEqual([expect.objectContaining({ state: 'hospital-confirmed', key: first!.reference })]);
    } finally {
      await k.close();
    }
  });
});
