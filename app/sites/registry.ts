/**
 * The site kinds the kiosk knows, one line each: the pure half of each site module. The profile
 * schema is built from this list (app/host/config-loader.ts); app/sites/registry.node.ts lists the
 * Node halves. Nothing else names a site kind or imports a site's folder (a lint rule holds it).
 */
import { airport } from './airport/common/site.ts';
import { gate } from './gate/common/site.ts';
import { hospital } from './hospital/common/site.ts';

export const sites = [hospital, airport, gate] as const;
