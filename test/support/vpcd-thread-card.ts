/**
 * The virtual chip plugged into vpcd from a worker thread. A card served on the test's own main
 * thread deadlocks the moment a libpcsclite call on that thread waits for pcscd while pcscd waits
 * for the card; a real card answers from outside the process, and so does this one.
 */
import { Worker } from 'node:worker_threads';
import type { VpcdCard } from '../../app/sim/virtual-card/vpcd.ts';

export interface ThreadCard {
  readonly files: ReadonlyMap<number, Uint8Array>;
  readonly mrzInformation: string;
  /** The card leaves the field as its `n`th APDU arrives (a card pulled out mid-read). */
  readonly removeAtApdu?: number;
}

type FromCard = { type: 'inserted' } | { type: 'powered' } | { type: 'removed' } | { type: 'error'; message: string };

export function insertIntoVpcdThread(card: ThreadCard, port: number): Promise<VpcdCard> {
  const worker = new Worker(new URL('./vpcd-thread-card.worker.mjs', import.meta.url), { workerData: { card, port } });
  worker.unref();
  let powered: () => void = () => undefined;
  const poweredOn = new Promise<void>((r) => (powered = r));
  let removed: (() => void)[] = [];
  let gone = false;
  return new Promise((resolve, reject) => {
    worker.on('message', (m: FromCard) => {
      if (m.type === 'inserted') {
        resolve({
          poweredOn,
          mute: () => worker.postMessage('mute'),
          remove: () => new Promise<void>((r) => {
            if (gone) return r();
            removed.push(r);
            worker.postMessage('remove');
          }),
        });
      } else if (m.type === 'powered') powered();
      else if (m.type === 'removed') {
        gone = true;
        for (const r of removed) r();
        removed = [];
        void worker.terminate();
      } else reject(new Error(`the virtual card's thread failed: ${m.message}`));
    });
    worker.once('error', reject);
  });
}
