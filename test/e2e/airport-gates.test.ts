import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultUiDir } from '../../app/host/kiosk-host.ts';
import type { Flight } from '../../app/sites/airport/common/contract.ts';
import { demoAirline, type DemoAirline } from '../../app/sites/airport/sim/demo-airline.ts';
import { startDcsSim, type DcsSim } from '../../app/sites/airport/sim/dcs-sim.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { airportKiosk, expectScreen, readOnPaper, staffScreen, throughIdentity, toSeatMap, wedgeScan } from './airport-support.ts';

const uiBuilt = existsSync(join(defaultUiDir, 'index.html'));
const otherFace = join(process.cwd(), 'test/fixtures/faces/persons/eileen-collins');

/**
 * The e-gates at security and boarding, in Chromium, after a real check-in: An and Cường check in at
 * the kiosk and give their face to the gates; then the gates take a scanned boarding pass (1:1
 * against its passenger's token), a face alone (1:N among the one flight boarding at that gate), or
 * a tapped card (the chip's face), and open or refuse with the reason. One airline for them all:
 * An (with his infant) on VN245 boarding at gate 14, Cường on VN247 boarding at gate 15; kiosk
 * check-in closes 10 minutes before departure here, so both still check in while boarding runs.
 */
describe.skipIf(!chromiumAvailable || !uiBuilt)('airport e-gates in Chromium', { timeout: 300_000 }, () => {
  let browser: Browser;
  let sim: DcsSim;
  const passes: Record<'an' | 'cuong', string> = { an: '', cuong: '' };
  beforeAll(async () => {
    browser = await launchBrowser();
    sim = await startDcsSim({ data: gateDay(demoAirline(new Date())), rules: { windows: TEN_MINUTES } });
  });
  afterAll(async () => {
    await browser?.close();
    await sim?.close();
  });

  const closesTen = (p: any) => void (p.site.checkInWindows = TEN_MINUTES);
  const gate = (name: string, gateName: string, o: { unattended?: boolean; role?: 'boarding-gate' | 'security-gate'; camera?: string; persona?: string } = {}) =>
    airportKiosk(browser, name, {
      profile: 'airport-gate', sim, ...(o.camera ? { camera: o.camera } : {}), ...(o.persona ? { persona: o.persona } : {}),
      mutate: (p) => {
        p.site.role = o.role ?? 'boarding-gate';
        p.site.gate = gateName;
        p.site.unattended = o.unattended ?? false;
      },
    });

  /** A pass held to the gate's keyboard-wedge scanner at its start screen. */
  const scan = async (page: Page, bcbp: string) => {
    await page.getByTestId('welcome-code').waitFor();
    await wedgeScan(page, bcbp);
  };
  /** The gate's answer after the face step, on its own screen. */
  const answer = async (page: Page) => {
    const shown = page.getByTestId('site-gate-open').or(page.getByTestId('site-gate-refused')).or(page.getByTestId('step-failed'));
    await shown.first().waitFor({ timeout: 90_000 });
    const id = await shown.first().getAttribute('data-testid');
    return id === 'site-gate-open' ? 'OPEN' : await shown.first().getAttribute('data-code');
  };
  const consentIfAsked = async (page: Page) => {
    const consent = page.getByTestId('step-consent');
    await consent.or(page.getByTestId('step-face')).or(page.getByTestId('step-failed')).first().waitFor({ timeout: 30_000 });
    if ((await consent.count()) > 0) await page.getByTestId('consent-accept').click();
  };
  const boarded = (flightId: string, passengerId: string) => sim.airline.boardingList(flightId).passengers.find((p) => p.passengerId === passengerId)?.boarded;

  for (const [who, persona, name] of [['an', 'nguyen-van-an', 'Nguyễn Văn An'], ['cuong', 'le-van-cuong', 'Lê Văn Cường']] as const) {
    it(`${name} checks in and agrees to use his face at the gates`, async () => {
      const k = await airportKiosk(browser, `token-${who}`, { sim, persona, mutate: closesTen });
      const { page } = k;
      try {
        await throughIdentity(page);
        await toSeatMap(page);
        await page.getByTestId('seats-done').click();
        await page.getByTestId('bags-0').click();
        await expectScreen(page, 'site-token-consent');
        if (who === 'an') await k.screens('token-consent');
        await page.getByTestId('token-yes').click();
        await expectScreen(page, 'site-boarding-pass');
        await page.getByTestId('token-registered').waitFor();
        await page.getByTestId('print').click();
        await expectScreen(page, 'step-done');
        passes[who] = (await readOnPaper(k.paper(), 'PDF417'))[0]!;
        expect(passes[who]).toMatch(/^M1/);
        // The store holds one token for him, for that flight, made with the kiosk's face model.
        const mine = [...sim.tokens.values()].filter((t) => t.passengerId === (who === 'an' ? 'NVA8QK-1' : 'LVC3TB-1'));
        expect(mine.map((t) => [t.flightId, t.modelSet])).toEqual([[who === 'an' ? FLIGHT_14 : FLIGHT_15, 'clean']]);
        expect(k.host.audit.recent(60).map((r) => r.action)).toContain('airport.token-registered');
      } finally {
        await k.close();
      }
    });
  }

  it('boarding gate 14: a wrong face with An’s pass is refused, and the door stays shut', async () => {
    const g = await gate('gate-wrong-face', '14', { camera: otherFace });
    try {
      const opened = sim.gateOpenings.length;
      await scan(g.page, passes.an);
      await consentIfAsked(g.page);
      await expect(answer(g.page)).resolves.toMatch(/^FACE_(NO_MATCH|UNCERTAIN)$/);
      await g.screens('wrong-face');
      expect(sim.gateOpenings).toHaveLength(opened);
      expect(boarded(FLIGHT_14, 'NVA8QK-1')).toBe(false);
    } finally {
      await g.close();
    }
  });

  it('boarding gate 14: An’s pass and face open it once; a second boarding and Cường’s flight are refused', async () => {
    const g = await gate('gate-14', '14');
    const { page } = g;
    try {
      await page.getByTestId('welcome-code').waitFor();
      await g.screens('start');
      await scan(page, passes.an);
      await consentIfAsked(page);
      await expect(answer(page)).resolves.toBe('OPEN');
      await expect(page.getByTestId('gate-flight').textContent()).resolves.toContain('VN 245');
      await g.screens('open');
      expect(sim.gateOpenings.at(-1)).toMatchObject({ flightId: FLIGHT_14, passengerId: 'NVA8QK-1' });
      expect(boarded(FLIGHT_14, 'NVA8QK-1')).toBe(true);
      await page.getByTestId('done').click();

      const opened = sim.gateOpenings.length;
      await scan(page, passes.an);
      await consentIfAsked(page);
      await expect(answer(page)).resolves.toBe('GATE_ALREADY_BOARDED');
      await g.screens('second-boarding');
      await page.getByTestId('done').click();

      // Cường's face matches his own token, but his flight boards at gate 15.
      await scan(page, passes.cuong);
      await consentIfAsked(page);
      await expect(answer(page)).resolves.toBe('GATE_WRONG_GATE');
      await g.screens('wrong-flight');
      expect(sim.gateOpenings).toHaveLength(opened);
      expect(boarded(FLIGHT_15, 'LVC3TB-1')).toBe(false);
      // Nothing of the passes in the audit: codes only.
      const audit = JSON.stringify(g.host.audit.recent(80));
      expect(audit).not.toContain('NVA8QK');
      expect(audit).not.toContain('NGUYEN');

      // Staff: VN245's boarding list at gate 14, initials only, An boarded (the list is fetched every few seconds).
      await page.getByTestId('done').click();
      await staffScreen(page);
      await expect.poll(async () => {
        await page.getByTestId('logout').click();
        await staffScreen(page);
        return page.getByTestId('boarding-list').textContent();
      }, { timeout: 40_000 }).toMatch(/N\.V\.A\.\d+[A-Z]đã lên/);
      await expect(page.getByTestId('maintenance').textContent()).resolves.toContain('Chuyến VN 245 tại cửa 14: 1/');
      await expect(page.getByTestId('maintenance').textContent()).resolves.not.toMatch(/NGUYEN|Nguyễn/);
    } finally {
      await g.close();
    }
  });

  it('boarding gate 15, unattended: a face in view is searched among VN247’s passengers only, and Cường boards', async () => {
    // An's token holds the very same face, but for VN245: the gallery of gate 15 is VN247's alone.
    const g = await gate('gate-15-watching', '15', { unattended: true });
    try {
      await expect(answer(g.page)).resolves.toBe('OPEN');
      await g.screens('open');
      expect(sim.gateOpenings.at(-1)).toMatchObject({ flightId: FLIGHT_15, passengerId: 'LVC3TB-1' });
      const actions = g.host.audit.recent(40).map((r) => r.action);
      expect(actions).toContain('journey.face-identified');
      expect(actions).not.toContain('journey.consent-given');
      // Back to watching by itself; the same face again is a second boarding.
      await expect.poll(() => answer(g.page), { timeout: 60_000 }).toBe('GATE_ALREADY_BOARDED');
    } finally {
      await g.close();
    }
  });

  it('security: An’s card and face open it (his flight today), and Cường’s pass with his face; nobody is boarded', async () => {
    const g = await gate('security', '14', { role: 'security-gate', persona: 'nguyen-van-an' });
    const { page } = g;
    try {
      await throughIdentity(page);
      await expect(answer(page)).resolves.toBe('OPEN');
      await g.screens('open-by-card');
      await page.getByTestId('done').click();
      await scan(page, passes.cuong);
      await consentIfAsked(page);
      await expect(answer(page)).resolves.toBe('OPEN');
      expect(sim.gateOpenings.slice(-2).map((o) => o.passengerId)).toEqual(['NVA8QK-1', 'LVC3TB-1']);
    } finally {
      await g.close();
    }
  });
});

const TEN_MINUTES = { domestic: { opensMinutesBefore: 1440, closesMinutesBefore: 10 }, international: { opensMinutesBefore: 1440, closesMinutesBefore: 10 } };
let FLIGHT_14 = '';
let FLIGHT_15 = '';

/**
 * The demo airline on a boarding day: An's family on VN245 (gate 14), Cường, booked under his right
 * name, on VN247 leaving at the same time from gate 15; his online check-in for VN245 is not here.
 */
function gateDay(d: DemoAirline): DemoAirline {
  const boarding = d.flights.boarding!;
  const second: Flight = { ...boarding, id: boarding.id.replace('245', '247'), number: '247', gate: '15', to: 'DAD', toCity: 'Đà Nẵng' };
  FLIGHT_14 = boarding.id;
  FLIGHT_15 = second.id;
  return {
    ...d,
    flights: { ...d.flights, second },
    bookings: d.bookings
      .filter((b) => b.locator !== 'LVC9GA')
      .map((b) => {
        if (b.locator === 'NVA8QK') return { ...b, flights: ['boarding'] };
        if (b.locator === 'LVC3TB') return { ...b, flights: ['second'], people: b.people.map(({ bookedAs: _, ...p }) => p) };
        return b;
      }),
  };
}
