/**
 * The simulated airline's flights and bookings, laid out around the moment the simulator starts so
 * every scenario is live whenever the demo runs: a flight open for check-in with a family on it
 * (two adults and an infant), one not open yet, one closed, a through journey, a booking whose
 * name an agent mistyped, and a full flight boarding at gate 14 for the e-gates (for a quarter of
 * an hour after the start: restart the simulator for another go), whose kiosk check-in has closed.
 *
 * People carry their Vietnamese names; the booking names are what a travel agent would have typed
 * into the airline's system (upper-case ASCII, family name first, a title), sometimes not quite.
 * ID numbers begin 0 (real province codes) only for the demo personas of app/sim/personas;
 * everyone else's begins 099, which no province uses.
 */
import { toAsciiUpper } from '../../../core/receipts/format.ts';
import type { Allowance, Flight } from '../common/contract.ts';
import { withOffsetOf } from '../common/time-rules.ts';

export interface DemoPerson {
  readonly fullName: string;
  readonly sex: 'M' | 'F';
  readonly type: 'adult' | 'child' | 'infant';
  /** The travel document on file (CCCD number); children and infants have none. */
  readonly idNumber?: string;
  /** How the agent typed the name, when not the usual way. */
  readonly bookedAs?: string;
  readonly infantOf?: number;
  readonly seat?: string;
  readonly checkedIn?: boolean;
  readonly specialService?: readonly string[];
}

export interface DemoBooking {
  readonly locator: string;
  readonly people: readonly DemoPerson[];
  /** Flight keys in travel order. */
  readonly flights: readonly string[];
  readonly allowance: Allowance;
}

export interface DemoAirline {
  readonly flights: Readonly<Record<string, Flight>>;
  readonly bookings: readonly DemoBooking[];
  readonly payee: { readonly bankBin: string; readonly accountNumber: string };
}

/** The name as an agent types it: `NGUYEN/VAN AN MR`. */
export function bookedName(p: Pick<DemoPerson, 'fullName' | 'sex' | 'type' | 'bookedAs'>): string {
  if (p.bookedAs) return p.bookedAs;
  const [family, ...given] = toAsciiUpper(p.fullName).split(' ');
  const title = p.type === 'infant' ? 'INF' : p.type === 'child' ? (p.sex === 'M' ? 'MSTR' : 'MISS') : p.sex === 'M' ? 'MR' : 'MS';
  return `${family}/${given.join(' ')} ${title}`;
}

const MINUTE = 60_000;
const VN = { airlineName: 'Vietnam Airlines', carrier: 'VN', airlineNumericCode: '738' };
const CITY: Record<string, string> = { SGN: 'TP. Hồ Chí Minh', HAN: 'Hà Nội', DAD: 'Đà Nẵng', PQC: 'Phú Quốc', DIN: 'Điện Biên', HPH: 'Hải Phòng' };

function flight(key: string, number: string, from: string, to: string, departsInMinutes: number, gate: string | null, now: Date): Flight {
  // Flights leave on the minute in Vietnam's time (UTC+7, no summer time).
  const departure = Math.ceil((now.getTime() + departsInMinutes * MINUTE) / (5 * MINUTE)) * 5 * MINUTE;
  const local = (ms: number) => withOffsetOf('+07:00', ms);
  const date = local(departure).slice(0, 10).replace(/-/g, '');
  return {
    ...VN, id: `${VN.carrier}${number}-${from}-${date}`, number, from, to, fromCity: CITY[from]!, toCity: CITY[to]!,
    departure: local(departure), boardingTime: local(departure - 45 * MINUTE), gate, domestic: true,
  };
}

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = { M: ['Văn', 'Hữu', 'Đức', 'Minh', 'Quốc', 'Thành'], F: ['Thị', 'Ngọc', 'Thu', 'Bích', 'Thanh', 'Mỹ'] };
const GIVEN = { M: ['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Hùng', 'Khoa', 'Long', 'Nam', 'Phúc', 'Quang', 'Sơn', 'Tâm', 'Tuấn', 'Việt'], F: ['Anh', 'Châu', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hương', 'Lan', 'Linh', 'Mai', 'Ngân', 'Oanh', 'Phương', 'Thảo', 'Yến'] };

/** `count` made-up passengers, each on their own booking: checked in (a boarding flight) from `firstRow` on, or not yet. */
export function crowd(flightKey: string, count: number, firstRow = 1, checkedIn = true, prefix = 'G'): DemoBooking[] {
  const letters = ['A', 'B', 'C', 'D', 'E', 'F'];
  return Array.from({ length: count }, (_, i) => {
    const sex = i % 2 === 0 ? 'M' : 'F';
    const pick = <T>(list: readonly T[], k: number) => list[k % list.length]!;
    const fullName = `${pick(SURNAMES, i)} ${pick(MIDDLE[sex], i * 7 + 3)} ${pick(GIVEN[sex], i * 5 + 1)}`;
    const seat = `${firstRow + Math.floor(i / 6)}${letters[i % 6]}`;
    const locator = `${prefix}${String(i).padStart(5, '0')}`;
    const idNumber = `099${prefix.charCodeAt(0) % 10}${String(80_000_000 + i).padStart(8, '0')}`;
    return {
      locator, flights: [flightKey], allowance: { pieces: 1, kgPerPiece: 23 },
      people: [{ fullName, sex, type: 'adult', idNumber, ...(checkedIn ? { seat, checkedIn } : {}) }],
    };
  });
}

export function demoAirline(now: Date): DemoAirline {
  const flights = {
    open: flight('open', '213', 'SGN', 'HAN', 180, '12', now),
    later: flight('later', '1567', 'HAN', 'DIN', 330, null, now),
    tomorrow: flight('tomorrow', '127', 'SGN', 'DAD', 30 * 60, null, now),
    closed: flight('closed', '1821', 'SGN', 'PQC', 30, '3', now),
    // Under 40 minutes away whatever the minute (departures fall on 5 minutes: 34..39 away), so kiosk
    // check-in has closed and Cường's other trip is never the one it finds; boarding for a few
    // minutes, the gate closing in 14..19.
    boarding: flight('boarding', '245', 'SGN', 'HPH', 34, '14', now),
  };
  const bookings: DemoBooking[] = [
    {
      // The family: An with his infant daughter, and Ngọc, who checks in with her own card.
      locator: 'NVA8QK', flights: ['open'], allowance: { pieces: 1, kgPerPiece: 23 },
      people: [
        { fullName: 'Nguyễn Văn An', sex: 'M', type: 'adult', idNumber: '001092012345' },
        { fullName: 'Nguyễn Bảo Anh', sex: 'F', type: 'infant', infantOf: 0 },
        { fullName: 'Trần Thị Bích Ngọc', sex: 'F', type: 'adult', idNumber: '079301000123', seat: '12C' },
      ],
    },
    {
      // An agent typed the wrong given name: the kiosk sends Cường to the counter.
      locator: 'LVC3TB', flights: ['open'], allowance: { pieces: 0, kgPerPiece: 0 },
      people: [{ fullName: 'Lê Văn Cường', sex: 'M', type: 'adult', idNumber: '099047000456', bookedAs: 'LE/VAN CHUONG MR' }],
    },
    {
      // Found by booking code and surname: given name first, as foreign booking sites write it.
      locator: 'DTH5RZ', flights: ['open', 'later'], allowance: { pieces: 2, kgPerPiece: 23 },
      people: [
        { fullName: 'Đặng Thị Hồng', sex: 'F', type: 'adult', idNumber: '099186000321', bookedAs: 'HONG/DANG THI MRS' },
        { fullName: 'Đặng Minh Khoa', sex: 'M', type: 'child' },
      ],
    },
    { locator: 'PHQ2WX', flights: ['tomorrow'], allowance: { pieces: 1, kgPerPiece: 20 }, people: [{ fullName: 'Phạm Hữu Quang', sex: 'M', type: 'adult', idNumber: '099090000777' }] },
    { locator: 'VTM7YC', flights: ['closed'], allowance: { pieces: 1, kgPerPiece: 20 }, people: [{ fullName: 'Võ Thị Mai', sex: 'F', type: 'adult', idNumber: '099195000888' }] },
    {
      locator: 'HVS4NP', flights: ['open'], allowance: { pieces: 1, kgPerPiece: 23 },
      people: [{ fullName: 'Hồ Văn Sơn', sex: 'M', type: 'adult', idNumber: '099070000555', specialService: ['WCHC'] }],
    },
    {
      // Cường's other trip, checked in online: the boarding gate's demo passenger (his card opens gate 14).
      locator: 'LVC9GA', flights: ['boarding'], allowance: { pieces: 0, kgPerPiece: 0 },
      people: [{ fullName: 'Lê Văn Cường', sex: 'M', type: 'adult', idNumber: '099047000456', seat: '4A', checkedIn: true }],
    },
    ...crowd('boarding', 120, 5),
  ];
  return { flights, bookings, payee: { bankBin: '970436', accountNumber: '0071000738738' } };
}
