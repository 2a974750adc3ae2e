import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import { decodeEscPos } from '../../app/sim/printer/escpos-reader.ts';
import { decodeBarcodes } from '../integration/print-helpers.ts';
import { startHisSim } from '../../app/sites/hospital/sim/his/server.ts';
import { chromiumAvailable, launchBrowser, screenshotsDir } from '../support/browser.ts';
import { openKiosk } from './kiosk-page.ts';
import { everyLayout, expectKitLayout, LAYOUTS } from './layout-check.ts';

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

  const kiosk = (name: string, mutate?: (p: any) => void, base = 'hospital', screen: 'portrait' | 'landscape' = 'portrait', timezoneId?: string) =>
    openKiosk(browser, { prefix: 'hospital', name, base, screen, ...(mutate ? { mutate } : {}), ...(timezoneId ? { timezoneId } : {}) });

  async function throughVerification(page: Page, shot: (s: string) => Promise<unknown>) {
    await page.getByTestId('start-register').click();
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
    await page.getByTestId('ticket-qr').waitFor();
    await shot('7-done');
  }

  it('registers a new patient on BHYT, prints the ticket and shows it on screen; then the same patient returns', async () => {
    // The kiosk PC's own clock is set to New York: every time on screen must still be the site's (Vietnam).
    const k = await kiosk('new-patient', undefined, 'hospital', 'portrait', 'America/New_York');
    try {
      const started = Date.now();
      await register(k.page, k.shot, 'insurance');
      const queueNumber = await k.page.getByTestId('ticket-number').textContent();
      expect(queueNumber).toMatch(/^\d{4}$/);
      await expect(k.page.getByTestId('ticket-name').textContent()).resolves.toBe('Nguyễn Văn An');
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
      await expect(k.page.getByTestId('patient-record').textContent()).resolves.toBe('Chào mừng bạn quay lại khám.');
      await k.shot('returning');
      // …and registers again (a second ticket the same day): staff will see it flagged.
      await k.page.getByTestId('exam-insurance').click();
      await k.page.getByTestId('clinic-p101').click();
      await k.page.getByTestId('step-done').waitFor({ timeout: 45_000 });
      await k.page.getByTestId('done').click();
      await k.page.getByTestId('welcome').waitFor();

      // Staff: today's registration shows only initials; a lost ticket prints again, once.
      await k.page.getByTestId('staff-button').click();
      for (const d of '1234') await k.page.getByTestId(`pin-${d}`).click();
      await k.page.getByTestId('pin-ok').click();
      await k.page.getByTestId('maintenance').waitFor();
      const registrations = await k.page.getByTestId('registrations').textContent();
      expect(registrations).toContain('N.V.A.');
      expect(registrations).not.toContain('Nguyễn');
      // The same patient registered twice today: both rows say so.
      const flags = await k.page.getByTestId('registration-flags').allTextContents();
      expect(flags).toEqual(['đăng ký 2 lần hôm nay', 'đăng ký 2 lần hôm nay']);
      await k.shot('maintenance-repeat');
      // Times as the ticket prints them (Vietnam), not as the PC's zone would show them.
      const visit = k.host.db.prepare('SELECT registered_at AS at FROM hospital_visits ORDER BY registered_at DESC LIMIT 1').get() as { at: string };
      const siteTime = (iso: string, timeZone = 'Asia/Ho_Chi_Minh') =>
        new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
      await expect(k.page.getByTestId('registration-time').first().textContent()).resolves.toBe(siteTime(visit.at));
      expect(siteTime(visit.at)).not.toBe(siteTime(visit.at, 'America/New_York'));
      // Each print job says which ticket it is, so "print again" is no guesswork.
      const jobRow = k.page.getByTestId('print-job-1');
      await expect(jobRow.textContent()).resolves.toContain(`Phiếu ${queueNumber}`);
      const printed = k.host.db.prepare('SELECT created_at AS at FROM print_jobs WHERE id = 1').get() as { at: string };
      await expect(jobRow.getByTestId('print-job-time').textContent()).resolves.toBe(siteTime(printed.at));
      await k.page.getByTestId('reprint-1').click();
      await k.page.getByTestId('print-job-3').waitFor();
      await expect(k.page.getByTestId('print-job-3').textContent()).resolves.toContain(`Phiếu ${queueNumber}`);
      // Configuration labels and audit events in words, in either language.
      await expect(k.page.getByTestId('config').textContent()).resolves.toContain('Múi giờAsia/Ho_Chi_Minh');
      await expect(k.page.getByTestId('audit').textContent()).resolves.toContain('In lại phiếu');
      await expect(k.page.getByTestId('config').textContent()).resolves.not.toMatch(/profile|terminal|idle|countdown|retention|admin PIN/);
      await expect(k.page.getByTestId('print-jobs').textContent()).resolves.not.toMatch(/\b(done|ticket|failed)\b/);
      await expect(k.page.getByTestId('audit').textContent()).resolves.not.toMatch(/\b(admin|journey|print|hospital|kiosk)\.[a-z-]+/);
      // As staff first see it: from the top (the clicks above scrolled down to the print jobs).
      await k.page.getByTestId('content').evaluate((e) => e.scrollTo(0, 0));
      await everyLayout(k.page, 'hospital', 'maintenance');
      await k.page.getByTestId('content').evaluate((e) => e.scrollTo(0, e.scrollHeight));
      await k.shot('maintenance-end-portrait-vi');
      await k.page.getByTestId('language-toggle').click();
      await expect(k.page.getByTestId('audit').textContent()).resolves.toContain('Ticket printed again');
      expect(decodeEscPos(readFileSync(k.printerFile), 576).pages).toHaveLength(3);
      expect(k.host.audit.recent(10).map((r) => r.action)).toContain('print.reprint');
    } finally {
      await k.close();
    }
  });

  it('lets a patient who saved their face start without the card, and delete it again (demo profile)', async () => {
    const k = await kiosk('returning-by-face', undefined, 'demo');
    try {
      await register(k.page, async () => undefined, 'insurance');
      // The offer is its own step, behind a quiet button on the done screen.
      await k.page.getByTestId('enrol-ask').click();
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
      await expect(k.page.getByTestId('patient-record').textContent()).resolves.toBe('Chào mừng bạn quay lại khám.');
      await k.page.getByTestId('exam-insurance').click();
      await k.page.getByTestId('clinic-p103').click();
      await k.page.getByTestId('face-remove-ask').click({ timeout: 45_000 });
      await k.page.getByTestId('face-recognised').waitFor();
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

  for (const [screen, lang] of [['portrait', 'vi'], ['landscape', 'en']] as const) {
    it(`moves on by itself once the bank confirms, and Cancel gives the visit back (${screen}, ${lang})`, async () => {
      // The hospital's own system, outside the kiosk: its simulated bank confirms 8 s after billing.
      const his = await startHisSim({ serviceFeeVnd: 150_000, autoPayAfterMs: 8_000 });
      const k = await kiosk(`payment-${screen}-${lang}`, (p) => {
        p.site.his = { adapter: 'fhir', baseUrl: his.url };
      }, 'hospital', screen);
      const at = (status: string) => his.store.where('Encounter', { '$.location[0].location.reference': 'Location/p101', '$.status': status }).length;
      const toPayment = async () => {
        if (lang === 'en') await k.page.getByTestId('language-toggle').click();
        await throughVerification(k.page, async () => undefined);
        await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
        await k.page.getByTestId('exam-service').click();
        await k.page.getByTestId('clinic-p101').click();
        await k.page.getByTestId('vietqr').waitFor({ timeout: 30_000 });
      };
      try {
        // Nobody has done anything yet: the screen waits, it does not say the payment failed.
        await toPayment();
        await expect(k.page.getByTestId('payment-status').textContent()).resolves.toContain(lang === 'vi' ? 'Đang chờ thanh toán' : 'Waiting for your payment');
        await expectKitLayout(k.page, LAYOUTS.find((l) => l.name === screen)!, 'payment');
        await k.shotBoth('payment');
        // No button pressed: the bank confirms and the ticket comes by itself.
        await k.page.getByTestId('step-done').waitFor({ timeout: 30_000 });
        await expect(k.page.getByTestId('ticket-payment').textContent()).resolves.not.toBe('');
        await k.shot(`payment-done-by-itself-${lang}`);
        await k.page.getByTestId('done').click();
        await k.page.getByTestId('welcome').waitFor();

        // Second person: Cancel on the QR. The hospital's queue is as it was, the visit cancelled.
        const waitingBefore = at('arrived');
        await toPayment();
        expect(at('arrived')).toBe(waitingBefore + 1);
        await k.page.getByTestId('pay-cancel').click();
        await k.page.getByTestId('site-payment-cancelled').waitFor();
        await expectKitLayout(k.page, LAYOUTS.find((l) => l.name === screen)!, 'payment cancelled');
        await k.shotBoth('payment-cancelled');
        expect(at('arrived')).toBe(waitingBefore);
        expect(at('cancelled')).toBe(1);
        await k.page.getByTestId('home').click();
        await k.page.getByTestId('welcome').waitFor();
      } finally {
        await k.close();
        await his.close();
      }
    });
  }

  it('tells a returning patient in words that the BHYT card has expired and offers only a paid visit', async () => {
    const k = await kiosk('bhyt-expired', (p) => {
      p.devices.cardReader.persona = 'le-van-cuong';
    });
    try {
      await throughVerification(k.page, async () => undefined);
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
      await expect(k.page.getByTestId('insurance-result').getAttribute('data-status')).resolves.toBe('expired');
      await expect(k.page.getByTestId('insurance-result').textContent()).resolves.toContain('Thẻ bảo hiểm y tế đã hết hạn');
      await expect(k.page.getByTestId('patient-record').textContent()).resolves.toBe('Chào mừng bạn quay lại khám.');
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
      // Plain words for the patient; the code only small, for staff.
      await expect(k.page.getByTestId('failed-message').textContent()).resolves.toBe('Không xác nhận được chip trên thẻ là chip thật.');
      await expect(k.page.getByTestId('staff-code').textContent()).resolves.toBe('Mã cho nhân viên: CHIP_CLONE_SUSPECTED');
      await expectKitLayout(k.page, LAYOUTS[0], 'cloned chip failure');
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
      await expectKitLayout(k.page, LAYOUTS[0], 'face mismatch failure');
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
      await expectKitLayout(k.page, LAYOUTS[0], 'card lifted failure');
      await k.page.getByTestId('retry').click();
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
    } finally {
      await k.close();
    }
  });

  it('keeps a list of 20 clinics reachable from its top in landscape, and shows the done screen whole', async () => {
    // A bigger hospital than the demo one: four departments of five clinics, served over FHIR.
    const departments = Array.from({ length: 4 }, (_, d) => ({
      id: `dept-${d + 1}`, vi: `Khoa số ${d + 1}`, en: `Department ${d + 1}`,
      clinics: Array.from({ length: 5 }, (_, c) => ({
        locationId: `r${d + 1}0${c + 1}`, serviceId: `svc-${d + 1}-${c + 1}`, vi: `Phòng khám số ${d * 5 + c + 1}`, en: `Clinic ${d * 5 + c + 1}`,
        room: `P.${d + 1}0${c + 1} – Tầng ${d + 1}`, waiting: c,
      })),
    }));
    const his = await startHisSim({ departments });
    const k = await kiosk('twenty-clinics', (p) => {
      p.site.his = { adapter: 'fhir', baseUrl: his.url };
    }, 'hospital', 'landscape');
    try {
      const landscape = LAYOUTS[1];
      await throughVerification(k.page, async () => undefined);
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
      await k.page.getByTestId('exam-insurance').click();
      await k.page.getByTestId('site-department').waitFor();
      await expect(k.page.locator('[data-testid^="clinic-"]').count()).resolves.toBe(20);
      // The list starts at its top: the title and the first clinic are on screen and take a touch.
      await expectKitLayout(k.page, landscape, '20 clinics');
      const title = await k.page.locator('.content h1').boundingBox();
      expect(title!.y).toBeGreaterThan(0);
      await k.page.getByTestId('clinic-r101').click({ trial: true });
      const first = await k.page.getByTestId('clinic-r101').boundingBox();
      expect(first!.y + first!.height).toBeLessThanOrEqual(landscape.viewport.height);
      await k.page.screenshot({ path: join(screenshotsDir, 'hospital-twenty-clinics-top-landscape-vi.png') });
      // The last one is reached by scrolling, and Cancel stays on screen all the while.
      await k.page.getByTestId('clinic-r405').scrollIntoViewIfNeeded();
      await k.page.getByTestId('clinic-r405').click({ trial: true });
      await k.page.getByTestId('cancel').click({ trial: true });
      await k.page.screenshot({ path: join(screenshotsDir, 'hospital-twenty-clinics-end-landscape-vi.png') });
      await k.page.getByTestId('content').evaluate((e) => e.scrollTo(0, 0));
      await k.page.getByTestId('clinic-r101').click();
      await k.page.getByTestId('step-done').waitFor({ timeout: 45_000 });
      await k.page.getByTestId('ticket-qr').waitFor();
      // The done screen: title whole, the Finish button whole and on screen.
      await expectKitLayout(k.page, landscape, 'done');
      const finish = await k.page.getByTestId('done').boundingBox();
      expect(finish!.y + finish!.height).toBeLessThanOrEqual(landscape.viewport.height);
      await k.page.screenshot({ path: join(screenshotsDir, 'hospital-twenty-clinics-done-landscape-vi.png') });
    } finally {
      await k.close();
      await his.close();
    }
  });

  it('checks a typed ID digit by digit, refuses an impossible one before any card read, and keeps the digits to correct', async () => {
    const k = await kiosk('typed-id');
    try {
      await k.page.getByTestId('start-register').click();
      await k.page.getByTestId('consent-accept').click();
      await k.page.getByTestId('step-present-card').waitFor();
      const type = async (digits: string) => {
        for (const d of digits) await k.page.getByTestId(`id-${d}`).click();
      };
      const problem = () => k.page.getByTestId('key-problem').textContent();
      // 000…: no province has code 000; said at the third digit, and OK never opens.
      await type('000');
      await expect(problem()).resolves.toContain('«000» không phải mã tỉnh');
      await expectKitLayout(k.page, LAYOUTS[0], 'impossible ID');
      await type('000000000');
      await expect(k.page.getByTestId('typed-id').getAttribute('data-digits')).resolves.toBe('000000000000');
      await expect(k.page.getByTestId('id-ok').isDisabled()).resolves.toBe(true);
      await k.shot('impossible-id-vi');
      // A century still to come (digit 4 = 4: born in the 2100s), a birth year after this one.
      await k.page.getByTestId('id-clear-all').click();
      await type('0014');
      await expect(problem()).resolves.toContain('Số thứ tư «4»');
      for (let i = 0; i < 4; i++) await k.page.getByTestId('id-backspace').click();
      await type('001299');
      await expect(problem()).resolves.toContain('năm sinh 2099');
      await expect(k.page.getByTestId('id-ok').isDisabled()).resolves.toBe(true);
      // Nothing reached the card: no read, no key given, the journey still waits for a key.
      let actions = k.host.audit.recent(50).map((r) => r.action);
      expect(actions).not.toContain('journey.read');
      expect(actions).not.toContain('journey.key-rejected');
      expect(k.host.journey.view().state).toEqual({ step: 'present-card', keyGiven: false });
      // A possible number that is not this card's: the chip refuses it; the digits stay for a correction.
      await k.page.getByTestId('id-clear-all').click();
      await type('001092012346');
      await k.page.getByTestId('id-ok').click();
      await k.page.getByTestId('key-problem').waitFor({ timeout: 45_000 });
      await expect(problem()).resolves.toBe('Số định danh không khớp với thẻ. Vui lòng kiểm tra và nhập lại.');
      await expect(k.page.getByTestId('typed-id').getAttribute('data-digits')).resolves.toBe('001092012346');
      await k.shot('wrong-key-vi');
      await k.page.getByTestId('id-backspace').click();
      await type('5');
      await k.page.getByTestId('id-ok').click();
      await k.page.getByTestId('site-exam-type').waitFor({ timeout: 60_000 });
      actions = k.host.audit.recent(80).map((r) => r.action);
      expect(actions).toContain('journey.read');
    } finally {
      await k.close();
    }
  });

  it('says what declining consent means and where to register instead', async () => {
    const k = await kiosk('declined');
    try {
      await k.page.getByTestId('start-register').click();
      await k.page.getByTestId('consent-decline').click();
      await k.page.getByTestId('declined').waitFor();
      await expect(k.page.getByTestId('declined-counter').textContent()).resolves.toBe('Bạn vẫn có thể đăng ký khám tại quầy tiếp đón.');
      await k.shotBoth('declined');
      expect(k.host.audit.recent(10).map((r) => r.action)).toContain('journey.consent-declined');
      expect(k.host.journey.view().state).toEqual({ step: 'welcome' });
      await k.page.getByTestId('home').click();
      await k.page.getByTestId('welcome').waitFor();
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
      // The dialog covers everything, the screen's own action bar included.
      const covered = await k.page.getByTestId('cancel').evaluate((b) => {
        const r = b.getBoundingClientRect();
        return document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)?.closest('[data-testid="idle-dialog"]') !== null;
      });
      expect(covered).toBe(true);
      // "I am still here" keeps the session; in English the countdown comes back later, then resets.
      await k.page.getByTestId('idle-dialog').getByRole('button').click();
      await k.page.getByTestId('idle-dialog').waitFor({ state: 'detached' });
      await k.page.getByTestId('language-toggle').click();
      await k.page.getByTestId('idle-dialog').waitFor({ timeout: 15_000 });
      await k.shot('countdown-en');
      await k.page.getByTestId('welcome').waitFor({ timeout: 10_000 });
      await expect(k.page.content()).resolves.not.toContain('Nguyễn Văn An');
      expect(k.host.journey.view()).toEqual({ state: { step: 'welcome' }, seq: expect.any(Number), busy: false });
    } finally {
      await k.close();
    }
  });
});
