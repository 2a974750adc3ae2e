import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallResult } from '../../app/host/api-dispatch.ts';
import { KioskEventBus } from '../../app/host/events.ts';
import { startHttpServer, type RunningHttpServer } from '../../app/host/http-server.ts';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { chromiumAvailable, launchBrowser } from '../support/browser.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';
import { call, socket } from './local-support.ts';

/**
 * Who may use the kiosk API from a browser: only the kiosk's own page. Another page (another site,
 * or another port on this machine, which shares the kiosk's cookies) is refused on every call and on
 * the event socket; camera frames, which decide who passes the face check, come only from the
 * kiosk page itself, never from a tool holding the token.
 */

async function pageSession(host: { port: number; issueLaunchTicket(): string }, origin: string): Promise<string> {
  const res = await call(host.port, '/api/session', { origin, 'x-kiosk-ticket': host.issueLaunchTicket() });
  expect(res.status).toBe(200);
  return res.setCookie!.split(';')[0]!;
}

describe('the kiosk host refuses foreign origins and takes camera frames only from its page', () => {
  const dir = tempDir('sec-origin');
  let host: KioskHost;
  let own: string;
  let cookie: string;
  let frame: string;
  const foreign = ['http://evil.example', 'null', 'http://127.0.0.1:1', 'https://127.0.0.1'];

  beforeAll(async () => {
    const profile = tempProfile('demo', dir.path, (p) => (p.devices.camera = { adapter: 'renderer', maxFps: 30 }));
    host = await startKioskHost({ profile: profile.file, port: 0 });
    own = new URL(host.url).origin;
    cookie = await pageSession(host, own);
    frame = (await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).jpeg().toBuffer()).toString('base64');
  });
  afterAll(async () => {
    await host?.close();
    dir.cleanup();
  });

  it('refuses the event socket to a foreign Origin, whatever it holds, before the upgrade', async () => {
    for (const origin of foreign) {
      expect(await socket(host.port, { origin, 'x-kiosk-token': host.token }), origin).toBe(403);
      expect(await socket(host.port, { origin, cookie }), origin).toBe(403);
    }
    expect(await socket(host.port, {})).toBe(401);
    expect(await socket(host.port, { origin: own })).toBe(401);
    expect(await socket(host.port, { origin: own, cookie })).toBe('open');
    expect(await socket(host.port, { 'x-kiosk-token': host.token })).toBe('open');
  });

  it('refuses every call from a foreign Origin, even with the token or the page cookie', async () => {
    for (const origin of foreign) {
      expect((await call(host.port, '/api/call/uiConfig', { origin, 'x-kiosk-token': host.token }, {})).body.error.code, origin).toBe('API_FOREIGN_ORIGIN');
      expect((await call(host.port, '/api/call/uiConfig', { origin, cookie }, {})).status, origin).toBe(403);
      expect((await call(host.port, '/api/session', { origin, 'x-kiosk-token': host.token })).status, origin).toBe(403);
    }
    expect((await call(host.port, '/api/call/uiConfig', { origin: own, cookie }, {})).status).toBe(200);
  });

  it('takes camera frames from the kiosk page only', async () => {
    const push = (headers: Record<string, string>) => call(host.port, '/api/call/pushCameraFrame', headers, { jpegBase64: frame });
    const refused = [
      await push({ 'x-kiosk-token': host.token }), // a local tool holding the token
      await push({ origin: own, 'x-kiosk-token': host.token }), // … pretending to be the page
      await push({ cookie }), // the page's cookie without the page
      await push({ origin: 'http://127.0.0.1:1', cookie }), // another page on this machine
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(refused.map((r) => r.body.error.code)).toEqual(['API_PAGE_ONLY', 'API_PAGE_ONLY', 'API_PAGE_ONLY', 'API_FOREIGN_ORIGIN']);
    const accepted = await push({ origin: own, cookie });
    expect(accepted).toMatchObject({ status: 200, body: { ok: true, result: { accepted: true } } });
  });
});

describe.skipIf(!chromiumAvailable)('in Chromium, a page on another port of this machine gets nothing from the kiosk', () => {
  const calls: string[] = [];
  let kiosk: RunningHttpServer;
  let evil: Server;
  let browser: Browser;

  beforeAll(async () => {
    const dispatch = async (method: string): Promise<CallResult> => {
      calls.push(method);
      return { ok: true, result: { accepted: true } };
    };
    kiosk = await startHttpServer({ port: 0, token: 'k'.repeat(64), dispatch, events: new KioskEventBus(), status: async () => ({}) as never });
    // The attacker's page: same host as the kiosk, so the browser sends the kiosk's cookie along.
    evil = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end(`<script>
        const k = 'http://127.0.0.1:${kiosk.port}';
        window.result = new Promise((done) => {
          fetch(k + '/api/call/pushCameraFrame', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: '{"jpegBase64":"/9j/"}' })
            .catch(() => undefined)
            .then(() => {
              const ws = new WebSocket('ws://127.0.0.1:${kiosk.port}/api/events');
              ws.onopen = () => done('socket open');
              ws.onerror = () => done('socket refused');
            });
        });
      </script>`);
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', r));
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await kiosk?.close();
    evil?.close();
  });

  it('the kiosk page pushes a frame with its cookie; the other page, holding the same cookie, is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${kiosk.port}/`);
    const ticket = kiosk.issueLaunchTicket();
    const pushed = await page.evaluate(async (t) => {
      await fetch('/api/session', { method: 'POST', headers: { 'x-kiosk-ticket': t } });
      const r = await fetch('/api/call/pushCameraFrame', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jpegBase64":"/9j/"}' });
      return r.status;
    }, ticket);
    expect(pushed).toBe(200);
    expect(calls).toEqual(['pushCameraFrame']);
    expect((await context.cookies(`http://127.0.0.1:${kiosk.port}/api`)).map((c) => [c.name, c.httpOnly, c.sameSite])).toEqual([['kiosk-session', true, 'Strict']]);

    const other = await context.newPage();
    await other.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    expect(await other.evaluate(() => (window as unknown as { result: Promise<string> }).result)).toBe('socket refused');
    expect(calls).toEqual(['pushCameraFrame']);
    await context.close();
  });
});
