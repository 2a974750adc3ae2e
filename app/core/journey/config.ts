import { z } from 'zod';
import type { JourneyPolicy } from './journey.ts';
import type { KioskConfig } from '../config/schema.ts';
import type { CentralMode } from './trust.ts';

/**
 * The `journey` section of a site profile: what the shared journey demands before the site's own
 * steps. Owned by the journey module; the defaults are the strict policy, and every relaxation is
 * written to the audit log when the kiosk starts (relaxedSettings).
 */
export const journeyConfig = z
  .object({
    /** Match the live face against the chip photo (turn off only where a person checks faces). */
    faceRequired: z.boolean().default(true),
    maxFaceAttempts: z.number().int().min(1).max(5).default(3),
    /**
     * Let a card whose Document Signer chains to no CSCA in the trust store (PA_NO_TRUST_ANCHOR:
     * "could not check") go on when, and only when, the central service answers VERIFIED online for
     * this visit. Off by default: such a card then goes to staff. Never enough offline.
     */
    acceptUnanchoredSigner: z.boolean().default(false),
    /**
     * CCCD chips carry Chip and Active Authentication keys (DG14, DG15): a CCCD must prove its chip
     * genuine (CHIP_GENUINE) to go on. Turning this off lets a chip that proves nothing through.
     */
    requireChipGenuine: z.boolean().default(true),
  })
  .strict()
  .prefault({});

export type JourneyConfig = z.infer<typeof journeyConfig>;

/**
 * The site's journey policy from its profile: the journey section, and how the site asks the central
 * service (not at all, or under its offline policy). The kiosk and `read --profile` both use it.
 */
export function sitePolicy(profile: Pick<KioskConfig, 'journey' | 'verification'>): JourneyPolicy {
  const config = profile.journey;
  const central: CentralMode = profile.verification?.service ? profile.verification.offlinePolicy : 'none';
  return {
    acceptUnanchoredSigner: config.acceptUnanchoredSigner,
    requireChipGenuine: config.requireChipGenuine ? ['cccd'] : [],
    central,
    faceRequired: config.faceRequired,
    maxFaceAttempts: config.maxFaceAttempts,
  };
}

/** The settings that loosen the default policy, for the start-up audit row. */
export function relaxedSettings(config: JourneyConfig): { setting: string; value: boolean }[] {
  const defaults = journeyConfig.parse({});
  return (['faceRequired', 'acceptUnanchoredSigner', 'requireChipGenuine'] as const)
    .filter((key) => config[key] !== defaults[key])
    .map((key) => ({ setting: `journey.${key}`, value: config[key] }));
}
