import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import type { KioskStatus } from '../core/api/kiosk-api.ts';
import type { Dispatcher } from './api-dispatch.ts';
import type { KioskEventBus } from './events.ts';

export interface HttpServerOptions {
  readonly port: number;
  /** Per-start random token; every call and the event socket must present it. */
  readonly token: string;
  readonly dispatch: Dispatcher;
  readonly events: KioskEventBus;
  readonly status: () => Promise<KioskStatus>;
  /** Folder with the built renderer (index.html); absent means API only. */
  readonly uiDir?: string;
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

/**
 * The kiosk API over HTTP + WebSocket, bound to 127.0.0.1 only. `GET /api/status` is open (it holds
 * no personal data, so monitoring needs no token); everything else needs the per-start token. The Host
 * header must name the loopback address, which defeats DNS-rebinding pages in the kiosk's browser.
 */
export async function startHttpServer(opts: HttpServerOptions): Promise<{ app: FastifyInstance; port: number; close(): Promise<void> }> {
  const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 });
  let port = opts.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

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

  app.get('/api/status', async () => opts.status());

  const authorised = (req: FastifyRequest) => tokenMatches(opts.token, req.headers['x-kiosk-token']);

  app.post<{ Params: { method: string } }>('/api/call/:method', async (req, reply) => {
    if (!authorised(req)) return reply.code(401).send({ ok: false, error: { code: 'API_UNAUTHORISED', message: 'missing or wrong kiosk token' } });
    const result = await opts.dispatch(req.params.method, req.body);
    if (!result.ok && result.error.code === 'API_UNKNOWN_METHOD') return reply.code(404).send(result);
    if (!result.ok && result.error.code === 'API_BAD_INPUT') return reply.code(400).send(result);
    return result;
  });

  app.get<{ Querystring: { token?: string } }>('/api/events', { websocket: true }, (socket, req) => {
    if (!tokenMatches(opts.token, req.query.token)) {
      socket.close(4401, 'unauthorised');
      return;
    }
    const unsubscribe = opts.events.subscribe((event, data) => socket.send(JSON.stringify({ event, data })));
    socket.on('close', unsubscribe);
  });

  if (opts.uiDir && existsSync(opts.uiDir)) {
    await app.register(fastifyStatic, { root: opts.uiDir, index: 'index.html' });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain').send('cccd-kiosk host is running, but the UI is not built: run `npm run build:ui`.'),
    );
  }

  const address = await app.listen({ host: '127.0.0.1', port: opts.port });
  port = Number(new URL(address).port);
  return { app, port, close: () => app.close() };
}
