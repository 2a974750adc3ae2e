/**
 * The site key and what it derives. Every gate station of a site holds the same 32-byte key; from
 * it come three keys with one job each (HKDF-SHA256), so a leak of one use does not give another:
 * - `lookup`: the keyed hash (`idRef`) that finds a person, invitation or blocklist entry by ID number
 *   without the number being stored;
 * - `seal`: AES-256-GCM for chip fields and face templates before they reach the site store;
 * - `pass`: the HMAC that signs visitor passes.
 */
import { createHmac, hkdfSync } from 'node:crypto';

export interface SiteKeys {
  readonly lookup: Buffer;
  readonly seal: Buffer;
  readonly pass: Buffer;
}

export function deriveSiteKeys(siteKey: Buffer): SiteKeys {
  if (siteKey.length !== 32) throw new RangeError('the site key must be 32 bytes');
  const derive = (use: string) => Buffer.from(hkdfSync('sha256', siteKey, 'cccd-kiosk gate site key', use, 32));
  return { lookup: derive('lookup'), seal: derive('seal'), pass: derive('pass') };
}

/** The keyed hash of a 12-digit ID number: how the site finds a person without storing the number. */
export function idRefOf(lookupKey: Buffer, idNumber: string): string {
  if (!/^\d{12}$/.test(idNumber)) throw new RangeError('an ID number is 12 digits');
  return createHmac('sha256', lookupKey).update(`id:${idNumber}`).digest('hex');
}

/** A person's key in the store: stable for the same ID number (re-enrolment replaces), and says nothing of it. */
export function personKeyOf(kind: 'worker' | 'visitor', idRef: string): string {
  return `${kind === 'worker' ? 'W' : 'V'}-${idRef.slice(0, 24)}`;
}
