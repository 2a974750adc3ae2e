/** The worker side of ./vpcd-thread-card.ts: builds the chip and serves it to vpcd. */
import { parentPort, workerData } from 'node:worker_threads';
import { VirtualChip } from '../../app/sim/virtual-card/chip.ts';
import { insertIntoVpcd, type VpcdCard } from '../../app/sim/virtual-card/vpcd.ts';
import type { ThreadCard } from './vpcd-thread-card.ts';

const { card, port } = workerData as { card: ThreadCard; port: number };
const parent = parentPort!;
let vcard: VpcdCard | undefined;
const remove = async () => {
  await vcard?.remove();
  parent.postMessage({ type: 'removed' });
};
try {
  const chip = new VirtualChip({ files: new Map(card.files), mrzInformation: card.mrzInformation });
  if (card.removeAtApdu !== undefined) {
    let n = 0;
    const original = chip.process.bind(chip);
    chip.process = (apdu) => {
      if (++n === card.removeAtApdu) void remove();
      return original(apdu);
    };
  }
  vcard = await insertIntoVpcd(chip, port);
  void vcard.poweredOn.then(() => parent.postMessage({ type: 'powered' }));
  parent.on('message', (m: string) => {
    if (m === 'mute') vcard!.mute();
    else if (m === 'remove') void remove();
  });
  parent.postMessage({ type: 'inserted' });
} catch (e) {
  parent.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
