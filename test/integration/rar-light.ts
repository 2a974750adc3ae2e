/**
 * The light half of the RAR test support: what a child process needs without loading the server,
 * the personas or the PKI generators (the kill -9 test starts such children several times).
 */
import { verificationConfig, type VerificationConfig } from '../../app/core/verification/config.ts';
import type { VerificationSubject } from '../../app/core/verification/subject.ts';

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

/** A subject across a process boundary (the test PKI is per process, so the child must get the parent's card). */
export function subjectToJson(s: VerificationSubject): Record<string, unknown> {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return {
    idNumber: s.idNumber,
    dg13: s.dg13,
    dscCert: b64(s.dscCert),
    sod: b64(s.sod),
    dgHashes: Object.fromEntries(Object.entries(s.dgHashes ?? {}).map(([n, h]) => [n, b64(h)])),
  };
}

export function subjectFromJson(j: Record<string, unknown>): VerificationSubject {
  const bytes = (v: unknown) => Buffer.from(v as string, 'base64');
  return {
    idNumber: j.idNumber as string,
    dg13: j.dg13 as VerificationSubject['dg13'],
    dscCert: bytes(j.dscCert),
    sod: bytes(j.sod),
    dgHashes: Object.fromEntries(Object.entries(j.dgHashes as Record<string, string>).map(([n, h]) => [Number(n), bytes(h)])),
  };
}

