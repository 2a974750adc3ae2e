/**
 * HTTP Digest access authentication, client side (RFC 7616; MD5 and SHA-256, qop "auth"), as IP
 * cameras and access terminals (Hikvision ISAPI) ask for it. The first request goes without
 * credentials; the 401's challenge is answered once. A challenge answered and refused again is the
 * wrong password, and is not retried: such devices lock the account after a few failures.
 * The nonce is kept for the next requests (nc counts up); a `stale` challenge is answered afresh.
 */
import { createHash, randomBytes } from 'node:crypto';

export interface DigestCredentials {
  readonly username: string;
  readonly password: string;
}

interface Challenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque?: string;
  readonly algorithm: 'MD5' | 'SHA-256';
  readonly qop?: 'auth';
  readonly stale: boolean;
}

/** The name=value parameters of a `Digest …` header (challenge or answer); undefined when it is not Digest. */
export function digestParams(header: string | null): Record<string, string> | undefined {
  if (!header || !/^\s*Digest\s/i.test(header)) return undefined;
  const params: Record<string, string> = {};
  for (const m of header.replace(/^\s*Digest\s+/i, '').matchAll(/([a-zA-Z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) {
    params[m[1]!.toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3]!;
  }
  return params;
}

/** The parameters of a `WWW-Authenticate: Digest …` header; undefined when it is not a Digest challenge we can answer. */
export function parseChallenge(header: string | null): Challenge | undefined {
  const params = digestParams(header);
  if (!params) return undefined;
  const algorithm = (params.algorithm ?? 'MD5').toUpperCase();
  if (!params.realm || !params.nonce || (algorithm !== 'MD5' && algorithm !== 'SHA-256')) return undefined;
  const qops = (params.qop ?? '').split(',').map((q) => q.trim());
  if (params.qop !== undefined && !qops.includes('auth')) return undefined; // auth-int only: not offered here
  return {
    realm: params.realm,
    nonce: params.nonce,
    ...(params.opaque !== undefined ? { opaque: params.opaque } : {}),
    algorithm,
    ...(qops.includes('auth') ? { qop: 'auth' as const } : {}),
    stale: (params.stale ?? '').toLowerCase() === 'true',
  };
}

export interface DigestInput {
  readonly algorithm: 'MD5' | 'SHA-256';
  readonly username: string;
  readonly realm: string;
  readonly password: string;
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  /** With qop "auth": the request counter as 8 hex digits and the client nonce. */
  readonly qop?: { readonly nc: string; readonly cnonce: string };
}

/** The `response` value both sides compute (RFC 7616 §3.4.1). */
export function digestResponse(d: DigestInput): string {
  const h = (s: string) => createHash(d.algorithm === 'MD5' ? 'md5' : 'sha256').update(s, 'utf8').digest('hex');
  const ha1 = h(`${d.username}:${d.realm}:${d.password}`);
  const ha2 = h(`${d.method}:${d.uri}`);
  return d.qop ? h(`${ha1}:${d.nonce}:${d.qop.nc}:${d.qop.cnonce}:auth:${ha2}`) : h(`${ha1}:${d.nonce}:${ha2}`);
}

const quoted = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

/** The `Authorization` header answering `challenge` for one request. */
export function digestAuthorization(c: Challenge, creds: DigestCredentials, method: string, uri: string, nc: number, cnonce = randomBytes(12).toString('hex')): string {
  const ncHex = nc.toString(16).padStart(8, '0');
  const response = digestResponse({ algorithm: c.algorithm, ...creds, realm: c.realm, method, uri, nonce: c.nonce, ...(c.qop ? { qop: { nc: ncHex, cnonce } } : {}) });
  const parts = [
    `username=${quoted(creds.username)}`, `realm=${quoted(c.realm)}`, `nonce=${quoted(c.nonce)}`, `uri=${quoted(uri)}`, `algorithm=${c.algorithm}`, `response=${quoted(response)}`,
    ...(c.qop ? [`qop=auth`, `nc=${ncHex}`, `cnonce=${quoted(cnonce)}`] : []),
    ...(c.opaque !== undefined ? [`opaque=${quoted(c.opaque)}`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
}

export class DigestAuthError extends Error {
  constructor(readonly kind: 'refused' | 'no-challenge', message: string) {
    super(message);
    this.name = 'DigestAuthError';
  }
}

/** A fetch that answers Digest challenges for one device, reusing its nonce across requests. */
export class DigestClient {
  private challenge: Challenge | undefined;
  private nc = 0;

  constructor(private readonly creds: DigestCredentials) {}

  async fetch(url: string, init: RequestInit & { method: string }): Promise<Response> {
    const uri = (() => {
      const u = new URL(url);
      return `${u.pathname}${u.search}`;
    })();
    const send = (authorization?: string) => fetch(url, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...(authorization ? { authorization } : {}) }, redirect: 'error' });
    const answer = (c: Challenge) => {
      this.challenge = c;
      this.nc = 1;
      return digestAuthorization(c, this.creds, init.method, uri, this.nc);
    };
    let res = await send(this.challenge ? digestAuthorization(this.challenge, this.creds, init.method, uri, ++this.nc) : undefined);
    if (res.status !== 401) return res;
    const fresh = parseChallenge(res.headers.get('www-authenticate'));
    await res.body?.cancel();
    if (!fresh) throw new DigestAuthError('no-challenge', 'the device asked for credentials without a Digest challenge this client can answer');
    // Reused nonce expired (stale) or first contact: answer the new challenge once. Refused after a
    // fresh answer means the credentials are wrong; asking again would only lock the account.
    if (this.challenge !== undefined && !fresh.stale && this.challenge.nonce === fresh.nonce) {
      this.challenge = undefined;
      throw new DigestAuthError('refused', 'the device refused the credentials');
    }
    res = await send(answer(fresh));
    if (res.status === 401) {
      this.challenge = undefined;
      await res.body?.cancel();
      throw new DigestAuthError('refused', 'the device refused the credentials');
    }
    return res;
  }
}
