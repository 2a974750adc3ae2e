import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { createHash, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { verificationRequest, type VerificationRequest, type VerificationResponse } from '../../core/verification/contract.ts';
import type { EnvelopeMapping } from '../../core/verification/config.ts';
import { CECA_LIKE_MAPPING, envelopeResponseParts, requestFromEnvelope } from '../../core/verification/envelope.ts';
import { encodeSignedBody, VERIFY_PATH } from '../../core/verification/json-protocol.ts';
import { signatureAlgorithm, signBytes } from '../../core/verification/signature.ts';
import type { TrustStore } from '../../core/icao/passive-auth.ts';
import { decide, evidenceHashes, PaCache } from './decide.ts';
import { DEMO_CITIZENS } from './demo-citizens.ts';
import { ensureDemoPki, ensureTerminalCredentials, type DemoPki, type SigningAlg, type TerminalCredentials } from './demo-pki.ts';
import { GroupCommit } from '../../platform/store/group-commit.ts';
import { TerminalIdentity } from '../../platform/tls/terminal-identity.ts';
import { RateLimiter } from './rate-limit.ts';
import { Registry, type RegistryWrite } from './registry.ts';

/**
 * The reference central verification service ("RAR"): speaks the project's JSON protocol and a
 * CECA-like signed envelope over HTTPS with client certificates required. Only enrolled kiosk
 * certificates get answers; answers are signed; a request id is decided once and answered again
 * (with a fresh timestamp and signature) when it is sent again. Logs carry codes and ids only.
 */
export interface RarServerOptions {
  /** Registry database and demo PKI live here. */
  readonly dataDir: string;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly signingAlg?: SigningAlg;
  /** CSCA certificates and CRLs (DER) for passive authentication of the SODs received. */
  readonly trust?: TrustStore;
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  readonly envelope?: EnvelopeMapping;
  /** Seed the synthetic demo citizens on first start (default true). */
  readonly seedDemoCitizens?: boolean;
  /** Terminals to issue certificates for and enrol at start. */
  readonly enrolTerminals?: readonly string[];
  readonly clock?: () => Date;
  /** pino options, or false for silence (default). */
  readonly logger?: boolean | Record<string, unknown>;
}

/** Misbehaviour for client tests; each applies to the next `times` verify/lookup calls. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly retryAfterSeconds?: number }
  | { readonly kind: 'delay'; readonly ms: number }
  | { readonly kind: 'malformed' }
  | { readonly kind: 'bad-signature' }
  | { readonly kind: 'replay-previous' }
  | { readonly kind: 'clock-offset'; readonly ms: number }
  | { readonly kind: 'drop-connection' };

export interface RunningRarServer {
  readonly url: string;
  readonly port: number;
  readonly pki: DemoPki;
  readonly registry: Registry;
  readonly signingPublicKeyFile: string;
  /** Issues a client certificate for a terminal and enrols it. */
  enrol(terminalId: string): Promise<TerminalCredentials>;
  setFault(fault: Fault | undefined, times?: number): void;
  /** Number of verify/lookup calls answered or refused, by kind (for tests). */
  readonly counters: Record<string, number>;
  close(): Promise<void>;
}

class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, readonly retryAfterSeconds?: number) {
    super(code);
  }
}

export async function startRarServer(options: RarServerOptions): Promise<RunningRarServer> {
  const pki = await ensureDemoPki(join(options.dataDir, 'pki'));
  const registry = new Registry(join(options.dataDir, 'registry.sqlite'));
  const clock = options.clock ?? (() => new Date());
  const alg = options.signingAlg ?? 'ES256';
  const signingKey: KeyObject = createPrivateKey(readFileSync(pki.signingKeyFile[alg], 'utf8'));
  const keyId = createHash('sha256').update(readFileSync(pki.signingPublicKeyFile[alg])).digest('hex').slice(0, 16);
  const envelope = options.envelope ?? CECA_LIKE_MAPPING;
  // The server writes the signed member verbatim at the top level of its envelope answers.
  if (envelope.response.signedMember.includes('.')) throw new Error('reference server: the envelope signed member must be a top-level key');
  const trust: TrustStore = options.trust ?? { anchors: [], crls: [] };
  const paCache = new PaCache();
  const limiter = new RateLimiter(options.rateLimit?.perSecond ?? 200, options.rateLimit?.burst ?? 400);
  const counters: Record<string, number> = {};
  const count = (k: string) => void (counters[k] = (counters[k] ?? 0) + 1);
  let fault: { f: Fault; left: number } | undefined;
  let previousBody: string | undefined;

  if (options.seedDemoCitizens !== false && registry.citizen(DEMO_CITIZENS[0]!.idNumber) === undefined) {
    registry.db.transaction(() => {
      for (const { revoked, ...c } of DEMO_CITIZENS) {
        registry.upsertCitizen(c);
        if (revoked) registry.revokeCard(c.idNumber, 'REPORTED_LOST');
      }
    })();
  }

  async function enrol(terminalId: string): Promise<TerminalCredentials> {
    const creds = await ensureTerminalCredentials(pki, terminalId);
    registry.enrolTerminal(terminalId, creds.certSha256, clock());
    return creds;
  }
  for (const t of options.enrolTerminals ?? []) await enrol(t);

  const app = Fastify({
    https: {
      key: readFileSync(pki.serverKeyFile),
      cert: readFileSync(pki.serverCertFile),
      ca: pki.caCert,
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
    },
    // pino, structured; bodies are never logged: only request ids, terminal ids, codes and timings.
    logger: options.logger ?? false,
    bodyLimit: 2 * 1024 * 1024,
    keepAliveTimeout: 30_000,
  });

  const identity = new TerminalIdentity((certSha256) => registry.terminalForCert(certSha256));

  async function admit(req: FastifyRequest): Promise<string> {
    const terminal = await identity.of(req.raw.socket as TLSSocket);
    if (!terminal) throw new HttpProblem(403, 'TERMINAL_NOT_ENROLLED');
    const wait = limiter.take(terminal);
    if (wait > 0) throw new HttpProblem(429, 'RATE_LIMITED', Math.max(1, Math.ceil(wait / 1000)));
    return terminal;
  }

  type Decided = Omit<VerificationResponse, 'respondedAt' | 'version'>;

  // Group commit: the decisions and receipts made while the previous group was being written go
  // to disk together (one transaction, one fsync with synchronous=FULL, in the registry's writer
  // thread, so this thread goes on reading requests meanwhile); each request is answered only
  // once its own write is on disk.
  const writes = new GroupCommit<RegistryWrite, void>((ops) => registry.commit(ops).then(() => ops.map(() => undefined)));
  /** Decisions not yet on disk, by request id: a repeat arriving meanwhile waits for the same one. */
  const pending = new Map<string, { bodySha256: string; terminal: string; decided: Promise<Decided> }>();

  /** Decides a request once; a repeated request id gets the stored decision (and its receipt is counted). */
  async function decideOnce(request: VerificationRequest, terminal: string): Promise<Decided> {
    if (request.terminalId !== terminal) throw new HttpProblem(403, 'TERMINAL_ID_MISMATCH');
    const bodySha256 = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    const earlier = pending.get(request.requestId) ?? known(request.requestId);
    if (earlier) {
      if (earlier.bodySha256 !== bodySha256 || earlier.terminal !== terminal) throw new HttpProblem(409, 'REQUEST_ID_REUSED');
      const d = await earlier.decided;
      await writes.submit({ kind: 'receipt', requestId: request.requestId });
      count('duplicate');
      return d;
    }
    const citizen = registry.citizen(request.idNumber);
    const { verdict, reasons } = decide(request, {
      trust,
      paCache,
      now: clock(),
      citizen,
      revoked: registry.isRevoked(request.idNumber, evidenceHashes(request).sod),
    });
    const transactionCode = `RAR-${clock().toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(6).toString('hex').toUpperCase()}`;
    const d: Decided = { requestId: request.requestId, verdict, reasons, transactionCode };
    const decided = writes.submit({ kind: 'insert', requestId: request.requestId, terminalId: terminal, bodySha256, verdict, reasons, transactionCode, decidedAt: clock().toISOString() }).then(() => d);
    pending.set(request.requestId, { bodySha256, terminal, decided });
    try {
      await decided;
    } finally {
      pending.delete(request.requestId);
    }
    count('decided');
    return d;
  }

  function known(requestId: string): { bodySha256: string; terminal: string; decided: Promise<Decided> } | undefined {
    const t = registry.transaction(requestId);
    if (!t) return undefined;
    const d: Decided = { requestId: t.requestId, verdict: t.verdict as VerificationResponse['verdict'], reasons: t.reasons, transactionCode: t.transactionCode };
    return { bodySha256: t.bodySha256, terminal: t.terminalId, decided: Promise.resolve(d) };
  }

  function timestamp(): string {
    const offset = fault?.f.kind === 'clock-offset' ? fault.f.ms : 0;
    return new Date(clock().getTime() + offset).toISOString();
  }

  function sign(text: string, encoding: 'der' | 'ieee-p1363' = 'der'): Buffer {
    const sig = signBytes(signingKey, Buffer.from(text, 'utf8'), encoding);
    if (fault?.f.kind === 'bad-signature') sig[sig.length - 1]! ^= 0x01;
    return sig;
  }

  function jsonBody(d: Omit<VerificationResponse, 'respondedAt' | 'version'>): string {
    const response: VerificationResponse = { version: '1', ...d, respondedAt: timestamp() };
    const text = JSON.stringify(response);
    return encodeSignedBody(text, sign(text), signatureAlgorithm(signingKey), keyId);
  }

  function envelopeBody(d: Omit<VerificationResponse, 'respondedAt' | 'version'>): string {
    const { signed, outer } = envelopeResponseParts(envelope, { ...d, respondedAt: timestamp() });
    const text = JSON.stringify(signed);
    const sig = sign(text, envelope.signatureEncoding).toString('base64');
    const info = { version: '1.0.0', senderId: 'RAR', messageType: 'VERIFY_EID_RESULT', sendDate: timestamp(), ...((outer.info as object) ?? {}) };
    // The signed member is inserted verbatim so the client can verify the exact bytes.
    const head = JSON.stringify({ ...outer, info }).slice(0, -1);
    return `${head},${JSON.stringify(envelope.response.signedMember)}:${text},${JSON.stringify(envelope.response.signature)}:${JSON.stringify(sig)}}`;
  }

  /** Applies the configured fault, if any: returns the body to send (the normal one or a broken one). */
  async function applyFault(reply: FastifyReply, normal: string): Promise<string> {
    const f = fault?.f;
    if (!f) return normal;
    if (fault && --fault.left <= 0) fault = undefined;
    switch (f.kind) {
      case 'status':
        if (f.retryAfterSeconds !== undefined) reply.header('retry-after', String(f.retryAfterSeconds));
        reply.code(f.status);
        return JSON.stringify({ error: { code: 'FAULT_INJECTED' } });
      case 'delay':
        await new Promise((r) => setTimeout(r, f.ms));
        return normal;
      case 'malformed':
        return normal.slice(0, Math.floor(normal.length / 2));
      case 'replay-previous':
        return previousBody ?? normal;
      case 'drop-connection':
        reply.raw.socket?.destroy();
        return normal;
      default:
        return normal;
    }
  }

  function problem(reply: FastifyReply, e: unknown): string {
    if (e instanceof HttpProblem) {
      count(e.code);
      if (e.retryAfterSeconds !== undefined) reply.header('retry-after', String(e.retryAfterSeconds));
      reply.code(e.status);
      return JSON.stringify({ error: { code: e.code } });
    }
    throw e;
  }

  async function handle(req: FastifyRequest, reply: FastifyReply, shape: 'json' | 'envelope', get: (terminal: string) => Decided | Promise<Decided>) {
    reply.type('application/json');
    const started = performance.now();
    let body: string;
    try {
      const terminal = await admit(req);
      const d = await get(terminal);
      body = shape === 'json' ? jsonBody(d) : envelopeBody(d);
      req.log.info({ terminal, requestId: d.requestId, verdict: d.verdict, ms: Math.round(performance.now() - started) }, 'verify');
    } catch (e) {
      body = problem(reply, e);
      req.log.warn({ code: e instanceof HttpProblem ? e.code : 'ERROR', status: reply.statusCode }, 'refused');
      return body;
    }
    const out = await applyFault(reply, body);
    if (reply.statusCode === 200 && out === body) previousBody = body;
    return out;
  }

  function parseRequest(candidate: unknown): VerificationRequest {
    const parsed = verificationRequest.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new HttpProblem(400, `INVALID_REQUEST:${issue.path.join('.') || 'body'}`);
    }
    return parsed.data;
  }

  app.post(VERIFY_PATH, (req, reply) => handle(req, reply, 'json', (t) => decideOnce(parseRequest(req.body), t)));
  app.get<{ Params: { id: string } }>(`${VERIFY_PATH}/:id`, (req, reply) =>
    handle(req, reply, 'json', (t) => {
      const known = registry.transaction(req.params.id);
      if (!known || known.terminalId !== t) throw new HttpProblem(404, 'UNKNOWN_REQUEST');
      count('lookup');
      return { requestId: known.requestId, verdict: known.verdict as VerificationResponse['verdict'], reasons: known.reasons, transactionCode: known.transactionCode };
    }),
  );
  app.post(envelope.path, (req, reply) => handle(req, reply, 'envelope', (t) => decideOnce(parseRequest(requestFromEnvelope(req.body, envelope)), t)));
  app.setErrorHandler((err, req, reply) => {
    const status = (err as { statusCode?: number }).statusCode ?? 500;
    req.log.warn({ code: (err as { code?: string }).code ?? 'ERROR', status }, 'error');
    reply.code(status).type('application/json').send(JSON.stringify({ error: { code: status === 400 ? 'MALFORMED_BODY' : 'INTERNAL' } }));
  });

  await app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `https://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    pki,
    registry,
    signingPublicKeyFile: pki.signingPublicKeyFile[alg],
    enrol,
    setFault(f, times = Number.POSITIVE_INFINITY) {
      fault = f ? { f, left: times } : undefined;
    },
    counters,
    async close() {
      await app.close();
      await registry.close();
    },
  };
}
