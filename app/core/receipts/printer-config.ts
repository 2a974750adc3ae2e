import { z } from 'zod';
import type { Paper } from './document.ts';

/** Receipt printer settings of a site profile. Owned by the receipts/printer modules. */
export const printerConfig = z
  .object({
    /** `file:PATH`, `tcp://HOST:9100`, `usb:VID:PID` (libusb) or `usb:/dev/usb/lpN`, `serial:PATH`. */
    uri: z.string().regex(/^(file:|tcp:\/\/|usb:|serial:)/, 'must start with file:, tcp://, usb: or serial:'),
    paperWidthMm: z.union([z.literal(58), z.literal(80)]).default(80),
    /**
     * Printable dots per line. Defaults to the common 203 dpi heads: 384 dots on 58 mm paper,
     * 576 dots on 80 mm paper. Must be a multiple of 8 (raster bytes are whole).
     */
    dotsPerLine: z.number().int().min(128).max(832).multipleOf(8).optional(),
    /** How often the host should poll the printer's DLE EOT status while idle. */
    statusPollMs: z.number().int().min(500).max(600_000).default(5000),
    /** How long to wait for a DLE EOT reply before calling the printer unreachable. */
    statusTimeoutMs: z.number().int().min(100).max(30_000).default(1500),
    /** Raster rows sent between two status checks: smaller stops sooner on paper-out. */
    bandRows: z.number().int().min(8).max(1024).default(128),
    /** An interrupted job older than this is failed instead of resumed: the person has left. */
    resumeWithinMs: z.number().int().min(0).default(10 * 60_000),
    /** Most times one job is started; a job is never looped. */
    maxAttempts: z.number().int().min(1).max(5).default(2),
    /** Rendered images of finished jobs (they show names) are erased after this many hours. */
    keepJobsHours: z.number().min(0).max(24 * 30).default(24),
  })
  .strict();
export type PrinterConfig = z.infer<typeof printerConfig>;

/** Dots per line actually used: the configured value or the 203 dpi default for the paper width. */
export function dotsPerLineOf(config: Pick<PrinterConfig, 'paperWidthMm' | 'dotsPerLine'>): number {
  return config.dotsPerLine ?? (config.paperWidthMm === 58 ? 384 : 576);
}

/** The paper templates lay out on, from the profile's printer settings. */
export function paperOf(config: Pick<PrinterConfig, 'paperWidthMm' | 'dotsPerLine'>): Paper {
  return { widthMm: config.paperWidthMm, dotsPerLine: dotsPerLineOf(config) };
}
