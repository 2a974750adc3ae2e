import { KioskError } from '../errors.ts';

/**
 * Why a site store call did not do what was asked. `SITE_STORE_UNAVAILABLE` is the one a site
 * module's failure rule answers (the hub, or its database, cannot be reached now: the kiosk works
 * offline); the others are answers, not outages.
 */
export const SITE_STORE_ERRORS = {
  SITE_STORE_INVALID: 'the request to the site store is malformed',
  SITE_STORE_CONFLICT: 'the record or passage is not in the state the request expects',
  SITE_STORE_UNKNOWN_PASSAGE: 'the site store has no such passage',
  SITE_STORE_PURGE_TOO_RECENT: 'a purge may not reach into the last 24 hours of the event log',
  SITE_STORE_UNAVAILABLE: 'the site store cannot be reached now',
  SITE_STORE_REFUSED: 'the site hub refused this terminal or request',
  SITE_STORE_FAILED: 'the site store failed',
  SITE_STORE_CLOSED: 'the site store is closed',
} as const;
export type SiteStoreErrorCode = keyof typeof SITE_STORE_ERRORS;

export class SiteStoreError extends KioskError {
  constructor(
    override readonly code: SiteStoreErrorCode,
    detail?: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, detail ? `${SITE_STORE_ERRORS[code]}: ${detail}` : SITE_STORE_ERRORS[code], details);
  }
}

export const isSiteStoreUnavailable = (e: unknown): boolean => e instanceof SiteStoreError && e.code === 'SITE_STORE_UNAVAILABLE';
