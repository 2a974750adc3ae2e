/**
 * One connection to a card: its own PC/SC context and card handle, and the native calls running on
 * them. Why a module of its own: libpcsclite serialises every call on a context behind one lock, and
 * the `smartcard` binding's disconnect() and the context's close() are synchronous. Called on the
 * event loop while a transmit still waits for a card that stopped answering, they would wait for
 * that lock and freeze the whole kiosk (the card never answers, so forever). So:
 *
 * - every asynchronous call is bounded: past `callTimeoutMs` it fails as CARD_IO_ERROR, and the
 *   native call it gave up on is still tracked;
 * - the synchronous releases run only when no native call is pending. A handle with a call still
 *   stuck is set aside, referenced (so the binding's destructor, which disconnects too, never runs
 *   on the loop), and released when that call finally returns (pcscd fails it when the card or
 *   reader goes). Its context is its own, so other connections never wait on its lock.
 */
import { CardIoError } from '../../core/icao/transport.ts';
import type { PcscCard, PcscContext } from './pcsc.ts';

/** Handles set aside with a native call still pending; kept referenced until it returns. */
const setAside = new Set<CardHandle>();

/** How many handles wait for a stuck native call (for tests and diagnostics). */
export function handlesSetAside(): number {
  return setAside.size;
}

export class CardHandle {
  private readonly pending = new Set<Promise<unknown>>();
  private released = false;
  private connected: PcscCard | undefined;

  private constructor(
    private readonly context: PcscContext,
    private readonly leaveCard: number,
    private readonly callTimeoutMs: number,
  ) {}

  /**
   * Connects on a context of its own. On failure (or timeout) the context is released as soon as
   * nothing is pending on it, and a card connected late is disconnected then.
   */
  static async open(context: PcscContext, connect: () => Promise<PcscCard>, leaveCard: number, callTimeoutMs: number): Promise<CardHandle> {
    const h = new CardHandle(context, leaveCard, callTimeoutMs);
    try {
      await h.call('connect', () => connect().then((card) => (h.connected = card)));
      return h;
    } catch (e) {
      h.release();
      throw e;
    }
  }

  get card(): PcscCard {
    if (!this.connected) throw new CardIoError('not connected');
    return this.connected;
  }

  /** Runs a native call, bounded in time; a call that outlives its bound stays tracked. */
  call<T>(what: string, run: () => Promise<T>): Promise<T> {
    // A binding that throws synchronously rejects like one that fails later.
    const native = new Promise<T>((resolve) => resolve(run()));
    const tracked = native.then(() => undefined, () => undefined);
    this.pending.add(tracked);
    void tracked.then(() => {
      this.pending.delete(tracked);
      if (this.pending.size === 0 && setAside.has(this)) this.releaseNow();
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CardIoError(`${what}: the card stopped answering`, { timeoutMs: this.callTimeoutMs })), this.callTimeoutMs);
      timer.unref();
    });
    return Promise.race([native, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Disconnects (leaving the card as it is) and closes the context, now when nothing is pending,
   * or when the last pending call returns. Never blocks the event loop on the card.
   */
  release(): void {
    if (this.released || setAside.has(this)) return;
    if (this.pending.size === 0) this.releaseNow();
    else setAside.add(this);
  }

  private releaseNow(): void {
    setAside.delete(this);
    if (this.released) return;
    this.released = true;
    try {
      this.connected?.disconnect(this.leaveCard);
    } catch {
      // already disconnected
    }
    try {
      this.context.close();
    } catch {
      // already closed
    }
  }
}
