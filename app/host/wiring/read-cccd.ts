import { expiryCandidates } from '../../core/cccd/expiry.ts';
import { isKioskError, KioskError } from '../../core/errors.ts';
import type { AccessKey } from '../../core/icao/access.ts';
import { bacKeyFromMrz, mrzInformation, parseMrz } from '../../core/icao/mrz.ts';
import type { TrustStore } from '../../core/icao/passive-auth.ts';
import { forwardOnly } from '../../core/icao/read-progress.ts';
import { readDocument, type DocumentReadResult } from '../../core/cccd/read-document.ts';
import { verifiedPortrait } from '../../core/icao/portrait.ts';
import type { CardReaderPort } from '../../core/icao/transport.ts';
import type { CardKey, ChipReadOutcome } from '../../core/journey/ports.ts';
import { documentTypeOf, type ReadSummary } from '../../core/journey/trust.ts';
import { portraitAsJpeg } from '../../platform/image/decode-portrait.ts';
import type { ChipEvidence } from './chip-evidence.ts';

export interface ReadCccdOptions {
  readonly trust: TrustStore;
  readonly onProgress: (bytesRead: number, totalBytes: number) => void;
  readonly signal: AbortSignal;
  /** How long the person has to lay the card on the reader. */
  readonly cardTimeoutMs?: number;
}

export function accessKeyFor(key: CardKey): AccessKey {
  if (key.kind === 'id-number') return { kind: 'can', can: key.idNumber.slice(-6) };
  return { kind: 'mrz', mrzInformation: mrzInformation(bacKeyFromMrz(parseMrz(key.mrz))) };
}

const yymmdd = (iso: string) => iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);

/**
 * BAC keys for a chip that offers only BAC when the person gave the ID by its QR: the document
 * number is the ID's last 9 digits, the birth date is on the QR, and the expiry date follows from
 * birth and issue dates under the 2014/2023 laws (app/core/cccd/expiry.ts), a few candidates in order.
 */
export function derivedBacKeys(key: CardKey, maxCandidates = 4): AccessKey[] {
  if (key.kind !== 'id-number' || !key.dateOfBirth || !key.dateOfIssue) return [];
  const can = key.idNumber.slice(-6);
  return expiryCandidates({ dateOfBirth: key.dateOfBirth, dateOfIssue: key.dateOfIssue, maxCandidates }).candidates.map((c) => ({
    kind: 'can' as const,
    can,
    mrzInformation: mrzInformation({ documentNumber: key.idNumber.slice(3), dateOfBirth: yymmdd(key.dateOfBirth!), dateOfExpiry: c.yymmdd }),
  }));
}

/** Whether a failed open is worth another derived key: the chip refused the key, or wanted an MRZ. */
const tryNextKey = (e: unknown) => isKioskError(e) && (e.code === 'ACCESS_NEEDS_MRZ' || e.code === 'ACCESS_DENIED_WRONG_KEY');

/**
 * One card, read and checked: wait for it, then the shared read (PACE-CAN or BAC, the files, chip or
 * active authentication, the CCCD document, passive authentication), shaped for the journey.
 * Nothing partial comes back: any failure is a KioskError with a code the UI can explain.
 */
export async function readCccd(port: CardReaderPort, key: CardKey, o: ReadCccdOptions): Promise<ChipReadOutcome> {
  const reader = await port.waitForCard({ timeoutMs: o.cardTimeoutMs ?? 120_000, signal: o.signal });
  // One bar for every attempt: it never moves back, even when another key starts the read again.
  const onProgress = forwardOnly((p) => o.onProgress(p.bytesRead, p.bytesExpected));
  const attempt = async (access: AccessKey): Promise<DocumentReadResult> => {
    const transport = await port.connect(reader.name);
    try {
      return await readDocument(transport, { access, trust: o.trust, onProgress });
    } finally {
      await transport.close?.();
    }
  };
  let result: DocumentReadResult;
  try {
    result = await attempt(accessKeyFor(key));
  } catch (e) {
    // A BAC-only chip (or one refusing PACE) and an ID from the QR: try the derived expiry dates.
    const derived = tryNextKey(e) ? derivedBacKeys(key) : [];
    if (derived.length === 0) throw e;
    let last: unknown = e;
    let opened: DocumentReadResult | undefined;
    for (const access of derived) {
      try {
        opened = await attempt(access);
        break;
      } catch (next) {
        if (!tryNextKey(next)) throw next;
        last = next;
      }
    }
    if (!opened) throw last;
    result = opened;
  }
  if (key.kind === 'id-number' && result.document.idNumber !== undefined && result.document.idNumber !== key.idNumber) {
    // The CAN is only the last 6 digits: another card can share them. The chip names its holder.
    throw new KioskError('CARD_ID_MISMATCH', 'the card on the reader is not the card whose number was given');
  }
  return chipReadOutcome(result);
}

/**
 * The verdicts of a read, for the journey's trust decision and the audit. The document type comes
 * from signed data only: DG1's MRZ and the list of data groups the SOD hashes.
 */
export function readSummary(result: DocumentReadResult): ReadSummary {
  const { document, passiveAuth, chip } = result;
  const documentType = documentTypeOf({
    documentCode: document.mrz.documentCode,
    issuingState: document.mrz.issuingState,
    sodDataGroups: passiveAuth.dataGroups.filter((d) => d.status !== 'not-in-sod').map((d) => d.dg),
  });
  return {
    passiveAuth: passiveAuth.verdict,
    chipAuth: chip.chipAuthenticity.verdict,
    accessMethod: chip.accessMethod,
    documentType,
    ...(chip.paceFallback ? { paceFallback: chip.paceFallback } : {}),
  };
}

/** A read shaped for the journey: its verdicts, the holder, the portrait as JPEG and the evidence for the central service. */
export async function chipReadOutcome(result: DocumentReadResult): Promise<ChipReadOutcome> {
  const { document, passiveAuth, chip } = result;
  if (!document.portrait) throw new KioskError('CHIP_NO_PORTRAIT', 'the chip has no portrait (DG2)');
  // Image decoders only see a portrait the SOD signs; anything else fails with PA's verdict.
  const portrait = verifiedPortrait(result);
  if (!portrait) throw new KioskError(passiveAuth.verdict, 'the chip portrait does not match a valid signature');
  const evidence: ChipEvidence = { document, files: chip.files, passiveAuth };
  return {
    summary: readSummary(result),
    holder: {
      idNumber: document.idNumber ?? document.documentNumber,
      fullName: document.fullName,
      dateOfBirth: document.dateOfBirth ?? '',
      sex: document.sex,
      ...(document.placeOfResidence ? { placeOfResidence: document.placeOfResidence } : {}),
    },
    portraitJpeg: await portraitAsJpeg(portrait),
    evidence,
  };
}
