/**
 * The simulated devices and services a demo profile runs: the virtual CCCD of a persona (signed by
 * the project's test PKI) and the reference verification server embedded in-process. The one host
 * module that reaches app/sim (a lint rule holds it). The kiosk imports it only when the profile
 * asks for a simulator, so a production profile never loads test keys or personas.
 */
import type { CardReaderConfig } from '../core/config/schema.ts';
import type { TrustStore } from '../core/icao/passive-auth.ts';
import type { SimulatedChip } from '../platform/cardreader/virtual.ts';
import type { RarEndpoint } from '../platform/rar/from-config.ts';
import { testTrustAnchors } from '../sim/pki/test-pki.ts';
import { PERSONAS } from '../sim/personas/personas.ts';
import { ensureDemoPki, ensureTerminalCredentials, spkiSha256 } from '../sim/rar-server/demo-pki.ts';
import { embeddedEndpoint } from '../sim/rar-server/embedded.ts';
import { startRarServer, type RunningRarServer } from '../sim/rar-server/server.ts';
import { personaChip, type PersonaChip } from '../sim/virtual-card/persona-chip.ts';

export type { RunningRarServer };
/** `cccd-kiosk rar-server` runs the reference server on its own. */
export { startRarServer };
/** `cccd-kiosk hub --demo-pki` serves and enrols with the same demo CA (a site brings its own CA). */
export { ensureDemoPki, ensureTerminalCredentials, spkiSha256 };

/** The demo personas whose cards the virtual reader can hold. */
export const personaIds: readonly string[] = Object.keys(PERSONAS);

/** What opens a demo persona's card: a CCCD's 12-digit ID number (its CAN), else the MRZ fields (BAC). */
export interface PersonaKey {
  readonly persona: string;
  readonly idNumber?: string;
  readonly mrz: { readonly documentNumber: string; readonly dateOfBirth: string; readonly dateOfExpiry: string };
}

/** The key of every demo persona (all invented people), for `read --help`. */
export const personaKeys: readonly PersonaKey[] = Object.entries(PERSONAS).map(([persona, p]) => ({
  persona,
  ...('idNumber' in p ? { idNumber: p.idNumber } : {}),
  mrz: { documentNumber: p.mrz.documentNumber, dateOfBirth: p.mrz.dateOfBirth, dateOfExpiry: p.mrz.dateOfExpiry },
}));

export interface VirtualCard {
  readonly chip: SimulatedChip;
  /** The 12-digit ID number a CCCD opens with (its CAN is the last six digits). */
  readonly idNumber?: string;
  /** The test PKI that signed the card: its CSCA joins the trust store, so passive authentication runs for real. */
  readonly trust: TrustStore;
  /** The QR printed on the card's front (7 fields), for the demo's "scan the sample card" button. */
  readonly frontQr?: string;
}

const behaviours = {
  genuine: {}, cloned: { cloned: true }, 'bac-only': { pace: false }, 'pace-refused': { paceRefusalSw: 0x6982 }, 'self-signed-signer': {},
} as const;

/** A persona's card, with a card behaviour seen in the field (a clone, a BAC-only chip, a chip refusing PACE). */
export async function virtualCard(persona: string, simulate: CardReaderConfig['simulate'] = 'genuine'): Promise<VirtualCard> {
  // A forger's card: genuine chip behaviour, but its SOD signed by a Document Signer of the forger's own.
  const forgery = simulate === 'self-signed-signer' ? { forgery: 'self-signed-signer' as const } : {};
  const { chip, card } = await personaChip(persona, { behaviour: behaviours[simulate], ...forgery });
  const qr = frontQr(card);
  const idNumber = card.persona.dg13?.idNumber;
  return { chip, trust: card.trust, ...(idNumber ? { idNumber } : {}), ...(qr ? { frontQr: qr } : {}) };
}

/** The CCCD front QR of a persona, as printed on its card (7 fields, reference §2.2). */
function frontQr(card: PersonaChip['card']): string | undefined {
  const dg13 = card.persona.dg13;
  if (!dg13?.idNumber || !dg13.fullName || !dg13.dateOfBirth || !dg13.dateOfIssue) return undefined;
  const compact = (vn: string) => vn.replaceAll('/', '');
  return [dg13.idNumber, dg13.oldIdNumber ?? '', dg13.fullName, compact(dg13.dateOfBirth), dg13.sex ?? '', dg13.placeOfResidence ?? '', compact(dg13.dateOfIssue)].join('|');
}

/**
 * The reference server playing the national service (`service.mode: embedded`): it knows the
 * project's test CSCAs, which sign the personas' cards, so it checks their SODs for real. The
 * kiosk still reaches it over HTTPS with mutual TLS, exactly as a remote service.
 */
export async function embeddedVerification(dataDir: string, terminalId: string): Promise<{ server: RunningRarServer; endpoint: RarEndpoint }> {
  const server = await startRarServer({ dataDir, port: 0, trust: { anchors: testTrustAnchors(), crls: [] } });
  try {
    return { server, endpoint: await embeddedEndpoint(server, terminalId) };
  } catch (e) {
    await server.close();
    throw e;
  }
}
