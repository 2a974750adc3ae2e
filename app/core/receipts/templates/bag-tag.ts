/**
 * Bag tag: the 10-digit licence plate (Resolution 740) as Interleaved 2 of 5 without check digit,
 * with its human-readable digits, destination and flight (kiosk-domain §1.4). Printed on the
 * receipt roll here; a label printer would take the same document.
 */
import { TextSize, type ReceiptDocument } from '../document.ts';
import { END, logoBlocks, requireMatch, requireText, type TemplateOptions } from './common.ts';

export interface BagTagInput {
  /** Digit 1: 0 interline/online, 1 fallback, 2 rush; digits 2–4 airline code; 5–10 serial. */
  readonly licencePlate: string;
  readonly passengerSurname: string;
  readonly from: string;
  readonly to: string;
  readonly toCity: string;
  readonly carrier: string;
  readonly flightNumber: string;
  /** Local date of the flight, `YYYY-MM-DD`. */
  readonly flightDate: string;
  readonly bagIndex: number;
  readonly bagCount: number;
}

const T = 'bag tag';
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

export function bagTag(input: BagTagInput, opts: TemplateOptions): ReceiptDocument {
  const plate = requireMatch(T, 'licencePlate', input.licencePlate, /^\d{10}$/, 'exactly 10 digits');
  requireMatch(T, 'from', input.from, /^[A-Z]{3}$/, 'a 3-letter IATA code');
  requireMatch(T, 'to', input.to, /^[A-Z]{3}$/, 'a 3-letter IATA code');
  requireMatch(T, 'flightDate', input.flightDate, /^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
  requireText(T, 'passengerSurname', input.passengerSurname, 40);
  const [, m, d] = input.flightDate.split('-');
  const date = `${d}${MONTHS[Number(m) - 1] ?? '???'}`;
  // Plate as printed under the bars: carrier code and serial apart, the way tags show it.
  const readable = `${plate.slice(0, 1)} ${plate.slice(1, 4)} ${plate.slice(4)}`;
  return {
    kind: 'bag-tag',
    paper: opts.paper,
    blocks: [
      ...logoBlocks(opts),
      { kind: 'text', text: input.to, size: TextSize.huge, bold: true, align: 'center' },
      { kind: 'text', text: input.toCity, size: TextSize.medium, align: 'center' },
      { kind: 'pair', left: `${input.carrier} ${input.flightNumber}`, right: date, size: TextSize.large, bold: true },
      { kind: 'rule' },
      { kind: 'space', dots: 16 },
      { kind: 'barcode', symbology: 'interleaved2of5', data: plate, heightDots: 160, moduleDots: 3, align: 'center' },
      { kind: 'text', text: readable, size: TextSize.large, bold: true, align: 'center' },
      { kind: 'space', dots: 8 },
      { kind: 'pair', left: input.passengerSurname.toUpperCase(), right: `${input.bagIndex}/${input.bagCount}` },
      { kind: 'pair', left: 'Từ / From', right: input.from },
      ...END,
    ],
  };
}
