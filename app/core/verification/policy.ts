import type { OfflinePolicy } from './config.ts';
import type { RarError } from './errors.ts';

/**
 * The central service's answer for this visit, or what happened instead: one value from the
 * service (app/platform/rar) through the journey's trust decision (app/core/journey/trust.ts) to
 * the audit. `verdict` is one of:
 * - VERIFIED, NOT_FOUND, MISMATCH, REVOKED, EXPIRED: a signed answer received online;
 * - PENDING: no answer, queued under allow-offline; the record is "pending verification" until the verdict arrives;
 * - UNAVAILABLE: no answer under require-online, nothing queued; the person may retry or ask staff;
 * - DENIED: no answer under deny; final;
 * - SECURITY_FAILURE: a forged, replayed or unpinned answer, or a refused terminal: never "offline";
 * - NOT_CONFIGURED, NOT_ASKED: the site has no central service, or the card was decided without it;
 * - the code of an error that stopped the request before it was sent (e.g. NO_EVIDENCE).
 */
export interface VerificationOutcome {
  readonly verdict: string;
  /** The request's id: a visit that went on while PENDING is settled by it when the verdict comes. */
  readonly requestId?: string;
  /** With a verdict: the service's transaction code and reasons. */
  readonly transactionCode?: string;
  readonly reasons?: readonly string[];
  /** Without a verdict: why (e.g. RAR_CONNECT_FAILED, RAR_BAD_SIGNATURE). */
  readonly code?: string;
}

/** The outcome of a request that was sent (or queued): it always has its id. */
export type SentRequestOutcome = VerificationOutcome & { readonly requestId: string };

/**
 * The site's offline policy applies only when the service could not be reached or was unhealthy
 * (retryable failures). A response that fails its checks is an attack or a misconfiguration, and
 * queueing it would let a person through on a forged "offline" path, so it is a failure under every policy.
 */
export function outcomeWithoutVerdict(policy: OfflinePolicy, requestId: string, error: RarError): SentRequestOutcome {
  if (!error.retryable) return { verdict: 'SECURITY_FAILURE', requestId, code: error.code };
  const verdict = { 'allow-offline': 'PENDING', 'require-online': 'UNAVAILABLE', deny: 'DENIED' }[policy];
  return { verdict, requestId, code: error.code };
}

/**
 * The call to the central service failed without an answer. An error that names the problem keeps
 * its code (e.g. VERIFY_NO_EVIDENCE → NO_EVIDENCE, decided as staff); anything else counts as the
 * service being out of reach.
 */
export function outcomeWithoutAnswer(errorCode: string | undefined): VerificationOutcome {
  return { verdict: errorCode && errorCode !== 'VERIFY_UNAVAILABLE' ? errorCode.replace(/^VERIFY_/, '') : 'UNAVAILABLE' };
}
