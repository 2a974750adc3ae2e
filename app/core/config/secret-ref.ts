import { z } from 'zod';

/**
 * A secret is never written in a profile: the profile says where to find it, a file (relative paths
 * are resolved against the profile's folder) or an environment variable. The host reads it at start.
 */
export const secretRef = z.union([
  z.object({ file: z.string().min(1) }).strict(),
  z.object({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'environment variable names are UPPER_SNAKE_CASE') }).strict(),
]);
export type SecretRef = z.infer<typeof secretRef>;
