/**
 * The browser half of a site module (app/sites/<kind>/browser/site.ts): its screens, its words and
 * its maintenance section. app/sites/registry.browser.ts lists them; the kiosk's screens reach a
 * site only through that list, by the profile's `site.kind`.
 */
import type { JSX } from 'preact';
import type { Staff } from '../core/api/kiosk-api.ts';
import type { SiteView } from '../core/journey/site-flow.ts';
import type { T } from './App.tsx';
import type { Language } from './i18n.ts';
import type { StepProps } from './screens/journey/Journey.tsx';

export type SiteStepProps = StepProps & {
  site: SiteView;
  cancel: JSX.Element;
  /** An end screen's one way on; the screen also goes back to the start by itself after kiosk.doneSeconds. */
  finish: JSX.Element;
};

export interface SiteUi {
  readonly kind: string;
  /** The screens of the site's own steps (`view.site.siteStep`). */
  readonly Step: (props: SiteStepProps) => JSX.Element;
  /** Its section of the maintenance screen, from the host's `site` summary (unchecked data: parse it). */
  readonly Maintenance?: (props: SiteMaintenanceProps) => JSX.Element | null;
}

export interface SiteMaintenanceProps {
  readonly t: T;
  readonly lang: Language;
  readonly timeZone: string;
  /** The host's `site` summary: unchecked data, parse it. */
  readonly summary: unknown;
  /** Who is logged in. */
  readonly staff: Staff;
  /** The site's staff actions this member of staff may run. */
  readonly actions: readonly string[];
  /** Runs one of them (the kiosk API's `siteAdmin`); rejects with the kiosk's error code. */
  run(action: string, input: unknown): Promise<unknown>;
  /** Reads the summary again (after an action changed it). */
  refresh(): void;
}
