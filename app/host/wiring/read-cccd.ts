import { accessKeys, checkCardMatchesKey, keyRefused, type CardKey } from '../../core/cccd/card-key.ts';
import { KioskError } from '../../core/errors.ts';
import type { AccessKey } from '../../core/icao/access.ts';
import type { TrustStore } from '../../core/icao/passive-auth.ts';
import { forwardOnly } from '../../core/icao/read-progress.ts';
import { readDocument, type DocumentReadResult } from '../../core/cccd/read-document.ts';
import { verifiedPortrait } from '../../core/icao/portrait.ts';
import type { CardReaderPort } from '../../core/icao/transport.ts';
import type { ChipReadOutcome } from '../../core/journey/ports.ts';
import { documentTypeOf, type ReadSummary } from '../../core/journey/trust.ts';
import { decodePortrait } from '../../platform/image/decode.ts';

export interface ReadCccdOptions {
  readonly trust: TrustStore;
  readonly onProgress: (bytesRead: number, totalBytes: number) => void;
  readonly signal: AbortSignal;
  /** How long the person has to lay the card on the reader. */
  readonly cardTimeoutMs?: number;
}

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
  let failure: unknown;
  for (const access of accessKeys(key)) {
    let result: DocumentReadResult;
    try {
      result = await attempt(access);
    } catch (e) {
      // A BAC-only chip (or one refusing PACE) and an ID from the QR: the next key is a derived one.
      if (!keyRefused(e)) throw e;
      failure = e;
      continue;
    }
    checkCardMatchesKey(key, result.document.idNumber);
    return chipReadOutcome(result);
  }
  throw failure;
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

/** A read shaped for the journey: its verdicts, the holder, the portrait decoded and the evidence for the central service. */
export async function chipReadOutcome(result: DocumentReadResult): Promise<ChipReadOutcome> {
  const { document, passiveAuth, chip } = result;
  if (!document.portrait) throw new KioskError('CHIP_NO_PORTRAIT', 'the chip has no portrait (DG2)');
  // Image decoders only see a portrait the SOD signs; anything else fails with PA's verdict.
  const portrait = verifiedPortrait(result);
  if (!portrait) throw new KioskError(passiveAuth.verdict, 'the chip portrait does not match a valid signature');
  return {
    summary: readSummary(result),
    holder: {
      idNumber: document.idNumber ?? document.documentNumber,
      fullName: document.fullName,
      dateOfBirth: document.dateOfBirth ?? '',
      sex: document.sex,
      ...(document.placeOfResidence ? { placeOfResidence: document.placeOfResidence } : {}),
    },
    portrait: await decodePortrait(portrait),
    // readDocument refuses a read without EF.SOD.
    evidence: { document, sod: chip.files.get('EF.SOD')!, passiveAuth },
  };
}
