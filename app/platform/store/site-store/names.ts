/**
 * Names of areas and counters in the site store are at most 64 characters (app/core/site-store/
 * schemas.ts), while the outside systems' ids a site builds them from run to 64 themselves (FHIR
 * ids, flight ids). A name that would be too long takes a digest of the id instead: still one name
 * per id, the same at every kiosk.
 */
import { createHash } from 'node:crypto';

const MAX_NAME = 64;

export function boundedSiteName(prefix: string, id: string): string {
  const name = prefix + id;
  return name.length <= MAX_NAME ? name : `${prefix}#${createHash('sha256').update(id, 'utf8').digest('hex').slice(0, MAX_NAME - prefix.length - 1)}`;
}
