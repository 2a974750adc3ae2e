import type { Verdict } from './contract.ts';
import type { OfflinePolicy } from './config.ts';
import type { RarError } from './errors.ts';

/** What a journey learns from the verification step. */
export type VerificationOutcome =
  | { readonly kind: 'verdict'; readonly requestId: string; readonly verdict: Verdict; readonly reasons: readonly string[]; readonly transactionCode: string }
  /** allow-offline: queued in the outbox; the record is "pending verification" until the verdict arrives. */
  | { readonly kind: 'pending'; readonly requestId: string; readonly code: string }
  /** require-online: no verdict now; nothing queued; the person may retry or ask staff. */
  | { readonly kind: 'unavailable'; readonly requestId: string; readonly code: string }
  /** deny: refused because no verdict could be obtained; final. */
  | { readonly kind: 'denied'; readonly requestId: string; readonly code: string }
  /** A security failure (forged, replayed or unpinned answer, terminal refused): never treated as "offline". */
  | { readonly kind: 'failed'; readonly requestId: string; readonly code: string };

/**
 * The site's offline policy applies only when the service could not be reached or was unhealthy
 * (retryable failures). A response that fails its checks is an attack or a misconfiguration, and
 * queueing it would let a person through on a forged "offline" path, so it is a failure under every policy.
 */
export function outcomeWithoutVerdict(policy: OfflinePolicy, requestId: string, error: RarError): VerificationOutcome {
  if (!error.retryable) return { kind: 'failed', requestId, code: error.code };
  switch (policy) {
    case 'allow-offline':
      return { kind: 'pending', requestId, code: error.code };
    case 'require-online':
      return { kind: 'unavailable', requestId, code: error.code };
    case 'deny':
      return { kind: 'denied', requestId, code: error.code };
  }
}
