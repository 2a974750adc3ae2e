import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { JourneyView } from '../../app/core/journey/view.ts';
import { PAPER_80 } from '../../app/core/receipts/document.ts';
import { queueTicket } from '../../app/core/receipts/templates/queue-ticket.ts';
import { insuranceResult } from '../../app/sites/hospital/common/insurance.ts';
import { buildVietQr } from '../../app/core/payments/vietqr.ts';
import { defaultUiDir, startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { renderPreviewPng } from '../../app/platform/printer/render.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { everyLayout, expectKitLayout, inspectLayout, LAYOUTS, useLanguage } from './layout-check.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const holder = { fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17' };

/** Exam-type data as the hospital flow shows it, for an insurance result code of the BHXH gateway. */
function examType(resultCode: string, returning: boolean): JourneyView {
  const insurance = insuranceResult(resultCode);
  return {
    state: { step: 'site', siteStep: 'exam-type' },
    busy: false,
    holder,
    site: {
      siteStep: 'exam-type',
      data: {
        returning,
        insurance: { status: insurance.status, advice: insurance.advice, code: insurance.code, message: insurance.message },
        options: insurance.advice === 'insurance' ? ['insurance', 'service'] : ['service'],
        serviceFeeVnd: 150_000,
      },
    },
  };
}

/** A big hospital: four departments of five clinics, so the list is taller than any screen. */
const bigHospital = Array.from({ length: 4 }, (_, d) => ({
  id: `dept-${d + 1}`,
  name: ['Khoa Khám bệnh', 'Khoa Nội', 'Khoa Ngoại', 'Khoa Chuyên khoa lẻ'][d]!,
  clinics: Array.from({ length: 5 }, (_, c) => ({
    id: `p${d + 1}0${c + 1}`,
    name: `Phòng khám số ${d * 5 + c + 1}`,
    room: `P.${d + 1}0${c + 1} – Tầng ${d + 1}`,
    queueLength: (d * 5 + c) % 4,
  })),
}));

/**
 * Every screen of the hospital kiosk, on the UI kit, in portrait (1080×1920) and landscape
 * (1920×1080) and in both languages: each checked against the kit's type scale and layout rules
 * (text and heading minimums, nothing wider than the screen, the title never cut off, no raw code in
 * the patient's view) and saved as test-results/screenshots/screen-*.png.
 * The real host serves the real UI; the journey's views are pushed through the host's own event
 * bus, so screens that pass in a blink in a real check-in (reading, verifying, printing) hold still.
 */
describe.skipIf(!chromiumAvailable || !uiBuilt)('every hospital screen on the UI kit', { timeout: 600_000 }, () => {
  let browser: Browser;
  let host: KioskHost;
  let page: Page;
  const dir = tempDir('e2e-screens');
  const missing: string[] = [];

  beforeAll(async () => {
    // The done screen closes itself after kiosk.doneSeconds: long enough here for every screenshot.
    const profile = tempProfile('hospital', dir.path, (p) => {
      p.kiosk.doneSeconds = 120;
    });
    host = await startKioskHost({ profile: profile.file, port: 0 });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: LAYOUTS[0].viewport });
    page.on('pageerror', (e) => console.error(`[e2e screens] page error: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) missing.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${host.url}#token=${host.token}`);
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('status-banner').waitFor();
  });
  // Each case starts from a fresh start screen: portrait, Vietnamese, normal text.
  beforeEach(async () => {
    await page.setViewportSize(LAYOUTS[0].viewport);
    await page.reload();
    await page.getByTestId('welcome').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await host?.close();
    dir.cleanup();
  });

  /** Shows `view` as the host would, waits for its screen, and checks and saves it in every layout. */
  async function screen(name: string, view: JourneyView, testId: string) {
    host.events.emit('journey', view);
    await page.getByTestId(testId).waitFor();
    await everyLayout(page, 'screen', name);
  }

  it('loads without a missing file (the favicon included)', async () => {
    await page.reload();
    await page.getByTestId('welcome').waitFor();
    expect(missing).toEqual([]);
  });

  it('meets the type scale on the start screen at both sizes, and in the large-text high-contrast mode', async () => {
    await everyLayout(page, 'screen', 'welcome');
    await page.getByTestId('view-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('data-view')).toBe('clear');
    for (const layout of LAYOUTS) {
      await page.setViewportSize(layout.viewport);
      const report = await expectKitLayout(page, layout, `welcome, clear mode (${layout.name})`);
      // Large text means larger: the heading grows by the mode's factor.
      expect(report.headings[0]!.size).toBeGreaterThanOrEqual(layout.minHeading * 1.2);
    }
    await page.setViewportSize(LAYOUTS[0].viewport);
    await everyLayout(page, 'screen', 'welcome-clear');
    await page.getByTestId('view-toggle').click();
    await expect.poll(() => page.locator('html').getAttribute('data-view')).toBe(null);
  });

  it('shows each step of a card check-in with where the person stands ("Bước 3/6")', async () => {
    await screen('consent', { state: { step: 'consent' }, busy: false }, 'step-consent');
    await expect(page.getByTestId('step-indicator').textContent()).resolves.toMatch(/^Bước 1\/6 · Đồng ý$/);
    await screen('present-card', { state: { step: 'present-card', keyGiven: false }, busy: false }, 'step-present-card');
    for (const d of '0010920') await page.getByTestId(`id-${d}`).click();
    await everyLayout(page, 'screen', 'present-card-typing');
    await page.getByTestId('id-clear-all').click();
    for (const d of '000') await page.getByTestId(`id-${d}`).click();
    await page.getByTestId('key-problem').waitFor();
    await everyLayout(page, 'screen', 'present-card-impossible-id');
    await page.getByTestId('id-clear-all').click();
    await screen('present-card-wrong-key', { state: { step: 'present-card', keyGiven: false, problem: 'ACCESS_DENIED_WRONG_KEY' }, busy: false }, 'key-problem');
    await screen('place-card', { state: { step: 'present-card', keyGiven: true }, busy: false }, 'step-place-card');
    await screen('reading', { state: { step: 'reading', bytesRead: 11_000, totalBytes: 24_000 }, busy: true }, 'step-reading');
    await expect(page.getByTestId('step-indicator').getAttribute('data-step-n')).resolves.toBe('2');
    await screen('face', { state: { step: 'face', guidance: ['FACE_TOO_SMALL'], attempt: 1 }, busy: true, holder }, 'step-face');
    await expect(page.getByTestId('step-indicator').textContent()).resolves.toMatch(/^Bước 3\/6/);
    await screen('verifying', { state: { step: 'verifying' }, busy: true, holder }, 'step-verifying');
    await expect(page.getByTestId('step-verifying').textContent()).resolves.toContain('Đang xác thực với hệ thống quốc gia…');
    await screen('site-loading', { state: { step: 'site', siteStep: 'start' }, busy: false, holder }, 'step-site-loading');
    await expect(page.getByTestId('step-site-loading').textContent()).resolves.toContain('Đang tra hồ sơ khám của bạn…');
    await screen('exam-type', examType('000', false), 'site-exam-type');
    await screen('exam-type-expired', examType('010', true), 'site-exam-type');
    await screen('department-20-clinics', {
      state: { step: 'site', siteStep: 'department' }, busy: false, holder,
      site: { siteStep: 'department', data: { examinationType: 'service', departments: bigHospital } },
    }, 'site-department');
    const payment: JourneyView = {
      state: { step: 'site', siteStep: 'payment' }, busy: false, holder,
      site: {
        siteStep: 'payment',
        data: {
          amountVnd: 150_000, billNumber: 'HD000123', status: 'unpaid',
          vietQr: buildVietQr({ bankBin: '970436', accountNumber: '0011000123456', amountVnd: 150_000, billNumber: 'HD000123', purpose: 'KHAM BENH HD000123' }),
        },
      },
    };
    // The screen asks the hospital every few seconds; here no journey runs, so "not paid yet" is this very view.
    let polls = 0;
    await page.route('**/api/call/journeyAction', (route) => {
      polls++;
      return route.fulfill({ json: { ok: true, result: payment } });
    });
    await screen('payment', payment, 'vietqr');
    await expect(page.getByTestId('payment-status').textContent()).resolves.toContain('Đang chờ thanh toán');
    await expect.poll(() => polls, { timeout: 10_000 }).toBeGreaterThan(0);
    await page.unroute('**/api/call/journeyAction');
    await screen('payment-cancelled', {
      state: { step: 'site', siteStep: 'payment-cancelled' }, busy: false, holder,
      site: { siteStep: 'payment-cancelled', data: { queueNumberReleased: 7 } },
    }, 'site-payment-cancelled');
    await expect(page.getByTestId('site-payment-cancelled').textContent()).resolves.toContain('Số thứ tự 7 đã được trả lại');
    await screen('printing', { state: { step: 'printing' }, busy: true, holder }, 'step-printing');
    const ticket = await renderPreviewPng(queueTicket({
      hospitalName: 'Bệnh viện Đa khoa Trình diễn', queueNumber: 7, clinic: 'Phòng khám Nội tổng quát', room: 'P.101 – Tầng 1',
      patientName: holder.fullName, birthYear: 1992, sex: 'M', patientType: 'BHYT', registeredAt: new Date(), waitingAhead: 6, encounterCode: 'enc-0007',
    }, { paper: PAPER_80 }));
    const done: JourneyView = {
      state: { step: 'done' }, busy: false, holder, faceEnrolment: 'offer',
      receipt: {
        previewPngBase64: ticket.toString('base64'), printed: true,
        summary: { queueNumber: '0007', clinic: 'Phòng khám Nội tổng quát – P.101 – Tầng 1', patient: holder.fullName, payment: 'unpaid' },
        ticket: {
          number: '0007', place: { vi: 'Phòng khám Nội tổng quát', en: 'General Internal Medicine' }, room: 'P.101 – Tầng 1',
          name: holder.fullName, birthYear: 1992, issuedAt: '2026-12-04T02:05:00Z', code: 'enc-0007', payment: 'unpaid',
        },
      },
    };
    await screen('done-printer-problem', { ...done, faceEnrolment: 'enrolled', receipt: { ...done.receipt!, printed: false } }, 'enrol-done');
    await screen('done', done, 'ticket-qr');
    await expect(page.getByTestId('ticket-payment').textContent()).resolves.toBe('Chưa thanh toán: vui lòng trả tại quầy thu ngân.');
    // 09:05 in Vietnam, whatever zone the PC is in.
    await expect(page.getByTestId('ticket-time').textContent()).resolves.toBe('09:05');
    // The whole ticket on a landscape screen, payment line included: nothing to scroll to.
    await page.setViewportSize(LAYOUTS[1].viewport);
    const scroll = await page.getByTestId('content').evaluate((c) => ({ scroll: c.scrollHeight, client: c.clientHeight }));
    expect(scroll.scroll).toBeLessThanOrEqual(scroll.client + 1);
    await page.setViewportSize(LAYOUTS[0].viewport);
    await page.getByTestId('enrol-ask').click();
    await page.getByTestId('step-enrol').waitFor();
    await everyLayout(page, 'screen', 'done-enrol-offer');
    await expect(page.getByTestId('step-indicator').textContent()).resolves.toMatch(/^Bước 6\/6/);
  });

  it('keeps the busiest screens whole in the large-text, high-contrast mode', async () => {
    await page.getByTestId('view-toggle').click();
    await screen('clear-present-card', { state: { step: 'present-card', keyGiven: false, problem: 'ACCESS_DENIED_WRONG_KEY' }, busy: false }, 'key-problem');
    await screen('clear-department-20-clinics', {
      state: { step: 'site', siteStep: 'department' }, busy: false, holder,
      site: { siteStep: 'department', data: { examinationType: 'service', departments: bigHospital } },
    }, 'site-department');
    await screen('clear-failed', { state: { step: 'failed', code: 'FACE_NO_MATCH', retry: 'present-card' }, busy: false }, 'step-failed');
  });

  it('counts the steps of a return by face alone on its own path ("Bước 2/4")', async () => {
    await screen('consent-face', { state: { step: 'consent', mode: 'face' }, busy: false }, 'step-consent');
    await screen('face-identify', { state: { step: 'face-identify', guidance: [] }, busy: true }, 'step-face-identify');
    await expect(page.getByTestId('step-indicator').textContent()).resolves.toMatch(/^Bước 2\/4 · Khuôn mặt$/);
    host.events.emit('journey', examType('000', true));
    await page.getByTestId('site-exam-type').waitFor();
    await expect(page.getByTestId('step-indicator').textContent()).resolves.toMatch(/^Bước 3\/4/);
  });

  it('tells failures in plain words with an icon; the code only small, for staff', async () => {
    for (const [code, retry] of [['CHIP_CLONE_SUSPECTED', undefined], ['FACE_NO_MATCH', 'face'], ['VERIFY_UNAVAILABLE', 'verifying']] as const) {
      await screen(`failed-${code}`, { state: { step: 'failed', code, ...(retry ? { retry } : {}) }, busy: false }, 'step-failed');
      await expect(page.getByTestId('staff-code').textContent()).resolves.toBe(`Mã cho nhân viên: ${code}`);
      await expect(page.getByTestId('failed-message').textContent()).resolves.not.toContain(code);
      await expect(page.getByTestId('retry').count()).resolves.toBe(retry ? 1 : 0);
      // Staff can always be called from a failure.
      await expect(page.getByTestId('call-staff').count()).resolves.toBe(1);
    }
    await screen('failed-staff-called', { state: { step: 'failed', code: 'FACE_NO_MATCH' }, busy: false, staffCalled: true }, 'staff-called');
    await expect(page.getByTestId('call-staff').count()).resolves.toBe(0);
  });

  it('says what declining consent means and where to go instead', async () => {
    host.events.emit('journey', { state: { step: 'consent' }, busy: false });
    await page.getByTestId('consent-decline').click();
    await page.getByTestId('declined').waitFor();
    await expect(page.getByTestId('declined-counter').textContent()).resolves.toBe('Bạn vẫn có thể đăng ký khám tại quầy tiếp đón.');
    await everyLayout(page, 'screen', 'declined');
    await page.getByTestId('home').click();
    await page.getByTestId('welcome').waitFor();
  });

  it('has a layout check that catches what issue 17 saw: a centred list cut off at the top, small text, raw codes', async () => {
    await page.setViewportSize(LAYOUTS[1].viewport);
    host.events.emit('journey', {
      state: { step: 'site', siteStep: 'department' }, busy: false, holder,
      site: { siteStep: 'department', data: { examinationType: 'service', departments: bigHospital } },
    });
    await page.getByTestId('site-department').waitFor();
    // Yesterday's layout: the content area centres what is taller than itself.
    await page.evaluate(() => {
      document.querySelector<HTMLElement>('.content')!.style.justifyContent = 'center';
      document.querySelector<HTMLElement>('.screen')!.style.flex = 'none';
    });
    const centred = await inspectLayout(page, LAYOUTS[1].minBody);
    expect(centred.titleHidden).toBe(true);
    await page.evaluate(() => {
      const p = document.createElement('p');
      p.style.fontSize = '14px';
      p.textContent = 'CHIP_CLONE_SUSPECTED';
      document.querySelector('.screen-body')!.prepend(p);
    });
    const worse = await inspectLayout(page, LAYOUTS[1].minBody);
    expect(worse.smallText.map((x) => x.text)).toContain('CHIP_CLONE_SUSPECTED');
    expect(worse.rawCodes).toContain('CHIP_CLONE_SUSPECTED');
  });

  it('shows the staff PIN pad and the maintenance screen on the kit', async () => {
    await page.getByTestId('staff-button').click();
    await page.getByTestId('staff-login').waitFor();
    // "Đồng ý" on one line: the OK key is as tall as the digit keys.
    const heights = await page.$$eval('.keypad .btn', (els) => els.map((e) => e.getBoundingClientRect().height));
    expect(new Set(heights.map(Math.round)).size).toBe(1);
    await everyLayout(page, 'screen', 'staff-login');
    for (const d of '1234') await page.getByTestId(`pin-${d}`).click();
    await page.getByTestId('pin-ok').click();
    await page.getByTestId('maintenance').waitFor();
    await page.getByTestId('audit-chain').waitFor();
    await everyLayout(page, 'screen', 'maintenance');
    await page.getByTestId('logout').click();
    await page.getByTestId('welcome').waitFor();
    await useLanguage(page, 'vi');
  });
});
