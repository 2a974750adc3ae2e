/**
 * The card reader a profile names, opened: a PC/SC reader through pcscd (those whose name matches
 * `readerPattern`), or the virtual reader with a demo persona's card beside it, built by the demo
 * wiring, which is loaded only then. The kiosk and the read command both open their reader here.
 */
import type { CardReaderConfig } from '../../core/config/schema.ts';
import { PcscCardReaderPort } from '../../platform/cardreader/pcsc.ts';
import { VirtualCardReader } from '../../platform/cardreader/virtual.ts';
import type { VirtualCard } from '../demo-wiring.ts';

export type OpenedCardReader =
  | { readonly adapter: 'pcsc'; readonly port: PcscCardReaderPort }
  /** The card is not on the reader yet: the caller lays it on when a person would; its companions' cards lie beside it. */
  | { readonly adapter: 'virtual'; readonly port: VirtualCardReader; readonly card: VirtualCard; readonly companions: readonly VirtualCard[] };

export async function openCardReader(cfg: CardReaderConfig, virtual: { readonly apduLatencyMs?: number } = {}): Promise<OpenedCardReader> {
  if (cfg.adapter === 'pcsc') return { adapter: 'pcsc', port: new PcscCardReaderPort(cfg.readerPattern ? { readerPattern: cfg.readerPattern } : {}) };
  const { virtualCard } = await import('../demo-wiring.ts');
  const companions = await Promise.all(cfg.companions.map((persona) => virtualCard(persona)));
  return { adapter: 'virtual', port: new VirtualCardReader(virtual), card: await virtualCard(cfg.persona, cfg.simulate), companions };
}
