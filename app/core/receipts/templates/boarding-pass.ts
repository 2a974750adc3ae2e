/**
 * Airport boarding pass: the IATA BCBP string (Resolution 792) in PDF417, the symbology for printed
 * passes, and the printed text RP 1706d asks for (kiosk-domain §1.4). BCBP names are ASCII upper
 * case, so the full Vietnamese name is printed separately.
 */
import { encode } from 'bcbp';
import { TextSize, type ReceiptDocument } from '../document.ts';
import { toAsciiUpper } from '../format.ts';
import { END, logoBlocks, requireInt, requireMatch, requireText, type TemplateOptions } from './common.ts';

export interface BoardingPassInput {
  readonly airlineName: string;
  readonly surname: string;
  readonly givenNames: string;
  readonly pnr: string;
  readonly from: string;
  readonly to: string;
  readonly fromCity?: string;
  readonly toCity?: string;
  /** Operating carrier designator, e.g. `VN`. */
  readonly carrier: string;
  /** Digits with an optional suffix letter, e.g. `213` or `1234A`. */
  readonly flightNumber: string;
  /** Local date of the flight, `YYYY-MM-DD`. */
  readonly flightDate: string;
  readonly compartment: string;
  readonly seat: string;
  readonly sequence: number;
  /** Local times at the departure airport, `HH:MM`. */
  readonly departureTime: string;
  readonly boardingTime: string;
  readonly gate: string;
}

const T = 'boarding pass';

/** `NGUYEN/VANAN` cut to the 20 characters BCBP allows. */
export function bcbpName(surname: string, givenNames: string): string {
  const s = toAsciiUpper(surname).replace(/ /g, '');
  const g = toAsciiUpper(givenNames).replace(/ /g, '');
  return `${s}/${g}`.slice(0, 20);
}

/** The BCBP string (format M, one leg, electronic ticket) for this pass. */
export function bcbpString(input: BoardingPassInput): string {
  requireMatch(T, 'pnr', input.pnr, /^[A-Z0-9]{5,7}$/, '5..7 upper-case letters or digits');
  requireMatch(T, 'from', input.from, /^[A-Z]{3}$/, 'a 3-letter IATA code');
  requireMatch(T, 'to', input.to, /^[A-Z]{3}$/, 'a 3-letter IATA code');
  requireMatch(T, 'carrier', input.carrier, /^[A-Z0-9]{2,3}$/, 'a 2- or 3-character airline designator');
  requireMatch(T, 'flightNumber', input.flightNumber, /^\d{1,4}[A-Z]?$/, '1..4 digits and an optional letter');
  requireMatch(T, 'flightDate', input.flightDate, /^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
  requireMatch(T, 'compartment', input.compartment, /^[A-Z]$/, 'one letter');
  requireMatch(T, 'seat', input.seat, /^\d{1,3}[A-Z]$/, 'row digits and a seat letter, e.g. 12A');
  requireInt(T, 'sequence', input.sequence, 1, 9999);
  const name = bcbpName(input.surname, input.givenNames);
  requireMatch(T, 'surname', name, /^[A-Z0-9]+\/[A-Z0-9]*$/, 'a name with Latin letters');
  const digits = input.flightNumber.replace(/[A-Z]$/, '');
  const suffix = input.flightNumber.slice(digits.length);
  return encode({
    data: {
      passengerName: name,
      legs: [
        {
          operatingCarrierPNR: input.pnr,
          departureAirport: input.from,
          arrivalAirport: input.to,
          operatingCarrierDesignator: input.carrier,
          flightNumber: digits.padStart(4, '0') + suffix,
          flightDate: new Date(`${input.flightDate}T00:00:00Z`),
          compartmentCode: input.compartment,
          seatNumber: input.seat.padStart(4, '0'),
          checkInSequenceNumber: String(input.sequence).padStart(4, '0'),
          passengerStatus: '1',
        },
      ],
    },
    meta: { electronicTicketIndicator: 'E' },
  });
}

export function boardingPass(input: BoardingPassInput, opts: TemplateOptions): ReceiptDocument {
  requireText(T, 'airlineName', input.airlineName);
  requireText(T, 'surname', input.surname);
  requireText(T, 'gate', input.gate, 6);
  requireMatch(T, 'departureTime', input.departureTime, /^\d{2}:\d{2}$/, 'HH:MM');
  requireMatch(T, 'boardingTime', input.boardingTime, /^\d{2}:\d{2}$/, 'HH:MM');
  const bcbp = bcbpString(input);
  const [y, m, d] = input.flightDate.split('-');
  const narrow = opts.paper.dotsPerLine < 576;
  return {
    kind: 'boarding-pass',
    paper: opts.paper,
    blocks: [
      ...logoBlocks(opts),
      { kind: 'text', text: input.airlineName.toUpperCase(), size: TextSize.medium, bold: true, align: 'center' },
      { kind: 'text', text: 'THẺ LÊN TÀU BAY / BOARDING PASS', align: 'center' },
      { kind: 'rule' },
      { kind: 'text', text: `${input.surname} ${input.givenNames}`.toUpperCase(), size: TextSize.medium, bold: true },
      { kind: 'text', text: `(${bcbpName(input.surname, input.givenNames)})`, size: TextSize.small },
      { kind: 'space', dots: 8 },
      { kind: 'pair', left: `${input.from} → ${input.to}`, right: `${input.carrier} ${input.flightNumber}`, size: TextSize.large, bold: true },
      ...(input.fromCity && input.toCity
        ? [{ kind: 'text', text: `${input.fromCity} → ${input.toCity}`, size: TextSize.small } as const]
        : []),
      { kind: 'pair', left: 'Ngày / Date', right: `${d}-${m}-${y}` },
      { kind: 'pair', left: 'Khởi hành / Departure', right: input.departureTime },
      { kind: 'pair', left: 'Lên tàu / Boarding', right: input.boardingTime, bold: true },
      { kind: 'pair', left: 'Cửa / Gate', right: input.gate, size: TextSize.large, bold: true },
      { kind: 'pair', left: 'Ghế / Seat', right: input.seat, size: TextSize.large, bold: true },
      { kind: 'pair', left: 'Hạng / Class', right: input.compartment },
      { kind: 'pair', left: 'Số thứ tự / Seq', right: String(input.sequence).padStart(3, '0') },
      { kind: 'pair', left: 'Mã đặt chỗ / PNR', right: input.pnr },
      { kind: 'pair', left: 'Vé điện tử / E-ticket', right: 'E' },
      { kind: 'space', dots: 12 },
      { kind: 'pdf417', data: bcbp, moduleDots: 2, columns: narrow ? 4 : 6, align: 'center' },
      { kind: 'space', dots: 8 },
      { kind: 'text', text: 'Cửa ra tàu bay đóng 20 phút trước giờ khởi hành.', size: TextSize.small, align: 'center' },
      ...END,
    ],
  };
}
