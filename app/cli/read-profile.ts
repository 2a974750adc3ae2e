import { isKioskError } from '../core/errors.ts';
import { sitePolicy } from '../core/journey/config.ts';
import type { CardKey } from '../core/cccd/card-key.ts';
import { readDecision, trustDecision, type ReadSummary, type TrustDecision, type TrustPolicy } from '../core/journey/trust.ts';
import { outcomeWithoutAnswer, type VerificationOutcome } from '../core/verification/policy.ts';
import type { LoadedProfile } from '../host/config-loader.ts';
import { wireChipReading } from '../host/wiring/chip-reading.ts';
import { wireVerification, type VerificationWiring } from '../host/wiring/verification.ts';
import { AuditLog } from '../platform/store/audit-log.ts';
import { openDatabase } from '../platform/store/db.ts';

export interface ProfileCheck {
  readonly profile: string;
  readonly policy: TrustPolicy;
  readonly read: ReadSummary & { readonly passiveAuthReasons: readonly string[] };
  readonly central: VerificationOutcome;
  readonly decision: TrustDecision;
}

/**
 * `cccd-kiosk read --profile`: the site's whole trust policy applied to the card on the reader,
 * through the kiosk's own parts: the profile's reader and trust store with the kiosk's read and
 * document rules, its central service and offline policy, and the journey's trustDecision. IT
 * staff see why a card is refused without walking the journey.
 *
 * A card the chip's own verdicts already decide is not put to the central service (NOT_ASKED), as
 * at the kiosk. Nothing of the kiosk's state is touched: the central request goes through a throw-away outbox in
 * memory (under allow-offline it is "queued" there and dropped). With no camera here, the request
 * is the basic variant (document and identity, no face result).
 */
export async function checkCardWithProfile(profile: LoadedProfile, key: CardKey, timeoutMs: number): Promise<ProfileCheck> {
  const policy = sitePolicy(profile.config);
  const chip = await wireChipReading(profile);
  const db = openDatabase(':memory:');
  let verification: VerificationWiring | undefined;
  try {
    const read = await chip.reading.read(key, () => undefined, AbortSignal.timeout(timeoutMs));
    // As at the kiosk: a card already decided by what it proved is not put to the central service.
    let central: VerificationOutcome = { verdict: policy.central === 'none' ? 'NOT_CONFIGURED' : 'NOT_ASKED' };
    const v = profile.config.verification;
    if (v && policy.central !== 'none' && !readDecision(read.summary, policy)) {
      const basic = { ...profile, config: { ...profile.config, verification: { ...v, variant: 'basic' as const } } };
      verification = await wireVerification(basic, { db, audit: new AuditLog(db), faceThreshold: () => 0, startWorker: false });
      try {
        const { verdict, requestId } = await verification!.verification.verify(read, undefined);
        central = { verdict, ...(requestId ? { requestId } : {}) };
      } catch (e) {
        if (!isKioskError(e)) throw e;
        central = outcomeWithoutAnswer(e.code);
      }
    }
    return {
      profile: profile.name,
      policy,
      read: { ...read.summary, passiveAuthReasons: read.evidence.passiveAuth.reasons },
      central,
      decision: trustDecision(read.summary, central, policy),
    };
  } finally {
    await verification?.close();
    await chip.close();
    db.close();
  }
}

/** The report as text: one line per verdict, the decision last. */
export function profileCheckText(c: ProfileCheck): string {
  const row = (k: string, v: string) => `${k.padEnd(20)} ${v}`;
  const r = c.read;
  return [
    row('Profile', `${c.profile} (unanchored signer ${c.policy.acceptUnanchoredSigner ? 'accepted on central VERIFIED' : 'not accepted'}; chip must be genuine for: ${c.policy.requireChipGenuine.join(', ') || 'none'}; central: ${c.policy.central})`),
    row('Passive auth', `${r.passiveAuth}${r.passiveAuthReasons.length ? ` (${r.passiveAuthReasons.join(', ')})` : ''}`),
    row('Chip genuine?', r.chipAuth),
    row('Document', r.documentType),
    row('Access', `${r.accessMethod}${r.paceFallback ? ` (PACE not used: ${r.paceFallback})` : ''}`),
    row('Central service', c.central.verdict),
    row('Decision', `${c.decision.accepted ? 'accepted' : 'not accepted'}: ${c.decision.action} ${c.decision.code}`),
  ].join('\n');
}
