import type { CardKey } from '../../core/cccd/card-key.ts';
import type { TrustStore } from '../../core/icao/passive-auth.ts';
import type { ChipReading } from '../../core/journey/ports.ts';
import type { CardReaderPort } from '../../core/icao/transport.ts';
import type { DeviceState } from '../../core/device-state.ts';
import { loadTrustConfig } from '../../platform/trust/trust-store.ts';
import { profileRelative, type LoadedProfile } from '../config-loader.ts';
import { openCardReader } from './card-reader.ts';
import { readCccd } from './read-cccd.ts';

export interface ChipReadingWiring {
  readonly reading: ChipReading;
  readonly port: CardReaderPort;
  /** Demo only: the QR text printed on the virtual card, for the UI's "scan the sample card" button. */
  readonly demoCardQr?: string;
  /** Demo only: scripts the virtual card to be pulled out after `apdus` more commands. */
  readonly pullOutAfter?: (apdus: number) => void;
  status(): DeviceState;
  close(): Promise<void>;
}

/**
 * The card reader of the profile (PC/SC, or the virtual CCCD of a demo persona), the trust store
 * for passive authentication, and the read → parse → authenticate pipeline behind the journey's port.
 */
export async function wireChipReading(profile: LoadedProfile): Promise<ChipReadingWiring> {
  const cfg = profile.config.devices.cardReader;
  const { anchors, crls } = loadTrustConfig(profile.config.trust, (path) => profileRelative(profile, path));

  const reader = await openCardReader(cfg, { apduLatencyMs: 4 });
  if (reader.adapter === 'pcsc') {
    const { port } = reader;
    const trust: TrustStore = { anchors, crls };
    return {
      port,
      reading: { read: (key, onProgress, signal) => readCccd(port, key, { trust, onProgress, signal }) },
      status: () => port.status(),
      close: () => port.close(),
    };
  }

  // The demo persona's card, signed by the project's test PKI: its CSCA joins the trust store so
  // passive authentication runs for real (and a forged persona fails it).
  const { port, card, companions } = reader;
  const cards = [card, ...companions];
  const trust: TrustStore = { anchors: [...anchors, ...cards.flatMap((c) => c.trust.anchors)], crls: [...crls, ...cards.flatMap((c) => c.trust.crls)] };
  // The card a person lays on the reader is their own: the one the given ID number opens (else the persona's).
  const cardFor = (key: CardKey) => (key.kind === 'id-number' && companions.find((c) => c.idNumber === key.idNumber)) || card;
  let pullOutNext: number | undefined;
  return {
    port,
    ...(card.frontQr ? { demoCardQr: card.frontQr } : {}),
    // Applies to the next time the card is laid on the reader.
    pullOutAfter: (apdus) => {
      pullOutNext = apdus;
    },
    reading: {
      async read(key, onProgress, signal) {
        // The person lays the card on the reader a moment after being asked to.
        const laid = cardFor(key);
        const tap = setTimeout(() => {
          port.insert(laid.chip);
          if (pullOutNext !== undefined) port.pullOutAfter(pullOutNext);
          pullOutNext = undefined;
        }, 800);
        try {
          return await readCccd(port, key, { trust, onProgress, signal });
        } finally {
          clearTimeout(tap);
          port.remove();
        }
      },
    },
    status: () => port.status(),
    close: () => port.close(),
  };
}
