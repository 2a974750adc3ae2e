/**
 * The card reader a kiosk profile asks for (devices.cardReader): PC/SC with an optional name
 * pattern, or the in-process virtual reader with a persona's card lying on it (demo, tests).
 * The host wires the returned port: status() for /api/status, onEvent() for card in/out, and
 * connect() + readDocument() for a read.
 */
import type { CardReaderConfig } from '../../core/config/schema.ts';
import type { CardReaderPort } from '../../core/icao/transport.ts';
import type { ChipBehaviour } from '../../sim/virtual-card/chip.ts';
import { personaChip } from '../../sim/virtual-card/persona-chip.ts';
import { PcscCardReaderPort } from './pcsc.ts';
import { VirtualCardReader } from './virtual.ts';

export { PcscCardReaderPort } from './pcsc.ts';
export { VirtualCardReader } from './virtual.ts';

export interface CardReaderFactoryOptions {
  /** Virtual reader: simulated air time per APDU, so the demo UI shows real-looking progress. */
  readonly apduLatencyMs?: number;
  /** Virtual reader: field behaviours of the persona's chip (e.g. { cloned: true } for a demo). */
  readonly behaviour?: Partial<ChipBehaviour>;
}

export async function createCardReaderPort(cfg: CardReaderConfig, opts: CardReaderFactoryOptions = {}): Promise<CardReaderPort> {
  if (cfg.adapter === 'pcsc') return new PcscCardReaderPort(cfg.readerPattern ? { readerPattern: cfg.readerPattern } : {});
  const reader = new VirtualCardReader(opts.apduLatencyMs ? { apduLatencyMs: opts.apduLatencyMs } : {});
  const { chip } = await personaChip(cfg.persona, opts.behaviour ? { behaviour: opts.behaviour } : {});
  reader.insert(chip);
  return reader;
}
