import { z } from 'zod';

/** Central verification (RAR) settings of a site profile. Owned by the verification module. */
export const verificationConfig = z
  .object({
    offlinePolicy: z.enum(['require-online', 'allow-offline', 'deny']).default('require-online'),
  })
  .strict();
export type VerificationConfig = z.infer<typeof verificationConfig>;
