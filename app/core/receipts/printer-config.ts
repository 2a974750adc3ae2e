import { z } from 'zod';

/** Receipt printer settings of a site profile. Owned by the receipts/printer modules. */
export const printerConfig = z
  .object({
    /** `file:PATH`, `tcp://HOST:9100`, `usb:VID:PID` or `serial:PATH`. */
    uri: z.string().regex(/^(file:|tcp:\/\/|usb:|serial:)/, 'must start with file:, tcp://, usb: or serial:'),
    paperWidthMm: z.union([z.literal(58), z.literal(80)]).default(80),
  })
  .strict();
export type PrinterConfig = z.infer<typeof printerConfig>;
