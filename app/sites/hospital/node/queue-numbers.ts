/**
 * Queue numbers from the site store (`his.queueNumber.source: site`): one counter per clinic and
 * hospital day at the site's authority, so two kiosks of one hospital never hand out the same
 * number. With a site hub that is the hub's counter row, bumped under its row lock; with no hub
 * answering there is no number to give, and the registration stops with a code the screen words
 * (the person goes to the registration desk) rather than risk a number another kiosk also gives.
 */
import { SiteStoreError } from '../../../core/site-store/errors.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { localDay } from '../common/local-day.ts';
import { HospitalError } from '../common/types.ts';
import { boundedSiteName } from '../../../platform/store/site-store/names.ts';

/** The site's counter of a clinic's queue. */
export const queueCounter = (clinicId: string): string => boundedSiteName('hospital.queue:', clinicId);

export function siteQueueNumbers(store: SiteStore, timeZone: string, clock: () => Date = () => new Date()): (clinicId: string) => Promise<number> {
  return async (clinicId) => {
    try {
      return await store.nextNumber(queueCounter(clinicId), localDay(clock(), timeZone));
    } catch (e) {
      if (e instanceof SiteStoreError && e.code === 'SITE_STORE_UNAVAILABLE') {
        throw new HospitalError('QUEUE_NUMBER_UNAVAILABLE', 'the site store that numbers the queue does not answer');
      }
      throw e;
    }
  };
}
