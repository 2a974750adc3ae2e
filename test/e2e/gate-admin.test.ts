/**
 * The gate's administration as staff live it, in Debian's Chromium against the shipped gate
 * profiles on their simulators, the stations sharing one site store file: the administrator puts an
 * enrolled worker on the blocklist and the door raises the alarm at their next walk-up; reception
 * invites a visitor on the staff screen and the visitor is received; a walk-in is approved by the
 * host through the partner API (HTTPS); the roster goes out as CSV and HR's edit comes back in.
 * Screens are saved portrait and landscape, in Vietnamese and English.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir, startKioskHost } from '../../app/host/kiosk-host.ts';
import { selfSignedIdentity } from '../../app/sim/payment-terminal/tls.ts';
import { BLOCKLIST_PHOTO_PATH } from '../../app/sites/gate/sim/demo-factory.ts';
import { chromiumAvailable, launchBrowser, screenshotsDir } from '../support/browser.ts';
import { freePort } from '../support/free-port.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { LAYOUTS } from './layout-check.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const config = join(process.cwd(), 'kiosk-config');
const PARTNER_TOKEN = 'e2e-partner-token-0123456789abcdef0123';

describe.skipIf(!chromiumAvailable || !uiBuilt)('factory gate administration in Chromium', { timeout: 300_000 }, () => {
  let browser: Browser;
  const dir = tempDir('e2e-gate-admin');
  const storeFile = join(dir.path, 'site', 'site-store.db');
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    dir.cleanup();
  });

  async function station(name: string, base: string, mutate: (p: any) => void = () => undefined) {
    mkdirSync(join(dir.path, name), { recursive: true });
    const profile = tempProfile(base, join(dir.path, name), (p) => {
      p.site.store = { file: storeFile };
      p.site.demoPeople = 20;
      mutate(p);
    });
    const host = await startKioskHost({ profile: profile.file, port: 0 });
    const page = await browser.newPage({ viewport: LAYOUTS[0]!.viewport, acceptDownloads: true });
    page.on('pageerror', (e) => console.error(`[e2e gate-admin ${name}] page error: ${e.message}`));
    await page.goto(`${host.url}#token=${host.token}`);
    /** The screen in both orientations and both languages, scrolled to `show` (a test id). */
    const shots = async (step: string, show?: string) => {
      for (const layout of LAYOUTS) {
        await page.setViewportSize(layout.viewport);
        if (show) await page.getByTestId(show).evaluate((e) => e.scrollIntoView({ block: 'start' }));
        for (const lang of ['vi', 'en']) {
          if (lang === 'en') await page.getByTestId('language-toggle').click();
          await page.waitForTimeout(150);
          await page.screenshot({ path: join(screenshotsDir, `gate-admin-${name}-${step}-${layout.name}-${lang}.png`), fullPage: true });
        }
        await page.getByTestId('language-toggle').click();
      }
      await page.setViewportSize(LAYOUTS[0]!.viewport);
    };
    const login = async (pin: string) => {
      await page.getByTestId('staff-button').click();
      for (const d of pin) await page.getByTestId(`pin-${d}`).click();
      await page.getByTestId('pin-ok').click();
      await page.getByTestId('gate-staff').waitFor();
    };
    const tab = async (id: string) => {
      await page.getByTestId(`gate-tab-${id}`).click();
      await page.getByTestId(`gate-admin-${id}`).waitFor();
    };
    return { host, page, shots, login, tab, close: async () => (await page.close(), await host.close()) };
  }

  const siteRows = <T,>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(storeFile, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  const records = <T,>(collection: string) => siteRows<{ key: string; body: string }>('SELECT key, body FROM site_records WHERE collection = ? AND deleted = 0', collection).map((r) => ({ key: r.key, ...(JSON.parse(r.body) as T) }));

  /** A visitor taps the demo card at the reception. */
  async function visitorTaps(page: Page) {
    await page.getByTestId('welcome').waitFor();
    await page.getByTestId('start').click();
    await page.getByTestId('step-consent').waitFor();
    await page.getByTestId('consent-accept').click();
    await page.getByTestId('step-present-card').waitFor();
    await page.getByTestId('demo-scan').click();
  }

  it('the administrator blocks an enrolled worker from their record; at the next walk-up the door raises the alarm and stays shut', async () => {
    const desk = await station('desk', 'factory-enrolment');
    let entry = '';
    try {
      const { page } = desk;
      await desk.login('1234');
      await desk.tab('people');
      await page.getByTestId('people-query').fill('nguyen van an');
      await page.getByTestId('people-search').click();
      await page.getByTestId('person-open-NV00002').click();
      await page.getByTestId('person-card').waitFor();
      // The record shows the ID number masked: only its last three digits.
      await expect(page.getByTestId('person-id').textContent()).resolves.toBe('•••••••••345');
      await expect(page.getByTestId('person-card').textContent()).resolves.not.toContain('001092012345');
      await page.getByTestId('person-block-reason').fill('Vi phạm nội quy an toàn');
      await desk.shots('1-person', 'person-card');
      await page.getByTestId('person-block').click();
      await page.getByTestId('person-status').getByText(/Bị hạn chế|Blocklisted/).waitFor();
      await desk.tab('blocklist');
      await page.getByTestId('blocklist').getByText('Nguyễn Văn An').waitFor();
      await desk.shots('2-blocklist', 'blocklist');
      const entries = records<{ name: string; idRef?: string }>('gate-blocklist').filter((b) => b.name === 'Nguyễn Văn An');
      expect(entries).toHaveLength(1);
      entry = entries[0]!.key;
      expect(siteRows('SELECT key FROM site_records WHERE collection = ? AND deleted = 0 AND key LIKE ?', 'gate-face-template', `${entry}:%`).length).toBeGreaterThan(0);
    } finally {
      await desk.close();
    }
    // The same worker walks up to the door (the demo camera plays their face).
    const door = await station('door', 'factory-gate', (p) => (p.devices.camera.path = join(config, 'demo-media/camera')));
    try {
      await door.page.getByTestId('step-present-card').waitFor({ timeout: 90_000 });
      const alerts = siteRows<{ detail: string }>("SELECT detail FROM site_alerts WHERE code = 'BLOCKLISTED'").map((a) => JSON.parse(a.detail));
      expect(alerts).toContainEqual(expect.objectContaining({ door: 'cong-a-vao', entry }));
      expect(await (await fetch(`${door.host.simulators.devicesUrl}/commands`)).json()).toEqual([]);
    } finally {
      await door.close();
    }
    // Removed again, the worker is no longer on the list.
    const again = await station('desk-2', 'factory-enrolment');
    try {
      await again.login('1234');
      await again.tab('blocklist');
      await again.page.getByTestId(`block-remove-${entry}`).click();
      await again.page.getByTestId(`block-${entry}`).waitFor({ state: 'detached' });
      expect(records('gate-blocklist').map((b) => b.key)).not.toContain(entry);
      // Someone nobody enrolled, known only from a picture: blocked by their face.
      const before = records('gate-blocklist').map((b) => b.key);
      await again.page.getByTestId('block-name').fill('Người trong ảnh camera');
      await again.page.getByTestId('block-reason').fill('Trộm cắp tại kho');
      await again.page.getByTestId('block-picture').setInputFiles(BLOCKLIST_PHOTO_PATH);
      await again.page.getByTestId('block-picture-preview').waitFor();
      await again.shots('blocklist-picture', 'block-form');
      await again.page.getByTestId('block-add').click();
      await again.page.getByTestId('block-picture-preview').waitFor({ state: 'detached' });
      const added = records('gate-blocklist').find((b) => !before.includes(b.key))!;
      await expect(again.page.getByTestId(`block-${added.key}`).textContent()).resolves.toMatch(/khuôn mặt|face/i);
      expect(records('gate-face-template').some((t) => t.key === `${added.key}:chip`)).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('reception invites a visitor on the staff screen; the visitor taps their CCCD and is received on that invitation', async () => {
    const reception = await station('reception', 'factory-reception');
    try {
      const { page } = reception;
      await reception.login('135791');
      // Reception sees the invitations and none of the administrator's pages.
      await expect(page.getByTestId('gate-tab-people').count()).resolves.toBe(0);
      await reception.tab('invitations');
      // The demo's own invitation for this visitor is called off first.
      const seeded = records<{ name: string; status: string }>('gate-invitation').find((i) => i.name === 'Lê Văn Cường' && i.status === 'invited')!;
      await page.getByTestId(`invitation-cancel-${seeded.key}`).click();
      await page.getByTestId(`invitation-${seeded.key}`).waitFor({ state: 'detached' });
      await page.getByTestId('invite-id').fill('099047000456');
      // The name typed on the screen's own keyboard, as at a reception with a touch screen only:
      // Vietnamese letters have keys, the tone goes on the word just typed.
      await page.getByTestId('invite-name').click();
      await page.getByTestId('text-keyboard').waitFor();
      const keys = ['shift', 'l', 'ê', 'space', 'shift', 'v', 'ă', 'n', 'space', 'shift', 'c', 'ư', 'ơ', 'n', 'g', 'tone-huyen'];
      for (const k of keys) await page.getByTestId(`kbd-${k}`).click();
      await expect(page.getByTestId('invite-name').inputValue()).resolves.toBe('Lê Văn Cường');
      await expect(page.getByTestId('invite-name').evaluate((e) => e === document.activeElement)).resolves.toBe(true);
      for (const lang of ['vi', 'en']) {
        await page.screenshot({ path: join(screenshotsDir, `gate-admin-reception-keyboard-portrait-${lang}.png`) });
        await page.getByTestId('language-toggle').click();
        await page.getByTestId('invite-name').focus();
      }
      await page.getByTestId('invite-host').fill('Phạm Thị Hồng');
      await page.locator('[data-testid^="invite-host-W-"]').first().click();
      await page.getByTestId('invite-purpose').fill('Kiểm tra thiết bị');
      await page.getByTestId('invite-plate').fill('51F 678.90');
      await page.getByTestId('invite-from').fill('00:00');
      await page.getByTestId('invite-until').fill('23:59');
      await page.getByTestId('invite-create').click();
      const key = (await page.getByTestId('invite-made').getAttribute('data-key'))!;
      await page.getByTestId(`invitation-${key}`).waitFor();
      await reception.shots('1-invitations', 'invitations-list');
      // A wrong number is named, not stored.
      await page.getByTestId('invite-id').fill('0990470');
      await page.getByTestId('invite-create').click();
      await expect(page.getByTestId('gate-admin-problem').textContent()).resolves.toContain('Số CCCD');
      expect(records<{ plate?: string; purpose: string; hostName: string; createdBy: string }>('gate-invitation').find((i) => i.key === key)).toMatchObject({ plate: '51F-678.90', purpose: 'Kiểm tra thiết bị', hostName: 'Phạm Thị Hồng Nhung', createdBy: 'Lễ tân' });

      await page.getByTestId('logout').click();
      await visitorTaps(page);
      await page.getByTestId('screen-ticket').or(page.getByTestId('step-failed')).first().waitFor({ timeout: 120_000 });
      await expect(page.getByTestId('screen-ticket').count()).resolves.toBe(1);
      expect(records<{ status: string }>('gate-invitation').find((i) => i.key === key)).toMatchObject({ status: 'arrived' });
      const notices = (await (await fetch(`${reception.host.simulators.devicesUrl}/notices`)).json()) as { kind: string; invitation: string }[];
      expect(notices).toContainEqual(expect.objectContaining({ kind: 'visitor-arrived', invitation: key }));
    } finally {
      await reception.close();
    }
  });

  it('a walk-in visitor asks for a host and is let in once the host approves through the partner API', async () => {
    const port = await freePort();
    const tls = selfSignedIdentity('127.0.0.1');
    const secrets = join(dir.path, 'partner');
    mkdirSync(secrets, { recursive: true });
    for (const [file, text] of [['cert.pem', tls.certPem], ['key.pem', tls.keyPem], ['token', PARTNER_TOKEN]] as const) writeFileSync(join(secrets, file), text, { mode: 0o600 });
    const reception = await station('walk-in', 'factory-reception', (p) => {
      p.site.partnerApi = { host: '127.0.0.1', port, tls: { cert: { file: join(secrets, 'cert.pem') }, key: { file: join(secrets, 'key.pem') } }, token: { file: join(secrets, 'token') }, publicUrl: `https://127.0.0.1:${port}` };
    });
    const partner = (method: string, path: string, body?: unknown) =>
      new Promise<{ status: number; body: any }>((resolve, reject) => {
        const text = body === undefined ? undefined : JSON.stringify(body);
        const req = request(`https://127.0.0.1:${port}${path}`, { method, ca: tls.certPem, headers: { authorization: `Bearer ${PARTNER_TOKEN}`, ...(text ? { 'content-type': 'application/json' } : {}) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
        });
        req.on('error', reject);
        req.end(text);
      });
    try {
      const { page } = reception;
      // The visitor has no open invitation any more: the host's system calls the demo's off.
      for (const open of records<{ name: string; status: string }>('gate-invitation').filter((i) => i.name === 'Lê Văn Cường' && i.status === 'invited')) {
        expect(await partner('DELETE', `/invitations/${open.key}`)).toMatchObject({ status: 200, body: { status: 'cancelled' } });
      }
      await visitorTaps(page);
      await page.getByTestId('site-visitor-host').waitFor({ timeout: 120_000 });
      await page.getByTestId('host-filter').fill('Phạm Thị Hồng Nhung');
      await page.locator('[data-testid^="host-W-"]').first().click();
      await page.getByTestId('purpose-0').click();
      await page.getByTestId('ask-host').click();
      await page.getByTestId('site-visitor-waiting').waitFor();
      const notices = (await (await fetch(`${reception.host.simulators.devicesUrl}/notices`)).json()) as { kind: string; invitation: string; answerUrl?: string; hostEmployeeNo?: string }[];
      const asked = notices.find((n) => n.kind === 'walk-in-request')!;
      expect(asked).toMatchObject({ hostEmployeeNo: 'NV00001', answerUrl: `https://127.0.0.1:${port}/invitations/${asked.invitation}/answer` });
      await reception.shots('1-waiting');
      expect(await partner('POST', new URL(asked.answerUrl!).pathname, { approve: true })).toMatchObject({ status: 200, body: { status: 'invited', walkIn: true } });
      // The waiting screen asks again on its own and goes on to the pass.
      await page.getByTestId('screen-ticket').waitFor({ timeout: 60_000 });
      await reception.shots('2-pass');
      expect(records<{ status: string }>('gate-invitation').find((i) => i.key === asked.invitation)).toMatchObject({ status: 'arrived' });
      const audit = reception.host.audit.recent(200).filter((r) => r.action === 'gate.partner-api').map((r) => JSON.parse(r.detail));
      expect(audit).toContainEqual({ method: 'POST', route: '/invitations/:id/answer', status: 200, invitation: asked.invitation });
      expect(JSON.stringify(reception.host.audit.recent(500))).not.toContain('099047000456');
    } finally {
      await reception.close();
    }
  });

  it('the administrator exports the roster as CSV and imports HR\'s edit of it', async () => {
    const desk = await station('roster', 'factory-enrolment');
    try {
      const { page } = desk;
      await desk.login('1234');
      await desk.tab('roster');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('roster-export').click()]);
      expect(download.suggestedFilename()).toMatch(/^roster-nha-may-demo-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '');
      const lines = csv.trim().split('\r\n');
      expect(lines[0]).toBe('employee_no,name,department,group,active,enrolled_at');
      expect(lines.find((l) => l.startsWith('NV00002,'))).toContain('Nguyễn Văn An');
      expect(csv).not.toMatch(/\d{12}/);
      // HR moves the worker to the warehouse and deactivates an unknown number's row (reported).
      const edited = ['employee_no,department,group,active', 'NV00002,Kho vận,,yes', 'NV77777,Kho vận,,no'].join('\r\n');
      await page.getByTestId('roster-csv').fill(edited);
      await page.getByTestId('roster-import').click();
      await page.getByTestId('roster-result').waitFor();
      await expect(page.getByTestId('roster-result').getAttribute('data-changed')).resolves.toBe('1');
      await expect(page.getByTestId('roster-problems').textContent()).resolves.toContain('NV77777');
      await desk.shots('1-import', 'roster-result');
      const worker = records<{ employeeNo?: string; department?: string }>('gate-person').find((p) => p.employeeNo === 'NV00002');
      expect(worker).toMatchObject({ department: 'Kho vận' });
      // The access page lists the demo's groups and plans with the people in them.
      await desk.tab('access');
      await page.getByTestId('groups-list').waitFor();
      await desk.shots('2-access', 'groups-list');
    } finally {
      await desk.close();
    }
  });
});
