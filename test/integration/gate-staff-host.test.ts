/**
 * The gate's staff actions through the kiosk host's `siteAdmin` (the factory reception profile on
 * its simulators): the host refuses an action the site does not have and a role that may not run
 * one, lists to each member of staff only what they may run, and audits every call, refused or not.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKioskHost, type KioskHost } from '../../app/host/kiosk-host.ts';
import { tempDir } from '../support/temp-dir.ts';
import { tempProfile } from '../support/temp-profile.ts';

describe('gate staff actions through the kiosk host', { timeout: 120_000 }, () => {
  let host: KioskHost;
  const dir = tempDir('gate-staff-host');
  beforeAll(async () => {
    mkdirSync(join(dir.path, 'k'), { recursive: true });
    const profile = tempProfile('factory-reception', join(dir.path, 'k'), (p) => (p.site.demoPeople = 5));
    host = await startKioskHost({ profile: profile.file, port: 0 });
  });
  afterAll(async () => {
    await host?.close();
    dir.cleanup();
  });

  const login = async (pin: string) => {
    const r = await host.dispatch('adminLogin', { pin });
    if (!r.ok || !(r.result as { ok: boolean }).ok) throw new Error(`login with the demo PIN failed`);
    return (r.result as { adminToken: string }).adminToken;
  };
  const audited = () => host.audit.recent(100).filter((r) => r.action.startsWith('site.staff-action')).map((r) => ({ actor: r.actor, action: r.action, detail: JSON.parse(r.detail) }));

  it('lists to reception only the invitations, and to the administrator every action', async () => {
    const reception = await host.dispatch('maintenanceSummary', { adminToken: await login('135791') });
    const admin = await host.dispatch('maintenanceSummary', { adminToken: await login('1234') });
    expect(reception.ok && admin.ok).toBe(true);
    const actions = (r: typeof admin) => (r.ok ? (r.result as { siteActions: string[] }).siteActions : []);
    expect(actions(reception).sort()).toEqual(['invitation-answer', 'invitation-cancel', 'invitation-create', 'invitation-hosts', 'invitation-list']);
    expect(actions(admin)).toEqual(expect.arrayContaining(['people-search', 'blocklist-add', 'roster-import', 'group-save', 'invitation-create']));
  });

  it('refuses an action the site does not have', async () => {
    const r = await host.dispatch('siteAdmin', { adminToken: await login('1234'), action: 'people-delete-all', input: {} });
    expect(r).toMatchObject({ ok: false, error: { code: 'SITE_ACTION_UNKNOWN' } });
  });

  it('refuses reception the blocklist, and audits the refusal with who tried', async () => {
    const r = await host.dispatch('siteAdmin', { adminToken: await login('135791'), action: 'blocklist-add', input: { idNumber: '079301000999', name: 'X', reason: 'Y' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'STAFF_ROLE_REFUSED' } });
    expect(audited().at(0)).toEqual({ actor: 'Lễ tân', action: 'site.staff-action-failed', detail: { action: 'blocklist-add', role: 'reception', code: 'STAFF_ROLE_REFUSED' } });
    expect(JSON.stringify(host.audit.recent(100))).not.toContain('079301000999');
  });

  it('runs what the role may, audits it, and audits a refused input by its code', async () => {
    const token = await login('135791');
    const ok = await host.dispatch('siteAdmin', { adminToken: token, action: 'invitation-list', input: {} });
    expect(ok).toMatchObject({ ok: true, result: { invitations: expect.any(Array) } });
    expect(audited().at(0)).toEqual({ actor: 'Lễ tân', action: 'site.staff-action', detail: { action: 'invitation-list', role: 'reception' } });
    const bad = await host.dispatch('siteAdmin', { adminToken: token, action: 'invitation-create', input: { idNumber: '12' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'GATE_INPUT_INVALID' } });
    expect(audited().at(0)).toEqual({ actor: 'Lễ tân', action: 'site.staff-action-failed', detail: { action: 'invitation-create', role: 'reception', code: 'GATE_INPUT_INVALID' } });
  });
});
