import { describe, expect, it } from 'vitest';
import type { JourneyView } from '../../app/core/journey/view.ts';
import { airportViews } from '../../app/sites/airport/common/views.ts';
import { texts } from '../../app/ui/i18n.ts';
import { promptFor, VOICE_PROMPTS } from '../../app/ui/voice.ts';

const atSite = (siteStep: string): JourneyView => ({ state: { step: 'site', siteStep }, busy: false, site: { siteStep, data: {} } });

describe('spoken prompts of a site’s own steps', () => {
  it('speak the site’s `voice_<step>_<kind>` text, and nothing for a step the site does not word', () => {
    expect(promptFor(atSite('seats'), 'airport')).toBe('voice_seats_airport');
    expect(promptFor(atSite('seats'), 'hospital')).toBeUndefined();
    expect(promptFor(atSite('no-such-step'), 'airport')).toBeUndefined();
    expect(promptFor({ state: { step: 'consent' }, busy: false })).toBe('consentTitle');
  });

  it('word every airport screen in both languages, each pre-rendered for kiosks without a speech voice', () => {
    for (const step of Object.keys(airportViews).filter((s) => s !== 'identity-confirmed')) {
      const key = promptFor(atSite(step), 'airport');
      expect(key, step).toBeDefined();
      expect(texts.en[key!]).toMatch(/\w/);
      expect(texts.vi[key!]).not.toBe(texts.en[key!]);
      expect(VOICE_PROMPTS).toContain(key);
    }
  });
});
