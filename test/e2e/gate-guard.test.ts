/**
 * The factory gate's guard station in Debian's Chromium: a worker walks in and out at the demo
 * site's doors (file camera, relay simulator) while the guard, logged in with their own PIN at an
 * attended station of the same site, watches the evacuation list and the statistics, then finds
 * the day's attendance row; a face on the blocklist raises an alarm the guard handles with both
 * photos on screen; a worker outside their schedule is told why in words. Screens in portrait and
 * landscape, Vietnamese and English.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { COLLECTIONS } from '../../app/sites/gate/common/records.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { gateSite, type GateStation } from './gate-support.ts';
import { LAYOUTS } from './layout-check.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const config = join(process.cwd(), 'kiosk-config');
const workerCamera = join(config, 'demo-media/camera');
const blockedCamera = join(process.cwd(), 'test/fixtures/faces/persons/eileen-collins');
const GUARD_PIN = '246802';
const hhmm = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

describe.skipIf(!chromiumAvailable || !uiBuilt)('factory gate: the guard station in Chromium', { timeout: 420_000 }, () => {
  let browser: Browser;
  const dir = tempDir('e2e-gate-guard');
  const { station, siteRows, storeFile } = gateSite(() => browser, dir.path, 'gate-guard');
  let guard: GateStation;
  beforeAll(async () => {
    browser = await launchBrowser();
    // The guard's attended station (the enrolment desk), logged in with the guard's own PIN.
    // A guard's desk shows the board all shift: it does not fall back to the welcome screen after a minute.
    guard = await station('guard', 'factory-enrolment', (p) => (p.kiosk.idleSeconds = 3600));
    await guard.login(GUARD_PIN);
    await guard.page.getByTestId('gate-board').waitFor({ timeout: 60_000 });
  }, 240_000);
  afterAll(async () => {
    await guard?.close();
    await browser?.close();
    dir.cleanup();
  });

  const tab = async (id: string) => {
    await guard.page.getByTestId(`gate-tab-${id}`).click();
  };
  const access = () => siteRows<{ at: string; data: string }>("SELECT at, data FROM site_events WHERE kind = 'gate-access' ORDER BY seq").map((r) => ({ at: r.at, ...JSON.parse(r.data) }));

  /** A door terminal of the site with a face in front of its camera, until it answers once. */
  async function walkUp(name: string, door: string, camera: string, answer: 'site-door-open' | 'site-door-refused') {
    const s = await station(name, 'factory-gate', (p) => {
      p.site.door = door;
      p.devices.camera.path = camera;
    });
    await s.page.getByTestId(answer).waitFor({ timeout: 120_000 });
    return s;
  }

  it('a worker enters: the evacuation list and the statistics show them inside; they leave: the attendance row has first in and last out', async () => {
    const entry = await walkUp('door-in', 'cong-a-vao', workerCamera, 'site-door-open');
    try {
      await expect(entry.page.getByTestId('door-name').textContent()).resolves.toBe('Nguyễn Văn An');
      await entry.shotBoth('1-worker-in', LAYOUTS);
    } finally {
      await entry.close();
    }

    // The statistics page: who is inside (the evacuation list), counts and charts.
    await tab('statistics');
    const page = guard.page;
    await page.getByTestId('gate-statistics').waitFor();
    await expect(page.getByTestId('gate-stats-inside-khuon-vien').textContent()).resolves.toBe('1');
    const muster = page.getByTestId('gate-muster-khuon-vien');
    await expect(muster.getByTestId('gate-muster-row').count()).resolves.toBe(1);
    await expect(muster.textContent()).resolves.toContain('Nguyễn Văn An');
    await expect(muster.textContent()).resolves.toContain('NV00002');
    const charts = page.getByTestId('gate-stats-charts');
    await expect(charts.textContent()).resolves.toContain('Bảo vệ');
    await expect(charts.locator('.bar').count()).resolves.toBeGreaterThan(8);
    await expect(page.getByTestId('gate-stats-per-day').locator('.gate-column').count()).resolves.toBe(14);
    await guard.shotBoth('2-statistics-evacuation', LAYOUTS);

    const exit = await walkUp('door-out', 'cong-a-ra', workerCamera, 'site-door-open');
    try {
      await expect(exit.page.getByTestId('site-door-open').getAttribute('data-direction')).resolves.toBe('out');
      expect((await exit.commands()).map((c) => c.door)).toEqual(['cong-a-ra']);
    } finally {
      await exit.close();
    }
    const opened = access().filter((e) => e.decision === 'opened');
    const firstIn = opened.find((e) => e.direction === 'in')!;
    const lastOut = opened.filter((e) => e.direction === 'out').at(-1)!;

    // Attendance: the day's row for the worker, first in and last out as the log has them.
    await tab('attendance');
    await page.getByTestId('gate-attendance-person').fill('NV00002');
    await page.getByTestId('gate-attendance-show').click();
    const row = page.locator('[data-testid="gate-attendance-row"][data-employee="NV00002"]');
    await row.waitFor();
    await expect(row.getByTestId('gate-attendance-first-in').textContent()).resolves.toBe(hhmm(firstIn.at));
    await expect(row.getByTestId('gate-attendance-last-out').textContent()).resolves.toBe(hhmm(lastOut.at));
    await expect(row.textContent()).resolves.toContain('Nguyễn Văn An');
    await guard.shotBoth('3-attendance', LAYOUTS);
    // The CSV for HR: the same row, downloaded.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('gate-attendance-csv').click()]);
    const csv = await (await download.createReadStream()).toArray();
    expect(Buffer.concat(csv).toString('utf8')).toContain(`NV00002,Nguyễn Văn An,Bảo vệ,${hhmm(firstIn.at)},${hhmm(lastOut.at)}`);

    // The history by person: both passages, newest first.
    await tab('history');
    await page.getByTestId('gate-history-person').fill('Nguyễn Văn An');
    await page.getByTestId('gate-history-show').click();
    await page.getByTestId('gate-history-rows').waitFor();
    const rows = await page.getByTestId('gate-history-rows').locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('Cổng A – ra');
    expect(rows.at(-1)).toContain('Cổng A – vào');
    await guard.shotBoth('4-history');

    // Now nobody is inside.
    await tab('statistics');
    await expect(page.getByTestId('gate-stats-inside-khuon-vien').textContent()).resolves.toBe('0');
  });

  it('a face on the blocklist: the guard hears the alarm, sees both photos, and handles it with a note that goes into the logbook', async () => {
    const door = await station('door-blocked', 'factory-gate', (p) => (p.devices.camera.path = blockedCamera));
    const page = guard.page;
    try {
      await tab('board');
      const alarm = page.locator('[data-testid^="gate-alarm-"][data-code="BLOCKLISTED"]').first();
      await alarm.waitFor({ timeout: 120_000 });
      // Both photos are there and show an image.
      for (const photo of ['gate-alarm-entry-photo', 'gate-alarm-capture']) {
        const img = alarm.getByTestId(photo).locator('img');
        await img.waitFor();
        await expect.poll(() => img.evaluate((e) => (e as HTMLImageElement).naturalWidth)).toBeGreaterThan(50);
      }
      await expect(page.getByTestId('gate-board').getAttribute('data-alarm-cues')).resolves.not.toBe('0');
      await expect(alarm.textContent()).resolves.toContain('Người bị hạn chế (demo)');
      await guard.shotBoth('5-alarm', LAYOUTS);
      // The site's security was told by the webhook.
      const notices = await door.devices<{ kind: string; door: string }>('notices');
      expect(notices).toContainEqual(expect.objectContaining({ kind: 'blocklist-alarm', door: 'Cổng A – vào' }));
    } finally {
      await door.close();
    }
    // Every alarm the walk raised is handled, each with a note.
    for (let left = await page.locator('[data-code="BLOCKLISTED"]').count(); left > 0; left = await page.locator('[data-code="BLOCKLISTED"]').count()) {
      const alarm = page.locator('[data-code="BLOCKLISTED"]').first();
      await alarm.getByTestId('gate-alarm-note-escorted').click();
      await alarm.getByTestId('gate-alarm-acknowledge').click();
      await expect.poll(() => page.locator('[data-code="BLOCKLISTED"]').count(), { timeout: 15_000 }).toBeLessThan(left);
    }
    expect(siteRows<{ n: number }>("SELECT count(*) AS n FROM site_alerts WHERE code = 'BLOCKLISTED' AND acknowledged_at IS NULL")[0]!.n).toBe(0);
    const captures = siteRows<{ body: string }>("SELECT body FROM site_records WHERE collection = 'gate-photo' AND key LIKE 'alert:%' AND deleted = 0");
    expect(captures.length).toBeGreaterThanOrEqual(1);
    expect(captures.every((c) => !c.body.includes('/9j/'))).toBe(true); // sealed: no JPEG in clear

    await tab('logbook');
    await page.getByTestId('gate-logbook-show').click();
    const sheet = page.getByTestId('gate-logbook-rows');
    await sheet.waitFor();
    await expect(sheet.locator('tr[data-kind="acknowledged"]').first().textContent()).resolves.toContain('Đã mời ra khỏi cổng');
    await expect(sheet.locator('tr[data-kind="alarm"]').count()).resolves.toBeGreaterThanOrEqual(1);
    await guard.shotBoth('6-logbook', LAYOUTS);
  });

  it('outside their schedule a worker is refused, and told why in words', async () => {
    // HR puts the guards' group on a plan with no hours at all (written to the site store, as the admin screen would).
    const db = openDatabase(storeFile);
    try {
      const store = new SqliteSiteStore(db);
      const group = (await store.get<{ name: string; doors: string[] }>(COLLECTIONS.group, 'bao-ve'))!.body!;
      await store.put(COLLECTIONS.plan, 'e2e-khong-gio', { name: 'Không có giờ', mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], holiday: [] });
      await store.put(COLLECTIONS.group, 'bao-ve', { ...group, plan: 'e2e-khong-gio' });
    } finally {
      db.close();
    }
    const door = await walkUp('door-schedule', 'cong-a-vao', workerCamera, 'site-door-refused');
    try {
      await expect(door.page.getByTestId('site-door-refused').getAttribute('data-reason')).resolves.toBe('OUTSIDE_SCHEDULE');
      await expect(door.page.getByTestId('door-reason').textContent()).resolves.toBe('Bây giờ không nằm trong ca làm việc của bạn.');
      expect(await door.commands()).toEqual([]);
      await door.shotBoth('7-outside-schedule', LAYOUTS);
      expect(access().at(-1)).toMatchObject({ decision: 'refused', reason: 'OUTSIDE_SCHEDULE', door: 'cong-a-vao' });
    } finally {
      await door.close();
    }
  });
});
