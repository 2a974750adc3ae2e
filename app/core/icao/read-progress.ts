/**
 * How far a chip read has come, in bytes of files, for a bar that only moves forward.
 *
 * The total is the sum of the files the read expects: a file's real size once its first TLV header
 * has been read, a typical size before. The files expected are a CCCD's until EF.COM names its data
 * groups, then those the signed EF.SOD names; a file the chip does not give is dropped. So the total
 * is honest at every moment, but it can grow (a portrait larger than typical), and bytes read over
 * a grown total would move the bar back: `forwardOnly` holds the bar instead until the bytes catch up.
 */

export interface ReadProgress {
  /** The file being read ('EF.COM', 'EF.SOD', 'DG2', …), its bytes read and its size. */
  readonly file: string;
  readonly fileBytesRead: number;
  readonly fileSize: number;
  /** Bytes of all files read so far. */
  readonly bytesRead: number;
  /** Bytes the whole read is expected to take (see above); equals bytesRead once the last file is read. */
  readonly bytesExpected: number;
}

/** Typical sizes of the LDS files on a CCCD or a passport (DG2: a JPEG or JPEG 2000 portrait). */
const TYPICAL_BYTES: Readonly<Record<string, number>> = {
  'EF.COM': 32, 'EF.SOD': 2048, DG1: 96, DG2: 16_384, DG5: 8192, DG7: 8192, DG11: 256, DG12: 256, DG13: 512, DG14: 256, DG15: 256, DG16: 256,
};
/** What the kiosk expects before EF.COM says otherwise: a CCCD's files. */
const CCCD_FILES = ['EF.COM', 'EF.SOD', 'DG1', 'DG2', 'DG13', 'DG14', 'DG15'];

/** The files a read expects and the sizes it has learnt. */
export class ReadEstimate {
  private planned: readonly string[] = CCCD_FILES;
  private readonly sizes = new Map<string, number>();

  /** The files the read now expects to read (including those already read). */
  plan(files: readonly string[]): void {
    this.planned = files;
  }

  /** A file's real size, from its first TLV header. */
  learn(file: string, size: number): void {
    this.sizes.set(file, size);
  }

  /** A planned file the chip did not give. */
  drop(file: string): void {
    this.planned = this.planned.filter((f) => f !== file);
  }

  get bytesExpected(): number {
    const files = new Set([...this.planned, ...this.sizes.keys()]);
    return [...files].reduce((n, f) => n + (this.sizes.get(f) ?? TYPICAL_BYTES[f] ?? 1024), 0);
  }
}

/** Passes on only the reports that do not move the bar (bytesRead / bytesExpected) back. */
export function forwardOnly(report: (p: ReadProgress) => void): (p: ReadProgress) => void {
  let shown = 0;
  return (p) => {
    const fraction = p.bytesExpected > 0 ? p.bytesRead / p.bytesExpected : 0;
    if (fraction < shown) return;
    shown = fraction;
    report(p);
  };
}
