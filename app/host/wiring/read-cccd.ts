import { parseCccdDocument, type CccdDocument } from '../../core/cccd/document.ts';
import { parseDg13 } from '../../core/cccd/dg13.ts';
import { KioskError } from '../../core/errors.ts';
import type { AccessKey } from '../../core/icao/access.ts';
import { bacKeyFromMrz, mrzInformation, parseMrz } from '../../core/icao/mrz.ts';
import { verifyPassive, type TrustStore } from '../../core/icao/passive-auth.ts';
import { readChip, type ChipReadResult } from '../../core/icao/reader.ts';
import type { CardReaderPort } from '../../core/icao/transport.ts';
import type { CardKey, ChipReadOutcome } from '../../core/journey/ports.ts';
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

/**
 * Progress as bytes: files already read count in full; the file being read counts by its size.
 * The total is an estimate until EF.COM says how many files there are, and grows as sizes appear.
 */
function progressReporter(onProgress: ReadCccdOptions['onProgress']) {
  return (p: { bytesRead: number; fileBytesRead: number; fileSize: number; filesDone: number; filesTotal: number }) => {
    const doneBytes = p.bytesRead - p.fileBytesRead;
    const perFile = p.filesDone > 0 ? doneBytes / p.filesDone : p.fileSize;
    const remaining = Math.max(0, p.filesTotal - p.filesDone - 1) * perFile;
    onProgress(p.bytesRead, Math.max(p.bytesRead, Math.round(doneBytes + p.fileSize + remaining)));
  };
}

/**
 * One card, read and checked: wait for it, open it with the key (PACE-CAN or BAC), read the files,
 * build the CCCD document, run passive authentication, and return what the journey needs.
 * Nothing partial comes back: any failure is a KioskError with a code the UI can explain.
 */
export async function readCccd(port: CardReaderPort, key: CardKey, o: ReadCccdOptions): Promise<ChipReadOutcome> {
  const reader = await port.waitForCard({ timeoutMs: o.cardTimeoutMs ?? 120_000, signal: o.signal });
  const transport = await port.connect(reader.name);
  let result: ChipReadResult;
  try {
    result = await readChip(transport, { access: accessKeyFor(key), onProgress: progressReporter(o.onProgress) });
  } finally {
    await transport.close?.();
  }
  const file = (name: string) => result.files.get(name);
  const dg1 = file('DG1');
  const sod = file('EF.SOD');
  if (!dg1 || !sod) throw new KioskError('CHIP_FILE_UNAVAILABLE', 'the chip did not give DG1 and EF.SOD');
  const dg13Bytes = file('DG13');
  const dg2 = file('DG2');
  const document: CccdDocument = parseCccdDocument({ dg1, ...(dg13Bytes ? { dg13: dg13Bytes } : {}), ...(dg2 ? { dg2 } : {}) }, new Date());
  if (key.kind === 'id-number' && document.idNumber !== undefined && document.idNumber !== key.idNumber) {
    // The CAN is only the last 6 digits: another card can share them. The chip names its holder.
    throw new KioskError('CARD_ID_MISMATCH', 'the card on the reader is not the card whose number was given');
  }
  const dataGroups = new Map<number, Uint8Array>();
  for (const [name, bytes] of result.files) {
    const m = /^DG(\d+)$/.exec(name);
    if (m) dataGroups.set(Number(m[1]), bytes);
  }
  const passiveAuth = verifyPassive({ sod, dataGroups, trust: o.trust });
  if (!document.portrait) throw new KioskError('CHIP_NO_PORTRAIT', 'the chip has no portrait (DG2)');
  const evidence: ChipEvidence = { document, ...(dg13Bytes ? { dg13: parseDg13(dg13Bytes) } : {}), files: result.files, passiveAuth };
  return {
    summary: {
      passiveAuth: passiveAuth.verdict,
      // Chip and Active Authentication (issue 4) are not run by this read yet: say so, never guess.
      chipAuth: 'CHIP_NOT_CHECKED',
      accessMethod: result.accessMethod,
    },
    holder: {
      idNumber: document.idNumber ?? document.documentNumber,
      fullName: document.fullName,
      dateOfBirth: document.dateOfBirth ?? '',
      sex: document.sex,
      ...(document.placeOfResidence ? { placeOfResidence: document.placeOfResidence } : {}),
    },
    portraitJpeg: await portraitAsJpeg(document.portrait.format, document.portrait.bytes),
    evidence,
  };
}
