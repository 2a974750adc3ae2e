/** What the host wires: the printer service, the preview renderer, and the printer URI parser. */
export { createPrinter, type KioskPrinter, type PrintResult, type PrinterOptions } from './printer.ts';
export { renderPreviewPng, renderReceipt, bitmapToPng, pngToBitmap, type RenderedReceipt } from './render.ts';
export { parsePrinterUri, PrinterError, type PrinterTransport } from './transports.ts';
export type { JobSummary, JobState } from './print-jobs.ts';
export type { PrinterStatus } from './escpos.ts';
export { preloadReceiptFonts } from './text-raster.ts';
