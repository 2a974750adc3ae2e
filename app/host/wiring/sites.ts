import { purposeName } from '../../core/journey/view.ts';
import { checkedFlow, isSiteOf, type SiteDefinition, type SiteSettings, type UnattendedRole } from '../../core/sites/site-module.ts';
import { sites } from '../../sites/registry.ts';
import { siteNodes } from '../../sites/registry.node.ts';
import type { SiteWiringContext, WiredSite } from '../../sites/site-node.ts';
import { readSecret, type LoadedProfile } from '../config-loader.ts';

/** What the rest of the kiosk needs to know of the profile's site before wiring it. */
export interface SiteFacts {
  /** People may come back by face alone (the face index is opened for 1:N). */
  readonly returningByFace: boolean;
  /** Days a person's data is kept: the site's own setting, else retention.personalDataDays. */
  readonly personalDataDays: number;
  /** What a person may come for here (the welcome screen's buttons); empty: the single start button. */
  readonly purposes: readonly string[];
  /** An unattended, always-watching station, and where its people consented; undefined: attended. */
  readonly unattended?: UnattendedRole;
}

const registered: readonly SiteDefinition[] = sites;

/** The site module that the profile's `site.kind` names (the profile schema admits no other kind). */
function siteOf(profile: LoadedProfile): { site: SiteDefinition; settings: SiteSettings<SiteDefinition> } {
  const settings = profile.config.site;
  for (const site of registered) if (isSiteOf(site, settings)) return { site, settings };
  throw new Error(`no site module of kind "${settings.kind}" is registered`);
}

export function siteFacts(profile: LoadedProfile): SiteFacts {
  const { site, settings } = siteOf(profile);
  return {
    returningByFace: site.returningByFace(settings),
    personalDataDays: site.personalDataDays(settings) ?? profile.config.retention.personalDataDays,
    purposes: sitePurposes(site, settings),
    ...unattendedRole(site, settings),
  };
}

function unattendedRole(site: SiteDefinition, settings: SiteSettings<SiteDefinition>): { unattended?: UnattendedRole } {
  const role = site.unattended?.(settings);
  if (!role) return {};
  if (!purposeName.safeParse(role.consentGivenAt).success) throw new Error(`the site module "${site.kind}" names a malformed consent place`);
  return { unattended: role };
}

/** The site's purposes, checked: a malformed or repeated name is the site module's fault, named at start-up. */
function sitePurposes(site: SiteDefinition, settings: SiteSettings<SiteDefinition>): readonly string[] {
  const purposes = site.purposes?.(settings) ?? [];
  for (const p of purposes) {
    if (!purposeName.safeParse(p).success) throw new Error(`the site module "${site.kind}" declares a malformed purpose "${p.slice(0, 40)}"`);
  }
  if (new Set(purposes).size !== purposes.length) throw new Error(`the site module "${site.kind}" declares a purpose twice`);
  return purposes;
}

/**
 * The site's own steps and back ends: the site module that `site.kind` names wires itself from its
 * settings; every view its flow shows is checked against the module's view schemas.
 */
export async function wireSite(
  profile: LoadedProfile,
  deps: Pick<SiteWiringContext, 'db' | 'siteStore' | 'audit' | 'dataDir' | 'printing' | 'embedPicture' | 'log'>,
): Promise<WiredSite> {
  const { config } = profile;
  const { site } = siteOf(profile);
  const node = siteNodes.find((n) => n.kind === site.kind);
  if (!node) throw new Error(`the site module "${site.kind}" has no Node half registered`);
  const wired = await node.wire({
    settings: config.site,
    terminalId: config.kiosk.terminalId,
    dataDir: deps.dataDir,
    personalDataDays: siteFacts(profile).personalDataDays,
    db: deps.db,
    siteStore: deps.siteStore,
    audit: deps.audit,
    printing: deps.printing,
    embedPicture: deps.embedPicture,
    readSecret: (ref, keyPath) => readSecret(profile, ref, keyPath),
    log: deps.log,
  });
  return { ...wired, flow: () => checkedFlow(site.views, wired.flow()) };
}
