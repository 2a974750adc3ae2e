/**
 * The gate's partner API: a small HTTPS server the site's own systems call (HR, the hosts'
 * messaging bridge) to invite visitors, call invitations off and answer walk-ins.
 *
 *   POST   /invitations              {idNumber, name, hostEmployeeNo, purpose, plate?, from, until} → 201 {id, status}
 *   GET    /invitations/:id          → 200 {id, status, from, until, walkIn}
 *   DELETE /invitations/:id          → 200 {id, status: "cancelled"}
 *   POST   /invitations/:id/answer   {approve} → 200 {id, status}  (a walk-in: the host's answer)
 *
 * Every call carries `Authorization: Bearer <token>` (the profile's secret; compared in constant
 * time). Bodies are JSON of at most 16 KiB; the whole API answers at most `requestsPerMinute`
 * requests a minute (429 beyond, before any body is read). Failures are JSON
 * `{"error": {"code", "message"}}` with a 4xx status naming the problem. Each call is audited
 * (method, route, status, invitation; never a body, which carries an ID number).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { isKioskError, KioskError } from '../../../core/errors.ts';
import { invitationRequest } from '../common/invitations.ts';
import type { GateDirectory } from './directory.ts';
import { parseInput } from './staff/input.ts';
import type { Visitors } from './visitors.ts';

export const PARTNER_MAX_BODY = 16 * 1024;
const WINDOW_MS = 60_000;

export interface PartnerApiOptions {
  readonly host: string;
  readonly port: number;
  readonly certPem: string;
  readonly keyPem: string;
  readonly token: string;
  readonly requestsPerMinute: number;
  readonly visitors: Visitors;
  readonly directory: GateDirectory;
  readonly clock: () => Date;
  readonly audit: (action: string, detail: Record<string, string | number | boolean>) => void;
  readonly log: (line: string) => void;
}

export interface PartnerApi {
  /** https://<host>:<port> as it listens. */
  readonly url: string;
  close(): Promise<void>;
}

/** A partner's invitation: the host by employee number (what HR systems know), the window as instants. */
const partnerInvitation = invitationRequest.omit({ host: true }).extend({ hostEmployeeNo: z.string().trim().min(1).max(40) }).strict();
const answerBody = z.object({ approve: z.boolean() }).strict();

/** HTTP status of a failure by its code; anything unnamed is the API's own fault (500, no detail). */
const STATUS: Readonly<Record<string, number>> = {
  PARTNER_BAD_JSON: 400,
  PARTNER_AUTH_REQUIRED: 401,
  PARTNER_ROUTE_UNKNOWN: 404,
  INVITATION_UNKNOWN: 404,
  PARTNER_METHOD_NOT_ALLOWED: 405,
  INVITATION_STATE: 409,
  SITE_STORE_CONFLICT: 409,
  PARTNER_BODY_TOO_LARGE: 413,
  PARTNER_NOT_JSON: 415,
  GATE_INPUT_INVALID: 422,
  INVITATION_INVALID: 422,
  PARTNER_RATE_LIMITED: 429,
};

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

export async function startPartnerApi(o: PartnerApiOptions): Promise<PartnerApi> {
  if (o.token.trim().length < 32) throw new KioskError('GATE_CONFIG_INVALID', 'site.partnerApi.token: at least 32 characters');
  const expected = digest(o.token.trim());
  let windowStart = 0;
  let used = 0;

  const authorised = (req: IncomingMessage): boolean => {
    const m = /^Bearer ([\x21-\x7e]{1,512})$/.exec(req.headers.authorization ?? '');
    return m !== null && timingSafeEqual(digest(m[1]!), expected);
  };

  const readJson = async (req: IncomingMessage): Promise<unknown> => {
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) throw new KioskError('PARTNER_NOT_JSON', 'the body must be application/json');
    if (Number(req.headers['content-length'] ?? 0) > PARTNER_MAX_BODY) throw new KioskError('PARTNER_BODY_TOO_LARGE', `at most ${PARTNER_MAX_BODY} bytes`);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const c of req) {
      size += (c as Buffer).length;
      if (size > PARTNER_MAX_BODY) throw new KioskError('PARTNER_BODY_TOO_LARGE', `at most ${PARTNER_MAX_BODY} bytes`);
      chunks.push(c as Buffer);
    }
    try {
      return JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      throw new KioskError('PARTNER_BAD_JSON', 'the body is not JSON');
    }
  };

  const hostKey = (employeeNo: string): string => {
    const found = [...o.directory.people.entries()].find(([, p]) => p.kind === 'worker' && p.active && p.employeeNo === employeeNo);
    if (!found) throw new KioskError('INVITATION_INVALID', 'hostEmployeeNo: no active worker has this employee number');
    return found[0];
  };

  /** Answers one request: the route's status and body, and the invitation it was about. */
  const route = async (req: IncomingMessage): Promise<{ status: number; body: unknown; invitation?: string }> => {
    const path = new URL(req.url ?? '/', 'https://partner').pathname;
    const one = /^\/invitations\/(I-[0-9A-F]{8})(\/answer)?$/.exec(path);
    const method = req.method ?? '';
    if (path === '/invitations') {
      if (method !== 'POST') throw new KioskError('PARTNER_METHOD_NOT_ALLOWED', `${method.slice(0, 10)} is not allowed here`);
      const { hostEmployeeNo, ...rest } = parseInput(partnerInvitation, await readJson(req));
      const id = await o.visitors.invite({ ...rest, host: hostKey(hostEmployeeNo) }, 'partner-api', o.clock());
      await o.directory.catchUp();
      return { status: 201, body: { id, status: o.visitors.status(id) }, invitation: id };
    }
    if (!one) throw new KioskError('PARTNER_ROUTE_UNKNOWN', 'no such route');
    const id = one[1]!;
    if (one[2]) {
      if (method !== 'POST') throw new KioskError('PARTNER_METHOD_NOT_ALLOWED', `${method.slice(0, 10)} is not allowed here`);
      const { approve } = parseInput(answerBody, await readJson(req));
      await o.visitors.answer(id, approve, 'partner-api');
    } else if (method === 'DELETE') {
      await o.visitors.cancel(id, 'partner-api');
    } else if (method !== 'GET') {
      throw new KioskError('PARTNER_METHOD_NOT_ALLOWED', `${method.slice(0, 10)} is not allowed here`);
    }
    await o.directory.catchUp();
    const inv = o.directory.invitations.get(id);
    if (!inv) throw new KioskError('INVITATION_UNKNOWN', 'no such invitation');
    return { status: 200, body: { id, status: inv.status, from: inv.from, until: inv.until, walkIn: inv.walkIn }, invitation: id };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const now = Date.now();
    if (now - windowStart >= WINDOW_MS) {
      windowStart = now;
      used = 0;
    }
    let answer: { status: number; body: unknown; invitation?: string };
    try {
      if (++used > o.requestsPerMinute) throw new KioskError('PARTNER_RATE_LIMITED', 'too many requests; try again in a minute');
      if (!authorised(req)) throw new KioskError('PARTNER_AUTH_REQUIRED', 'a valid bearer token is required');
      answer = await route(req);
    } catch (e) {
      const code = isKioskError(e) && STATUS[e.code] !== undefined ? e.code : 'INTERNAL';
      if (code === 'INTERNAL') o.log(`gate: partner API fault (${isKioskError(e) ? e.code : 'error'})`);
      answer = { status: STATUS[code] ?? 500, body: { error: { code, message: code === 'INTERNAL' ? 'the gate could not do this' : (e as Error).message } } };
    }
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...(answer.status === 429 ? { 'retry-after': String(Math.ceil((windowStart + WINDOW_MS - now) / 1000)) } : {}),
      ...(answer.status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      // A refused body may still be arriving: close rather than read it.
      ...(answer.status >= 400 ? { connection: 'close' } : {}),
    });
    res.end(text);
    const path = new URL(req.url ?? '/', 'https://partner').pathname.replace(/I-[0-9A-F]{8}/, ':id').slice(0, 64);
    const code = (answer.body as { error?: { code: string } }).error?.code;
    o.audit('gate.partner-api', { method: (req.method ?? '').slice(0, 10), route: path, status: answer.status, ...(code ? { code } : {}), ...(answer.invitation ? { invitation: answer.invitation } : {}) });
  };

  const server: Server = createServer({ cert: o.certPem, key: o.keyPem, minVersion: 'TLSv1.2' }, (req, res) => void handle(req, res));
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', (e) => reject(new KioskError('GATE_PARTNER_API_FAILED', `the partner API cannot listen on ${o.host}:${o.port} (${(e as { code?: string }).code ?? 'error'})`)));
    server.listen(o.port, o.host, () => {
      const { port } = server.address() as AddressInfo;
      const host = o.host.includes(':') ? `[${o.host}]` : o.host;
      resolve({
        url: `https://${host}:${port}`,
        close: () => new Promise<void>((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}
