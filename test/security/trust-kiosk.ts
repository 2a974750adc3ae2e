/**
 * A hospital kiosk for the trust attacks: the shipped hospital profile on its simulators, the
 * virtual card behaving as asked (genuine, or a self-signed-signer forgery), and the central service
 * a reference server run by the test and reached as a *remote* service (mutual TLS, pinned keys), so
 * the test decides what the service knows and when it is unreachable (setFault).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { JourneyView } from '../../app/core/journey/view.ts';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { embeddedEndpoint } from '../../app/sim/rar-server/embedded.ts';
import { startRarServer, type RunningRarServer } from '../../app/sim/rar-server/server.ts';
import { getTestPki, testTrustAnchors } from '../../app/sim/pki/test-pki.ts';
import { PERSONAS } from '../../app/sim/personas/personas.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';

export const ID_NUMBER = '001092012345';
const TERMINAL = 'BV-KIOSK-01';

/** A reference central service trusting the given CSCAs (and nothing else). */
export async function centralService(dir: string, anchors: Uint8Array[]): Promise<RunningRarServer> {
  return startRarServer({ dataDir: dir, port: 0, trust: { anchors, crls: [] } });
}

/** The answered calls of a service so far (to tell whether the kiosk asked it). */
export const answered = (server: RunningRarServer) => Object.values(server.counters).reduce((a, b) => a + b, 0);

/**
 * Two national services for the forgery: `national` knows the project's CSCAs only, so the
 * forger's signer is unknown to it; `knowing` also knows that signer, as the real service knows
 * CCCD signers a kiosk may lack. Started before and closed after the suite, with their folder.
 */
export function nationalServices(name: string): { national: () => RunningRarServer; knowing: () => RunningRarServer; dir: string } {
  const dir = tempDir(name);
  let national: RunningRarServer | undefined;
  let knowing: RunningRarServer | undefined;
  beforeAll(async () => {
    national = await centralService(`${dir.path}/national`, testTrustAnchors());
    const forgerCsca = getTestPki(PERSONAS['nguyen-van-an'].pki).forgerCsca.certificate;
    knowing = await centralService(`${dir.path}/knowing`, [...testTrustAnchors(), forgerCsca]);
  });
  afterAll(async () => {
    await national?.close();
    await knowing?.close();
    dir.cleanup();
  });
  return { national: () => national!, knowing: () => knowing!, dir: dir.path };
}

/** The profile section that reaches `server` as a real site reaches its service: files for every key, pins. */
export async function remoteSection(server: RunningRarServer, dir: string) {
  const e = await embeddedEndpoint(server, TERMINAL);
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text, { mode: 0o600 });
    return { file: path };
  };
  return {
    mode: 'remote',
    url: e.url,
    clientCert: file('kiosk.crt', e.clientCertPem),
    clientKey: file('kiosk.key', e.clientKeyPem),
    serverCa: file('ca.crt', e.serverCaPem),
    serverSpkiSha256: e.serverSpkiSha256,
    responseKey: file('response.pub.pem', e.responseKeyPem),
  };
}

export interface TrustKiosk {
  readonly host: KioskHost;
  /** Start, consent, the card's number; resolves on the first screen that waits for the person. */
  present(): Promise<JourneyView>;
  /** From the exam-type screen: an insurance visit at clinic P101, to the done screen. */
  register(): Promise<JourneyView>;
  /** The view once `until` holds (throws, naming the step it is at, after 45 s). */
  waitFor(until: (v: JourneyView) => boolean, what: string): Promise<JourneyView>;
  close(): Promise<void>;
}

export async function trustKiosk(
  name: string,
  o: { central?: RunningRarServer; simulate?: 'genuine' | 'self-signed-signer'; journey?: Record<string, unknown> },
): Promise<TrustKiosk> {
  const dir = tempDir(`trust-${name}`);
  const service = o.central ? await remoteSection(o.central, dir.path) : undefined;
  const profile = tempProfile('hospital', dir.path, (p) => {
    p.devices.cardReader.simulate = o.simulate ?? 'genuine';
    p.journey = { ...p.journey, faceRequired: false, ...o.journey };
    if (service) {
      // Basic variant: the face is not what these attacks are about (the face step is off).
      p.verification = {
        ...p.verification, variant: 'basic', service,
        retry: { attempts: 1 }, circuitBreaker: { failureThreshold: 1000, cooldownMs: 100 },
        outbox: { pollMs: 100, retryBaseMs: 50, retryMaxMs: 200 },
      };
    } else {
      delete p.verification;
    }
  });
  const host = await startKioskHost({ profile: profile.file, port: 0 });
  const journey = host.journey;

  const settled = async (until: (v: JourneyView) => boolean, what: string): Promise<JourneyView> => {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const v = journey.view();
      if (until(v)) return v;
      if (Date.now() > deadline) throw new Error(`the journey did not reach ${what}; it is at ${JSON.stringify(v.state)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    host,
    waitFor: settled,
    async present() {
      await journey.act({ action: 'start' });
      await journey.act({ action: 'consent', accepted: true });
      await journey.act({ action: 'key', key: { kind: 'id-number', idNumber: ID_NUMBER, source: 'typed-id' } });
      return settled((v) => v.state.step === 'failed' || v.state.step === 'done' || (v.state.step === 'site' && v.site !== undefined), 'a screen');
    },
    async register() {
      await journey.act({ action: 'site', payload: { choose: 'exam-type', examinationType: 'insurance' } });
      const dept = await settled((v) => v.site?.siteStep === 'department', 'the department screen');
      const departments = dept.site!.data.departments as { id: string; clinics: { id: string }[] }[];
      const department = departments.find((d) => d.clinics.some((c) => c.id === 'p101'))!;
      await journey.act({ action: 'site', payload: { choose: 'clinic', departmentId: department.id, clinicId: 'p101' } });
      return settled((v) => v.state.step === 'done' || v.state.step === 'failed', 'the done screen');
    },
    async close() {
      await host.close();
      dir.cleanup();
    },
  };
}

/** The audit rows of one action, details parsed. */
export function auditOf(host: KioskHost, action: string): Record<string, unknown>[] {
  return host.audit.recent(500).filter((r) => r.action === action).map((r) => JSON.parse(r.detail) as Record<string, unknown>);
}
