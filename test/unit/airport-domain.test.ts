import { decode as decodeBcbp } from 'bcbp';
import { describe, expect, it } from 'vitest';
import { bcbpString, type BoardingPassInput } from '../../app/core/receipts/index.ts';
import { assessBags } from '../../app/sites/airport/common/bags.ts';
import { readBoardingPass, resolveJulian } from '../../app/sites/airport/common/boarding-pass.ts';
import { encodeBsm, type BsmInput } from '../../app/sites/airport/common/bsm.ts';
import { licencePlate, parseLicencePlate } from '../../app/sites/airport/common/licence-plate.ts';
import { matchName, parseAirlineName, passName } from '../../app/sites/airport/common/name-match.ts';
import { boardingWindow, checkInWindow, minutesBefore } from '../../app/sites/airport/common/time-rules.ts';
import { parseBsm } from '../../app/sites/airport/sim/bsm-parser.ts';

describe('name matching: chip name against the booked name', () => {
  it.each([
    ['Nguyễn Văn An', 'NGUYEN/VAN AN MR'],
    ['Nguyễn Văn An', 'NGUYEN/VANAN'],
    ['Nguyễn Văn An', 'NGUYEN/VANANMR'],
    ['Nguyễn Văn An', 'Nguyễn/Văn An'],
    ['Đặng Thị Hồng', 'DANG/THI HONG MRS'],
    ['Trần Thị Bích Ngọc', 'TRAN/BICH NGOC MS'],
    ['Tôn Thất Hoàng Phước', 'TONTHAT/HOANG PHUOC MR'],
    ['Nguyễn Bảo Anh', 'NGUYEN/BAO ANH INF'],
  ])('%s is %s', (chip, booked) => {
    expect(matchName(chip, booked)).toMatchObject({ matched: true, reordered: false });
  });

  it('tolerates the given name written first and counts omitted middle names', () => {
    expect(matchName('Nguyễn Văn An', 'AN/NGUYEN VAN MR')).toEqual({ matched: true, reordered: true, middleNamesOmitted: 0 });
    expect(matchName('Trần Thị Bích Ngọc', 'TRAN/NGOC MS')).toEqual({ matched: true, reordered: false, middleNamesOmitted: 2 });
  });

  it.each([
    ['Lê Văn Cường', 'LE/VAN CHUONG MR', 'NAME_GIVEN_NAMES_DIFFER'],
    ['Lê Văn Cường', 'LY/VAN CUONG MR', 'NAME_SURNAME_DIFFERS'],
    ['Lê Văn Cường', 'VAN/CUONG MR', 'NAME_FAMILY_NAME_MISSING'],
    ['Lê Văn Cường', 'LE/VAN MR', 'NAME_GIVEN_NAME_MISSING'],
    ['Nguyễn Văn An', 'NGUYEN/NGUYEN AN', 'NAME_GIVEN_NAMES_DIFFER'],
    ['Nguyễn Văn An', 'MR', 'NAME_UNREADABLE'],
    ['李小龍', 'LI/XIAOLONG', 'NAME_UNREADABLE'],
  ])('%s is not %s (%s)', (chip, booked, reason) => {
    expect(matchName(chip, booked)).toEqual({ matched: false, reason });
  });

  it('strips titles only as words or at the very end, never inside a name', () => {
    expect(parseAirlineName('THOMAS/MS')).toEqual({ surname: ['THOMAS'], given: [], title: 'MS' });
    expect(matchName('Williams Thomas', 'WILLIAMS/THOMAS')).toMatchObject({ matched: true });
    expect(passName('NGUYEN/VAN AN MR')).toEqual({ surname: 'NGUYEN', givenNames: 'VAN AN' });
  });
});

describe('check-in and boarding windows', () => {
  const windows = { domestic: { opensMinutesBefore: 24 * 60, closesMinutesBefore: 40 }, international: { opensMinutesBefore: 24 * 60, closesMinutesBefore: 60 } };
  const flight = { departure: '2026-03-15T08:30:00+07:00', boardingTime: '2026-03-15T07:50:00+07:00', domestic: true };

  it('opens 24 h before and closes 40 min before a domestic departure, in the airport time zone', () => {
    expect(checkInWindow(flight, new Date('2026-03-14T01:29:59Z'), windows)).toEqual({ open: false, code: 'CHECKIN_NOT_OPEN', opensAt: '2026-03-14T08:30:00+07:00' });
    expect(checkInWindow(flight, new Date('2026-03-14T01:30:00Z'), windows)).toEqual({ open: true, closesAt: '2026-03-15T07:50:00+07:00' });
    expect(checkInWindow(flight, new Date('2026-03-15T00:50:00Z'), windows)).toEqual({ open: false, code: 'CHECKIN_CLOSED', closedAt: '2026-03-15T07:50:00+07:00' });
    // International closes earlier.
    expect(checkInWindow({ ...flight, domestic: false }, new Date('2026-03-15T00:40:00Z'), windows)).toMatchObject({ open: false, code: 'CHECKIN_CLOSED' });
  });

  it('boarding runs from the boarding time until the gate closes', () => {
    expect(boardingWindow(flight, new Date('2026-03-15T00:49:00Z'), 20)).toEqual({ open: false, code: 'BOARDING_NOT_OPEN', at: flight.boardingTime });
    expect(boardingWindow(flight, new Date('2026-03-15T00:50:00Z'), 20)).toEqual({ open: true });
    expect(boardingWindow(flight, new Date('2026-03-15T01:10:00Z'), 20)).toEqual({ open: false, code: 'BOARDING_CLOSED', at: '2026-03-15T08:10:00+07:00' });
  });

  it('keeps the airport offset across midnight', () => {
    expect(minutesBefore('2026-01-01T00:20:00+07:00', 40)).toBe('2025-12-31T23:40:00+07:00');
  });
});

describe('bag licence plate (Res. 740)', () => {
  it('is the issue digit, the airline numeric code and a 6-digit serial', () => {
    expect(licencePlate('738', 42)).toBe('0738000042');
    expect(licencePlate('738', 999_999, 'rush')).toBe('2738999999');
    expect(parseLicencePlate('0738123456')).toEqual({ kind: 'online', airlineNumericCode: '738', serial: 123456 });
    expect(parseLicencePlate('5738123456').kind).toBe('carrier-use');
  });
  it('refuses anything else with TAG_INVALID', () => {
    for (const f of [() => licencePlate('73', 1), () => licencePlate('738', 1_000_000), () => licencePlate('738', 1.5), () => parseLicencePlate('073812345'), () => parseLicencePlate('073812345X')]) {
      expect(f).toThrow(expect.objectContaining({ code: 'TAG_INVALID' }));
    }
  });
});

describe('BSM (RP 1745)', () => {
  const input: BsmInput = {
    airport: 'SGN',
    flight: { carrier: 'VN', number: '213', date: '2026-03-15', destination: 'HAN', compartment: 'Y' },
    onward: [{ carrier: 'VN', number: '1567', date: '2026-03-16', destination: 'DIN', compartment: 'Y' }],
    licencePlates: ['0738000043', '0738000042', '0738000050'],
    totalKg: 41.6,
    surname: 'Nguyễn',
    givenNames: 'Văn An',
    locator: 'ABC123',
  };

  it('writes the elements in order and the baggage system reads them back', () => {
    const text = encodeBsm(input);
    expect(text.split('\n')).toEqual([
      'BSM', '.V/1LSGN', '.F/VN0213/15MAR/HAN/Y', '.O/VN1567/16MAR/DIN/Y', '.N/0738000042002', '.N/0738000050001', '.W/K/3/42', '.P/1NGUYEN/VANAN', '.L/ABC123', 'ENDBSM',
    ]);
    const parsed = parseBsm(text);
    expect(parsed).toMatchObject({ status: 'NEW', airport: 'SGN', sourceIndicator: 'L', pieces: 3, weightKg: 42, locator: 'ABC123', passengerNames: ['NGUYEN/VANAN'] });
    expect(parsed.outbound).toEqual({ flight: 'VN0213', date: '15MAR', destination: 'HAN', compartment: 'Y' });
    expect([...parsed.licencePlates].sort()).toEqual([...input.licencePlates].sort());
    expect(parseBsm(encodeBsm({ ...input, status: 'DEL' })).status).toBe('DEL');
  });

  it('refuses what it cannot write, and the parser refuses junk, with typed errors', () => {
    expect(() => encodeBsm({ ...input, licencePlates: [] })).toThrow(expect.objectContaining({ code: 'BSM_INVALID' }));
    expect(() => encodeBsm({ ...input, locator: 'AB' })).toThrow(expect.objectContaining({ code: 'BSM_INVALID' }));
    expect(() => encodeBsm({ ...input, flight: { ...input.flight, date: '15/03/2026' } })).toThrow(expect.objectContaining({ code: 'BSM_INVALID' }));
    for (const junk of ['', 'BSM\nENDBSM', 'BSM\n.V/1LSGN\n.N/0738000042001\nENDBSM', 'BSM\n.V/1LSGN\n.F/VN0213/15MAR/HAN\n.N/07380000420\nENDBSM', 'hello\nworld']) {
      expect(() => parseBsm(junk)).toThrow(expect.objectContaining({ code: 'BSM_INVALID' }));
    }
  });
});

describe('BCBP: multi-leg passes and the day of the year', () => {
  const pass: BoardingPassInput = {
    airlineName: 'Vietnam Airlines', surname: 'Nguyễn', givenNames: 'Văn An', pnr: 'ABC123', from: 'SGN', to: 'HAN', carrier: 'VN', flightNumber: '213',
    flightDate: '2026-01-01', compartment: 'Y', seat: '12A', sequence: 42, departureTime: '00:20', boardingTime: '23:40', gate: '12',
    ticket: { airlineNumericCode: '738', serial: '2100000001' }, freeBaggage: '1PC',
    connections: [{ pnr: 'ABC123', from: 'HAN', to: 'DIN', carrier: 'VN', flightNumber: '1567A', flightDate: '2026-01-02', compartment: 'Y', seat: '3C', sequence: 7 }],
    issuedOn: '2025-12-31', passengerDescription: '0', checkInSource: 'K',
  };

  it('encodes every leg, and the bcbp package decodes them, years right across New Year', () => {
    const s = bcbpString(pass);
    const decoded = decodeBcbp(s, 2025);
    expect(decoded.meta?.numberOfLegs).toBe(2);
    expect(decoded.data?.passengerName).toBe('NGUYEN/VANAN');
    expect(decoded.data?.issuanceDate?.toISOString().slice(0, 10)).toBe('2025-12-31');
    const [a, b] = decoded.data!.legs!;
    expect(a).toMatchObject({ departureAirport: 'SGN', arrivalAirport: 'HAN', flightNumber: '0213', seatNumber: '012A', checkInSequenceNumber: '0042', airlineNumericCode: '738', serialNumber: '2100000001', freeBaggageAllowance: '1PC' });
    expect(b).toMatchObject({ departureAirport: 'HAN', arrivalAirport: 'DIN', flightNumber: '1567A', seatNumber: '003C' });
    // Issued on 31 December 2025: day 001 and 002 are in 2026.
    expect(a!.flightDate!.toISOString().slice(0, 10)).toBe('2026-01-01');
    expect(b!.flightDate!.toISOString().slice(0, 10)).toBe('2026-01-02');
    expect(s.slice(44, 47)).toBe('001');
  });

  it('counts day 366 in a leap year and reads its own passes back at the gate', () => {
    const leap = bcbpString({ ...pass, flightDate: '2028-12-31', connections: [], issuedOn: '2028-12-30' });
    expect(leap.slice(44, 47)).toBe('366');
    expect(readBoardingPass(leap, '2028-12-31')).toMatchObject({ name: 'NGUYEN/VANAN', issuedOn: '2028-12-30', legs: [{ flightDate: '2028-12-31', seat: '12A', sequence: 42, flightNumber: '213' }] });
    const two = readBoardingPass(bcbpString(pass), '2026-01-01');
    expect(two.legs.map((l) => [l.from, l.to, l.flightNumber, l.flightDate, l.seat])).toEqual([
      ['SGN', 'HAN', '213', '2026-01-01', '12A'],
      ['HAN', 'DIN', '1567A', '2026-01-02', '3C'],
    ]);
  });

  it('without an issue date, takes the year that puts the flight nearest today', () => {
    expect(resolveJulian(365, '2026-01-01')).toBe('2025-12-31');
    expect(resolveJulian(2, '2025-12-31')).toBe('2026-01-02');
    expect(resolveJulian(74, '2026-03-14')).toBe('2026-03-15');
    const plain = bcbpString({ ...pass, connections: [], issuedOn: undefined, flightDate: '2025-12-31' });
    expect(readBoardingPass(plain, '2026-01-01').legs[0]!.flightDate).toBe('2025-12-31');
  });

  it('refuses junk with BCBP_INVALID', () => {
    const good = bcbpString(pass);
    for (const junk of ['', 'hello', `X${good.slice(1)}`, good.slice(0, 50), good.replace('SGNHAN', 'SG1HAN'), `M5${good.slice(2)}`, good.slice(0, 70)]) {
      expect(() => readBoardingPass(junk, '2026-01-01')).toThrow(expect.objectContaining({ code: 'BCBP_INVALID' }));
    }
  });
});

describe('bags against the allowance', () => {
  const adult = (passengerId: string, pieces = 1) => ({ passengerId, allowance: { pieces, kgPerPiece: 23 } });

  it('pools the party: each bag fills the next included piece, then extra pieces go to the holder', () => {
    const a = assessBags([adult('P1'), adult('P2')], [20, 25.04, 10], 32);
    expect(a.bags.map((b) => [b.passengerId, b.included, b.overweightKg])).toEqual([['P1', true, 0], ['P2', true, 2], ['P1', false, 0]]);
    expect(a).toMatchObject({ extraPieces: 1, overweightKg: 2, tooHeavy: [] });
  });

  it('marks bags above the handling limit, and a fare without bags makes every bag extra', () => {
    expect(assessBags([adult('P1')], [33], 32).tooHeavy).toEqual([0]);
    expect(assessBags([adult('P1', 0)], [12], 32)).toMatchObject({ extraPieces: 1, overweightKg: 0 });
  });
});
