import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { tempDir } from '../support/temp-dir.ts';

/** A raw HTTP call, so the Host header can be set to what a hostile page would send. */
function http(host: KioskHost, method: string, path: string, opts: { body?: unknown; token?: string; hostHeader?: string } = {}) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const payload = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        method,
        path,
        headers: {
          host: opts.hostHeader ?? `127.0.0.1:${host.port}`,
          ...(payload ? { 'content-type': 'application/json' } : {}),
          ...(opts.token ? { 'x-kiosk-token': opts.token } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('kiosk API over HTTP and WebSocket', () => {
  let host: KioskHost;
  const data = tempDir('host');
  beforeAll(async () => {
    host = await startKioskHost({ profile: 'demo', port: 0, dataDir: data.path });
  });
  afterAll(async () => {
    await host.close();
    data.cleanup();
  });

  it('answers GET /api/status with version, profile and each device', async () => {
    const res = await http(host, 'GET', '/api/status');
    expect(res.status).toBe(200);
    expect(res.body.profile).toBe('demo');
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(res.body.devices.map((d: { device: string }) => d.device)).toEqual(['cardReader', 'camera', 'printer', 'scanner', 'face', 'verification']);
    for (const d of res.body.devices) expect(['ok', 'missing', 'error']).toContain(d.state);
    expect(res.body.ui).toEqual({ device: 'ui', state: 'ok', adapter: 'static' }); // `npm test` builds the UI first
  });

  it('refuses requests that do not name the loopback host (DNS rebinding)', async () => {
    const res = await http(host, 'GET', '/api/status', { hostHeader: 'evil.example:80' });
    expect(res.status).toBe(421);
  });

  it('refuses calls without the per-start token', async () => {
    expect((await http(host, 'POST', '/api/call/uiConfig', { body: {} })).status).toBe(401);
    expect((await http(host, 'POST', '/api/call/uiConfig', { body: {}, token: 'f'.repeat(64) })).status).toBe(401);
  });

  it('serves a method with the token, and sends a strict CSP', async () => {
    const res = await http(host, 'POST', '/api/call/uiConfig', { body: {}, token: host.token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, result: expect.objectContaining({ siteKind: 'hospital', defaultLanguage: 'vi' }) });
  });

  it('rejects unknown methods and malformed input by code', async () => {
    expect((await http(host, 'POST', '/api/call/rm-rf', { body: {}, token: host.token })).body.error.code).toBe('API_UNKNOWN_METHOD');
    const bad = await http(host, 'POST', '/api/call/adminLogin', { body: { pin: 1234 }, token: host.token });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toEqual({ code: 'API_BAD_INPUT', message: 'invalid input for adminLogin: pin' });
  });

  it('keeps maintenance behind the admin PIN', async () => {
    const denied = await http(host, 'POST', '/api/call/maintenanceSummary', { body: { adminToken: 'guess' }, token: host.token });
    expect(denied.body.error.code).toBe('ADMIN_REQUIRED');
    const login = await http(host, 'POST', '/api/call/adminLogin', { body: { pin: '1234' }, token: host.token });
    expect(login.body.result.ok).toBe(true);
    const summary = await http(host, 'POST', '/api/call/maintenanceSummary', { body: { adminToken: login.body.result.adminToken }, token: host.token });
    expect(summary.body.result.audit.chainOk).toBe(true);
    expect(summary.body.result.config.find((r: { key: string }) => r.key === 'admin PIN hash').value).toBe('file secrets/demo-admin-pin.hash');
  });

  it('pushes events to a socket with the token and refuses one without, before the upgrade', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events`, { headers: { 'x-kiosk-token': host.token } });
    await new Promise((r) => ws.once('open', r));
    const received = new Promise<any>((r) => ws.once('message', (m) => r(JSON.parse(String(m)))));
    host.events.emit('devices', [{ device: 'printer', adapter: 'file', state: 'error', reason: 'paper out' }]);
    await expect(received).resolves.toEqual({ event: 'devices', data: [{ device: 'printer', adapter: 'file', state: 'error', reason: 'paper out' }] });
    ws.close();

    for (const token of [undefined, 'wrong', host.token.replace(/.$/, (c) => (c === '0' ? '1' : '0'))]) {
      const intruder = new WebSocket(`ws://127.0.0.1:${host.port}/api/events?token=${host.token}`, { headers: token ? { 'x-kiosk-token': token } : {} });
      const status = await new Promise<number>((r) => intruder.once('unexpected-response', (_req, res) => r(res.statusCode ?? 0)));
      expect(status, String(token)).toBe(401);
    }
  });
});
