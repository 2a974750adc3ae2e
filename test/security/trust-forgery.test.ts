/**
 * The self-signed forgery: a card whose SOD is signed by a Document Signer that signs itself. Its
 * data is intact and its signature valid, so passive authentication can only say "no trust anchor"
 * (PA_NO_TRUST_ANCHOR), exactly as for a genuine card whose CSCA the kiosk lacks. The kiosk must
 * never let it through on a missing central answer; only the central service's online VERIFIED for
 * this visit may (the service knows signers the kiosk does not).
 */
import { describe, expect, it } from 'vitest';
import { answered, auditOf, nationalServices, trustKiosk } from './trust-kiosk.ts';

describe('self-signed forgery at a hospital kiosk', { timeout: 120_000 }, () => {
  const services = nationalServices('trust-forgery');
  const { national, knowing } = services;

  it('default policy: sent to staff at once (PA_NO_TRUST_ANCHOR), the central service is not even asked', async () => {
    const k = await trustKiosk('default', { central: national(), simulate: 'self-signed-signer' });
    try {
      const before = answered(national());
      const v = await k.present();
      expect(v.state).toEqual({ step: 'failed', code: 'PA_NO_TRUST_ANCHOR' });
      expect(auditOf(k.host, 'journey.read')[0]).toMatchObject({ passiveAuth: 'PA_NO_TRUST_ANCHOR', documentType: 'cccd' });
      expect(answered(national())).toBe(before);
    } finally {
      await k.close();
    }
  });

  it('offline (central unreachable under allow-offline): staff, never on, and the person may try again', async () => {
    const k = await trustKiosk('offline', { central: national(), simulate: 'self-signed-signer', journey: { acceptUnanchoredSigner: true } });
    national().setFault({ kind: 'status', status: 503 });
    try {
      const v = await k.present();
      expect(v.state).toEqual({ step: 'failed', code: 'UNANCHORED_CENTRAL_OFFLINE', retry: 'verifying' });
      expect(auditOf(k.host, 'journey.verify')[0]).toMatchObject({ verdict: 'PENDING', decision: 'UNANCHORED_CENTRAL_OFFLINE' });
      // Still offline: trying again asks the service again and ends the same way, never on the site's steps.
      await k.host.journey.act({ action: 'retry' });
      const again = await k.waitFor((x) => x.state.step !== 'verifying', 'the answer to the retry');
      expect(again.state).toEqual({ step: 'failed', code: 'UNANCHORED_CENTRAL_OFFLINE', retry: 'verifying' });
      expect(auditOf(k.host, 'journey.verify')).toHaveLength(2);
      expect(auditOf(k.host, 'hospital.visit.registered')).toEqual([]);
      // The relaxed setting was put on record when the kiosk started.
      expect(auditOf(k.host, 'journey.policy-relaxed')).toContainEqual({ setting: 'journey.acceptUnanchoredSigner', value: true });
    } finally {
      national().setFault(undefined);
      await k.close();
    }
  });

  it('no central service configured: staff (UNANCHORED_NO_CENTRAL)', async () => {
    const k = await trustKiosk('no-central', { simulate: 'self-signed-signer', journey: { acceptUnanchoredSigner: true } });
    try {
      expect((await k.present()).state).toEqual({ step: 'failed', code: 'UNANCHORED_NO_CENTRAL' });
    } finally {
      await k.close();
    }
  });

  it('online, the central service finds the signer unknown: refused (VERIFY_MISMATCH)', async () => {
    const k = await trustKiosk('mismatch', { central: national(), simulate: 'self-signed-signer', journey: { acceptUnanchoredSigner: true } });
    try {
      expect((await k.present()).state).toEqual({ step: 'failed', code: 'VERIFY_MISMATCH' });
      expect(auditOf(k.host, 'journey.verify')[0]).toMatchObject({ verdict: 'MISMATCH', decision: 'VERIFY_MISMATCH' });
    } finally {
      await k.close();
    }
  });

  it('online, the central service vouches for the signer: goes on (TRUSTED_BY_CENTRAL) and the visit is recorded as confirmed', async () => {
    const k = await trustKiosk('verified', { central: knowing(), simulate: 'self-signed-signer', journey: { acceptUnanchoredSigner: true } });
    try {
      const v = await k.present();
      expect(v.state).toMatchObject({ step: 'site' });
      expect(auditOf(k.host, 'journey.verify')[0]).toMatchObject({ verdict: 'VERIFIED', decision: 'TRUSTED_BY_CENTRAL' });
      expect((await k.register()).state).toEqual({ step: 'done' });
      expect(auditOf(k.host, 'hospital.visit.registered')[0]).toMatchObject({ pa: 'not-run', central: 'confirmed', pendingVerification: false });
    } finally {
      await k.close();
    }
  });
});
