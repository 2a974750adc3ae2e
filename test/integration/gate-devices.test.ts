import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestClient, digestAuthorization, digestResponse, parseChallenge } from '../../app/platform/http/digest.ts';
import type { SecretRef } from '../../app/core/config/secret-ref.ts';
import { isapiDoor, isapiStatus, relayDoor } from '../../app/sites/gate/node/doors.ts';
import { webhookNotifier } from '../../app/sites/gate/node/notifier.ts';
import { startDevicesSim, type DevicesSim } from '../../app/sites/gate/sim/devices-sim.ts';
import { errorCode } from '../support/error-code.ts';

const secrets: Record<string, string> = { DOOR: 'demo-door-password', WRONG: 'not-it' };
const readSecret = (ref: SecretRef) => ('env' in ref ? secrets[ref.env]! : '');
const isapi = (password: string, doorNo: number, timeoutMs = 2000, url = sim.url) =>
  isapiDoor({ adapter: 'isapi', url, doorNo, username: 'admin', password: { env: password }, timeoutMs }, readSecret, 'site.doors.0.controller');
const relay = (url: string, body?: string) => relayDoor({ adapter: 'relay', url, method: 'POST', ...(body ? { body } : {}), timeoutMs: 2000 }, readSecret, 'site.doors.0.controller');

let sim: DevicesSim;
beforeAll(async () => {
  sim = await startDevicesSim({ isapi: { username: 'admin', password: 'demo-door-password' }, webhookSecret: 'hook-secret' });
});
afterAll(() => sim.close());

describe('HTTP Digest (RFC 7616)', () => {
  it('computes the RFC 2617 worked example', () => {
    // RFC 2617 §3.5: Mufasa / Circle Of Life → 6629fae49393a05397450978507c4ef1
    expect(digestResponse({ algorithm: 'MD5', username: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life', method: 'GET', uri: '/dir/index.html', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', qop: { nc: '00000001', cnonce: '0a4f113b' } })).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('answers a challenge with the parameters the server needs, and refuses what it cannot answer', () => {
    const c = parseChallenge('Digest realm="r", qop="auth,auth-int", nonce="n1", opaque="o", algorithm=SHA-256')!;
    expect(c).toMatchObject({ realm: 'r', nonce: 'n1', opaque: 'o', algorithm: 'SHA-256', qop: 'auth' });
    const header = digestAuthorization(c, { username: 'u', password: 'p' }, 'PUT', '/x', 1, 'cn');
    expect(header).toMatch(/^Digest username="u", realm="r", nonce="n1", uri="\/x", algorithm=SHA-256, response="[0-9a-f]{64}", qop=auth, nc=00000001, cnonce="cn", opaque="o"$/);
    expect(parseChallenge('Basic realm="r"')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", algorithm=SHA-512')).toBeUndefined();
    expect(parseChallenge('Digest realm="r", nonce="n", qop="auth-int"')).toBeUndefined();
  });

  it('reuses the nonce with a rising nc, and answers a stale nonce afresh', async () => {
    const seen: string[] = [];
    let nonce = 'first';
    const server = createServer((req, res) => {
      const auth = req.headers.authorization ?? '';
      seen.push(auth ? (/nc=(\w+)/.exec(auth)?.[1] ?? '?') + ':' + (/nonce="(\w+)"/.exec(auth)?.[1] ?? '') : 'none');
      if (!auth || !auth.includes(`nonce="${nonce}"`)) {
        res.writeHead(401, { 'www-authenticate': `Digest realm="r", qop="auth", nonce="${nonce}"${auth ? ', stale=true' : ''}` });
        return void res.end();
      }
      res.writeHead(200).end('ok');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/door`;
    try {
      const client = new DigestClient({ username: 'u', password: 'p' });
      expect((await client.fetch(url, { method: 'GET' })).status).toBe(200);
      expect((await client.fetch(url, { method: 'GET' })).status).toBe(200);
      nonce = 'second';
      expect((await client.fetch(url, { method: 'GET' })).status).toBe(200);
      expect(seen).toEqual(['none', '00000001:first', '00000002:first', '00000003:first', '00000001:second']);
    } finally {
      server.close();
    }
  });
});

describe('door adapters against the device simulator', () => {
  it('ISAPI: opens the door through Digest, and the terminal records it', async () => {
    const before = sim.commands.length;
    const door = isapi('DOOR', 2);
    await door.open('main');
    await door.open('main');
    expect(sim.commands.slice(before)).toEqual([expect.objectContaining({ via: 'isapi', door: '2' }), expect.objectContaining({ via: 'isapi', door: '2' })]);
  });

  it('ISAPI: a wrong password is refused once, never retried into a lock-out', async () => {
    const before = sim.commands.length;
    const door = isapi('WRONG', 1);
    expect(await errorCode(door.open('main'))).toBe('DOOR_AUTH_REFUSED');
    expect(sim.commands.length).toBe(before);
    // The right password still works: one wrong attempt did not lock the terminal.
    await isapi('DOOR', 1).open('main');
    expect(sim.commands.length).toBe(before + 1);
  });

  it('ISAPI: a terminal that is busy, down or silent is a typed fault, not an opening', async () => {
    const door = isapi('DOOR', 1, 300);
    try {
      sim.fault = 'refuse';
      expect(await errorCode(door.open('main'))).toBe('DOOR_REFUSED');
      sim.fault = 'down';
      expect(await errorCode(door.open('main'))).toBe('DOOR_BAD_ANSWER');
      sim.fault = 'slow';
      sim.slowMs = 1000;
      expect(await errorCode(door.open('main'))).toBe('DOOR_TIMEOUT');
    } finally {
      sim.fault = 'none';
    }
    expect(await errorCode(isapi('DOOR', 1, 500, 'http://127.0.0.1:9').open('x'))).toBe('DOOR_UNREACHABLE');
  });

  it('relay: one request pulses the relay; a module that answers an error is a fault', async () => {
    const before = sim.commands.length;
    await relay(`${sim.url}/relay/cong-a/pulse`, '{"pulseMs":800}').open('cong-a');
    expect(sim.commands.slice(before)).toEqual([expect.objectContaining({ via: 'relay', door: 'cong-a' })]);
    expect(await errorCode(relay(`${sim.url}/relay/nope`).open('x'))).toBe('DOOR_REFUSED');
  });

  it('reads the ISAPI status of an answer', () => {
    expect(isapiStatus('<ResponseStatus><statusCode>4</statusCode><subStatusCode>deviceBusy</subStatusCode></ResponseStatus>')).toEqual({ statusCode: 4, subStatusCode: 'deviceBusy' });
    expect(isapiStatus('<html>no</html>')).toBeUndefined();
  });
});

describe('webhook notifier', () => {
  const notice = { kind: 'visitor-arrived' as const, invitation: 'I-1', host: 'W-9', visitorName: 'Trần Thị Bích', purpose: 'Họp', gate: 'Cổng A', at: '2025-06-02T01:00:00.000Z' };

  it('delivers a signed notice the receiver checks', async () => {
    await webhookNotifier(`${sim.url}/hooks/host`, 'hook-secret', 2000).notify(notice);
    expect(sim.notices.at(-1)).toEqual(notice);
  });

  it('a receiver that refuses the signature, or is not there, is GATE_NOTIFY_FAILED', async () => {
    expect(await errorCode(webhookNotifier(`${sim.url}/hooks/host`, 'other-secret', 2000).notify(notice))).toBe('GATE_NOTIFY_FAILED');
    expect(await errorCode(webhookNotifier('http://127.0.0.1:9/hook', 'x', 500).notify(notice))).toBe('GATE_NOTIFY_FAILED');
  });
});
