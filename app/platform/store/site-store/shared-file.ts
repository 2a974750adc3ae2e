/**
 * Which site store a site module uses: the host's (the kiosk's own SQLite, or the site hub), unless
 * the profile names a SQLite file the site's stations on one machine share. A hub and such a file
 * exclude each other: with a hub, the hub is the store, and a file beside it would split the site.
 */
import { resolve } from 'node:path';
import { KioskError } from '../../../core/errors.ts';
import type { SiteStore } from '../../../core/site-store/site-store.ts';
import { openDatabase, type Db } from '../db.ts';
import { SqliteSiteStore } from './sqlite.ts';

/** `own`: the shared file's database, which the site module closes. `configCode`: its configuration error code. */
export function siteStoreOf(ctx: { readonly siteStore: SiteStore; readonly dataDir: string }, file: string | undefined, configCode: string): { store: SiteStore; own?: Db } {
  if (!file) return { store: ctx.siteStore };
  if (ctx.siteStore.mode === 'hub') throw new KioskError(configCode, 'site.store.file and siteHub exclude each other: with a site hub, the hub is the store');
  const own = openDatabase(resolve(ctx.dataDir, file));
  return { store: new SqliteSiteStore(own), own };
}
