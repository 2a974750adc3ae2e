/**
 * The factory gate as people live it, in Debian's Chromium against the shipped gate profiles on
 * their simulators (virtual CCCD, file camera, relay module, hosts' webhook) with a small demo
 * factory. The stations of one site share the site store's file, as the demo's do on one machine.
 * Each case saves its screens in Vietnamese and English.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import { decodeEscPos } from '../../app/sim/printer/escpos-reader.ts';
import { decodeBarcodes } from '../integration/print-helpers.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { gateSite } from './gate-support.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const config = join(process.cwd(), 'kiosk-config');
const blockedCamera = join(process.cwd(), 'test/fixtures/faces/persons/eileen-collins');

describe.skipIf(!chromiumAvailable || !uiBuilt)('factory gate in Chromium', { timeout: 240_000 }, () => {
  let browser: Browser;
  const dir = tempDir('e2e-gate');
  const { station, siteRows } = gateSite(() => browser, dir.path);
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    dir.cleanup();
  });

  it('door: a worker walks up, is recognised by face, the door opens; coming in again without leaving is refused (anti-passback)', async () => {
    // One worker's face in front of the camera all along (the shipped profile plays the demo walk).
    const door = await station('door', 'factory-gate', (p) => (p.devices.camera.path = join(config, 'demo-media/camera')));
    const { page } = door;
    try {
      await page.getByTestId('site-door-open').waitFor({ timeout: 90_000 });
      await expect(page.getByTestId('door-name').textContent()).resolves.toBe('Nguyễn Văn An');
      await expect(page.getByTestId('site-door-open').getAttribute('data-direction')).resolves.toBe('in');
      await door.shotBoth('1-open');
      expect((await door.commands()).map((c) => c.door)).toEqual(['cong-a-vao']);
      // Back to watching; the same face is still in front of the camera: no exit was recorded.
      await page.getByTestId('site-door-refused').waitFor({ timeout: 90_000 });
      await expect(page.getByTestId('site-door-refused').getAttribute('data-reason')).resolves.toBe('ALREADY_INSIDE');
      await door.shotBoth('2-anti-passback');
      expect((await door.commands()).length).toBe(1);
      const log = siteRows<{ data: string }>("SELECT data FROM site_events WHERE kind = 'gate-access' ORDER BY seq").map((r) => JSON.parse(r.data));
      expect(log.slice(0, 2)).toMatchObject([{ decision: 'opened', method: 'face', door: 'cong-a-vao' }, { decision: 'refused', reason: 'ALREADY_INSIDE' }]);
      // The entry is the day's first in on the attendance record.
      const month = new Date().toISOString().slice(0, 7);
      expect(siteRows<{ n: number }>(`SELECT count(*) AS n FROM site_records WHERE collection = 'gate-attendance-${month}'`)[0]!.n).toBeGreaterThanOrEqual(1);

      // The guard's board behind the staff PIN, at an attended station of the same site (the door is
      // unattended): the evacuation list, the latest passages, today's counts.
      const guard = await station('guard', 'factory-enrolment');
      try {
        await guard.login('1234');
        await guard.page.getByTestId('gate-board').waitFor();
        await expect(guard.page.getByTestId('gate-inside-count-khuon-vien').textContent()).resolves.toBe('1');
        await expect(guard.page.getByTestId('gate-inside-khuon-vien').textContent()).resolves.toContain('Nguyễn Văn An');
        await expect(guard.page.getByTestId('gate-recent').textContent()).resolves.toContain('Nguyễn Văn An');
        await expect(guard.page.getByTestId('gate-stats').textContent()).resolves.toContain('Bảo vệ');
        await guard.shotBoth('guard-board');
      } finally {
        await guard.close();
      }
    } finally {
      await door.close();
    }
  });

  it('door: a face on the blocklist never opens, and the guard is alerted', async () => {
    const door = await station('door-blocked', 'factory-gate', (p) => (p.devices.camera.path = blockedCamera));
    const { page } = door;
    try {
      // Screened against the blocklist before anyone is named: no match, the card is offered, the guard alerted.
      await page.getByTestId('step-present-card').waitFor({ timeout: 90_000 });
      await door.shotBoth('1-not-let-in');
      expect(await door.commands()).toEqual([]);
      const alerts = siteRows<{ code: string; detail: string }>("SELECT code, detail FROM site_alerts WHERE code = 'BLOCKLISTED'");
      expect(alerts.length).toBeGreaterThanOrEqual(1);
      expect(JSON.parse(alerts[0]!.detail)).toMatchObject({ door: 'cong-a-vao', entry: 'B-DEMO-1' });
    } finally {
      await door.close();
    }
  });

  it('enrolment: staff enrol again a worker from the verified chip and face; the record and sealed faces are replaced in the site store', async () => {
    const desk = await station('enrolment', 'factory-enrolment');
    const { page } = desk;
    try {
      await page.getByTestId('welcome').waitFor();
      await page.getByTestId('start').click();
      await page.getByTestId('step-consent').waitFor();
      await page.getByTestId('consent-accept').click();
      await page.getByTestId('step-present-card').waitFor();
      await page.getByTestId('demo-scan').click();
      await page.getByTestId('site-enrolment-details').waitFor({ timeout: 120_000 });
      await page.getByTestId('enrol-replacing').waitFor();
      await expect(page.getByTestId('enrol-employee-no').inputValue()).resolves.toBe('NV00002');
      await desk.shotBoth('1-details');
      await page.getByTestId('enrol-employee-no').fill('NV00001'); // the demo host's number
      await page.getByTestId('enrol').click();
      await expect(page.getByTestId('enrol-problem').getAttribute('data-code')).resolves.toBe('EMPLOYEE_NO_TAKEN');
      await page.getByTestId('enrol-employee-no').fill('NV09999');
      await page.getByTestId('enrol-department').fill('Bảo trì');
      await page.getByTestId('enrol-group-ca-ngay').click();
      await page.getByTestId('enrol').click();
      await page.getByTestId('site-enrolled').waitFor();
      await desk.shotBoth('2-enrolled');
      const people = siteRows<{ body: string }>("SELECT body FROM site_records WHERE collection = 'gate-person' AND deleted = 0").map((r) => JSON.parse(r.body));
      const enrolled = people.find((p) => p.employeeNo === 'NV09999');
      expect(enrolled).toMatchObject({ name: 'Nguyễn Văn An', department: 'Bảo trì', group: 'ca-ngay', kind: 'worker' });
      expect(people.filter((p) => p.name === 'Nguyễn Văn An')).toHaveLength(1);
      expect(JSON.stringify(people)).not.toContain('001092012345');
      const faces = siteRows<{ key: string }>("SELECT key FROM site_records WHERE collection = 'gate-face-template' AND deleted = 0 AND key LIKE 'W-%'").map((r) => r.key);
      expect(faces.filter((k) => k.endsWith(':live')).length).toBeGreaterThanOrEqual(1);
    } finally {
      await desk.close();
    }
  });

  it('reception → door → exit: an invited visitor checks in, the host is told, the pass is printed, its QR opens the door after a face match, and at the exit checks the visit out', async () => {
    const reception = await station('reception', 'factory-reception');
    let code = '';
    try {
      const { page } = reception;
      await page.getByTestId('welcome').waitFor();
      await page.getByTestId('start').click();
      await page.getByTestId('step-consent').waitFor();
      await page.getByTestId('consent-accept').click();
      await page.getByTestId('step-present-card').waitFor();
      await page.getByTestId('demo-scan').click();
      await page.getByTestId('screen-ticket').or(page.getByTestId('step-failed')).first().waitFor({ timeout: 120_000 });
      await reception.shotBoth('1-pass');
      await expect(page.getByTestId('step-failed').getAttribute('data-code').catch(() => 'none')).resolves.toBe('none');
      const notices = (await (await fetch(`${reception.host.simulators.devicesUrl}/notices`)).json()) as { kind: string; visitorName: string }[];
      expect(notices).toEqual([expect.objectContaining({ kind: 'visitor-arrived', visitorName: 'Lê Văn Cường' })]);
      // The printed pass: its QR is the signed pass the door reads (58 mm paper: 384 dots).
      const [pass] = decodeEscPos(readFileSync(reception.printerFile), 384).pages;
      const [qr] = await decodeBarcodes(pass!, ['QRCode']);
      code = qr?.text ?? '';
      expect(code).toMatch(/^GV1\./);
    } finally {
      await reception.close();
    }
    // A door where people tap or scan and the face is matched 1:1 to it (no face-only 1:N).
    const door = await station('door-visitor', 'factory-gate', (p) => (p.site.identify = { faceOnly: false }));
    try {
      const { page } = door;
      await page.getByTestId('welcome').waitFor();
      await page.getByTestId('welcome-code').waitFor();
      await page.evaluate((text) => {
        for (const key of [...text, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, cancelable: true }));
      }, code);
      // Without face-only identification the door is an attended start: the consent screen, then the face 1:1 to the pass.
      await page.getByTestId('consent-accept').click();
      await page.getByTestId('site-door-open').or(page.getByTestId('site-door-refused')).first().waitFor({ timeout: 90_000 });
      await door.shotBoth('2-pass-opens');
      await expect(page.getByTestId('site-door-open').count()).resolves.toBe(1);
      expect((await door.commands()).map((c) => c.door)).toEqual(['cong-a-vao']);
      const log = siteRows<{ data: string }>("SELECT data FROM site_events WHERE kind = 'gate-access' ORDER BY seq DESC LIMIT 1").map((r) => JSON.parse(r.data));
      expect(log[0]).toMatchObject({ method: 'qr', decision: 'opened', visitor: true });
    } finally {
      await door.close();
    }
    // Leaving: the same pass at the exit opens it, checks the visit out and takes the visitor off the
    // inside list; after that the pass opens nothing.
    const exit = await station('door-exit', 'factory-gate', (p) => {
      p.site.door = 'cong-a-ra';
      p.site.identify = { faceOnly: false };
    });
    try {
      const { page } = exit;
      const scan = () =>
        page.evaluate((text) => {
          for (const key of [...text, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key, cancelable: true }));
        }, code);
      await page.getByTestId('welcome-code').waitFor();
      const visitor = () => siteRows<{ subject: string }>("SELECT subject FROM site_events WHERE kind = 'gate-access' ORDER BY seq DESC LIMIT 1")[0]!.subject;
      const insideBefore = siteRows<{ subject: string }>("SELECT subject FROM site_presence WHERE area = 'khuon-vien'").map((r) => r.subject);
      expect(insideBefore).toContain(visitor());
      await scan();
      await page.getByTestId('consent-accept').click();
      await page.getByTestId('site-door-open').or(page.getByTestId('site-door-refused')).first().waitFor({ timeout: 90_000 });
      await exit.shotBoth('3-pass-leaves');
      await expect(page.getByTestId('site-door-open').getAttribute('data-direction')).resolves.toBe('out');
      await expect(page.getByTestId('door-visitor-note').textContent()).resolves.toContain('Lượt thăm đã kết thúc');
      expect((await exit.commands()).map((c) => c.door)).toEqual(['cong-a-ra']);
      const statuses = siteRows<{ body: string }>("SELECT body FROM site_records WHERE collection = 'gate-invitation' AND deleted = 0").map((r) => JSON.parse(r.body).status as string);
      expect(statuses).toContain('checked-out');
      expect(statuses).not.toContain('arrived');
      expect(siteRows<{ subject: string }>("SELECT subject FROM site_presence WHERE area = 'khuon-vien'").map((r) => r.subject)).not.toContain(visitor());
      // The visit is over: scanning the pass again is refused in words, and no door moves.
      await page.getByTestId('done').click();
      await page.getByTestId('welcome-code').waitFor();
      await scan();
      await page.getByTestId('step-failed').waitFor({ timeout: 30_000 });
      await expect(page.getByTestId('step-failed').getAttribute('data-code')).resolves.toBe('PASS_NOT_ACTIVE');
      await exit.shotBoth('4-pass-ended');
      expect(await exit.commands()).toHaveLength(1);
    } finally {
      await exit.close();
    }
  });
});
