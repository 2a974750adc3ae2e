import type { Paper, ReceiptDocument } from '../../core/receipts/index.ts';
import { paperOf } from '../../core/receipts/printer-config.ts';
import type { PrintedReceipt } from '../../core/journey/ports.ts';
import { createPrinter, preloadReceiptFonts, renderPreviewPng, type KioskPrinter } from '../../platform/printer/index.ts';
import type { AuditLog } from '../../platform/store/audit-log.ts';
import type { Db } from '../../platform/store/db.ts';
import { profileRelative, type LoadedProfile } from '../config-loader.ts';

export interface Printing {
  readonly printer: KioskPrinter;
  readonly paper: Paper;
  /** Prints a document and returns the same raster for the screen; a printer problem is reported, not thrown. */
  print(doc: ReceiptDocument): Promise<PrintedReceipt>;
}

export function wirePrinting(profile: LoadedProfile, db: Db, audit: AuditLog): Printing {
  const config = profile.config.devices.printer;
  const paper = paperOf(config);
  // Parsing the fonts takes a second or two: pay it at start, not on the first patient's ticket.
  preloadReceiptFonts();
  const printer = createPrinter(config, db, audit, { resolvePath: (p) => profileRelative(profile, p) });
  printer.startPolling();
  return {
    printer,
    paper,
    async print(doc) {
      const result = await printer.print(doc);
      const previewPng = printer.preview(result.jobId) ?? (await renderPreviewPng(doc));
      return { previewPng, printed: result.state === 'done', ...(result.code ? { printerProblem: result.code } : {}) };
    },
  };
}
