import { describe, expect, it } from 'vitest';
import { loadProfile, readSecret } from '../../app/host/config-loader.ts';
import { siteFacts } from '../../app/host/wiring/sites.ts';

describe('the airport profiles', () => {
  it.each([
    ['airport', { role: 'check-in', dcs: { adapter: 'sim', port: 0, autoPayAfterSeconds: 20 }, scale: { adapter: 'sim', kg: 14.6 } }],
    ['airport-gate', { role: 'boarding-gate', gate: '14', dcs: { adapter: 'sim', port: 0 } }],
  ])('%s loads, its secrets resolve, and it says what the kiosk does', (name, site) => {
    const profile = loadProfile(name);
    expect(profile.config.site).toMatchObject({ kind: 'airport', iataCode: 'SGN', ...site });
    expect(readSecret(profile, profile.config.admin.pinHash, 'admin.pinHash')).toMatch(/^scrypt\$/);
    // An airport keeps no one's face for returning: a token lives in the airport's store, for one flight.
    const facts = siteFacts(profile);
    expect(facts).toMatchObject({ returningByFace: false, personalDataDays: 0, purposes: [] });
    // The e-gate watches unattended: its passengers agreed to the face token at check-in.
    expect(facts.unattended).toEqual(name === 'airport-gate' ? { consentGivenAt: 'check-in' } : undefined);
  });
});
