/**
 * The airport's `Boardings` on the site store: a flight is an area, a boarding a passage into it
 * under a hard anti-passback rule. The site store decides it in one step at its authority (the
 * gate's own SQLite, or the site hub: one PostgreSQL transaction that locks the passenger's row), so
 * of two gates boarding one passenger at the same instant exactly one is admitted. The claim holds
 * until the door reports; a door that did not open undoes it.
 */
import { randomUUID } from 'node:crypto';
import { SiteStoreError } from '../../../core/site-store/errors.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { boundedSiteName } from '../../../platform/store/site-store/names.ts';
import { AirportError, type Boardings } from '../common/ports.ts';

export const BOARDING_EVENT = 'airport.boarded';

/** The site-store area of a flight's boarded passengers. */
export const boardingArea = (flightId: string): string => boundedSiteName('airport.boarded:', flightId);

export function siteBoardings(store: SiteStore, terminalId: string, clock: () => Date = () => new Date()): Boardings {
  const undecidable = (e: unknown) =>
    e instanceof SiteStoreError && e.code === 'SITE_STORE_UNAVAILABLE' ? new AirportError('BOARDING_UNDECIDABLE', 'the site store that decides boarding does not answer') : e;
  return {
    async claim(flightId, passengerId) {
      const decision = await store
        .decidePassage({
          area: boardingArea(flightId),
          subject: passengerId,
          direction: 'in',
          antiPassback: 'hard',
          event: { key: `${terminalId}:${BOARDING_EVENT}:${randomUUID()}`, kind: BOARDING_EVENT, at: clock().toISOString(), terminalId, subject: passengerId, data: { flightId } },
        })
        .catch((e: unknown) => {
          throw undecidable(e);
        });
      return decision.admitted ? { claimId: decision.passageId } : 'ALREADY_BOARDED';
    },
    settle: (claimId, boarded) => store.settlePassage(claimId, boarded),
    async boarded(flightId) {
      try {
        return new Set((await store.inside(boardingArea(flightId))).map((p) => p.subject));
      } catch (e) {
        // The staff's list then shows the DCS's word alone, until the site answers again.
        if (e instanceof SiteStoreError && e.code === 'SITE_STORE_UNAVAILABLE') return new Set();
        throw e;
      }
    },
  };
}
