import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir, startKioskHost } from '../../app/host/kiosk-host.ts';
import { IDENTITY_CHECK_EXTENSION, IDENTITY_CHECK_FLAG_SYSTEM, type Encounter } from '../../app/sites/hospital/common/fhir-types.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { openKiosk, type KioskPage } from './kiosk-page.ts';
import { expectKitLayout, LAYOUTS } from './layout-check.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const faces = join(process.cwd(), 'test/fixtures/faces/persons');

/**
 * The identity check at the clinic's door, in Chromium: Nguyễn Văn An registers at the reception
 * kiosk (which keeps his verified face for the day), then scans his ticket at P.101's kiosk. Both
 * kiosks share the demo hospital's records (its HIS simulator's database and the site store).
 */
describe.skipIf(!chromiumAvailable || !uiBuilt)('clinic check in Chromium', { timeout: 240_000 }, () => {
  const shared = tempDir('clinic-shared');
  const his = join(shared.path, 'his.sqlite');
  const store = join(shared.path, 'site.db');
  let browser: Browser;
  let ticket: string;
  let queueNumber: number;

  const sharing = (p: any) => {
    p.site.his.dbFile = his;
    p.site.store = { file: store };
  };

  beforeAll(async () => {
    browser = await launchBrowser();
    // Reception: register a visit at P.101 (the journey verifies card and face; the kiosk keeps the face for the day).
    const dir = tempDir('clinic-reception');
    const reception = await startKioskHost({ profile: tempProfile('hospital', dir.path, sharing).file, port: 0 });
    try {
      const j = reception.journey;
      const until = async (ok: () => boolean) => {
        for (let i = 0; i < 900 && !ok(); i++) await new Promise((r) => setTimeout(r, 100));
      };
      await j.act({ action: 'start', purpose: 'register' });
      await j.act({ action: 'consent', accepted: true });
      await j.act({ action: 'key', key: { kind: 'id-number', idNumber: '001092012345', source: 'typed-id' } });
      await until(() => j.view().site?.siteStep === 'exam-type');
      await j.act({ action: 'site', payload: { choose: 'exam-type', examinationType: 'insurance' } });
      await until(() => j.view().site?.siteStep === 'department');
      await j.act({ action: 'site', payload: { choose: 'clinic', departmentId: 'dept-kham-benh', clinicId: 'p101' } });
      await until(() => j.view().state.step === 'done');
      const visit = reception.db.prepare('SELECT visit_id AS id, queue_number AS n FROM hospital_visits').get() as { id: string; n: number };
      ticket = visit.id;
      queueNumber = visit.n;
    } finally {
      await reception.close();
      dir.cleanup();
    }
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    shared.cleanup();
  });

  const clinicKiosk = (name: string, mutate: (p: any) => void = () => undefined) =>
    openKiosk(browser, {
      prefix: 'clinic',
      name,
      base: 'hospital-clinic',
      mutate: (p) => {
        sharing(p);
        mutate(p);
      },
    });
  /**
   * A ticket held to the scanner: a keyboard-wedge scanner types it within a few milliseconds and
   * ends with Enter. Typed in the page in one go, as a loaded test machine cannot keep Playwright's
   * key-by-key typing under the scanner's gaps.
   */
  const scan = async (k: KioskPage, code: string) => {
    // The start screen takes scans once it says so (it learns the site takes codes from the host).
    await k.page.getByTestId('welcome-code').waitFor();
    await k.page.evaluate((text) => {
      for (const key of [...text, 'Enter']) window.dispatchEvent(new KeyboardEvent('keydown', { key }));
    }, code);
  };
  const encounter = async (k: KioskPage): Promise<Encounter> => (await (await fetch(`${k.host.simulators.hisUrl}/Encounter/${ticket}`)).json()) as Encounter;
  /** The hospital's Flags, read from its (simulated) database: what its nurses' station would list. */
  const hisFlags = () => {
    const db = new Database(his, { readonly: true });
    try {
      return (db.prepare("SELECT json FROM resources WHERE type = 'Flag'").all() as { json: string }[]).map((r) => JSON.parse(r.json));
    } finally {
      db.close();
    }
  };
  const staffScreen = async (k: KioskPage) => {
    await k.page.getByTestId('staff-button').click();
    for (const d of '1234') await k.page.getByTestId(`pin-${d}`).click();
    await k.page.getByTestId('pin-ok').click();
    await k.page.getByTestId('clinic-checks').waitFor();
  };

  it('refuses a different face on the ticket: staff are flagged, the screen accuses no one, the visit is not checked in', async () => {
    const k = await clinicKiosk('other-face', (p) => {
      p.devices.camera.path = join(faces, 'eileen-collins');
      p.journey = { maxFaceAttempts: 1 };
      p.site.clinic.confirmWithinSeconds = 10;
    });
    try {
      await scan(k, ticket);
      await k.page.getByTestId('step-consent').waitFor({ timeout: 30_000 });
      await k.page.getByTestId('consent-accept').click();
      await k.page.getByTestId('step-failed').waitFor({ timeout: 60_000 });
      await expectKitLayout(k.page, LAYOUTS[0], 'clinic face refused');
      await k.shotBoth('1-refused');
      // Staff hear of it within the time allowed: an alert, the nurse's list, a Flag in the HIS.
      const alert = () => k.host.db.prepare("SELECT code, detail FROM kiosk_alerts WHERE kind = 'clinic-check'").get() as { code: string; detail: string } | undefined;
      for (let i = 0; i < 200 && !alert(); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alert()).toMatchObject({ code: 'CLINIC_CHECK_NOT_CONFIRMED' });
      expect(JSON.parse(alert()!.detail)).toMatchObject({ queueNumber, clinic: 'p101' });
      expect(hisFlags()).toEqual([expect.objectContaining({ status: 'active', encounter: { reference: `Encounter/${ticket}` } })]);
      expect(hisFlags()[0]!.code.coding[0]).toMatchObject({ system: IDENTITY_CHECK_FLAG_SYSTEM, code: 'face-not-confirmed' });
      expect((await encounter(k)).status).toBe('arrived');
      await k.page.getByTestId('cancel').or(k.page.getByTestId('home')).first().click();
      await staffScreen(k);
      await expect(k.page.getByTestId('clinic-checks').locator('tr[data-result="not-confirmed"]').count()).resolves.toBe(1);
      await k.shotBoth('2-nurse-list');
    } finally {
      await k.close();
    }
  });

  it('checks in the patient whose face matches the ticket: the visit goes in-progress with the check, the screen shows the numbers to be called', async () => {
    const k = await clinicKiosk('same-face');
    try {
      await expect(k.page.getByTestId('welcome-code').isVisible()).resolves.toBe(true);
      await k.shotBoth('1-welcome');
      await scan(k, ticket);
      await k.page.getByTestId('step-consent').waitFor({ timeout: 30_000 });
      await k.page.getByTestId('consent-accept').click();
      await k.page.getByTestId('site-clinic-checked').waitFor({ timeout: 60_000 });
      await expectKitLayout(k.page, LAYOUTS[0], 'clinic checked');
      await k.shotBoth('2-checked');
      await expect(k.page.getByTestId('clinic-number').textContent()).resolves.toBe(String(queueNumber).padStart(4, '0'));
      await expect(k.page.getByTestId('clinic-called').locator('li.mine').count()).resolves.toBe(1);
      const e = await encounter(k);
      expect(e.status).toBe('in-progress');
      const check = e.extension?.find((x) => x.url === IDENTITY_CHECK_EXTENSION);
      expect(check?.extension?.map((x) => [x.url, x.valueCode ?? x.valueString ?? null])).toEqual(
        expect.arrayContaining([['result', 'confirmed'], ['method', 'ticket-face'], ['terminal', 'BV-P101-CHECK']]),
      );
      await k.page.getByTestId('done').click();
      await staffScreen(k);
      // The nurse's list holds both checks of the day (the earlier kiosk wrote to the same site store).
      await expect(k.page.getByTestId('clinic-checks').locator('tr[data-result="confirmed"]').count()).resolves.toBe(1);
      await expect(k.page.getByTestId('clinic-checks').locator('tr[data-result="not-confirmed"]').count()).resolves.toBe(1);
      await k.shotBoth('3-nurse-list');
      expect(hisFlags()).toHaveLength(1);
    } finally {
      await k.close();
    }
  });
});
