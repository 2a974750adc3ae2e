import { createHash, X509Certificate } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Agent, request as httpsRequest } from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { RarError } from '../../core/verification/errors.ts';
import type { GatewayCall } from '../../core/verification/gateway.ts';

/**
 * HTTPS to the verification service (and the site hub, which enrols terminals the same way): mutual TLS, the service certificate pinned by the SHA-256 of
 * its SubjectPublicKeyInfo (on top of normal chain and host-name checks), separate connect and
 * response timeouts, keep-alive connections. Failures become RarErrors naming what went wrong.
 */
export interface TransportOptions {
  readonly url: string;
  readonly clientCertPem: string;
  readonly clientKeyPem: string;
  readonly serverCaPem: string;
  /** base64 SHA-256 of SubjectPublicKeyInfo; any one may match. */
  readonly serverSpkiSha256: readonly string[];
  readonly connectTimeoutMs: number;
  readonly responseTimeoutMs: number;
  readonly maxSockets?: number;
  /** Largest response body accepted. */
  readonly maxBodyBytes?: number;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const PIN_MISMATCH = Symbol('pin-mismatch');

const CONNECT_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

export class HttpsTransport {
  private readonly agent: Agent;
  private readonly base: URL;

  constructor(private readonly opts: TransportOptions) {
    this.base = new URL(opts.url);
    const pins = new Set(opts.serverSpkiSha256);
    this.agent = new Agent({
      keepAlive: true,
      maxSockets: opts.maxSockets ?? 16,
      cert: opts.clientCertPem,
      key: opts.clientKeyPem,
      ca: opts.serverCaPem,
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      checkServerIdentity: (host: string, cert: PeerCertificate) => {
        const err = checkServerIdentity(host, cert);
        if (err) return err;
        const spkiDer = new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' });
        const spki = createHash('sha256').update(spkiDer).digest('base64');
        if (!pins.has(spki)) return Object.assign(new Error('server SPKI not pinned'), { [PIN_MISMATCH]: true });
        return undefined;
      },
    });
  }

  send(call: GatewayCall): Promise<HttpResult> {
    const maxBody = this.opts.maxBodyBytes ?? 4 * 1024 * 1024;
    return new Promise<HttpResult>((resolve, reject) => {
      let settled = false;
      const fail = (e: RarError) => {
        if (settled) return;
        settled = true;
        clearTimeout(responseTimer);
        clearTimeout(connectTimer);
        req.destroy();
        reject(e);
      };
      const body = call.body === undefined ? undefined : Buffer.from(call.body, 'utf8');
      const req = httpsRequest(new URL(call.path, this.base), {
        method: call.method,
        agent: this.agent,
        headers: { ...call.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      });
      let connectTimer: NodeJS.Timeout | undefined;
      // Until the TLS session is up nothing can have reached the service: such failures are "not sent".
      let connected = false;
      const responseTimer = setTimeout(() => fail(new RarError('RAR_RESPONSE_TIMEOUT', `${this.opts.responseTimeoutMs} ms`)), this.opts.responseTimeoutMs);
      req.on('socket', (socket) => {
        // A reused keep-alive socket is already connected; only a new one has a connect phase.
        if ((socket as { connecting?: boolean }).connecting || !(socket as { authorized?: boolean }).authorized) {
          connectTimer = setTimeout(
            () => fail(new RarError('RAR_CONNECT_TIMEOUT', `${this.opts.connectTimeoutMs} ms`, { notSent: true })),
            this.opts.connectTimeoutMs,
          );
          socket.once('secureConnect', () => {
            connected = true;
            clearTimeout(connectTimer);
          });
        } else {
          connected = true;
        }
      });
      req.on('error', (e: NodeJS.ErrnoException & { [PIN_MISMATCH]?: boolean }) => fail(classify(e, !connected)));
      req.on('response', (res) => {
        clearTimeout(connectTimer);
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBody) fail(new RarError('RAR_MALFORMED_RESPONSE', 'response body too large'));
          else chunks.push(c);
        });
        res.on('error', (e) => fail(classify(e, false)));
        res.on('aborted', () => fail(new RarError('RAR_CONNECT_FAILED', 'connection closed mid-response')));
        res.on('end', () => {
          if (settled) return;
          settled = true;
          clearTimeout(responseTimer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      req.end(body);
    });
  }

  /**
   * Opens a long-lived GET whose body is read as it comes (the site hub's change stream): resolves
   * with the response once its headers arrive (within the response timeout); after that the caller
   * owns the stream and its lifetime.
   */
  stream(path: string): Promise<IncomingMessage> {
    return new Promise<IncomingMessage>((resolve, reject) => {
      const req = httpsRequest(new URL(path, this.base), { method: 'GET', agent: this.agent, headers: { accept: 'application/x-ndjson' } });
      const timer = setTimeout(() => req.destroy(new RarError('RAR_RESPONSE_TIMEOUT', `${this.opts.responseTimeoutMs} ms`)), this.opts.responseTimeoutMs);
      req.on('error', (e: NodeJS.ErrnoException & { [PIN_MISMATCH]?: boolean }) => {
        clearTimeout(timer);
        reject(classify(e, true));
      });
      req.on('response', (res) => {
        clearTimeout(timer);
        resolve(res);
      });
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

function classify(e: NodeJS.ErrnoException & { [PIN_MISMATCH]?: boolean }, notSent: boolean): RarError {
  if (e instanceof RarError) return e;
  if (e[PIN_MISMATCH]) return new RarError('RAR_PIN_MISMATCH', undefined, { notSent: true });
  const code = e.code ?? '';
  const details = { cause: code, notSent };
  if (/^(ERR_SSL|ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)) return new RarError('RAR_TLS_FAILED', code, details);
  if (CONNECT_CODES.has(code) || /socket hang up/.test(e.message)) return new RarError('RAR_CONNECT_FAILED', code || e.message, details);
  return new RarError('RAR_CONNECT_FAILED', code || 'network error', details);
}
