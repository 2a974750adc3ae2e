import { z } from 'zod';

/** Face-match settings of a site profile. Owned by the face module. */
export const faceConfig = z
  .object({
    modelSet: z.enum(['clean', 'faceplugin']).default('clean'),
  })
  .strict();
export type FaceConfig = z.infer<typeof faceConfig>;
