/**
 * The gate's simulated devices on one loopback HTTP server, speaking what the real ones speak:
 * - a network relay module: `POST /relay/<door>/pulse` → 200, recorded;
 * - a Hikvision access terminal: `PUT /ISAPI/AccessControl/RemoteControl/door/<n>` with HTTP Digest
 *   (MD5, qop auth), an ISAPI ResponseStatus body, and the lock-out real terminals apply after five
 *   wrong passwords;
 * - the hosts' webhook receiver: `POST /hooks/host`, its HMAC signature checked, recorded;
 * - `GET /commands` and `GET /notices`: what was recorded, for the demo and tests.
 * Faults can be switched on (`fault`): a door that is down, that refuses, or that answers late.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { digestParams, digestResponse } from '../../../platform/http/digest.ts';

export interface DoorCommand {
  readonly via: 'relay' | 'isapi';
  readonly door: string;
  readonly at: string;
}

export interface DevicesSim {
  readonly url: string;
  readonly commands: DoorCommand[];
  readonly notices: unknown[];
  /** `down`: the relay and terminal answer 503; `refuse`: ISAPI statusCode 4 (deviceBusy); `slow`: answer after `slowMs`. */
  fault: 'none' | 'down' | 'refuse' | 'slow';
  slowMs: number;
  close(): Promise<void>;
}

export interface DevicesSimOptions {
  /** The terminal's account (the ISAPI adapter's `username` / `password`). */
  readonly isapi?: { readonly username: string; readonly password: string };
  /** The webhook's shared secret (the notifier's `secret`). */
  readonly webhookSecret?: string;
  readonly port?: number;
}

const REALM = 'DS-K1T Simulator';
const MAX_BODY = 64 * 1024;
const LOCKOUT_AFTER = 5;
const LOCKOUT_MS = 30 * 60_000;

function isapiStatus(code: number, sub: string, text = 'OK'): string {
  return `<?xml version="1.0" encoding="UTF-8"?><ResponseStatus version="2.0" xmlns="http://www.isapi.org/ver20/XMLSchema"><requestURL></requestURL><statusCode>${code}</statusCode><statusString>${text}</statusString><subStatusCode>${sub}</subStatusCode></ResponseStatus>`;
}

async function body(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) throw new Error('body too large');
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function startDevicesSim(options: DevicesSimOptions = {}): Promise<DevicesSim> {
  const account = options.isapi ?? { username: 'admin', password: 'demo-door-password' };
  const nonces = new Set<string>();
  let failures = 0;
  let lockedUntil = 0;

  const sim: DevicesSim = {
    url: '',
    commands: [],
    notices: [],
    fault: 'none',
    slowMs: 5000,
    close: async () => undefined,
  };

  const challenge = (res: ServerResponse, stale = false) => {
    const nonce = randomBytes(16).toString('hex');
    nonces.add(nonce);
    res.writeHead(401, { 'www-authenticate': `Digest realm="${REALM}", qop="auth", nonce="${nonce}", algorithm=MD5${stale ? ', stale=TRUE' : ''}`, 'content-type': 'application/xml' });
    res.end(isapiStatus(4, 'unauthorized', 'Unauthorized'));
  };

  /** Whether the request carries a right Digest answer; answers the refusal itself when not. */
  const authorised = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (Date.now() < lockedUntil) {
      res.writeHead(401, { 'content-type': 'application/xml' });
      res.end(isapiStatus(4, 'userLocked', 'Locked'));
      return false;
    }
    const p = digestParams(req.headers.authorization ?? null);
    if (!p) return challenge(res), false;
    if (!p.nonce || !nonces.has(p.nonce)) return challenge(res, true), false;
    const expected = digestResponse({
      algorithm: 'MD5', username: account.username, password: account.password, realm: REALM, method: req.method ?? '', uri: p.uri ?? '', nonce: p.nonce,
      ...(p.qop === 'auth' ? { qop: { nc: p.nc ?? '', cnonce: p.cnonce ?? '' } } : {}),
    });
    const given = Buffer.from(p.response ?? '');
    if (p.username !== account.username || p.uri !== req.url || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      if (++failures >= LOCKOUT_AFTER) lockedUntil = Date.now() + LOCKOUT_MS;
      challenge(res);
      return false;
    }
    failures = 0;
    return true;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://sim');
      const relay = /^\/relay\/([a-z0-9-]{1,64})\/pulse$/.exec(url.pathname);
      const isapi = /^\/ISAPI\/AccessControl\/RemoteControl\/door\/(\d{1,2})$/.exec(url.pathname);
      if ((relay || isapi) && sim.fault !== 'none') {
        if (sim.fault === 'down') return void res.writeHead(503).end();
        if (sim.fault === 'slow') await new Promise((r) => setTimeout(r, sim.slowMs));
      }
      if (relay && req.method === 'POST') {
        await body(req);
        sim.commands.push({ via: 'relay', door: relay[1]!, at: new Date().toISOString() });
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"ok":true}');
      }
      if (isapi && req.method === 'PUT') {
        if (!authorised(req, res)) return;
        const xml = await body(req);
        res.writeHead(200, { 'content-type': 'application/xml' });
        if (sim.fault === 'refuse') return void res.end(isapiStatus(4, 'deviceBusy', 'Device Busy'));
        if (!/<cmd>\s*open\s*<\/cmd>/.test(xml)) return void res.end(isapiStatus(6, 'badXmlContent', 'Invalid XML Content'));
        sim.commands.push({ via: 'isapi', door: isapi[1]!, at: new Date().toISOString() });
        return void res.end(isapiStatus(1, 'ok'));
      }
      if (url.pathname === '/hooks/host' && req.method === 'POST') {
        const text = await body(req);
        const signature = String(req.headers['x-gate-signature'] ?? '');
        const expected = options.webhookSecret ? `sha256=${createHmac('sha256', options.webhookSecret).update(text).digest('hex')}` : undefined;
        if (expected && (signature.length !== expected.length || !timingSafeEqual(Buffer.from(signature), Buffer.from(expected)))) return void res.writeHead(401).end();
        sim.notices.push(JSON.parse(text) as unknown);
        return void res.writeHead(204).end();
      }
      if (req.method === 'GET' && (url.pathname === '/commands' || url.pathname === '/notices')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify(url.pathname === '/commands' ? sim.commands : sim.notices));
      }
      res.writeHead(404).end();
    })().catch(() => {
      if (!res.headersSent) res.writeHead(400);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(sim, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
