/**
 * The browser half of each site module, one line each (the pure halves are in ./registry.ts): the
 * screens show the one whose kind the profile's `site.kind` names, and every site's words join the
 * kiosk's texts (a site's own wording of a shared text is `<key>_<kind>`).
 */
import { airportTexts, airportUi } from './airport/browser/site.tsx';
import { factoryGateTexts, factoryGateUi } from './factory-gate/browser/site.tsx';
import { hospitalUi } from './hospital/browser/site.ts';
import { hospitalTexts } from './hospital/browser/texts.ts';
import type { SiteUi } from '../ui/site-ui.ts';

export const siteUis: readonly SiteUi[] = [hospitalUi, airportUi, factoryGateUi];

export const siteTexts = {
  vi: { ...hospitalTexts.vi, ...airportTexts.vi, ...factoryGateTexts.vi },
  en: { ...hospitalTexts.en, ...airportTexts.en, ...factoryGateTexts.en },
};

/** The screens of the site of this kind; undefined for a kind this build does not know. */
export function siteUiOf(kind: string): SiteUi | undefined {
  return siteUis.find((s) => s.kind === kind);
}
