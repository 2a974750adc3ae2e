import { createServer } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CECA_LIKE_MAPPING } from '../../app/core/verification/envelope.ts';
import { RarError } from '../../app/core/verification/errors.ts';
import { buildVerificationRequest } from '../../app/core/verification/subject.ts';
import type { RarClient } from '../../app/platform/rar/client.ts';
import { remoteEndpoint } from '../../app/platform/rar/from-config.ts';
import { readSecret, type LoadedProfile } from '../../app/host/config-loader.ts';
import { ensureDemoPki, ensureTerminalCredentials, spkiSha256 } from '../../app/sim/rar-server/demo-pki.ts';
import { embeddedVerification } from '../../app/host/demo-wiring.ts';
import type { VerificationSubject } from '../../app/core/verification/subject.ts';
import { cardSubject, createRarClient, MemoryAudit, startFixture, tempDir, testConfig, type Fixture } from './rar-support.ts';

/** The hardened client against the reference server, through real HTTPS with mutual TLS. */

const TERMINAL = 'TEST-0001';
let f: Fixture;
let audit: MemoryAudit;

beforeAll(async () => {
  f = await startFixture(TERMINAL);
});
afterAll(async () => {
  await f.cleanup();
});

function client(overrides: Record<string, unknown> = {}, endpoint = f.endpoint): RarClient {
  audit = new MemoryAudit();
  return createRarClient(testConfig(overrides), endpoint, { audit });
}

/** Nguyễn Văn An's genuine card, with whatever the test replaces (dg13 is replaced whole). */
function request(overrides: Partial<VerificationSubject> = {}, variant: 'basic' | 'bio' = 'basic', base = f.subject) {
  return buildVerificationRequest({ ...base, ...overrides }, { terminalId: TERMINAL, variant });
}

async function rejection(p: Promise<unknown>): Promise<RarError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, 'the call must fail').toBeInstanceOf(RarError);
  return e as RarError;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('verdicts over mTLS', () => {
  it('answers VERIFIED with a signed response echoing the request id, audited without personal data', async () => {
    const c = client();
    const req = request();
    const v = await c.verify(req);
    expect(v.response).toMatchObject({ requestId: req.requestId, verdict: 'VERIFIED', reasons: [] });
    expect(v.response.transactionCode).toMatch(/^RAR-\d{8}-[0-9A-F]{12}$/);
    expect(JSON.parse(v.signedBytes.toString('utf8'))).toEqual(v.response);
    expect(audit.rows).toHaveLength(1);
    expect(audit.rows[0]).toMatchObject({ action: 'rar.verify', detail: { requestId: req.requestId, outcome: 'VERIFIED', attempts: 1, httpStatus: 200 } });
    const logged = JSON.stringify(audit.rows);
    for (const secret of ['001092012345', 'Nguyễn', '17/03/1992']) expect(logged).not.toContain(secret);
    c.close();
  });

  it('the demo wiring: an embedded server trusting the virtual card\'s test PKI, reached over mTLS', async () => {
    const dir = tempDir('embedded-');
    try {
      const { server, endpoint } = await embeddedVerification(dir.dir, 'DEMO-0001');
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const c = createRarClient(testConfig(), endpoint, { audit: new MemoryAudit() });
      const v = await c.verify(buildVerificationRequest(f.subject, { terminalId: 'DEMO-0001', variant: 'basic' }));
      expect(v.response.verdict).toBe('VERIFIED');
      c.close();
      await server.close();
    } finally {
      dir.remove();
    }
  });

  it('a remote service from a profile: certificates and keys are read from the files the profile names', async () => {
    const dir = tempDir('profile-');
    try {
      const creds = await f.server.enrol(TERMINAL);
      writeFileSync(join(dir.dir, 'ca.crt'), f.server.pki.caCert);
      writeFileSync(join(dir.dir, 'response.pub.pem'), readFileSync(f.server.signingPublicKeyFile));
      const cfg = testConfig({
        service: {
          mode: 'remote',
          url: f.server.url,
          clientCert: { file: creds.certFile },
          clientKey: { file: creds.keyFile },
          serverCa: { file: 'ca.crt' },
          serverSpkiSha256: [f.server.pki.serverSpkiSha256],
          responseKey: { file: 'response.pub.pem' },
        },
      });
      const profile = { name: 'test', file: join(dir.dir, 'test.yaml'), config: {} } as unknown as LoadedProfile;
      const endpoint = remoteEndpoint((ref, keyPath) => readSecret(profile, ref, keyPath), cfg);
      const c = createRarClient(cfg, endpoint, { audit: new MemoryAudit() });
      expect((await c.verify(request())).response.verdict).toBe('VERIFIED');
      c.close();
      // A missing key file is a configuration error naming the key, not a crash.
      const broken = testConfig({ service: { ...cfg.service, clientKey: { file: 'nope.key' } } });
      expect(() => remoteEndpoint((ref, keyPath) => readSecret(profile, ref, keyPath), broken)).toThrow(/verification\.service\.clientKey.*not found/);
    } finally {
      dir.remove();
    }
  });

  it('reaches NOT_FOUND, REVOKED, EXPIRED and MISMATCH from the registry', async () => {
    const c = client();
    const ngoc = await cardSubject('tran-thi-bich-ngoc'); // ECDSA P-256 PKI; card expired 28/02/2026
    const cases: [Partial<VerificationSubject>, VerificationSubject, string, string[]][] = [
      [{ idNumber: '001099999999' }, f.subject, 'NOT_FOUND', []],
      [{ idNumber: '079185000111', dg13: { fullName: 'Trần Thị Bích', dateOfBirth: '02/11/1985' } }, f.subject, 'REVOKED', []],
      [{ idNumber: '048060000222', dg13: { fullName: 'Lê Văn Cường', dateOfBirth: '05/06/1960' } }, f.subject, 'EXPIRED', []],
      [{}, ngoc, 'EXPIRED', []],
      [{ dg13: { ...f.subject.dg13, fullName: 'Nguyễn Văn Ánh' } }, f.subject, 'MISMATCH', ['FIELD_MISMATCH:fullName']],
    ];
    for (const [overrides, base, verdict, reasons] of cases) {
      const v = await c.verify(request(overrides, 'basic', base));
      expect(v.response.verdict, verdict).toBe(verdict);
      expect(v.response.reasons).toEqual(reasons);
    }
    c.close();
  });

  it('checks the SOD by passive authentication against its CSCA store: forged documents are a MISMATCH', async () => {
    const c = client();
    const cases: [VerificationSubject, string[]][] = [
      [await cardSubject('nguyen-van-an', 'wrong-signer'), ['DSC_SIGNATURE_INVALID']],
      [await cardSubject('nguyen-van-an', 'expired-dsc'), ['DSC_EXPIRED']],
      [await cardSubject('nguyen-van-an', 'bad-signature'), ['SOD_SIGNATURE_INVALID']],
      [await cardSubject('nguyen-van-an', 'altered-dg13'), ['DG13_HASH_MISMATCH']],
      [await cardSubject('nguyen-van-an', 'altered-dg2'), ['DG2_HASH_MISMATCH']],
      // A genuine SOD sent with another card's Document Signer certificate.
      [{ ...f.subject, dscCert: (await cardSubject('tran-thi-bich-ngoc')).dscCert }, ['DSC_NOT_SOD_SIGNER']],
    ];
    for (const [subject, reasons] of cases) {
      const v = await c.verify(buildVerificationRequest(subject, { terminalId: TERMINAL, variant: 'basic' }));
      expect(v.response.verdict).toBe('MISMATCH');
      expect(v.response.reasons).toEqual(reasons);
    }
    c.close();
  });

  it('bio variant carries portrait and face result; a failed face match is a MISMATCH', async () => {
    const c = client();
    const portrait = { bytes: Buffer.from('ffd8ffe0', 'hex'), format: 'jpeg' as const };
    const ok = await c.verify(request({ portrait, faceMatch: { matched: true, score: 0.71, threshold: 0.45 } }, 'bio'));
    expect(ok.response.verdict).toBe('VERIFIED');
    const bad = await c.verify(request({ portrait, faceMatch: { matched: false, score: 0.1, threshold: 0.45 } }, 'bio'));
    expect(bad.response).toMatchObject({ verdict: 'MISMATCH', reasons: ['FACE_NOT_MATCHED'] });
    c.close();
  });

  it('speaks the signed-envelope gateway shape from the mapping in config', async () => {
    const c = client({ protocol: 'envelope', envelope: CECA_LIKE_MAPPING });
    const req = request();
    const v = await c.verify(req);
    expect(v.response).toMatchObject({ requestId: req.requestId, verdict: 'VERIFIED' });
    // What was signed is the envelope's "content" member, verbatim.
    expect(JSON.parse(v.signedBytes.toString('utf8'))).toMatchObject({ transactionId: req.requestId, resultCode: 0 });
    const revoked = await c.verify(request({ idNumber: '079185000111', dg13: { fullName: 'Trần Thị Bích', dateOfBirth: '02/11/1985' } }));
    expect(revoked.response.verdict).toBe('REVOKED');
    const forged = await c.verify(buildVerificationRequest(await cardSubject('nguyen-van-an', 'altered-dg13'), { terminalId: TERMINAL, variant: 'basic' }));
    expect(forged.response).toMatchObject({ verdict: 'MISMATCH', reasons: ['DG13_HASH_MISMATCH'] });
    c.close();
  });

  it('verifies RSA PKCS#1 v1.5 SHA-256 signatures from a server signing with RSA', async () => {
    const rsa = await startFixture(TERMINAL, { signingAlg: 'RS256' });
    try {
      const c = client({}, rsa.endpoint);
      expect(rsa.endpoint.responseKeyPem).toContain('PUBLIC KEY');
      const v = await c.verify(buildVerificationRequest(rsa.subject, { terminalId: TERMINAL, variant: 'basic' }));
      expect(v.response.verdict).toBe('VERIFIED');
      expect(v.signature.length).toBe(256);
      // The EC key of the other server does not verify RSA answers.
      const wrongKey = client({}, { ...rsa.endpoint, responseKeyPem: f.endpoint.responseKeyPem });
      expect((await rejection(wrongKey.verify(buildVerificationRequest(rsa.subject, { terminalId: TERMINAL, variant: 'basic' })))).code).toBe('RAR_BAD_SIGNATURE');
      c.close();
      wrongKey.close();
    } finally {
      await rsa.cleanup();
    }
  });

  it('server logs are structured JSON with ids and codes, never personal data', async () => {
    const lines: string[] = [];
    const logged = await startFixture(TERMINAL, { logger: { level: 'info', stream: { write: (l: string) => lines.push(l) } } });
    try {
      const c = client({}, logged.endpoint);
      const req = buildVerificationRequest(logged.subject, { terminalId: TERMINAL, variant: 'basic' });
      await c.verify(req);
      c.close();
      const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(entries.find((e) => e.msg === 'verify')).toMatchObject({ terminal: TERMINAL, requestId: req.requestId, verdict: 'VERIFIED' });
      const all = lines.join('\n');
      for (const personal of [req.idNumber, req.dg13.fullName, req.dg13.dateOfBirth, req.document.sod!.slice(0, 40)]) expect(all).not.toContain(personal);
    } finally {
      await logged.cleanup();
    }
  });

  it('a repeated request id is answered from the record, not decided again', async () => {
    const c = client();
    const req = request();
    const a = await c.verify(req);
    const b = await c.verify(req);
    expect(b.response.transactionCode).toBe(a.response.transactionCode);
    expect(f.server.registry.transaction(req.requestId)?.receipts).toBe(2);
    c.close();
  });
});

describe('failures through real HTTPS', () => {
  it('response timeout: retried with the same request id, then reported', async () => {
    const c = client({ responseTimeoutMs: 300, retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } });
    f.server.setFault({ kind: 'delay', ms: 800 });
    try {
      const e = await rejection(c.verify(request()));
      expect(e.code).toBe('RAR_RESPONSE_TIMEOUT');
      expect(audit.rows.at(-1)?.detail).toMatchObject({ outcome: 'RAR_RESPONSE_TIMEOUT', attempts: 2 });
    } finally {
      f.server.setFault(undefined);
      c.close();
    }
  });

  it('connect timeout: a peer that accepts TCP but never completes the TLS handshake', async () => {
    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await new Promise((r) => silent.once('listening', r));
    try {
      const port = (silent.address() as { port: number }).port;
      const c = client({ connectTimeoutMs: 200, responseTimeoutMs: 5000, retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }, { ...f.endpoint, url: `https://127.0.0.1:${port}` });
      const t0 = performance.now();
      const e = await rejection(c.verify(request()));
      expect(e.code).toBe('RAR_CONNECT_TIMEOUT');
      expect(e.details).toMatchObject({ notSent: true });
      expect(performance.now() - t0).toBeLessThan(2000);
      c.close();
    } finally {
      silent.close();
    }
  });

  it('a connection dropped after the service decided: the retry gets the recorded decision, not a second one', async () => {
    const c = client();
    const req = request();
    f.server.setFault({ kind: 'drop-connection' }, 1);
    const v = await c.verify(req);
    expect(v.response.verdict).toBe('VERIFIED');
    expect(audit.rows[0]?.detail).toMatchObject({ attempts: 2 });
    expect(f.server.registry.transaction(req.requestId)).toMatchObject({ receipts: 2, transactionCode: v.response.transactionCode });
    c.close();
  });

  it('connection refused', async () => {
    const port = await freePort();
    const c = client({ retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 } }, { ...f.endpoint, url: `https://127.0.0.1:${port}` });
    const e = await rejection(c.verify(request()));
    expect(e.code).toBe('RAR_CONNECT_FAILED');
    expect(e.details).toMatchObject({ cause: 'ECONNREFUSED', notSent: true });
    c.close();
  });

  it('5xx is retried with back-off and the retry succeeds', async () => {
    const c = client();
    f.server.setFault({ kind: 'status', status: 503 }, 2);
    const v = await c.verify(request());
    expect(v.response.verdict).toBe('VERIFIED');
    expect(audit.rows[0]?.detail).toMatchObject({ outcome: 'VERIFIED', attempts: 3 });
    c.close();
  });

  it('429 honours Retry-After before retrying', async () => {
    const c = client({ retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    f.server.setFault({ kind: 'status', status: 429, retryAfterSeconds: 1 }, 1);
    const t0 = performance.now();
    const v = await c.verify(request());
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(v.response.verdict).toBe('VERIFIED');
    c.close();
  });

  it('per-terminal rate limiting answers 429 once the bucket is empty', async () => {
    const limited = await startFixture(TERMINAL, { rateLimit: { perSecond: 0.5, burst: 2 } });
    try {
      const c = client({ retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }, limited.endpoint);
      const mk = () => buildVerificationRequest(limited.subject, { terminalId: TERMINAL, variant: 'basic' });
      await c.verify(mk());
      await c.verify(mk());
      const e = await rejection(c.verify(mk()));
      expect(e.code).toBe('RAR_RATE_LIMITED');
      c.close();
    } finally {
      await limited.cleanup();
    }
  });

  it('malformed body is rejected and not retried', async () => {
    const c = client();
    f.server.setFault({ kind: 'malformed' }, 1);
    const e = await rejection(c.verify(request()));
    expect(e.code).toBe('RAR_MALFORMED_RESPONSE');
    expect(audit.rows[0]?.detail).toMatchObject({ attempts: 1 });
    c.close();
  });

  it('a bad signature is never accepted', async () => {
    const c = client();
    f.server.setFault({ kind: 'bad-signature' }, 1);
    const e = await rejection(c.verify(request()));
    expect(e.code).toBe('RAR_BAD_SIGNATURE');
    c.close();
  });

  it('a genuine response replayed for another request is never accepted', async () => {
    const c = client();
    await c.verify(request());
    f.server.setFault({ kind: 'replay-previous' }, 1);
    const e = await rejection(c.verify(request()));
    expect(e.code).toBe('RAR_REPLAYED_RESPONSE');
    c.close();
  });

  it('a stale or future timestamp (clock skew) is never accepted', async () => {
    const c = client({ maxClockSkewSeconds: 60 });
    for (const ms of [-5 * 60_000, 5 * 60_000]) {
      f.server.setFault({ kind: 'clock-offset', ms }, 1);
      expect((await rejection(c.verify(request()))).code).toBe('RAR_CLOCK_SKEW');
    }
    // Within the window it is accepted.
    f.server.setFault({ kind: 'clock-offset', ms: 30_000 }, 1);
    expect((await c.verify(request())).response.verdict).toBe('VERIFIED');
    c.close();
  });

  it('wrong terminal certificate: one from another CA fails the handshake; an unenrolled one gets 403', async () => {
    const rogueDir = tempDir('rogue-');
    try {
      const roguePki = await ensureDemoPki(rogueDir.dir);
      const rogue = await ensureTerminalCredentials(roguePki, TERMINAL);
      const c1 = client({ retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } }, { ...f.endpoint, clientCertPem: readFileSync(rogue.certFile, 'utf8'), clientKeyPem: readFileSync(rogue.keyFile, 'utf8') });
      const e1 = await rejection(c1.verify(request()));
      expect(['RAR_TLS_FAILED', 'RAR_CONNECT_FAILED']).toContain(e1.code);
      c1.close();
      // Same CA, but never enrolled.
      const stranger = await ensureTerminalCredentials(f.server.pki, 'NOT-ENROLLED');
      const c2 = client({}, { ...f.endpoint, clientCertPem: readFileSync(stranger.certFile, 'utf8'), clientKeyPem: readFileSync(stranger.keyFile, 'utf8') });
      expect((await rejection(c2.verify(request()))).code).toBe('RAR_TERMINAL_REJECTED');
      c2.close();
      // Enrolled, but claiming another terminal's id.
      const other = await f.server.enrol('TEST-0002');
      const c3 = client({}, { ...f.endpoint, clientCertPem: readFileSync(other.certFile, 'utf8'), clientKeyPem: readFileSync(other.keyFile, 'utf8') });
      expect((await rejection(c3.verify(request()))).code).toBe('RAR_TERMINAL_REJECTED');
      c3.close();
    } finally {
      rogueDir.remove();
    }
  });

  it('a server whose key is not pinned is refused before anything is sent', async () => {
    const c = client({}, { ...f.endpoint, serverSpkiSha256: [spkiSha256(f.server.pki.caCert)] });
    const e = await rejection(c.verify(request()));
    expect(e.code).toBe('RAR_PIN_MISMATCH');
    c.close();
  });

  it('the circuit opens after repeated failures, fails fast, then a probe closes it', async () => {
    const c = client({ retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 }, circuitBreaker: { failureThreshold: 3, cooldownMs: 300 } });
    f.server.setFault({ kind: 'status', status: 500 }, 3);
    for (let i = 0; i < 3; i++) expect((await rejection(c.verify(request()))).code).toBe('RAR_SERVER_ERROR');
    expect(c.circuit.state).toBe('open');
    const before = f.server.counters.decided ?? 0;
    expect((await rejection(c.verify(request()))).code).toBe('RAR_CIRCUIT_OPEN');
    expect(f.server.counters.decided ?? 0).toBe(before);
    await new Promise((r) => setTimeout(r, 350));
    expect((await c.verify(request())).response.verdict).toBe('VERIFIED');
    expect(c.circuit.state).toBe('closed');
    c.close();
  });
});
