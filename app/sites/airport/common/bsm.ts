/**
 * The baggage source message (IATA RP 1745): the teletype text that tells the baggage system which
 * flight a tagged bag goes on. The kiosk writes one per passenger with bags:
 *
 *   BSM
 *   .V/1LSGN                     version 1, L = local (bags start here), at SGN
 *   .F/VN0213/15MAR/HAN/Y        the flight: carrier+number, day and month, destination, class
 *   .O/VN1234/15MAR/PQC/Y        each onward flight of a through check-in
 *   .N/0738123456002             first plate and how many consecutive plates follow from it
 *   .W/K/2/35                    kilos, pieces, total weight
 *   .P/1NGUYEN/VANAN             passengers under that name, surname/given names
 *   .L/ABC123                    the booking's record locator
 *   ENDBSM
 *
 * RP 1745 itself is not public: the element layouts above follow published examples; what was
 * assumed is listed in docs/airport-integration.md.
 */
import { toAsciiUpper } from '../../../core/receipts/format.ts';
import { parseLicencePlate } from './licence-plate.ts';
import { AirportError } from './ports.ts';

export interface BsmFlight {
  readonly carrier: string;
  /** Digits with an optional suffix letter. */
  readonly number: string;
  /** Local date of departure, YYYY-MM-DD. */
  readonly date: string;
  readonly destination: string;
  readonly compartment: string;
}

export interface BsmInput {
  /** Absent for a new message; CHG changes, DEL deletes an earlier one. */
  readonly status?: 'CHG' | 'DEL';
  /** Where the bags are checked in (the .V element's station). */
  readonly airport: string;
  readonly flight: BsmFlight;
  readonly onward?: readonly BsmFlight[];
  readonly licencePlates: readonly string[];
  readonly totalKg: number;
  readonly surname: string;
  readonly givenNames: string;
  readonly locator: string;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** Teletype lines are short; a longer name is cut rather than breaking the line. */
export const BSM_LINE_MAX = 64;

function flightElement(element: 'F' | 'O', f: BsmFlight): string {
  if (!/^[A-Z0-9]{2}[A-Z]?$/.test(f.carrier) || !/^\d{1,4}[A-Z]?$/.test(f.number)) throw new AirportError('BSM_INVALID', `.${element}: bad flight designator`);
  if (!/^[A-Z]{3}$/.test(f.destination) || !/^[A-Z]$/.test(f.compartment)) throw new AirportError('BSM_INVALID', `.${element}: bad destination or class`);
  const m = /^\d{4}-(\d{2})-(\d{2})$/.exec(f.date);
  const month = m ? MONTHS[Number(m[1]) - 1] : undefined;
  if (!m || !month) throw new AirportError('BSM_INVALID', `.${element}: the date must be YYYY-MM-DD`);
  const digits = f.number.replace(/[A-Z]$/, '');
  return `.${element}/${f.carrier}${digits.padStart(4, '0')}${f.number.slice(digits.length)}/${m[2]}${month}/${f.destination}/${f.compartment}`;
}

/** `.N/` elements: each run of consecutive plates as its first plate and a 3-digit count. */
function tagElements(plates: readonly string[]): string[] {
  for (const p of plates) parseLicencePlate(p);
  const sorted = [...plates].sort();
  const out: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let n = 1;
    while (i + n < sorted.length && Number(sorted[i + n]) === Number(sorted[i]) + n && n < 999) n++;
    out.push(`.N/${sorted[i]}${String(n).padStart(3, '0')}`);
    i += n;
  }
  return out;
}

export function encodeBsm(input: BsmInput): string {
  if (!/^[A-Z]{3}$/.test(input.airport)) throw new AirportError('BSM_INVALID', '.V: the airport must be a 3-letter code');
  if (!/^[A-Z0-9]{6}$/.test(input.locator)) throw new AirportError('BSM_INVALID', '.L: the record locator must be 6 letters or digits');
  if (input.licencePlates.length === 0) throw new AirportError('BSM_INVALID', '.N: a BSM needs at least one bag');
  if (!(input.totalKg > 0) || input.totalKg > 999) throw new AirportError('BSM_INVALID', '.W: the weight must be 1..999 kg');
  const surname = toAsciiUpper(input.surname).replace(/ /g, '');
  const given = toAsciiUpper(input.givenNames).replace(/ /g, '');
  if (!surname) throw new AirportError('BSM_INVALID', '.P: the surname has no Latin letters');
  return [
    'BSM',
    ...(input.status ? [input.status] : []),
    `.V/1L${input.airport}`,
    flightElement('F', input.flight),
    ...(input.onward ?? []).map((f) => flightElement('O', f)),
    ...tagElements(input.licencePlates),
    `.W/K/${input.licencePlates.length}/${Math.max(1, Math.round(input.totalKg))}`,
    `.P/1${surname}/${given}`.slice(0, BSM_LINE_MAX),
    `.L/${input.locator}`,
    'ENDBSM',
  ].join('\n');
}
