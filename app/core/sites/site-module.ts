/**
 * The pure half of a site module (app/sites/<kind>/common/site.ts): what kind of site it is, the
 * keys it adds to the profile's `site:` section, and the schemas of the views its flow shows.
 * The profile schema is built from these (app/core/config/schema.ts), the host wires the Node half
 * (app/sites/site-node.ts) by `site.kind`, and the screens parse the same view schemas.
 * Core names no site: app/sites/registry.ts lists them.
 */
import { z } from 'zod';
import { KioskError } from '../errors.ts';
import type { SiteFlow, SiteResult } from '../journey/site-flow.ts';

/** What every site section has, whatever its kind. */
export interface SiteSection {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
}

/** The data of each view a site shows, by step name (`siteStep`). */
export type ViewSchemas = Readonly<Record<string, z.ZodType<Record<string, unknown>, Record<string, unknown>>>>;

export interface SiteDefinition<K extends string = string, C extends z.ZodObject = z.ZodObject, V extends ViewSchemas = ViewSchemas> {
  readonly kind: K;
  /** The site's own keys of the profile's `site:` section, beside `id`, `name` and `kind`. */
  readonly config: C;
  /** What each of its views carries to the screen; anything else is dropped on the way. */
  readonly views: V;
  /** Whether people may come back by face alone (1:N among the faces they chose to enrol). */
  returningByFace(settings: z.output<C>): boolean;
  /**
   * Days the site keeps a person's data, when it sets its own (0: it keeps nothing, as a site that
   * only confirms identity); undefined: retention.personalDataDays.
   */
  personalDataDays(settings: z.output<C>): number | undefined;
  /**
   * What a person may come for at this station (e.g. `['register', 'pay']`): the welcome screen shows
   * one big button each, worded by the site's texts `startPurpose_<purpose>_<kind>` (and an optional
   * `startPurposeHint_<purpose>_<kind>`); the choice reaches the flow as SiteContext.purpose. None or
   * one purpose: the single start button (one purpose is still told to the flow).
   */
  purposes?(settings: z.output<C>): readonly string[];
  /**
   * Whether this station is unattended and always watching (a door terminal, an e-gate): no consent
   * screen, the welcome screen watches the camera and starts identification by face when one is
   * seen, and the end screens return to watching after a few seconds. The site says where consent
   * was given instead; undefined: an attended station with the consent screen.
   */
  unattended?(settings: z.output<C>): UnattendedRole | undefined;
}

export interface UnattendedRole {
  /**
   * Where the people served here consented (e.g. `enrolment`, `check-in`): written to the audit with
   * each session, and worded on the watching screen by the site's text `consentGivenAt_<where>_<kind>`.
   */
  readonly consentGivenAt: string;
}

/** Infers a site's types from its definition (an identity function, like zod's own builders). */
export function defineSite<K extends string, C extends z.ZodObject, V extends ViewSchemas>(site: SiteDefinition<K, C, V>): SiteDefinition<K, C, V> {
  return site;
}

/** The profile's `site:` section of a site of this definition's kind. */
export type SiteSettings<D extends SiteDefinition> = SiteSection & { readonly kind: D['kind'] } & z.output<D['config']>;

/**
 * Whether a loaded profile's site section is this site's. True means its settings are this site's
 * own: the profile schema parsed the section with the very variant it built from `site.config`.
 */
export function isSiteOf<D extends SiteDefinition>(site: D, section: SiteSection): section is SiteSettings<D> {
  return section.kind === site.kind;
}

/** A view of the site, its data typed by the site's schema for that step. */
export function siteView<V extends ViewSchemas, S extends keyof V & string>(_views: V, siteStep: S, data: z.input<V[S]> & Record<string, unknown>): SiteResult {
  return { kind: 'view', view: { siteStep, data } };
}

/**
 * The site's flow with each view checked against the site's schema on its way to the screen. A
 * view the schema does not describe is a fault of the site (SITE_VIEW_INVALID), never shown; the
 * data that passes is exactly what the schema names.
 */
export function checkedFlow(views: ViewSchemas, flow: SiteFlow): SiteFlow {
  const check = async (pending: Promise<SiteResult>): Promise<SiteResult> => {
    const result = await pending;
    if (result.kind !== 'view') return result;
    const { siteStep, data } = result.view;
    const schema = Object.hasOwn(views, siteStep) ? views[siteStep] : undefined;
    if (!schema) throw new KioskError('SITE_VIEW_INVALID', `the site has no view "${siteStep.slice(0, 40)}"`);
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(data)').join(', ');
      throw new KioskError('SITE_VIEW_INVALID', `view "${siteStep}" does not match its schema at ${where}`);
    }
    return { kind: 'view', view: { siteStep, data: parsed.data } };
  };
  const returning = flow.startReturning;
  const withCode = flow.startWithCode;
  const addPerson = flow.addPerson;
  return {
    start: (ctx) => check(flow.start(ctx)),
    ...(returning ? { startReturning: (subjectId, ctx) => check(returning.call(flow, subjectId, ctx)) } : {}),
    ...(withCode ? { startWithCode: (subjectId, ctx) => check(withCode.call(flow, subjectId, ctx)) } : {}),
    ...(addPerson ? { addPerson: (ctx) => check(addPerson.call(flow, ctx)) } : {}),
    act: (action) => check(flow.act(action)),
    dispose: () => flow.dispose(),
  };
}
