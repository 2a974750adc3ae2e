/**
 * The browser half of a site module (app/sites/<kind>/browser/site.ts): its screens, its words and
 * its maintenance section. app/sites/registry.browser.ts lists them; the kiosk's screens reach a
 * site only through that list, by the profile's `site.kind`.
 */
import type { JSX } from 'preact';
import type { SiteView } from '../core/journey/site-flow.ts';
import type { T } from './App.tsx';
import type { Language } from './i18n.ts';
import type { StepProps } from './screens/journey/Journey.tsx';

export type SiteStepProps = StepProps & { site: SiteView; cancel: JSX.Element };

export interface SiteUi {
  readonly kind: string;
  /**
   * Whether the site's journey is built. Until it is, the welcome screen says what the kiosk can do
   * there (texts `welcomeTitle_<kind>`, `welcomeLead_<kind>`) instead of offering to start.
   */
  readonly serves: boolean;
  /** The screens of the site's own steps (`view.site.siteStep`). */
  readonly Step: (props: SiteStepProps) => JSX.Element;
  /** Its section of the maintenance screen, from the host's `site` summary (unchecked data: parse it). */
  readonly Maintenance?: (props: { t: T; lang: Language; timeZone: string; summary: unknown }) => JSX.Element | null;
}
