import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir, startKioskHost } from '../../app/host/kiosk-host.ts';
import { decodeEscPos } from '../../app/sim/printer/escpos-reader.ts';
import { decodeBarcodes } from '../integration/print-helpers.ts';
import { chromiumAvailable, launchBrowser, screenshotsDir } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const otherFace = join(process.cwd(), 'test/fixtures/faces');

/**
 * The hospital journey as a patient lives it, in Debian's Chromium against the hospital profile
 * with every simulator embedded. Each case saves screenshots of the screens it passes.
 */
describe.skipIf(!chromiumAvailable || !uiBuilt)('hospital registration in Chromium', { timeout: 180_000 }, () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function kiosk(name: string, mutate?: (p: any) => void, base = 'hospital') {
    const dir = tempDir(`e2e-${name}`);
    const profile = tempProfile(base, dir.path, mutate);
    const host = await startKioskHost({ profile: profile.file, port: 0 });
    const page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    // A script error in the kiosk page is a test failure worth seeing in the log.
    page.on('pageerror', (e) => console.error(`[e2e ${name}] page error: ${e.message}`));
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('welcome').waitFor();
    const shot = (step: string) => page.screenshot({ path: join(screenshotsDir, `hospital-${name}-${step}.png`) });
    /** The same screen in the other language too (and back), for a person reading either. */
    const shotBoth = async (step: string) => {
      await shot(`${step}-vi`);
      await page.getByTestId('language-toggle').click();
      await shot(`${step}-en`);
      await page.getByTestId('language-toggle').click();
    };
    const close = async () => {
      await page.close();
      await host.close();
      dir.cleanup();
    };
    return { host, page, shot, shotBoth, printerFile: profile.printerFile, close };
  }

  async function throughVerification(page: Page, shot: (s: string) => Promise<unknown>) {
    await page.getByTestId('start').click();
    await page.getByTestId('step-consent').waitFor();
    await shot('1-consent');
    await page.getByTestId('consent-accept').click();
    await page.getByTestId('step-present-card').waitFor();
    await shot('2-present-card');
    await page.getByTestId('demo-scan').click();
    await page.getByTestId('step-place-card').or(page.getByTestId('step-reading')).first().waitFor();
  }

  async function register(page: Page, shot: (s: string) => Promise<unknown>, exam: 'insurance' | 'service') {
    await throughVerification(page, shot);
    await page.getByTestId('step-reading').waitFor({ timeout: 45_000 });
    await shot('3-reading');
    await page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
    await shot('4-exam-type');
    await page.getByTestId(`exam-${exam}`).click();
    await page.getByTestId('site-department').waitFor();
    await shot('5-department');
    await page.getByTestId('clinic-p101').click();
    if (exam === 'service') {
      await page.getByTestId('site-payment').waitFor();
      await page.getByTestId('vietqr').waitFor();
      await shot('6-payment');
      await page.getByTestId('pay-later').click();
    }
    await page.getByTestId('step-done').waitFor({ timeout: 45_000 });
    await page.getByTestId('ticket-preview').waitFor();
    await shot('7-done');
  }

  it('registers a new patient on BHYT, prints the ticket and shows it on screen; then the same patient returns', async () => {
    const k = await kiosk('new-patient');
    try {
      const started = Date.now();
      await register(k.page, k.shot, 'insurance');
      const queueNumber = await k.page.getByTestId('summary-queueNumber').textContent();
      expect(queueNumber).toMatch(/^\d{4}$/);
      await expect(k.page.getByTestId('summary-patient').textContent()).resolves.toBe('Nguyễn Văn An');
      console.log(`[e2e] new patient: welcome to ticket on screen in ${Date.now() - started} ms (clicks included)`);

      // The paper: decode the ESC/POS the file printer received and read its QR.
      const job = decodeEscPos(readFileSync(k.printerFile), 576);
      expect(job.pages).toHaveLength(1);
      const [qr] = await decodeBarcodes(job.pages[0]!, ['QRCode']);
      expect(qr?.text).toMatch(/^[A-Za-z0-9-]{4,32}$/);
      const encounter = await fetch(`${k.host.simulators.hisUrl}/Encounter/${qr!.text}`);
      expect(encounter.status).toBe(200);

      await k.page.getByTestId('done').click();
      await k.page.getByTestId('welcome').waitFor();

      // Second visit the same day: the hospital knows the patient now.
      await throughVerification(k.page, async () => undefined);
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
      await expect(k.page.locator('.step .lead').first().textContent()).resolves.toBe('Chào mừng bạn quay lại khám.');
      await k.shot('returning');
      await k.page.getByTestId('cancel').click();

      // Staff: today's registration shows only initials; a lost ticket prints again, once.
      await k.page.getByTestId('staff-button').click();
      for (const d of '1234') await k.page.getByTestId(`pin-${d}`).click();
      await k.page.getByTestId('pin-ok').click();
      await k.page.getByTestId('maintenance').waitFor();
      const registrations = await k.page.getByTestId('registrations').textContent();
      expect(registrations).toContain('N.V.A.');
      expect(registrations).not.toContain('Nguyễn');
      await k.page.getByTestId('reprint-1').click();
      await k.page.getByTestId('print-jobs').getByText('#2').waitFor();
      await k.page.screenshot({ path: join(screenshotsDir, 'hospital-maintenance-vi.png'), fullPage: true });
      await k.page.getByTestId('language-toggle').click();
      await k.page.screenshot({ path: join(screenshotsDir, 'hospital-maintenance-en.png'), fullPage: true });
      expect(decodeEscPos(readFileSync(k.printerFile), 576).pages).toHaveLength(2);
      expect(k.host.audit.recent(10).map((r) => r.action)).toContain('print.reprint');
    } finally {
      await k.close();
    }
  });

  it('lets a patient who saved their face start without the card, and delete it again (demo profile)', async () => {
    const k = await kiosk('returning-by-face', undefined, 'demo');
    try {
      await register(k.page, async () => undefined, 'insurance');
      await k.page.getByTestId('enrol-offer').waitFor();
      await k.shotBoth('enrol-offer');
      await k.page.getByTestId('enrol-yes').click();
      await k.page.getByTestId('enrol-done').waitFor();
      await k.page.getByTestId('done').click();

      // Next visit: the face alone.
      await k.page.getByTestId('start-face').click();
      await k.page.getByTestId('step-consent').waitFor();
      await k.page.getByTestId('consent-accept').click();
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
      await k.shotBoth('recognised-exam-type');
      await expect(k.page.locator('.step .lead').first().textContent()).resolves.toBe('Chào mừng bạn quay lại khám.');
      await k.page.getByTestId('exam-insurance').click();
      await k.page.getByTestId('clinic-p103').click();
      await k.page.getByTestId('face-recognised').waitFor({ timeout: 45_000 });
      await k.page.getByTestId('face-remove').click();
      await k.page.getByTestId('face-removed').waitFor();
      const actions = k.host.audit.recent(80).map((r) => r.action);
      expect(actions).toEqual(expect.arrayContaining(['face.enrolled', 'journey.face-identified', 'face.removed']));
      await k.page.getByTestId('done').click();

      // Deleted means deleted: the face alone no longer opens the journey; the card is asked for.
      await k.page.getByTestId('start-face').click();
      await k.page.getByTestId('consent-accept').click();
      await k.page.getByTestId('key-problem').waitFor({ timeout: 45_000 });
      await expect(k.page.getByTestId('key-problem').textContent()).resolves.toBe('Ki-ốt chưa nhận ra bạn. Vui lòng dùng thẻ để xác nhận.');
    } finally {
      await k.close();
    }
  });

  it('offers a VietQR payment for a service visit, in English', async () => {
    const k = await kiosk('service-en');
    try {
      await k.page.getByTestId('language-toggle').click();
      await register(k.page, k.shot, 'service');
      await expect(k.page.getByTestId('step-done').textContent()).resolves.toContain('All done!');
    } finally {
      await k.close();
    }
  });

  it('tells a returning patient in words that the BHYT card has expired and offers only a paid visit', async () => {
    const k = await kiosk('bhyt-expired', (p) => {
      p.devices.cardReader.persona = 'le-van-cuong';
    });
    try {
      await throughVerification(k.page, async () => undefined);
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
      await expect(k.page.getByTestId('insurance-result').getAttribute('data-status')).resolves.toBe('expired');
      await expect(k.page.getByTestId('insurance-result').textContent()).resolves.toContain('Thẻ bảo hiểm y tế đã hết hạn');
      await expect(k.page.locator('.step .lead').first().textContent()).resolves.toBe('Chào mừng bạn quay lại khám.');
      await expect(k.page.getByTestId('exam-insurance').count()).resolves.toBe(0);
      await k.shotBoth('exam-type');
      await k.page.getByTestId('exam-service').click();
      await k.page.getByTestId('site-department').waitFor();
    } finally {
      await k.close();
    }
  });

  it('stops a cloned chip with valid data (passive authentication alone would pass it)', async () => {
    const k = await kiosk('cloned-chip', (p) => {
      p.devices.cardReader.simulate = 'cloned';
    });
    try {
      await throughVerification(k.page, async () => undefined);
      await k.page.getByTestId('step-failed').waitFor({ timeout: 45_000 });
      await expect(k.page.getByTestId('step-failed').getAttribute('data-code')).resolves.toBe('CHIP_CLONE_SUSPECTED');
      await k.shotBoth('failed');
      const read = k.host.audit.recent(20).find((r) => r.action === 'journey.read');
      expect(JSON.parse(read!.detail)).toMatchObject({ passiveAuth: 'PA_OK', chipAuth: 'CHIP_CLONE_SUSPECTED', access: 'PACE-CAN' });
    } finally {
      await k.close();
    }
  });

  it('refuses a face that is not the card holder', async () => {
    const k = await kiosk('face-mismatch', (p) => {
      p.devices.camera.path = join(otherFace, 'persons/eileen-collins');
      p.journey = { maxFaceAttempts: 1 };
    });
    try {
      await throughVerification(k.page, k.shot);
      await k.page.getByTestId('step-failed').waitFor({ timeout: 40_000 });
      await expect(k.page.getByTestId('step-failed').getAttribute('data-code')).resolves.toMatch(/^FACE_(NO_MATCH|UNCERTAIN)$/);
      await k.shotBoth('failed');
      await expect(k.page.getByTestId('retry').count()).resolves.toBe(0);
    } finally {
      await k.close();
    }
  });

  it('registers and flags the visit when the central service is unreachable (allow-offline)', async () => {
    const k = await kiosk('rar-offline');
    try {
      k.host.simulators.rar!.setFault({ kind: 'status', status: 503 }, 1000);
      await register(k.page, k.shot, 'insurance');
      const flagged = k.host.db.prepare("SELECT COUNT(*) AS n FROM rar_verifications WHERE origin = 'offline'").get() as { n: number };
      expect(flagged.n).toBeGreaterThan(0);
      expect(k.host.audit.recent(40).map((r) => r.detail).join(' ')).toContain('"verdict":"PENDING"');
    } finally {
      await k.close();
    }
  });

  it('says the card was lifted when it leaves the reader mid-read, and reads again on retry', async () => {
    const k = await kiosk('card-removed');
    try {
      k.host.simulateCardPullOut!(12);
      await throughVerification(k.page, k.shot);
      await k.page.getByTestId('step-failed').waitFor({ timeout: 45_000 });
      await expect(k.page.getByTestId('failed-message').textContent()).resolves.toBe('Thẻ đã bị nhấc ra trước khi đọc xong.');
      await k.shotBoth('failed');
      await k.page.getByTestId('retry').click();
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
    } finally {
      await k.close();
    }
  });

  it('counts down and returns to the start when the patient walks away, wiping the screen', async () => {
    const k = await kiosk('idle', (p) => {
      p.kiosk.idleSeconds = 10;
      p.kiosk.idleCountdownSeconds = 4;
    });
    try {
      await throughVerification(k.page, async () => undefined);
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
      await k.page.getByTestId('idle-dialog').waitFor({ timeout: 15_000 });
      await k.shot('countdown-vi');
      // "I am still here" keeps the session; in English the countdown comes back later, then resets.
      await k.page.getByTestId('idle-dialog').getByRole('button').click();
      await k.page.getByTestId('idle-dialog').waitFor({ state: 'detached' });
      await k.page.getByTestId('language-toggle').click();
      await k.page.getByTestId('idle-dialog').waitFor({ timeout: 15_000 });
      await k.shot('countdown-en');
      await k.page.getByTestId('welcome').waitFor({ timeout: 10_000 });
      await expect(k.page.content()).resolves.not.toContain('Nguyễn Văn An');
      expect(k.host.journey.view()).toEqual({ state: { step: 'welcome' }, busy: false });
    } finally {
      await k.close();
    }
  });
});
