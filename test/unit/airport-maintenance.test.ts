import { describe, expect, it } from 'vitest';
import { airportMaintenanceSchema, boardingSummary, bookedInitials, CheckInTally } from '../../app/sites/airport/common/maintenance.ts';
import { airportToday } from '../../app/sites/airport/common/time-rules.ts';

const flight = (id: string, number: string, departure: string) => ({ id, carrier: 'VN', number, departure });

describe('the airport on the staff screen: initials only, today only', () => {
  it('writes a booked name as initials, titles and slash dropped', () => {
    expect(bookedInitials('NGUYEN/VAN AN MR')).toBe('N.V.A.');
    expect(bookedInitials('HONG/DANG THI MRS')).toBe('H.D.T.');
    expect(bookedInitials('NGUYEN/BAO ANH INF')).toBe('N.B.A.');
  });

  it('tallies this kiosk’s check-ins by flight for the airport’s day, and forgets them at its midnight', () => {
    const tally = new CheckInTally(airportToday);
    const evening = new Date('2026-03-15T16:30:00Z'); // 23:30 in Vietnam
    tally.add(flight('F2', '245', '2026-03-16T07:00:00+07:00'), ['LE/VAN CUONG MR'], 0, evening);
    tally.add(flight('F1', '213', '2026-03-16T06:00:00+07:00'), ['NGUYEN/VAN AN MR', 'NGUYEN/BAO ANH INF'], 1, evening);
    tally.add(flight('F1', '213', '2026-03-16T06:00:00+07:00'), ['TRAN/THI BICH NGOC MS'], 2, evening);
    const today = tally.today(evening);
    expect(today).toEqual([
      { flight: 'VN 213', departure: '2026-03-16T06:00:00+07:00', passengers: ['N.V.A.', 'N.B.A.', 'T.T.B.N.'], bags: 3 },
      { flight: 'VN 245', departure: '2026-03-16T07:00:00+07:00', passengers: ['L.V.C.'], bags: 0 },
    ]);
    // What reaches the screen parses, and holds no name.
    expect(JSON.stringify(airportMaintenanceSchema.parse({ kind: 'airport', checkIns: today, boarding: null }))).not.toMatch(/NGUYEN|TRAN|CUONG/);
    expect(tally.today(new Date('2026-03-15T17:00:00Z'))).toEqual([]); // 00:00 in Vietnam: a new day
  });

  it('lists a flight’s checked-in passengers for the gate, those still to board first', () => {
    const summary = boardingSummary({
      flight: { id: 'F', carrier: 'VN', number: '245', airlineNumericCode: '738', airlineName: 'Vietnam Airlines', from: 'SGN', to: 'HPH', fromCity: 'x', toCity: 'y', departure: '2026-03-16T07:00:00+07:00', boardingTime: '2026-03-16T06:15:00+07:00', gate: '14', domestic: true },
      passengers: [
        { passengerId: 'A-1', name: 'NGUYEN/VAN AN MR', type: 'adult', locator: 'AAAAAA', compartment: 'Y', seat: '4A', checkedIn: true, sequence: 1, boarded: true },
        { passengerId: 'B-1', name: 'LE/VAN CUONG MR', type: 'adult', locator: 'BBBBBB', compartment: 'Y', seat: '5C', checkedIn: true, sequence: 2, boarded: false },
        { passengerId: 'C-1', name: 'VO/THI MAI MS', type: 'adult', locator: 'CCCCCC', compartment: 'Y', seat: null, checkedIn: false, sequence: null, boarded: false },
      ],
    });
    expect(summary).toEqual({
      flight: 'VN 245', departure: '2026-03-16T07:00:00+07:00', gate: '14',
      passengers: [{ initials: 'L.V.C.', seat: '5C', boarded: false }, { initials: 'N.V.A.', seat: '4A', boarded: true }],
    });
  });
});
