import type { TrustStore } from '../../core/icao/passive-auth.ts';
import { KioskError } from '../../core/errors.ts';
import type { CardKey, ChipReading } from '../../core/journey/ports.ts';
import { parseCardQr } from '../../core/cccd/qr.ts';
import { parseMrz } from '../../core/icao/mrz.ts';
import type { CardReaderPort } from '../../core/icao/transport.ts';
import type { DeviceState } from '../../core/device-state.ts';
import { PcscCardReaderPort } from '../../platform/cardreader/pcsc.ts';
import { VirtualCardReader } from '../../platform/cardreader/virtual.ts';
import { loadTrustStore } from '../../platform/trust/trust-store.ts';
import { personaChip, type PersonaChip } from '../../sim/virtual-card/persona-chip.ts';
import { profileRelative, type LoadedProfile } from '../config-loader.ts';
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

/** The CCCD front QR of a persona, as printed on its card (7 fields, reference §2.2). */
function frontQr(card: PersonaChip['card']): string | undefined {
  const dg13 = card.persona.dg13;
  if (!dg13?.idNumber || !dg13.fullName || !dg13.dateOfBirth || !dg13.dateOfIssue) return undefined;
  const compact = (vn: string) => vn.replaceAll('/', '');
  return [dg13.idNumber, dg13.oldIdNumber ?? '', dg13.fullName, compact(dg13.dateOfBirth), dg13.sex ?? '', dg13.placeOfResidence ?? '', compact(dg13.dateOfIssue)].join('|');
}

/** Scanned text → card key: a card QR gives the ID (PACE-CAN); an MRZ gives the BAC key. */
export function parseScan(text: string): CardKey {
  const trimmed = text.trim();
  if (/^[A-Z0-9<]{30}\s*[A-Z0-9<]{30}\s*[A-Z0-9<]{30}$/.test(trimmed) || /^[A-Z0-9<]{44}\s*[A-Z0-9<]{44}$/.test(trimmed)) {
    parseMrz(trimmed); // typed error if the check digits do not hold
    return { kind: 'mrz', mrz: trimmed, source: 'mrz' };
  }
  const qr = parseCardQr(trimmed);
  if (!qr.idNumber) throw new KioskError('QR_NOT_CCCD', 'the scanned code carries no 12-digit ID number');
  return {
    kind: 'id-number',
    idNumber: qr.idNumber,
    source: 'qr',
    ...(qr.dateOfBirth ? { dateOfBirth: qr.dateOfBirth } : {}),
    ...(qr.dateOfIssue ? { dateOfIssue: qr.dateOfIssue } : {}),
  };
}

/**
 * The card reader of the profile (PC/SC, or the virtual CCCD of a demo persona), the trust store
 * for passive authentication, and the read → parse → authenticate pipeline behind the journey's port.
 */
export async function wireChipReading(profile: LoadedProfile): Promise<ChipReadingWiring> {
  const cfg = profile.config.devices.cardReader;
  const anchors: Uint8Array[] = [];
  const crls: Uint8Array[] = [];
  for (const path of profile.config.trust.paths) {
    const store = loadTrustStore(profileRelative(profile, path));
    anchors.push(...store.anchors);
    crls.push(...store.crls);
  }

  if (cfg.adapter === 'pcsc') {
    const port = new PcscCardReaderPort({ ...(cfg.readerPattern ? { readerPattern: cfg.readerPattern } : {}) });
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
  const behaviour = { genuine: {}, cloned: { cloned: true }, 'bac-only': { pace: false }, 'pace-refused': { paceRefusalSw: 0x6982 }, 'self-signed-signer': {} }[cfg.simulate];
  const persona = await personaChip(cfg.persona, { behaviour, ...(cfg.simulate === 'self-signed-signer' ? { forgery: 'self-signed-signer' as const } : {}) });
  const trust: TrustStore = { anchors: [...anchors, ...persona.card.trust.anchors], crls: [...crls, ...persona.card.trust.crls] };
  const port = new VirtualCardReader({ apduLatencyMs: 4 });
  const demoQr = frontQr(persona.card);
  let pullOutNext: number | undefined;
  return {
    port,
    ...(demoQr ? { demoCardQr: demoQr } : {}),
    // Applies to the next time the card is laid on the reader.
    pullOutAfter: (apdus) => {
      pullOutNext = apdus;
    },
    reading: {
      async read(key, onProgress, signal) {
        // The person lays the card on the reader a moment after being asked to.
        const tap = setTimeout(() => {
          port.insert(persona.chip);
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
