/**
 * The Node half of each site module, one line each (the pure halves are in ./registry.ts). The host
 * wires the one whose kind the profile's `site.kind` names; the CLI offers their commands.
 */
import { airportNode } from './airport/node/site.ts';
import { gateNode } from './gate/node/site.ts';
import { hospitalNode } from './hospital/node/site.ts';
import type { SiteNode } from './site-node.ts';

export const siteNodes: readonly SiteNode[] = [hospitalNode, airportNode, gateNode];
