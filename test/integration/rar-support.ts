import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verificationConfig, type VerificationConfig } from '../../app/core/verification/config.ts';
import type { VerificationSubject } from '../../app/core/verification/subject.ts';
import { createRarClient, type RarEndpoint } from '../../app/platform/rar/from-config.ts';
import type { AuditSink } from '../../app/platform/rar/client.ts';
import { embeddedEndpoint } from '../../app/sim/rar-server/embedded.ts';
import { startRarServer, type RarServerOptions, type RunningRarServer } from '../../app/sim/rar-server/server.ts';
import { exportKeyPair, generateKeyPair, importSigningKey, issueCertificate } from '../../app/sim/rar-server/x509.ts';

/** A throwaway CSCA and a Document Signer it issued, made by code for each test run. */
export async function makeDocumentPki(): Promise<{ cscaPem: string; dscDer: Buffer; rogueDscDer: Buffer }> {
  const csca = await generateKeyPair('ec-p256');
  const cscaPem = await issueCertificate({ commonName: 'Test CSCA VN', publicKey: csca.publicKey, issuerKey: csca.privateKey, ca: true, days: 3650 });
  const dscKeys = await generateKeyPair('ec-p256');
  const dscPem = await issueCertificate({ commonName: 'Test DS 1', publicKey: dscKeys.publicKey, issuerKey: csca.privateKey, issuerCertPem: cscaPem, days: 365 });
  const rogue = await generateKeyPair('ec-p256');
  const roguePem = await issueCertificate({ commonName: 'Test CSCA VN', publicKey: rogue.publicKey, issuerKey: rogue.privateKey, ca: true, days: 3650 });
  const rogueDscPem = await issueCertificate({ commonName: 'Test DS 1', publicKey: dscKeys.publicKey, issuerKey: (await importSigningKey((await exportKeyPair(rogue)).privateKeyPem)), issuerCertPem: roguePem, days: 365 });
  return { cscaPem, dscDer: new X509Certificate(dscPem).raw, rogueDscDer: new X509Certificate(rogueDscPem).raw };
}

/** Synthetic subject matching the first demo citizen (reference §1.2 synthetic vector). */
export function demoSubject(dscDer: Buffer, overrides: Partial<VerificationSubject> = {}): VerificationSubject {
  return {
    idNumber: '001092012345',
    dg13: { fullName: 'Nguyễn Văn An', dateOfBirth: '17/03/1992', sex: 'Nam', placeOfOrigin: 'Xã A, Huyện B, Tỉnh C', dateOfExpiry: '17/03/2032' },
    dscCert: dscDer,
    sod: randomBytes(64),
    ...overrides,
  };
}

export function tempDir(prefix = 'rar-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function testConfig(overrides: Record<string, unknown> = {}): VerificationConfig {
  return verificationConfig.parse({
    offlinePolicy: 'allow-offline',
    connectTimeoutMs: 1000,
    responseTimeoutMs: 1500,
    retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
    circuitBreaker: { failureThreshold: 5, cooldownMs: 500 },
    ...overrides,
  });
}

export class MemoryAudit implements AuditSink {
  readonly rows: { action: string; actor: string; detail?: Record<string, unknown> }[] = [];
  append(entry: { action: string; actor: string; detail?: Record<string, unknown> }): void {
    this.rows.push(entry);
  }
}

export interface Fixture {
  server: RunningRarServer;
  endpoint: RarEndpoint;
  docs: Awaited<ReturnType<typeof makeDocumentPki>>;
  dir: string;
  cleanup(): Promise<void>;
}

export async function startFixture(terminalId = 'TEST-0001', opts: Partial<RarServerOptions> = {}): Promise<Fixture> {
  const tmp = tempDir();
  const docs = await makeDocumentPki();
  const server = await startRarServer({ dataDir: join(tmp.dir, 'rar'), cscaCerts: [docs.cscaPem], ...opts });
  const endpoint = await embeddedEndpoint(server, terminalId);
  return {
    server,
    endpoint,
    docs,
    dir: tmp.dir,
    async cleanup() {
      await server.close();
      tmp.remove();
    },
  };
}

export { createRarClient };
