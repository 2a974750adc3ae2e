import { describe, expect, it } from 'vitest';
import { journeyConfig, relaxedSettings, sitePolicy } from '../../app/core/journey/config.ts';
import { documentTypeOf, readDecision, trustDecision, type ReadSummary } from '../../app/core/journey/trust.ts';
import { outcomeWithoutAnswer } from '../../app/core/verification/policy.ts';
import { loadProfile } from '../../app/host/config-loader.ts';

const genuine: ReadSummary = { passiveAuth: 'PA_OK', chipAuth: 'CHIP_GENUINE', accessMethod: 'PACE-CAN', documentType: 'cccd' };

describe('document type from signed data', () => {
  it('a CCCD when the SOD hashes DG13, or when DG1 names an identity card issued by VNM', () => {
    expect(documentTypeOf({ documentCode: 'ID', issuingState: 'VNM', sodDataGroups: [1, 2, 13, 14, 15] })).toBe('cccd');
    // A chip that does not answer for DG13 keeps it in its SOD: still a CCCD.
    expect(documentTypeOf({ documentCode: 'P', issuingState: 'D', sodDataGroups: [1, 2, 13] })).toBe('cccd');
    expect(documentTypeOf({ documentCode: 'ID', issuingState: 'VNM', sodDataGroups: [1, 2] })).toBe('cccd');
    expect(documentTypeOf({ documentCode: 'I<', issuingState: 'VNM', sodDataGroups: [1, 2] })).toBe('cccd');
  });

  it('any other ICAO document otherwise: a Vietnamese passport, a foreign ID card', () => {
    expect(documentTypeOf({ documentCode: 'P', issuingState: 'VNM', sodDataGroups: [1, 2, 15] })).toBe('icao');
    expect(documentTypeOf({ documentCode: 'ID', issuingState: 'D', sodDataGroups: [1, 2, 14] })).toBe('icao');
  });
});

describe('journey policy from the profile', () => {
  it('is strict by default: no unanchored signer, a genuine chip for a CCCD, the face', () => {
    const policy = sitePolicy({ journey: journeyConfig.parse({}), verification: undefined });
    expect(policy).toEqual({ acceptUnanchoredSigner: false, requireChipGenuine: ['cccd'], central: 'none', faceRequired: true, maxFaceAttempts: 3 });
    expect(relaxedSettings(journeyConfig.parse({}))).toEqual([]);
  });

  it('names every relaxation, for the start-up audit', () => {
    const relaxed = journeyConfig.parse({ acceptUnanchoredSigner: true, requireChipGenuine: false, faceRequired: false, maxFaceAttempts: 2 });
    expect(relaxedSettings(relaxed)).toEqual([
      { setting: 'journey.faceRequired', value: false },
      { setting: 'journey.acceptUnanchoredSigner', value: true },
      { setting: 'journey.requireChipGenuine', value: false },
    ]);
    expect(sitePolicy({ journey: relaxed, verification: undefined }).requireChipGenuine).toEqual([]);
  });

  it('the shipped profiles: the hospital keeps the defaults; the demo relaxes the unanchored signer on purpose', () => {
    const hospital = loadProfile('hospital').config;
    expect(sitePolicy(hospital)).toMatchObject({ acceptUnanchoredSigner: false, requireChipGenuine: ['cccd'], central: 'allow-offline' });
    expect(relaxedSettings(hospital.journey)).toEqual([]);
    const demo = loadProfile('demo').config;
    expect(relaxedSettings(demo.journey)).toEqual([{ setting: 'journey.acceptUnanchoredSigner', value: true }]);
  });
});

describe('trust decision', () => {
  const open = { acceptUnanchoredSigner: true, requireChipGenuine: ['cccd' as const], central: 'allow-offline' as const };

  it('decides a card its chip already condemns without the central service', () => {
    expect(readDecision({ ...genuine, passiveAuth: 'PA_SIGNATURE_INVALID' }, open)).toMatchObject({ action: 'refuse', code: 'PA_SIGNATURE_INVALID' });
    expect(readDecision(genuine, open)).toBeUndefined();
    expect(readDecision({ ...genuine, passiveAuth: 'PA_NO_TRUST_ANCHOR' }, open)).toBeUndefined();
  });

  it('an unanchored card never goes on without an online VERIFIED, under every offline policy', () => {
    const unanchored = { ...genuine, passiveAuth: 'PA_NO_TRUST_ANCHOR' };
    for (const central of ['none', 'require-online', 'allow-offline', 'deny'] as const) {
      for (const verdict of ['PENDING', 'UNAVAILABLE', 'NOT_CONFIGURED', 'DENIED', 'SECURITY_FAILURE', 'NOT_ASKED', 'ANYTHING_ELSE']) {
        expect(trustDecision(unanchored, { verdict }, { ...open, central }).accepted, `${central} ${verdict}`).toBe(false);
      }
    }
    expect(trustDecision(unanchored, { verdict: 'VERIFIED' }, open)).toEqual({ accepted: true, code: 'TRUSTED_BY_CENTRAL', action: 'go-on', retryable: false });
  });

  it('a failed call without an answer counts as the service out of reach, unless it names the problem', () => {
    expect(outcomeWithoutAnswer(undefined)).toEqual({ verdict: 'UNAVAILABLE' });
    expect(outcomeWithoutAnswer('VERIFY_UNAVAILABLE')).toEqual({ verdict: 'UNAVAILABLE' });
    expect(outcomeWithoutAnswer('VERIFY_NO_EVIDENCE')).toEqual({ verdict: 'NO_EVIDENCE' });
    expect(trustDecision(genuine, outcomeWithoutAnswer('VERIFY_NO_EVIDENCE'), open)).toMatchObject({ accepted: false, action: 'staff', code: 'VERIFY_NO_EVIDENCE' });
  });
});
