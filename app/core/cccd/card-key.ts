/**
 * What opens a CCCD chip, as the person gives it (the 12-digit ID from the card's QR or typed, or
 * an MRZ), and the chip access keys that follow from it: PACE with the CAN (the ID's last 6
 * digits), or BAC. A chip that offers only BAC (or refuses PACE) can still be opened from the QR
 * alone: the document number is the ID's last 9 digits, the birth date is on the QR, and the expiry
 * date follows from the birth and issue dates under the 2014/2023 laws (expiry.ts).
 */
import { isKioskError, KioskError } from '../errors.ts';
import type { AccessKey } from '../icao/access.ts';
import { bacKeyFromMrz, isoToMrzDate, mrzInformation, parseMrz } from '../icao/mrz.ts';
import { expiryCandidates } from './expiry.ts';
import { canFromIdNumber, documentNumberFromIdNumber } from './id-number.ts';
import { parseCardQr } from './qr.ts';

/** How the person gave the key to open the chip. */
export type CardKeySource = 'qr' | 'typed-id' | 'mrz';

export type CardKey =
  | {
      readonly kind: 'id-number';
      readonly idNumber: string;
      readonly source: CardKeySource;
      /** From the card's QR (YYYY-MM-DD): lets a BAC-only chip be opened with derived expiry dates. */
      readonly dateOfBirth?: string;
      readonly dateOfIssue?: string;
    }
  | { readonly kind: 'mrz'; readonly mrz: string; readonly source: CardKeySource };

/** Scanned text → card key: a card QR gives the ID (PACE-CAN, and its dates); an MRZ gives the BAC key. */
export function cardKeyFromScan(text: string): CardKey {
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

/** The key the chip is opened with first: PACE with the CAN, or BAC with the MRZ. */
export function accessKeyFor(key: CardKey): AccessKey {
  if (key.kind === 'id-number') return { kind: 'can', can: canFromIdNumber(key.idNumber) };
  return { kind: 'mrz', mrzInformation: mrzInformation(bacKeyFromMrz(parseMrz(key.mrz))) };
}

/** BAC keys from the QR's dates, for a chip that offers only BAC: a few expiry candidates, most likely first. */
export function derivedBacKeys(key: CardKey, maxCandidates = 4): AccessKey[] {
  if (key.kind !== 'id-number' || !key.dateOfBirth || !key.dateOfIssue) return [];
  const can = canFromIdNumber(key.idNumber);
  const documentNumber = documentNumberFromIdNumber(key.idNumber);
  const dateOfBirth = isoToMrzDate(key.dateOfBirth);
  return expiryCandidates({ dateOfBirth: key.dateOfBirth, dateOfIssue: key.dateOfIssue, maxCandidates }).candidates.map((c) => ({
    kind: 'can' as const,
    can,
    mrzInformation: mrzInformation({ documentNumber, dateOfBirth, dateOfExpiry: c.yymmdd }),
  }));
}

/** The keys to try in order: the first, then (worked out only if the first is refused) the derived ones. */
export function* accessKeys(key: CardKey): Generator<AccessKey> {
  yield accessKeyFor(key);
  yield* derivedBacKeys(key);
}

/** Whether a failed opening is worth the next key: the chip refused the key, or wanted an MRZ. */
export const keyRefused = (e: unknown): boolean => isKioskError(e) && (e.code === 'ACCESS_NEEDS_MRZ' || e.code === 'ACCESS_DENIED_WRONG_KEY');

/**
 * The CAN is only the ID's last 6 digits, so another card can share them: the chip names its
 * holder, and a card that is not the one whose number was given stops here (CARD_ID_MISMATCH).
 */
export function checkCardMatchesKey(key: CardKey, chipIdNumber: string | undefined): void {
  if (key.kind === 'id-number' && chipIdNumber !== undefined && chipIdNumber !== key.idNumber) {
    throw new KioskError('CARD_ID_MISMATCH', 'the card on the reader is not the card whose number was given');
  }
}
