import type { HospitalSystem } from '../../core/sites/hospital/hospital-system.ts';
import { HospitalError, type VisitFee } from '../../core/sites/hospital/types.ts';

export type PaymentWatchEnd = 'paid' | 'not-required' | 'timed-out' | 'cancelled';

export interface PaymentWatchOptions {
  /** How often to ask the HIS; a person looks at the screen, so about every two seconds. */
  readonly intervalMs?: number;
  /** Give up after this long (the person is sent to the cashier instead). */
  readonly timeoutMs: number;
  /** Cancel or idle reset of the journey. */
  readonly signal?: AbortSignal;
  /** Each answer, e.g. to refresh the screen. */
  readonly onFee?: (fee: VisitFee) => void;
}

const TRANSIENT = new Set(['HIS_UNREACHABLE', 'HIS_TIMEOUT']);

/**
 * Asks the HIS about a visit's fee until it says paid (or no fee is due), the time runs out, or the
 * journey cancels. A HIS that is briefly unreachable is asked again; any other failure ends the
 * watch with that error, because asking again would not change the answer.
 */
export async function watchPayment(his: HospitalSystem, visitId: string, options: PaymentWatchOptions): Promise<PaymentWatchEnd> {
  const interval = options.intervalMs ?? 2000;
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) return 'cancelled';
    try {
      const fee = await his.getFee(visitId);
      options.onFee?.(fee);
      if (fee.status === 'paid') return 'paid';
      if (fee.status === 'not-required') return 'not-required';
    } catch (e) {
      if (!(e instanceof HospitalError) || !TRANSIENT.has(e.code)) throw e;
    }
    const wait = Math.min(interval, deadline - Date.now());
    if (wait <= 0) return 'timed-out';
    const ended = await sleep(wait, options.signal);
    if (ended === 'cancelled') return 'cancelled';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<'slept' | 'cancelled'> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve('cancelled');
    const onAbort = () => {
      clearTimeout(timer);
      resolve('cancelled');
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve('slept');
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
