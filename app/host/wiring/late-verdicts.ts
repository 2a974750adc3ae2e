import type { AlertStore } from '../../platform/store/alerts.ts';
import type { Db } from '../../platform/store/db.ts';
import type { PendingVerifications } from '../../sites/site-node.ts';
import type { StoredVerdict } from './verification.ts';

/**
 * Central verdicts that come after the visit went on (allow-offline, an anchored card): each one
 * settles the visits registered with its request id, and a refusal raises an alert staff see on the
 * maintenance screen. The returned function settles everything that can be settled; the host runs it
 * when a late verdict is stored, after each finished journey (a verdict may land before its visit is
 * recorded) and at start-up (a verdict stored just before the kiosk stopped).
 */
export function lateVerdictSettlement(deps: {
  readonly db: Db;
  readonly pending: PendingVerifications;
  readonly alerts: AlertStore;
  readonly verdictOf: (requestId: string) => StoredVerdict | undefined;
  /** Settling failed (the store): the verdicts stay stored and the next run settles them. */
  readonly onError: (error: unknown) => void;
}): () => void {
  const settleAll = () => {
    for (const requestId of deps.pending.requestIds()) {
      const stored = deps.verdictOf(requestId);
      if (!stored) continue;
      // The visit's new state and its alert are one change: neither is ever seen without the other.
      deps.db.transaction(() => {
        for (const visit of deps.pending.settle(requestId, stored.verdict, stored.transactionCode)) {
          if (!visit.rejected) continue;
          deps.alerts.raise('central-verdict-late', stored.verdict, { ...visit.reference, requestId });
        }
      })();
    }
  };
  return () => {
    try {
      settleAll();
    } catch (e) {
      deps.onError(e);
    }
  };
}
