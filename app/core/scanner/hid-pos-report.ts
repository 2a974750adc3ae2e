/**
 * HID-POS scanned-data reports (USB "HID Point of Sale Usage Tables", usage page 0x8C Bar Code
 * Scanner) assembled into one scan: UTF-8 text plus the AIM symbology identifier when the
 * scanner sends one. Pure: bytes in, scans out; the device adapter lives in app/platform/scanner.
 *
 * Report layouts, as node-hid/hidapi deliver them (byte 0 = report ID). Sources (read, not copied):
 *  - Honeywell ("USB HID POS", 64 bytes): captured reports in HenkVanAsselt/python_hon_usbhid
 *    README.md — [0]=0x02, [1]=data length (AIM excluded; 56 in a full report), [2..4]=AIM id
 *    (e.g. "]X0"), [5..60]=56 data bytes, [61]=Honeywell code id, [62]=0, [63]=1 while more
 *    reports follow and 0 on the last. NielsLeenheer/WebHidBarcodeScanner src/main.js + dist reads
 *    the same layout through WebHID (which strips the report ID: length@0, AIM@1..3, data@4,
 *    code id@60, "more follows"@62) for Honeywell, Zebra and Datalogic in HID POS mode.
 *  - Newland (FM430): the input-report table quoted in a node-hid FM430 driver found by code
 *    search — [0]=0x02, [1]=length, [2..57]=56 data bytes, [58..61] reserved, [62]=Newland
 *    symbology id. No AIM field and no "more follows" flag: a full report (56 bytes) may be
 *    continued, a shorter one ends the scan, and an idle gap ends a scan that filled its last report.
 */
import { ParseError } from '../errors.ts';

export interface HidPosLayout {
  readonly name: 'honeywell' | 'newland';
  /** The scanned-data input report's ID (byte 0). Reports with other IDs are not scans. */
  readonly reportId: number;
  readonly lengthAt: number;
  /** Where the 3-byte AIM identifier (`]` + code + modifier) sits, when the layout has one. */
  readonly aimAt?: number;
  readonly dataAt: number;
  /** Data bytes one report can carry. */
  readonly dataMax: number;
  /** Byte that is non-zero while more reports follow; absent: a full report may be continued. */
  readonly continuedAt?: number;
}

export const HONEYWELL_LAYOUT: HidPosLayout = {
  name: 'honeywell', reportId: 0x02, lengthAt: 1, aimAt: 2, dataAt: 5, dataMax: 56, continuedAt: 63,
};

export const NEWLAND_LAYOUT: HidPosLayout = {
  name: 'newland', reportId: 0x02, lengthAt: 1, dataAt: 2, dataMax: 56,
};

const NEWLAND_VENDOR_ID = 0x1eab;

/** The layout a vendor's scanners use; the Honeywell layout is the one most vendors share. */
export function layoutForVendor(vendorId: number | undefined): HidPosLayout {
  return vendorId === NEWLAND_VENDOR_ID ? NEWLAND_LAYOUT : HONEYWELL_LAYOUT;
}

export interface HidPosScan {
  readonly text: string;
  /** AIM symbology identifier such as `]Q1` (QR), when the scanner sent one. */
  readonly symbology?: string;
}

/** A scan report that cannot be trusted. Details hold counts only, never scanned data. */
export class ScanReportError extends ParseError {}

/** The largest QR code holds 7,089 digits; anything longer is not a code we can read. */
export const DEFAULT_MAX_SCAN_BYTES = 8192;

/** A configured CR/LF suffix is framing, not data; CR/LF inside the text (MRZ lines) is kept. */
const TRAILING_NEWLINES = /[\r\n]+$/;

/**
 * Feed every input report in arrival order. `push` returns a scan when a report completes one;
 * `idle` is called by the adapter when no report arrived for a while. Both throw ScanReportError
 * for a scan that must be discarded; the assembler is then ready for the next scan.
 */
export class HidPosAssembler {
  private chunks: Uint8Array[] = [];
  private bytes = 0;
  private symbology: string | undefined;
  /** After an oversized scan: drop its remaining reports until its last one. */
  private discarding = false;

  constructor(
    private readonly layout: HidPosLayout = HONEYWELL_LAYOUT,
    private readonly maxBytes: number = DEFAULT_MAX_SCAN_BYTES,
  ) {}

  /** True while a scan waits for further reports. */
  get pending(): boolean {
    return this.chunks.length > 0 || this.discarding;
  }

  push(report: Uint8Array): HidPosScan | undefined {
    const l = this.layout;
    if (report.length === 0 || report[0] !== l.reportId) return undefined;
    const length = report[l.lengthAt];
    if (length !== undefined && length > l.dataMax) {
      this.reset();
      throw new ScanReportError('SCAN_REPORT_BAD_LENGTH', `scan report claims ${length} data bytes, at most ${l.dataMax} fit`, {
        claimed: length,
        max: l.dataMax,
      });
    }
    // Only the bytes the layout reads must be present (backends differ in trailing padding).
    const needed = Math.max(l.dataAt + (length ?? 0), (l.continuedAt ?? -1) + 1, l.aimAt === undefined ? 0 : l.aimAt + 3);
    if (length === undefined || report.length < needed) {
      this.reset();
      throw new ScanReportError('SCAN_REPORT_TRUNCATED', `scan report of ${report.length} bytes is too short`, {
        reportBytes: report.length,
      });
    }
    const more = l.continuedAt !== undefined ? (report[l.continuedAt] ?? 0) !== 0 : length === l.dataMax;

    if (this.discarding) {
      if (!more) this.discarding = false;
      return undefined;
    }
    if (this.chunks.length === 0) this.symbology = l.aimAt !== undefined ? aimAt(report, l.aimAt) : undefined;
    if (this.bytes + length > this.maxBytes) {
      this.reset();
      this.discarding = more;
      throw new ScanReportError('SCAN_TOO_LONG', `scan is longer than ${this.maxBytes} bytes`, { max: this.maxBytes });
    }
    this.chunks.push(new Uint8Array(report.subarray(l.dataAt, l.dataAt + length))); // a copy: backends may reuse buffers
    this.bytes += length;
    return more ? undefined : this.finish();
  }

  /** No report arrived for a while: a scan still waiting is either complete or lost. */
  idle(): HidPosScan | undefined {
    if (this.discarding) {
      this.discarding = false;
      return undefined;
    }
    if (this.chunks.length === 0) return undefined;
    if (this.layout.continuedAt !== undefined) {
      const got = this.bytes;
      this.reset();
      // The scanner said more was coming and it never came: a truncated ID is worse than none.
      throw new ScanReportError('SCAN_INCOMPLETE', `scan stopped after ${got} bytes while more were announced`, { bytes: got });
    }
    return this.finish();
  }

  reset(): void {
    this.chunks = [];
    this.bytes = 0;
    this.symbology = undefined;
    this.discarding = false;
  }

  private finish(): HidPosScan {
    const data = Buffer.concat(this.chunks);
    const symbology = this.symbology;
    this.reset();
    let text: string;
    try {
      // Decoded once over all reports, so a character split across two reports survives.
      text = new TextDecoder('utf-8', { fatal: true }).decode(data);
    } catch {
      throw new ScanReportError('SCAN_NOT_UTF8', `scan of ${data.length} bytes is not valid UTF-8`, { bytes: data.length });
    }
    text = text.replace(TRAILING_NEWLINES, '');
    if (text.length === 0) throw new ScanReportError('SCAN_EMPTY', 'scan carried no data');
    return symbology === undefined ? { text } : { text, symbology };
  }
}

/** `]` + symbology letter + modifier, all printable ASCII; anything else means "not sent". */
function aimAt(report: Uint8Array, at: number): string | undefined {
  const [a, b, c] = [report[at], report[at + 1], report[at + 2]];
  if (a !== 0x5d || b === undefined || c === undefined) return undefined;
  if (b < 0x21 || b > 0x7e || c < 0x21 || c > 0x7e) return undefined;
  return String.fromCharCode(a, b, c);
}
