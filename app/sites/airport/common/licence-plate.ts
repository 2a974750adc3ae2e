/**
 * The bag tag's licence plate (IATA Res. 740): ten digits, printed as Interleaved 2 of 5 without a
 * check digit. Digit 1 says how the tag was issued (0 by the airline's own system, 1 fallback, 2
 * rush), digits 2–4 are the airline's numeric code (738 Vietnam Airlines), digits 5–10 a serial
 * from the airline's range. The baggage system routes the bag by this number and the BSM.
 */
import { AirportError } from './ports.ts';

const KINDS = { online: '0', fallback: '1', rush: '2' } as const;
export type TagKind = keyof typeof KINDS;

export interface LicencePlate {
  readonly kind: TagKind | 'carrier-use';
  readonly airlineNumericCode: string;
  readonly serial: number;
}

/** The 10-digit plate of `serial` (0..999999) in the airline's range. */
export function licencePlate(airlineNumericCode: string, serial: number, kind: TagKind = 'online'): string {
  if (!/^\d{3}$/.test(airlineNumericCode)) throw new AirportError('TAG_INVALID', 'the airline numeric code must be 3 digits');
  if (!Number.isInteger(serial) || serial < 0 || serial > 999_999) throw new AirportError('TAG_INVALID', 'the tag serial must be a whole number 0..999999');
  return `${KINDS[kind]}${airlineNumericCode}${String(serial).padStart(6, '0')}`;
}

export function parseLicencePlate(plate: string): LicencePlate {
  if (!/^\d{10}$/.test(plate)) throw new AirportError('TAG_INVALID', 'a licence plate is exactly 10 digits');
  const first = plate[0]!;
  const kind = (Object.keys(KINDS) as TagKind[]).find((k) => KINDS[k] === first) ?? 'carrier-use';
  return { kind, airlineNumericCode: plate.slice(1, 4), serial: Number(plate.slice(4)) };
}
