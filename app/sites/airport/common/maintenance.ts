/**
 * The airport's part of the staff's maintenance screen, with no personal data beyond initials: the
 * check-ins this kiosk made today by flight, and at a boarding gate its flight's list (boarded, not
 * yet). The airport keeps nothing on disk: today's check-ins are counted in memory and forgotten when
 * the airport's day changes (or the kiosk restarts); the boarding list is the DCS's, fetched.
 */
import { z } from 'zod';
import type { BoardingList, Flight } from './contract.ts';
import { parseAirlineName } from './name-match.ts';

export const airportMaintenanceSchema = z.object({
  kind: z.literal('airport'),
  checkIns: z.array(
    z.object({
      flight: z.string(),
      /** Local departure at the airport, with its offset. */
      departure: z.string(),
      passengers: z.array(z.string()),
      bags: z.number().int().min(0),
    }),
  ),
  boarding: z
    .object({
      flight: z.string(),
      departure: z.string(),
      gate: z.string().nullable(),
      passengers: z.array(z.object({ initials: z.string(), seat: z.string().nullable(), boarded: z.boolean() })),
    })
    .nullable(),
});
export type AirportMaintenance = z.infer<typeof airportMaintenanceSchema>;

/** `NGUYEN/VAN AN MR` → `N.V.A.`: enough for staff to tell passengers apart, no more. */
export function bookedInitials(booked: string): string {
  const name = parseAirlineName(booked);
  return [...name.surname, ...name.given].map((w) => `${w[0]}.`).join('');
}

const designator = (f: Pick<Flight, 'carrier' | 'number'>) => `${f.carrier} ${f.number}`;

/** Today's check-ins at this kiosk, in memory, by flight. */
export class CheckInTally {
  private day = '';
  private readonly flights = new Map<string, AirportMaintenance['checkIns'][number]>();

  constructor(private readonly localDay: (now: Date) => string) {}

  add(flight: Pick<Flight, 'id' | 'carrier' | 'number' | 'departure'>, bookedNames: readonly string[], bags: number, now: Date): void {
    this.roll(now);
    const entry = this.flights.get(flight.id) ?? { flight: designator(flight), departure: flight.departure, passengers: [], bags: 0 };
    this.flights.set(flight.id, { ...entry, passengers: [...entry.passengers, ...bookedNames.map(bookedInitials)], bags: entry.bags + bags });
  }

  today(now: Date): AirportMaintenance['checkIns'] {
    this.roll(now);
    return [...this.flights.values()].sort((a, b) => Date.parse(a.departure) - Date.parse(b.departure));
  }

  private roll(now: Date): void {
    const day = this.localDay(now);
    if (day !== this.day) this.flights.clear();
    this.day = day;
  }
}

/** A flight's boarding list as staff see it: initials, seat, boarded or not yet. */
export function boardingSummary(list: BoardingList): NonNullable<AirportMaintenance['boarding']> {
  return {
    flight: designator(list.flight),
    departure: list.flight.departure,
    gate: list.flight.gate,
    passengers: list.passengers
      .filter((p) => p.checkedIn)
      .map((p) => ({ initials: bookedInitials(p.name), seat: p.seat, boarded: p.boarded }))
      .sort((a, b) => Number(a.boarded) - Number(b.boarded)),
  };
}
