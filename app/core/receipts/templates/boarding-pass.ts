/**
 * Airport boarding pass: the IATA BCBP string (Resolution 792) in PDF417, the symbology for printed
 * passes, and the printed text RP 1706d asks for (kiosk-domain §1.4). BCBP names are ASCII upper
 * case, so the full Vietnamese name is printed separately.
 */
import { encode, type Leg } from 'bcbp';
import { TextSize, type ReceiptDocument } from '../document.ts';
import { toAsciiUpper } from '../format.ts';
import { badInput, END, logoBlocks, requireInt, requireMatch, requireText, type TemplateOptions } from './common.ts';

/** One flight the pass covers; Res. 792 puts up to four in one barcode (a through check-in). */
export interface BoardingPassLeg {
  readonly pnr: string;
  readonly from: string;
  readonly to: string;
  /** Operating carrier designator, e.g. `VN`. */
  readonly carrier: string;
  /** Digits with an optional suffix letter, e.g. `213` or `1234A`. */
  readonly flightNumber: string;
  /** Local date of the flight at its departure airport, `YYYY-MM-DD`. */
  readonly flightDate: string;
  readonly compartment: string;
  /** Row and letter (`12A`), or `INF` for an infant on a lap. */
  readonly seat: string;
  readonly sequence: number;
  /** The ticket, when the airline puts it in the barcode: 3-digit airline code and 10-digit serial. */
  readonly ticket?: { readonly airlineNumericCode: string; readonly serial: string };
  /** Free baggage allowance as BCBP writes it: `20K` (kilos) or `1PC` (pieces). */
  readonly freeBaggage?: string;
}

export interface BoardingPassInput extends BoardingPassLeg {
  readonly airlineName: string;
  readonly surname: string;
  readonly givenNames: string;
  readonly fromCity?: string;
  readonly toCity?: string;
  /** Local times at the departure airport, `HH:MM`. */
  readonly departureTime: string;
  readonly boardingTime: string;
  readonly gate: string;
  /** Further flights of the same journey, in order (connections checked in at once). */
  readonly connections?: readonly BoardingPassLeg[];
  /**
   * Local date the pass was issued, `YYYY-MM-DD`. It goes into the barcode with its year digit, so a
   * reader can tell the year of each flight's day-of-year (a pass issued on 31 December for 2 January).
   */
  readonly issuedOn?: string;
  /** Res. 792 passenger description: 0 adult, 1 male, 2 female, 3 child, 4 infant, 6 adult with infant. */
  readonly passengerDescription?: '0' | '1' | '2' | '3' | '4' | '6';
  /** Where the passenger checked in and the pass was issued: `K` an airport kiosk, `W` the web, `O` a counter. */
  readonly checkInSource?: 'K' | 'W' | 'O' | 'M';
}

const T = 'boarding pass';

/** `NGUYEN/VANAN` cut to the 20 characters BCBP allows. */
export function bcbpName(surname: string, givenNames: string): string {
  const s = toAsciiUpper(surname).replace(/ /g, '');
  const g = toAsciiUpper(givenNames).replace(/ /g, '');
  return `${s}/${g}`.slice(0, 20);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const utcDay = (date: string) => new Date(`${date}T00:00:00Z`);

function checkedLeg(leg: BoardingPassLeg, at: string): Leg {
  const f = (field: string) => `${at}${field}`;
  requireMatch(T, f('pnr'), leg.pnr, /^[A-Z0-9]{5,7}$/, '5..7 upper-case letters or digits');
  requireMatch(T, f('from'), leg.from, /^[A-Z]{3}$/, 'a 3-letter IATA code');
  requireMatch(T, f('to'), leg.to, /^[A-Z]{3}$/, 'a 3-letter IATA code');
  requireMatch(T, f('carrier'), leg.carrier, /^[A-Z0-9]{2,3}$/, 'a 2- or 3-character airline designator');
  requireMatch(T, f('flightNumber'), leg.flightNumber, /^\d{1,4}[A-Z]?$/, '1..4 digits and an optional letter');
  requireMatch(T, f('flightDate'), leg.flightDate, DATE, 'a date YYYY-MM-DD');
  requireMatch(T, f('compartment'), leg.compartment, /^[A-Z]$/, 'one letter');
  requireMatch(T, f('seat'), leg.seat, /^(\d{1,3}[A-Z]|INF)$/, 'row digits and a seat letter, e.g. 12A, or INF');
  requireInt(T, f('sequence'), leg.sequence, 1, 9999);
  if (leg.ticket) {
    requireMatch(T, f('ticket.airlineNumericCode'), leg.ticket.airlineNumericCode, /^\d{3}$/, 'three digits');
    requireMatch(T, f('ticket.serial'), leg.ticket.serial, /^\d{10}$/, 'ten digits');
  }
  if (leg.freeBaggage !== undefined) requireMatch(T, f('freeBaggage'), leg.freeBaggage, /^(\d{1,2}K|\dPC|\d{1,2}L)$/, 'e.g. 20K or 1PC');
  const digits = leg.flightNumber.replace(/[A-Z]$/, '');
  return {
    operatingCarrierPNR: leg.pnr,
    departureAirport: leg.from,
    arrivalAirport: leg.to,
    operatingCarrierDesignator: leg.carrier,
    flightNumber: digits.padStart(4, '0') + leg.flightNumber.slice(digits.length),
    // The day of the year of the flight's own local date: the library counts it in UTC.
    flightDate: utcDay(leg.flightDate),
    compartmentCode: leg.compartment,
    seatNumber: leg.seat === 'INF' ? 'INF' : leg.seat.padStart(4, '0'),
    checkInSequenceNumber: String(leg.sequence).padStart(4, '0'),
    passengerStatus: '1',
    ...(leg.ticket ? { airlineNumericCode: leg.ticket.airlineNumericCode, serialNumber: leg.ticket.serial } : {}),
    ...(leg.freeBaggage ? { freeBaggageAllowance: leg.freeBaggage } : {}),
  };
}

/** The BCBP string (format M, electronic ticket) of this pass: every leg, in order. */
export function bcbpString(input: BoardingPassInput): string {
  const connections = input.connections ?? [];
  if (connections.length > 3) throw badInput(T, 'connections', 'at most 3 (four legs in one barcode)');
  const legs = [checkedLeg(input, ''), ...connections.map((leg, i) => checkedLeg(leg, `connections[${i}].`))];
  const name = bcbpName(input.surname, input.givenNames);
  requireMatch(T, 'surname', name, /^[A-Z0-9]+\/[A-Z0-9]*$/, 'a name with Latin letters');
  if (input.issuedOn !== undefined) requireMatch(T, 'issuedOn', input.issuedOn, DATE, 'a date YYYY-MM-DD');
  return encode({
    data: {
      passengerName: name,
      legs,
      ...(input.passengerDescription ? { passengerDescription: input.passengerDescription } : {}),
      ...(input.checkInSource ? { checkInSource: input.checkInSource, boardingPassIssuanceSource: input.checkInSource } : {}),
      ...(input.issuedOn ? { issuanceDate: utcDay(input.issuedOn), documentType: 'B', boardingPassIssuerDesignator: input.carrier } : {}),
    },
    meta: { electronicTicketIndicator: 'E' },
  });
}

/** `15-03` from `2026-03-15`: printed passes show the calendar date, never the day of the year. */
const dayMonth = (date: string) => `${date.slice(8, 10)}-${date.slice(5, 7)}`;

export function boardingPass(input: BoardingPassInput, opts: TemplateOptions): ReceiptDocument {
  requireText(T, 'airlineName', input.airlineName);
  requireText(T, 'surname', input.surname);
  requireText(T, 'gate', input.gate, 6);
  requireMatch(T, 'departureTime', input.departureTime, /^\d{2}:\d{2}$/, 'HH:MM');
  requireMatch(T, 'boardingTime', input.boardingTime, /^\d{2}:\d{2}$/, 'HH:MM');
  const bcbp = bcbpString(input);
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
      { kind: 'pair', left: 'Ngày / Date', right: `${dayMonth(input.flightDate)}-${input.flightDate.slice(0, 4)}` },
      { kind: 'pair', left: 'Khởi hành / Departure', right: input.departureTime },
      { kind: 'pair', left: 'Lên tàu / Boarding', right: input.boardingTime, bold: true },
      { kind: 'pair', left: 'Cửa / Gate', right: input.gate, size: TextSize.large, bold: true },
      { kind: 'pair', left: 'Ghế / Seat', right: input.seat, size: TextSize.large, bold: true },
      { kind: 'pair', left: 'Hạng / Class', right: input.compartment },
      { kind: 'pair', left: 'Số thứ tự / Seq', right: String(input.sequence).padStart(3, '0') },
      { kind: 'pair', left: 'Mã đặt chỗ / PNR', right: input.pnr },
      { kind: 'pair', left: 'Vé điện tử / E-ticket', right: 'E' },
      ...(input.connections ?? []).map((leg) => ({
        kind: 'text' as const,
        size: TextSize.small,
        text: `Chặng tiếp / Next: ${leg.carrier} ${leg.flightNumber} ${leg.from} → ${leg.to} ${dayMonth(leg.flightDate)} · Ghế / Seat ${leg.seat}`,
      })),
      { kind: 'space', dots: 12 },
      { kind: 'pdf417', data: bcbp, moduleDots: 2, columns: narrow ? 4 : 6, align: 'center' },
      { kind: 'space', dots: 8 },
      { kind: 'text', text: 'Cửa ra tàu bay đóng 20 phút trước giờ khởi hành.', size: TextSize.small, align: 'center' },
      ...END,
    ],
  };
}
