/**
 * The journey's ways in, in Chromium: a site that declares two purposes gets one start button each,
 * and a code scanned at the welcome screen (a keyboard-wedge scanner) leads to the face matched
 * against the code's reference and then to the site, or, on a mismatch, never to the site but to
 * the card instead. The kiosk's real journey runner, kiosk API, HTTP server and screens; a tiny
 * site of this test's own (no shipped site has purposes or codes yet), and a simulated camera.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KioskApiHandlers, KioskStatus } from '../../app/core/api/kiosk-api.ts';
import { cardKeyFromScan } from '../../app/core/cccd/card-key.ts';
import { KioskError } from '../../app/core/errors.ts';
import type { FaceMatching, FaceTemplate } from '../../app/core/journey/ports.ts';
import type { CodeIdentity, SiteFlow } from '../../app/core/journey/site-flow.ts';
import { createDispatcher } from '../../app/host/api-dispatch.ts';
import { KioskEventBus } from '../../app/host/events.ts';
import { startHttpServer } from '../../app/host/http-server.ts';
import { JourneyRunner } from '../../app/host/journey-runner.ts';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { chromiumAvailable, launchBrowser, screenshotsDir } from '../support/browser.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
if (!uiBuilt) console.warn('[e2e] SKIPPED: UI not built (npm test builds it; run `npm run build:ui`)');

/** Two passes the test site issued: one whose holder is at the kiosk, one whose holder is not. */
const OWN_PASS = 'PASS-2026-0001-ZK7Q';
const OTHER_PASS = 'PASS-2026-0002-MX3D';
const ownFace: FaceTemplate = { model: 'clean', template: Float32Array.of(1, 0, 0) };
const otherFace: FaceTemplate = { model: 'clean', template: Float32Array.of(0, 1, 0) };

describe.skipIf(!chromiumAvailable || !uiBuilt)('journey entries in Chromium: purposes and a scanned code', { timeout: 120_000 }, () => {
  const db = openDatabase(':memory:');
  const audit = new AuditLog(db);
  const events = new KioskEventBus();
  const identifyCode = vi.fn(async (code: string): Promise<CodeIdentity> => {
    if (code === OWN_PASS) return { known: true, subject: { id: 'visitor-1', references: [ownFace] } };
    if (code === OTHER_PASS) return { known: true, subject: { id: 'visitor-2', references: [otherFace] } };
    return { known: false, reason: 'CODE_UNKNOWN' };
  });
  const startWithCode = vi.fn(async () => ({
    kind: 'done' as const,
    receipt: { print: async () => ({ previewPng: Uint8Array.of(137, 80, 78, 71), printed: true }), summary: { pass: 'Cổng A – mời vào' } },
  }));
  const flow = (): SiteFlow => ({
    start: async () => ({ kind: 'failed', code: 'SITE_NOT_AVAILABLE', retryable: false }),
    startWithCode,
    act: async () => ({ kind: 'failed', code: 'SITE_NOT_AVAILABLE', retryable: false }),
    dispose: () => undefined,
  });
  // The camera cannot exist here: the person in front of it is the holder of OWN_PASS.
  const face: FaceMatching = {
    match: async () => ({ decision: 'NO_MATCH', score: 0 }),
    matchReferences: async (references, onGuidance) => {
      onGuidance(['FACE_TOO_SMALL']);
      await new Promise((r) => setTimeout(r, 300));
      return references.includes(ownFace) ? { decision: 'MATCH', score: 0.96, verified: { model: 'clean', live: Float32Array.of(1, 0, 0) } } : { decision: 'NO_MATCH', score: 0.12 };
    },
  };
  const journey = new JourneyRunner({
    reading: { read: async () => { throw new KioskError('CARD_REMOVED', 'no card in this test'); } },
    face,
    verification: { verify: async () => ({ verdict: 'NOT_CONFIGURED' }) },
    site: flow,
    purposes: ['register', 'pay'],
    identifyCode,
    parseScan: cardKeyFromScan,
    policy: { acceptUnanchoredSigner: false, requireChipGenuine: ['cccd'], central: 'none', faceRequired: true, maxFaceAttempts: 1 },
    audit,
    publish: (view) => events.emit('journey', view),
  });
  const status = async (): Promise<KioskStatus> => ({
    version: 'test', profile: 'journey-entries', site: { id: 'test-gate', name: 'Cổng thử nghiệm', kind: 'journey-test' }, terminalId: 'T1', startedAt: new Date().toISOString(), devices: [],
  });
  const staffOnly = async (): Promise<never> => {
    throw new KioskError('ADMIN_NOT_LOGGED_IN', 'no staff screens in this test');
  };
  const handlers: KioskApiHandlers = {
    status,
    uiConfig: async () => ({
      siteName: 'Cổng thử nghiệm', siteKind: 'journey-test', defaultLanguage: 'vi', idleSeconds: 120, idleCountdownSeconds: 10, staffIdleSeconds: 120, doneSeconds: 30, voice: false,
      retentionDays: 0, cameraAdapter: 'file', faceStart: false, purposes: ['register', 'pay'], codeEntry: true, timeZone: 'Asia/Ho_Chi_Minh',
    }),
    adminLogin: async () => ({ ok: false, reason: 'WRONG_PIN' }),
    adminLogout: async () => ({ ok: false }),
    maintenanceSummary: staffOnly,
    siteFleet: staffOnly,
    acknowledgeAlert: staffOnly,
    reprintJob: staffOnly,
    siteAdmin: staffOnly,
    journeyState: async () => journey.view(),
    journeyAction: async (action) => journey.act(action),
    setLanguage: async () => ({ ok: true }),
    pushCameraFrame: async () => ({ accepted: false }),
  };
  const token = 'e2e-journey-entries-token-0123456789abcdef';
  let server: Awaited<ReturnType<typeof startHttpServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startHttpServer({ port: 0, token, dispatch: createDispatcher(handlers, () => undefined), events, status, uiDir: defaultUiDir });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1080, height: 1920 } });
    await page.goto(`http://127.0.0.1:${server.port}/#token=${token}`);
    await page.getByTestId('welcome').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await journey.close();
    await server?.close();
    db.close();
  });

  /**
   * A keyboard-wedge scanner: the whole code within a few milliseconds, then Enter. Sent from inside
   * the page: keys typed through the browser protocol arrive too far apart on a loaded test machine
   * to pass for a scanner.
   */
  const scan = (code: string) =>
    page.evaluate((text) => {
      for (const key of [...text, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, cancelable: true }));
    }, code);
  const home = async () => {
    await journey.act({ action: 'cancel' });
    await page.getByTestId('welcome').waitFor();
  };

  it('shows one start button per purpose, and the chosen purpose is the one the journey carries', async () => {
    expect(await page.getByTestId('start').count()).toBe(0);
    await expect(page.getByTestId('start-register').isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('welcome-code').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: join(screenshotsDir, 'journey-purposes-vi.png') });
    await page.getByTestId('start-pay').click();
    await page.getByTestId('step-consent').waitFor();
    await page.getByTestId('consent-accept').click();
    await page.getByTestId('step-present-card').waitFor();
    const start = audit.recent(10).find((r) => r.action === 'journey.start');
    expect(JSON.parse(start!.detail)).toEqual({ purpose: 'pay' });
    await home();
  });

  it('takes a scanned pass to its holder\'s face and then to the site', async () => {
    await scan(OWN_PASS);
    await page.getByTestId('step-consent').waitFor();
    expect(identifyCode).toHaveBeenLastCalledWith(OWN_PASS);
    await page.getByTestId('consent-accept').click();
    await page.getByTestId('step-face').waitFor();
    await expect(page.getByTestId('use-card').isVisible()).resolves.toBe(true);
    await page.getByTestId('step-done').waitFor();
    expect(startWithCode).toHaveBeenCalledWith('visitor-1', expect.objectContaining({ evidence: expect.objectContaining({ by: 'code' }) }));
    await expect(page.getByTestId('summary-pass').textContent()).resolves.toBe('Cổng A – mời vào');
    await page.screenshot({ path: join(screenshotsDir, 'journey-code-done-vi.png') });
    await home();
  });

  it('never reaches the site when the face is not the pass holder\'s, and offers the card instead', async () => {
    startWithCode.mockClear();
    await scan(OTHER_PASS);
    await page.getByTestId('consent-accept').click();
    await page.getByTestId('step-failed').waitFor();
    await expect(page.getByTestId('step-failed').textContent()).resolves.toContain('Khuôn mặt không khớp với người đã đăng ký mã này.');
    expect(startWithCode).not.toHaveBeenCalled();
    await page.screenshot({ path: join(screenshotsDir, 'journey-code-mismatch-vi.png') });
    await page.getByTestId('use-card').click();
    await page.getByTestId('step-present-card').waitFor();
    await home();
  });

  it('refuses an unknown code in plain words, and keeps every code out of the audit', async () => {
    await scan('NOT-A-PASS-9999');
    await page.getByTestId('step-failed').waitFor();
    await expect(page.getByTestId('step-failed').textContent()).resolves.toContain('Ki-ốt không nhận ra mã này.');
    const trail = JSON.stringify(audit.recent(100));
    for (const code of [OWN_PASS, OTHER_PASS, 'NOT-A-PASS-9999']) expect(trail).not.toContain(code);
    await home();
  });
});
