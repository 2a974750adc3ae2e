/**
 * The browser half of each site module, one line each (the pure halves are in ./registry.ts): the
 * screens show the one whose kind the profile's `site.kind` names. Their words are listed apart, in
 * ./registry.texts.ts.
 */
import { airportUi } from './airport/browser/site.tsx';
import { gateUi } from './gate/browser/site.tsx';
import { hospitalUi } from './hospital/browser/site.ts';
import type { SiteUi } from '../ui/site-ui.ts';

export const siteUis: readonly SiteUi[] = [hospitalUi, airportUi, gateUi];

/** The screens of the site of this kind; undefined for a kind this build does not know. */
export function siteUiOf(kind: string): SiteUi | undefined {
  return siteUis.find((s) => s.kind === kind);
}
