import type { DeviceState } from '../../core/device-state.ts';
import type { IdentityVerification } from '../../core/journey/ports.ts';
import type { VerifiedResponse } from '../../core/verification/contract.ts';
import { verificationSubject } from '../../core/verification/subject.ts';
import { remoteEndpoint, type RarEndpoint } from '../../platform/rar/from-config.ts';
import { startVerification, type Verification } from '../../platform/rar/verification-service.ts';
import type { AuditLog } from '../../platform/store/audit-log.ts';
import type { Db } from '../../platform/store/db.ts';
import { profileRelative, readSecret, type LoadedProfile } from '../config-loader.ts';
import type { RunningRarServer } from '../demo-wiring.ts';

/** A verdict the service gave for a request, stored in the kiosk's record of verifications. */
export interface StoredVerdict {
  readonly verdict: string;
  readonly transactionCode: string | null;
}

export interface VerificationWiring {
  readonly verification: IdentityVerification;
  /** The stored verdict of a request (online, or delivered late from the outbox), if it has one. */
  verdictOf(requestId: string): StoredVerdict | undefined;
  /** The in-process reference server when the profile embeds it (demos, simulator tests). */
  readonly embeddedServer?: RunningRarServer;
  status(): DeviceState;
  close(): Promise<void>;
}

/**
 * The central verification step: the profile's service (remote over mTLS, or the reference server
 * embedded for demos and simulators), the SQLite outbox and its worker, and the site's offline policy.
 */
export async function wireVerification(
  profile: LoadedProfile,
  deps: {
    db: Db;
    audit: AuditLog;
    faceThreshold: () => number;
    /** A queued request got its verdict (stored first): e.g. settle the visit that went on while it was pending. */
    onLateVerdict?: (requestId: string) => void;
    /** Deliver queued requests in the background (the kiosk); a one-off check (`read --profile`) does not. */
    startWorker?: boolean;
  },
): Promise<VerificationWiring | undefined> {
  const config = profile.config.verification;
  if (!config?.service) return undefined;
  let server: RunningRarServer | undefined;
  let endpoint: RarEndpoint;
  if (config.service.mode === 'embedded') {
    const { embeddedVerification } = await import('../demo-wiring.ts');
    ({ server, endpoint } = await embeddedVerification(profileRelative(profile, config.service.dataDir), profile.config.kiosk.terminalId));
  } else {
    endpoint = remoteEndpoint((ref, keyPath) => readSecret(profile, ref, keyPath), config);
  }
  const running: Verification = startVerification({
    config,
    endpoint,
    db: deps.db,
    audit: deps.audit,
    terminalId: profile.config.kiosk.terminalId,
    ...(deps.onLateVerdict ? { onVerdict: (v: VerifiedResponse) => deps.onLateVerdict!(v.response.requestId) } : {}),
    ...(deps.startWorker === false ? { startWorker: false } : {}),
  });
  let last: DeviceState = { device: 'verification', adapter: config.service.mode, state: 'ok' };
  return {
    ...(server ? { embeddedServer: server } : {}),
    verdictOf(requestId) {
      const record = running.outbox.get(requestId);
      return record?.verdict ? { verdict: record.verdict, transactionCode: record.transactionCode } : undefined;
    },
    verification: {
      async verify(read, face) {
        const outcome = await running.service.verify(verificationSubject(read.evidence, face && { ...face, threshold: deps.faceThreshold() }));
        const mode = config.service!.mode;
        const code = outcome.code ?? '';
        switch (outcome.verdict) {
          case 'PENDING':
            last = { device: 'verification', adapter: mode, state: 'error', reason: `unreachable (${code}); requests are queued` };
            break;
          case 'UNAVAILABLE':
            last = { device: 'verification', adapter: mode, state: 'error', reason: `unreachable (${code})` };
            break;
          case 'DENIED':
            break;
          case 'SECURITY_FAILURE':
            // A forged, replayed or unpinned answer: never "offline", always a stop.
            last = { device: 'verification', adapter: mode, state: 'error', reason: code };
            break;
          default:
            last = { device: 'verification', adapter: mode, state: 'ok' };
        }
        return outcome;
      },
    },
    status: () => last,
    async close() {
      await running.stop();
      await server?.close();
    },
  };
}
