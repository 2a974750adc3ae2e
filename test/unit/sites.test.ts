import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SiteContext, SiteFlow, SiteResult } from '../../app/core/journey/site-flow.ts';
import { checkedFlow } from '../../app/core/sites/site-module.ts';
import { loadProfile } from '../../app/host/config-loader.ts';
import { siteFacts, wireSite } from '../../app/host/wiring/sites.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { SqliteSiteStore } from '../../app/platform/store/site-store/sqlite.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { sites } from '../../app/sites/registry.ts';
import { siteNodes } from '../../app/sites/registry.node.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';

const dir = tempDir('sites');
afterAll(() => dir.cleanup());

const person: SiteContext = {
  holder: { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'M' },
  evidence: { by: 'card', passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', central: 'VERIFIED' },
  language: 'vi',
};

describe('site registry', () => {
  it('names each kind once, and each has its Node half', () => {
    const kinds = sites.map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(siteNodes.map((n) => n.kind)).toEqual(kinds);
  });

  /** The shipped profile of each kind (a profile is named after its site, the gate's after its station). */
  const profileOf: Record<string, string> = { hospital: 'hospital', airport: 'airport', gate: 'factory-gate' };
  it.each(sites.map((s) => s.kind))('a shipped %s profile loads as that site, with its own settings', (kind) => {
    const { site } = loadProfile(profileOf[kind]!).config;
    expect(site.kind).toBe(kind);
    const own = sites.find((s) => s.kind === kind)!.config;
    // Every key the module requires is in the loaded section (the module's schema read it).
    for (const [key, schema] of Object.entries(own.shape)) if (!schema.safeParse(undefined).success) expect(site).toHaveProperty(key);
  });
});

describe('what a site tells the rest of the kiosk', () => {
  it('returning by face and the retention days come from the site module and its settings', () => {
    // The hospital's reception registers visits and takes bills (it has a terminal and a VietQR account).
    expect(siteFacts(loadProfile('demo'))).toEqual({ returningByFace: true, personalDataDays: 1, purposes: ['register', 'pay'] });
    expect(siteFacts(loadProfile('hospital'))).toEqual({ returningByFace: false, personalDataDays: 30, purposes: ['register', 'pay'] });
    const own = tempProfile('hospital', dir.path, (p) => (p.site.visitRetentionDays = 7));
    expect(siteFacts(loadProfile(own.file)).personalDataDays).toBe(7);
    // A site that only confirms identity keeps nothing, whatever the profile's retention says:
    // the consent must not promise (or warn of) a retention that does not happen.
    expect(siteFacts(loadProfile('airport'))).toEqual({ returningByFace: false, personalDataDays: 0, purposes: [] });
    // The gate keeps attendance and its logbook for the profile's retention.
    expect(siteFacts(loadProfile('factory-gate'))).toMatchObject({ returningByFace: false, personalDataDays: 90, unattended: { consentGivenAt: 'enrolment' } });
  });
});

describe('a site with nothing to ask', () => {
  it.each([
    // An airport kiosk whose profile names no airline: identity confirmed, go to the counter.
    ['airport', { iataCode: 'SGN' }],
  ])('%s: wired from its profile, shows its placeholder view and offers nothing further', async (kind, fromProfile) => {
    const profile = tempProfile(kind, dir.path, (p) => {
      delete p.site.dcs;
      delete p.site.scale;
    });
    const db = openDatabase(':memory:');
    const print = async () => {
      throw new Error('a placeholder site prints nothing');
    };
    const site = await wireSite(loadProfile(profile.file), { db, siteStore: new SqliteSiteStore(db), audit: new AuditLog(db), dataDir: dir.path, printing: { paper: { widthMm: 80, dotsPerLine: 576 }, print }, log: () => undefined, embedPicture: async () => { throw new Error('not used'); } });
    try {
      const flow = site.flow();
      expect(await flow.start(person)).toEqual({
        kind: 'view',
        view: { siteStep: 'identity-confirmed', data: { fullName: 'Nguyễn Văn An', verdict: 'VERIFIED', ...fromProfile } },
      });
      expect(await flow.act({ choose: 'anything' })).toEqual({ kind: 'failed', code: 'SITE_JOURNEY_NOT_AVAILABLE', retryable: false });
      expect(site.maintenance).toBeUndefined();
    } finally {
      await site.close();
      db.close();
    }
  });
});

describe('site views on their way to the screen', () => {
  const views = { pick: z.object({ options: z.array(z.string()) }) };
  const showing = (result: SiteResult): SiteFlow => ({ start: async () => result, act: async () => result, dispose: () => undefined });
  const view = (siteStep: string, data: Record<string, unknown>): SiteResult => ({ kind: 'view', view: { siteStep, data } });

  it('pass when their schema describes them, carrying only what it names', async () => {
    const flow = checkedFlow(views, showing(view('pick', { options: ['a'], idNumber: '001092012345' })));
    expect(await flow.start(person)).toEqual(view('pick', { options: ['a'] }));
  });

  it('stop as SITE_VIEW_INVALID when the site has no such view or the data does not match', async () => {
    await expect(checkedFlow(views, showing(view('other', {}))).start(person)).rejects.toMatchObject({ code: 'SITE_VIEW_INVALID' });
    const wrong = checkedFlow(views, showing(view('pick', { options: [1] })));
    await expect(wrong.act({})).rejects.toMatchObject({ code: 'SITE_VIEW_INVALID', message: expect.stringContaining('options.0') });
    await expect(checkedFlow(views, showing(view('toString', {}))).start(person)).rejects.toMatchObject({ code: 'SITE_VIEW_INVALID' });
  });

  it('leave results that are not views alone, and keep the returning-by-face start only where the site has one', async () => {
    const failed: SiteResult = { kind: 'failed', code: 'X', retryable: true };
    expect(await checkedFlow(views, showing(failed)).act({})).toBe(failed);
    expect(checkedFlow(views, showing(failed)).startReturning).toBeUndefined();
    const returning = checkedFlow(views, { ...showing(failed), startReturning: async () => view('pick', { options: [] }) });
    expect(await returning.startReturning!('p1', { evidence: person.evidence, language: 'en' })).toEqual(view('pick', { options: [] }));
  });

  it('check the views of a start by code and of a person added to the visit as well', async () => {
    const flow = checkedFlow(views, {
      ...showing(view('pick', { options: [] })),
      startWithCode: async () => view('pick', { options: ['a'], idNumber: '001092012345' }),
      addPerson: async () => view('nope', {}),
    });
    expect(await flow.startWithCode!('pass-1', { evidence: { ...person.evidence, by: 'code' }, language: 'vi' })).toEqual(view('pick', { options: ['a'] }));
    await expect(flow.addPerson!(person)).rejects.toMatchObject({ code: 'SITE_VIEW_INVALID' });
    const plain = checkedFlow(views, showing(view('pick', { options: [] })));
    expect(plain.startWithCode).toBeUndefined();
    expect(plain.addPerson).toBeUndefined();
  });
});
