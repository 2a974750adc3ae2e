import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import type { KioskStatus } from '../core/api/kiosk-api.ts';
import type { DeviceState } from '../core/device-state.ts';
import type { Dispatcher } from './api-dispatch.ts';
import type { KioskEventBus } from './events.ts';
import { PageSessions } from './page-sessions.ts';

/** Methods only the kiosk's own page may call: camera frames decide who passes the face check. */
export const PAGE_ONLY_METHODS: ReadonlySet<string> = new Set(['pushCameraFrame']);
export const SESSION_COOKIE = 'kiosk-session';

export interface HttpServerOptions {
  readonly port: number;
  /** Per-start random token for in-process and tool clients (header `x-kiosk-token`); a page uses a session cookie instead. */
  readonly token: string;
  readonly dispatch: Dispatcher;
  readonly events: KioskEventBus;
  readonly status: () => Promise<KioskStatus>;
  /** Folder with the built renderer (index.html); absent means API only. */
  readonly uiDir?: string;
  /** A browser page opened a session, with a launch ticket or with the token (audited by the host). */
  readonly onPageSession?: (via: 'ticket' | 'token') => void;
}

/** Content-Security-Policy for the renderer: only our own origin, no inline script, camera via blob/mediastream. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string' || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

function cookie(req: FastifyRequest, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * Whether the kiosk's screens are built. Without them the window shows one line of text instead of
 * the kiosk, so a missing build is an error for monitoring (`/api/status` answers 503) and `doctor`.
 */
export function uiState(uiDir: string | undefined): DeviceState {
  if (uiDir && existsSync(join(uiDir, 'index.html'))) return { device: 'ui', state: 'ok', adapter: 'static' };
  return {
    device: 'ui', state: 'error', adapter: 'static',
    reason: `the kiosk screens are not built (no ${uiDir ? join(uiDir, 'index.html') : 'UI folder'}): run \`npm run build:ui\` (native/README.md)`,
  };
}

const refusal = (code: string, message: string) => ({ ok: false, error: { code, message } });

export interface RunningHttpServer {
  readonly app: FastifyInstance;
  readonly port: number;
  /** A one-time ticket for a page to redeem at `POST /api/session` (`onSpent` runs when it is used). */
  issueLaunchTicket(onSpent?: () => void): string;
  close(): Promise<void>;
}

/**
 * The kiosk API over HTTP + WebSocket, bound to 127.0.0.1 only. `GET /api/status` is open (it holds
 * no personal data, so monitoring needs no token). Everything else needs a caller: the kiosk's page
 * (an HttpOnly, SameSite=Strict session cookie, opened once with a launch ticket) or an in-process
 * or tool client holding the token. The Host header must name the loopback address (defeats DNS
 * rebinding), and a request from a browser must come from the kiosk's own origin: browsers always
 * send Origin on POST and on WebSocket handshakes, so another page or site is refused, whatever it holds.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<RunningHttpServer> {
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  let port = opts.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const ownOrigin = (req: FastifyRequest) => [`http://127.0.0.1:${port}`, `http://localhost:${port}`].includes(req.headers.origin ?? '');
  /** A tool sends no Origin; a browser always does, and it must be ours. */
  const foreignOrigin = (req: FastifyRequest) => req.headers.origin !== undefined && !ownOrigin(req);
  const sessions = new PageSessions();
  const caller = (req: FastifyRequest): 'page' | 'token' | undefined =>
    sessions.hasSession(cookie(req, SESSION_COOKIE)) ? 'page' : tokenMatches(opts.token, req.headers['x-kiosk-token']) ? 'token' : undefined;

  app.addHook('onRequest', async (req, reply) => {
    if (!allowedHosts().has(req.headers.host ?? '')) {
      return reply.code(421).send({ ok: false, error: { code: 'API_BAD_HOST', message: 'the kiosk API answers only on 127.0.0.1' } });
    }
  });
  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('content-security-policy', contentSecurityPolicy(port));
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('cache-control', 'no-store');
    return payload;
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 4 * 1024 * 1024 } });

  // Read once: the screens are served from what was there at start, so a later build needs a restart.
  const ui = uiState(opts.uiDir);
  app.get('/api/status', async (_req, reply) => reply.code(ui.state === 'ok' ? 200 : 503).send({ ...(await opts.status()), ui }));

  const FOREIGN = refusal('API_FOREIGN_ORIGIN', 'the kiosk API answers only the kiosk page');
  const UNAUTHORISED = refusal('API_UNAUTHORISED', 'no kiosk session or token');

  // The page trades its launch ticket (or, for tests and tools driving a browser, the token) for a session cookie.
  app.post('/api/session', async (req, reply) => {
    if (!ownOrigin(req)) return reply.code(403).send(FOREIGN);
    const via = sessions.redeemTicket(req.headers['x-kiosk-ticket']) ? 'ticket' : tokenMatches(opts.token, req.headers['x-kiosk-token']) ? 'token' : undefined;
    if (!via) return reply.code(401).send(refusal('API_UNAUTHORISED', 'the launch ticket is unknown, spent or expired'));
    reply.header('set-cookie', `${SESSION_COOKIE}=${sessions.openSession()}; Path=/api; HttpOnly; SameSite=Strict`);
    opts.onPageSession?.(via);
    return { ok: true };
  });

  app.post<{ Params: { method: string } }>('/api/call/:method', async (req, reply) => {
    if (foreignOrigin(req)) return reply.code(403).send(FOREIGN);
    const who = caller(req);
    if (!who) return reply.code(401).send(UNAUTHORISED);
    if (PAGE_ONLY_METHODS.has(req.params.method) && !(who === 'page' && ownOrigin(req))) {
      return reply.code(403).send(refusal('API_PAGE_ONLY', `${req.params.method} is accepted only from the kiosk page`));
    }
    const result = await opts.dispatch(req.params.method, req.body);
    if (!result.ok && result.error.code === 'API_UNKNOWN_METHOD') return reply.code(404).send(result);
    if (!result.ok && result.error.code === 'API_BAD_INPUT') return reply.code(400).send(result);
    return result;
  });

  app.get('/api/events', {
    websocket: true,
    // Refused before the upgrade: no socket is ever opened for a foreign page or a stranger.
    preValidation: async (req, reply) => {
      if (foreignOrigin(req)) return reply.code(403).send(FOREIGN);
      if (!caller(req)) return reply.code(401).send(UNAUTHORISED);
    },
  }, (socket) => {
    const unsubscribe = opts.events.subscribe((event, data) => socket.send(JSON.stringify({ event, data })));
    socket.on('close', unsubscribe);
  });

  if (ui.state === 'ok') {
    await app.register(fastifyStatic, { root: opts.uiDir!, index: 'index.html' });
  } else {
    app.get('/', async (_req, reply) => reply.code(503).type('text/plain').send(`cccd-kiosk host is running, but ${ui.reason}.`));
  }

  const address = await app.listen({ host: '127.0.0.1', port: opts.port });
  port = Number(new URL(address).port);
  return { app, port, issueLaunchTicket: (onSpent) => sessions.issueTicket(onSpent), close: () => app.close() };
}
