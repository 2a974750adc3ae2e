/**
 * Every site's words, one line each, merged into the kiosk's texts (app/ui/i18n.ts); a site's own
 * wording of a shared text is `<key>_<kind>`. Apart from app/sites/registry.browser.ts (the screens)
 * so that the texts load without any screen, e.g. when the voice prompts are rendered in Node.
 */
import { airportTexts } from './airport/browser/texts.ts';
import { gateTexts } from './gate/browser/texts.ts';
import { hospitalTexts } from './hospital/browser/texts.ts';

export const siteTexts = {
  vi: { ...hospitalTexts.vi, ...airportTexts.vi, ...gateTexts.vi },
  en: { ...hospitalTexts.en, ...airportTexts.en, ...gateTexts.en },
};
