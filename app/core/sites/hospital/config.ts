import { z } from 'zod';

/** Hospital journey settings of a site profile. Owned by the hospital site module. */
export const hospitalConfig = z
  .object({
    hospitalName: z.string().min(1),
  })
  .strict();
export type HospitalConfig = z.infer<typeof hospitalConfig>;
