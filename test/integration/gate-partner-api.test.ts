/**
 * The gate's partner API over real HTTPS (a self-signed certificate the client trusts by its PEM):
 * a host's system invites, looks up and cancels invitations and answers a walk-in whose notice
 * (the hosts' webhook, signed) told it where to answer. Every refusal is JSON with a 4xx naming the
 * problem; every call is audited without the body.
 */
import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteStore } from '../../app/core/site-store/site-store.ts';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { selfSignedIdentity } from '../../app/sim/payment-terminal/tls.ts';
import { gateConfig } from '../../app/sites/gate/common/config.ts';
import { deriveSiteKeys } from '../../app/sites/gate/common/identity.ts';
import { COLLECTIONS } from '../../app/sites/gate/common/records.ts';
import { GateDirectory } from '../../app/sites/gate/node/directory.ts';
import { webhookNotifier } from '../../app/sites/gate/node/notifier.ts';
import { PARTNER_MAX_BODY, startPartnerApi, type PartnerApi } from '../../app/sites/gate/node/partner-api.ts';
import { PeopleStore } from '../../app/sites/gate/node/people.ts';
import { GateSeals } from '../../app/sites/gate/node/seals.ts';
import { Visitors } from '../../app/sites/gate/node/visitors.ts';
import { startDevicesSim, type DevicesSim } from '../../app/sites/gate/sim/devices-sim.ts';
import { freePort } from '../support/free-port.ts';

const TOKEN = 'partner-token-0123456789abcdef0123456789';
const tls = selfSignedIdentity('127.0.0.1');
const settings = gateConfig.parse({
  role: 'reception', gateName: 'Cổng A', siteKey: { file: 'unused' },
  areas: [{ id: 'site', name: 'Khuôn viên' }],
  doors: [{ id: 'gate-in', name: 'Cổng A vào', area: 'site', direction: 'in', controller: { adapter: 'sim' } }],
});
const keys = deriveSiteKeys(Buffer.alloc(32, 4));
const seals = new GateSeals(keys.seal);
const audit: { action: string; detail: Record<string, unknown> }[] = [];

let sim: DevicesSim;
let db: Db;
let store: SiteStore;
let directory: GateDirectory;
let visitors: Visitors;
let api: PartnerApi;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: any;
}

/** One HTTPS call, trusting only the API's own certificate. */
function call(method: string, path: string, body?: unknown, opts: { token?: string | null; contentType?: string; raw?: string } = {}): Promise<Answer> {
  const text = opts.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  const url = new URL(path, api.url);
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method, ca: tls.certPem,
      headers: {
        ...(opts.token === null ? {} : { authorization: `Bearer ${opts.token ?? TOKEN}` }),
        ...(text !== undefined ? { 'content-type': opts.contentType ?? 'application/json', 'content-length': Buffer.byteLength(text) } : {}),
      },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    req.on('error', reject);
    req.end(text);
  });
}

const nowIso = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const invitation = (over: Record<string, unknown> = {}) => ({ idNumber: '099047000456', name: 'Lê Văn Cường', hostEmployeeNo: 'NV2', purpose: 'Họp', from: nowIso(-5), until: nowIso(120), ...over });

beforeAll(async () => {
  sim = await startDevicesSim({ webhookSecret: 'hook' });
  db = openDatabase(':memory:');
  store = new SqliteSiteStore(db);
  directory = new GateDirectory(store, seals, 'clean');
  const people = new PeopleStore(store, keys, seals);
  directory.follow(60_000, () => undefined);
  await store.put(COLLECTIONS.group, 'visitors', { name: 'Khách', doors: ['gate-in'] });
  await people.enrol({ kind: 'worker', holder: { idNumber: '074085000001', fullName: 'Phạm Thị Hồng Nhung', dateOfBirth: '1985-06-12', sex: 'F' }, employeeNo: 'NV2', group: 'visitors' }, new Date());
  await directory.catchUp();
  const log = (action: string, detail: Record<string, unknown>) => void audit.push({ action, detail });
  // The walk-in notice names the answer address: the API's own, known before it starts.
  const port = await freePort();
  visitors = new Visitors({
    store, people, directory, notifier: webhookNotifier(`${sim.url}/hooks/host`, 'hook', 2000), settings, siteId: 'nha-may', passKey: keys.pass, terminalId: 'GATE-R',
    audit: log, log: () => undefined, answerBaseUrl: `https://127.0.0.1:${port}`,
  });
  api = await startPartnerApi({ host: '127.0.0.1', port, certPem: tls.certPem, keyPem: tls.keyPem, token: TOKEN, requestsPerMinute: 40, visitors, directory, clock: () => new Date(), audit: log, log: () => undefined });
});
afterAll(async () => {
  await api?.close();
  await sim?.close();
  db?.close();
});

describe('partner API over HTTPS', () => {
  it('refuses a call without the right bearer token, and audits it', async () => {
    const none = await call('POST', '/invitations', invitation(), { token: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ error: { code: 'PARTNER_AUTH_REQUIRED', message: expect.any(String) } });
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect((await call('POST', '/invitations', invitation(), { token: `${TOKEN}x` })).status).toBe(401);
    expect(audit.at(-1)).toEqual({ action: 'gate.partner-api', detail: { method: 'POST', route: '/invitations', status: 401, code: 'PARTNER_AUTH_REQUIRED' } });
    expect(directory.invitations.size).toBe(0);
  });

  it('creates an invitation (the host by employee number), shows it, and cancels it', async () => {
    const created = await call('POST', '/invitations', invitation({ plate: '51F-123.45' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toEqual({ id: expect.stringMatching(/^I-[0-9A-F]{8}$/), status: 'invited' });
    expect(directory.invitations.get(id)).toMatchObject({ name: 'Lê Văn Cường', hostName: 'Phạm Thị Hồng Nhung', plate: '51F-123.45', createdBy: 'partner-api' });
    expect(visitors.invitationFor('099047000456', new Date())).toBe(id);
    expect((await call('GET', `/invitations/${id}`)).body).toMatchObject({ id, status: 'invited', walkIn: false });
    expect(await call('DELETE', `/invitations/${id}`)).toMatchObject({ status: 200, body: { id, status: 'cancelled' } });
    expect(await call('DELETE', `/invitations/${id}`)).toMatchObject({ status: 409, body: { error: { code: 'INVITATION_STATE' } } });
    expect(await call('GET', '/invitations/I-00000000')).toMatchObject({ status: 404, body: { error: { code: 'INVITATION_UNKNOWN' } } });
    const logged = JSON.stringify(audit);
    expect(logged).not.toContain('099047000456');
    expect(audit.filter((a) => a.action === 'gate.partner-api').map((a) => [a.detail.method, a.detail.route, a.detail.status])).toEqual(expect.arrayContaining([['POST', '/invitations', 201], ['DELETE', '/invitations/:id', 200], ['DELETE', '/invitations/:id', 409]]));
  });

  it('names what is wrong with a body', async () => {
    const bad = await call('POST', '/invitations', invitation({ idNumber: '123', hostEmployeeNo: undefined, extra: 1 }));
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('GATE_INPUT_INVALID');
    expect(bad.body.error.message).toMatch(/idNumber/);
    expect(bad.body.error.message).toMatch(/hostEmployeeNo/);
    expect(bad.body.error.message).not.toContain('123');
    expect(await call('POST', '/invitations', invitation({ hostEmployeeNo: 'NV404' }))).toMatchObject({ status: 422, body: { error: { code: 'INVITATION_INVALID', message: expect.stringContaining('hostEmployeeNo') } } });
    expect(await call('POST', '/invitations', invitation({ from: nowIso(10), until: nowIso(5) }))).toMatchObject({ status: 422, body: { error: { code: 'INVITATION_INVALID' } } });
    expect(await call('POST', '/invitations', undefined, { raw: '{"idNumber":' })).toMatchObject({ status: 400, body: { error: { code: 'PARTNER_BAD_JSON' } } });
    expect(await call('POST', '/invitations', undefined, { raw: 'idNumber=1', contentType: 'application/x-www-form-urlencoded' })).toMatchObject({ status: 415 });
    expect(await call('POST', '/invitations', undefined, { raw: JSON.stringify({ pad: 'x'.repeat(PARTNER_MAX_BODY) }) })).toMatchObject({ status: 413, body: { error: { code: 'PARTNER_BODY_TOO_LARGE' } } });
    expect(await call('PUT', '/invitations', invitation())).toMatchObject({ status: 405 });
    expect(await call('GET', '/people')).toMatchObject({ status: 404, body: { error: { code: 'PARTNER_ROUTE_UNKNOWN' } } });
  });

  it('a walk-in: the host\'s notice says where to answer; the approval through it lets the visitor in, a second answer is refused', async () => {
    const key = await visitors.askHost({ idNumber: '079301000123', fullName: 'Trần Thị Bích Ngọc', dateOfBirth: '2001-02-28', sex: 'F' }, [...directory.people.keys()][0]!, 'Giao hàng', new Date());
    const notice = sim.notices.at(-1) as { kind: string; invitation: string; hostEmployeeNo: string; answerUrl: string; until: string };
    expect(notice).toMatchObject({ kind: 'walk-in-request', invitation: key, hostEmployeeNo: 'NV2', visitorName: 'Trần Thị Bích Ngọc', purpose: 'Giao hàng' });
    expect(notice.answerUrl).toBe(`${api.url}/invitations/${key}/answer`);
    expect(JSON.stringify(notice)).not.toContain('079301000123');
    expect(await call('POST', new URL(notice.answerUrl).pathname, { approve: 'yes' })).toMatchObject({ status: 422 });
    expect(await call('POST', new URL(notice.answerUrl).pathname, { approve: true })).toMatchObject({ status: 200, body: { id: key, status: 'invited', walkIn: true } });
    expect(visitors.invitationFor('079301000123', new Date())).toBe(key);
    expect(await call('POST', new URL(notice.answerUrl).pathname, { approve: false })).toMatchObject({ status: 409, body: { error: { code: 'INVITATION_STATE' } } });
    expect(audit).toContainEqual({ action: 'gate.walk-in', detail: { invitation: key, approved: true, by: 'partner-api' } });
  });

  it('answers 429 once the minute\'s requests are used, before reading the body', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 45; i++) answers.push(await call('GET', '/invitations/I-00000000'));
    const limited = answers.filter((a) => a.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body.error.code).toBe('PARTNER_RATE_LIMITED');
    expect(Number(limited[0]!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('refuses a short token at start', async () => {
    await expect(startPartnerApi({ host: '127.0.0.1', port: 0, certPem: tls.certPem, keyPem: tls.keyPem, token: 'short', requestsPerMinute: 5, visitors, directory, clock: () => new Date(), audit: () => undefined, log: () => undefined })).rejects.toMatchObject({ code: 'GATE_CONFIG_INVALID' });
  });
});
