import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VerificationSubject } from '../../app/core/verification/subject.ts';
import { createRarClient, type RarEndpoint } from '../../app/platform/rar/from-config.ts';
import type { AuditSink } from '../../app/platform/rar/client.ts';
import { embeddedEndpoint } from '../../app/sim/rar-server/embedded.ts';
import { startRarServer, type RarServerOptions, type RunningRarServer } from '../../app/sim/rar-server/server.ts';
import { parseDg13 } from '../../app/core/cccd/dg13.ts';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { findSignerCertificate, parseSod } from '../../app/core/icao/lds/sod.ts';
import { contractDg13 } from '../../app/core/verification/subject.ts';
import { buildCardFiles, type Forgery } from '../../app/sim/personas/build-card-files.ts';
import { testTrustAnchors } from '../../app/sim/pki/test-pki.ts';

/**
 * A persona's card as the kiosk would send it: DSC taken from the SOD, DG hashes computed from the
 * data groups read, DG13 fields parsed from DG13. Built by the persona/test-PKI generators.
 */
export async function cardSubject(personaId = 'nguyen-van-an', forgery?: Forgery): Promise<VerificationSubject> {
  const card = await buildCardFiles(personaId, forgery ? { forgery } : {});
  const sodBytes = card.files.get(LDS_FILES.SOD.fid)!;
  const sod = parseSod(sodBytes);
  const hash = sod.ldsSecurityObject.hashAlgorithm;
  return {
    idNumber: card.idNumber!,
    dg13: contractDg13(parseDg13(card.dataGroups.get(13)!)),
    dscCert: findSignerCertificate(sod, sod.signerInfos[0]!)!,
    sod: sodBytes,
    dgHashes: Object.fromEntries([...card.dataGroups].map(([n, b]) => [n, createHash(hash).update(b).digest()])),
  };
}

/** The reference server's trust store: the CSCAs of every test-PKI profile. */
export const serverTrust = () => ({ anchors: testTrustAnchors(), crls: [] });

export function tempDir(prefix = 'rar-'): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
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
  /** Nguyễn Văn An's genuine card. */
  subject: VerificationSubject;
  dir: string;
  cleanup(): Promise<void>;
}

export async function startFixture(terminalId = 'TEST-0001', opts: Partial<RarServerOptions> = {}): Promise<Fixture> {
  const tmp = tempDir();
  const subject = await cardSubject();
  const server = await startRarServer({ dataDir: join(tmp.dir, 'rar'), trust: serverTrust(), ...opts });
  const endpoint = await embeddedEndpoint(server, terminalId);
  return {
    server,
    endpoint,
    subject,
    dir: tmp.dir,
    async cleanup() {
      await server.close();
      tmp.remove();
    },
  };
}

export { createRarClient };
export { subjectFromJson, subjectToJson, testConfig } from './rar-light.ts';
