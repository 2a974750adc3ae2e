/**
 * The kiosk's receipt printer: a queue in SQLite in front of an ESC/POS transport.
 *
 * Exactly once, concretely:
 * - A job is started only through `PrintJobs.claim` (one guarded UPDATE), and only after the
 *   printer answered "ready" (DLE EOT), so a job never starts into an empty printer.
 * - It is sent in bands; after each band the printer's status is read. If the paper ran out, the
 *   printer's buffer is cleared (DLE DC4 8) so nothing left in it prints when paper is loaded, and
 *   the job becomes `interrupted`.
 * - An interrupted job is printed again from its first row once, when the printer is ready again,
 *   and only within `resumeWithinMs` (the person is still there); after `maxAttempts` starts or
 *   that time it is `failed`. It is never looped.
 * - A job found `printing` at start-up (the process stopped mid-job) is `failed` with
 *   PRINT_OUTCOME_UNKNOWN, never resent by itself: the maintenance screen can reprint it.
 * Every transition is audited with codes and ids only.
 */
import type { AuditLog } from '../store/audit-log.ts';
import type { Db } from '../store/db.ts';
import type { DeviceState } from '../../core/device-state.ts';
import type { ReceiptDocument } from '../../core/receipts/document.ts';
import type { Bitmap } from '../../core/receipts/bitmap.ts';
import type { PrinterConfig } from '../../core/receipts/printer-config.ts';
import { KioskError } from '../../core/errors.ts';
import { bitmapToPng, pngToBitmap, renderReceipt } from './render.ts';
import {
  CLEAR_BUFFERS,
  CLEAR_BUFFERS_REPLY,
  encodeJob,
  isReady,
  notReadyCode,
  parseStatus,
  STATUS_QUERY,
  type PrinterStatus,
} from './escpos.ts';
import { openTransport, parsePrinterUri, PrinterError, type PrinterTransport } from './transports.ts';
import { PrintJobs, type JobState, type JobSummary } from './print-jobs.ts';

export interface PrintResult {
  readonly jobId: number;
  readonly state: JobState;
  /** Why it is not `done` (PRINTER_PAPER_OUT, PRINTER_UNREACHABLE, …). */
  readonly code?: string;
}

export interface KioskPrinter {
  /** Renders, queues and (if the printer is ready) prints a document. */
  print(doc: ReceiptDocument): Promise<PrintResult>;
  /** The maintenance screen's "print again": a new job with the same image, audited. */
  reprint(jobId: number, actor?: string): Promise<PrintResult>;
  /** Prints waiting jobs if the printer is ready (called by the status poll too). */
  resume(): Promise<PrintResult[]>;
  /** Reads DLE EOT status now, for `/api/status` and the UI. */
  status(): Promise<DeviceState>;
  /** The last status read, without asking the printer. */
  lastStatus(): PrinterStatus | undefined;
  jobs(limit?: number): JobSummary[];
  /** The job's preview PNG (the exact raster sent), until the retention period erases it. */
  preview(jobId: number): Buffer | undefined;
  /** Polls status every `statusPollMs` and resumes waiting jobs when the printer is ready. */
  startPolling(): void;
  close(): Promise<void>;
}

export interface PrinterOptions {
  readonly resolvePath?: (p: string) => string;
  readonly clock?: () => Date;
  /** Replaces the URI's transport (tests). */
  readonly openTransport?: () => Promise<PrinterTransport>;
}

type Config = PrinterConfig;

/** Asks the printer for its four status bytes. */
async function queryStatus(t: PrinterTransport, timeoutMs: number): Promise<PrinterStatus> {
  t.discardInput();
  await t.write(STATUS_QUERY);
  const reply = await t.read(4, timeoutMs);
  const status = parseStatus(reply);
  if (!status) {
    throw new PrinterError('PRINTER_BAD_REPLY', `the printer answered the status request with ${Buffer.from(reply).toString('hex')}`);
  }
  return status;
}

const REASONS: Record<string, string> = {
  PRINTER_PAPER_OUT: 'out of paper',
  PRINTER_COVER_OPEN: 'cover open',
  PRINTER_CUTTER_ERROR: 'cutter error',
  PRINTER_ERROR: 'printer error',
  PRINTER_OFFLINE: 'offline',
};

class Printer implements KioskPrinter {
  private readonly jobsTable: PrintJobs;
  private readonly now: () => Date;
  private readonly adapter: string;
  private chain: Promise<unknown> = Promise.resolve();
  private last: PrinterStatus | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Rasters just rendered by `print`, so the first send skips decoding the stored PNG. */
  private readonly fresh = new Map<number, Bitmap>();

  constructor(
    private readonly config: Config,
    db: Db,
    private readonly audit: AuditLog,
    private readonly opts: PrinterOptions,
  ) {
    this.now = opts.clock ?? (() => new Date());
    this.jobsTable = new PrintJobs(db, this.now);
    this.adapter = parsePrinterUri(config.uri).kind;
    for (const job of this.jobsTable.abandoned()) {
      this.jobsTable.move(job.id, 'printing', 'failed', 'PRINT_OUTCOME_UNKNOWN');
      this.audit.append({ action: 'print.failed', actor: 'printer', detail: { jobId: job.id, code: 'PRINT_OUTCOME_UNKNOWN' } });
    }
  }

  /** One printer conversation at a time: jobs and status reads never interleave on the wire. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private open(): Promise<PrinterTransport> {
    if (this.opts.openTransport) return this.opts.openTransport();
    return openTransport(this.config.uri, {
      timeoutMs: this.config.statusTimeoutMs,
      ...(this.opts.resolvePath ? { resolvePath: this.opts.resolvePath } : {}),
    });
  }

  async print(doc: ReceiptDocument): Promise<PrintResult> {
    const rendered = await renderReceipt(doc);
    const png = await bitmapToPng(rendered.bitmap);
    const jobId = this.jobsTable.add({ kind: doc.kind, reference: doc.reference, rows: rendered.bitmap.height, cuts: rendered.cuts, png });
    this.fresh.set(jobId, rendered.bitmap);
    this.audit.append({ action: 'print.queued', actor: 'kiosk', detail: { jobId, kind: doc.kind } });
    return this.resultAfterResume(jobId);
  }

  async reprint(jobId: number, actor = 'admin'): Promise<PrintResult> {
    const job = this.jobsTable.get(jobId);
    if (!job) throw new KioskError('PRINT_JOB_NOT_FOUND', `there is no print job ${jobId}`, { jobId });
    const png = this.jobsTable.png(jobId);
    if (!png) throw new KioskError('PRINT_JOB_PURGED', `print job ${jobId}'s image was erased after the retention period`, { jobId });
    const newId = this.jobsTable.add({ kind: job.kind, reference: job.reference, rows: job.rows, cuts: JSON.parse(job.cuts) as number[], png, reprintOf: jobId });
    this.audit.append({ action: 'print.reprint', actor, detail: { jobId: newId, reprintOf: jobId, kind: job.kind } });
    return this.resultAfterResume(newId);
  }

  private async resultAfterResume(jobId: number): Promise<PrintResult> {
    try {
      await this.resume();
    } finally {
      this.fresh.delete(jobId);
    }
    const row = this.jobsTable.get(jobId)!;
    return row.error_code && row.state !== 'done' ? { jobId, state: row.state, code: row.error_code } : { jobId, state: row.state };
  }

  resume(): Promise<PrintResult[]> {
    return this.exclusive(async () => {
      this.jobsTable.purgeImages(new Date(this.now().getTime() - this.config.keepJobsHours * 3600_000));
      const results: PrintResult[] = [];
      const open = this.jobsTable.open();
      for (const [index, job] of open.entries()) {
        const expired = this.now().getTime() - Date.parse(job.created_at) > this.config.resumeWithinMs;
        const spent = job.attempts >= this.config.maxAttempts;
        if (expired || spent) {
          const code = spent ? 'PRINT_GAVE_UP' : 'PRINT_EXPIRED';
          this.jobsTable.move(job.id, job.state, 'failed', code);
          this.audit.append({ action: 'print.failed', actor: 'printer', detail: { jobId: job.id, code, attempts: job.attempts } });
          results.push({ jobId: job.id, state: 'failed', code });
          continue;
        }
        const r = await this.runJob(job.id, job.state);
        results.push(r);
        if (r.state === 'queued' || r.state === 'interrupted') {
          // The printer is not ready: the rest wait too, in order, for the same reason.
          if (r.code) for (const later of open.slice(index + 1)) this.jobsTable.noteWaiting(later.id, r.code);
          break;
        }
      }
      return results;
    });
  }

  /** Sends one waiting job. Returns the job's new state. */
  private async runJob(jobId: number, from: JobState): Promise<PrintResult> {
    let t: PrinterTransport;
    try {
      t = await this.open();
    } catch (e) {
      const code = e instanceof KioskError ? e.code : 'PRINTER_UNREACHABLE';
      this.jobsTable.noteWaiting(jobId, code);
      return { jobId, state: from, code };
    }
    try {
      if (t.readable) {
        const before = await queryStatus(t, this.config.statusTimeoutMs).catch((e: unknown) => e as Error);
        if (before instanceof Error) {
          const code = before instanceof KioskError ? before.code : 'PRINTER_TIMEOUT';
          this.jobsTable.noteWaiting(jobId, code);
          return { jobId, state: from, code };
        }
        this.last = before;
        if (!isReady(before)) {
          const code = notReadyCode(before)!;
          this.jobsTable.noteWaiting(jobId, code);
          return { jobId, state: from, code };
        }
      }
      if (!this.jobsTable.claim(jobId)) return { jobId, state: this.jobsTable.get(jobId)!.state };
      const attempt = this.jobsTable.get(jobId)!.attempts;
      this.audit.append({ action: 'print.started', actor: 'printer', detail: { jobId, attempt, transport: t.kind } });
      return await this.send(t, jobId);
    } finally {
      await t.close().catch(() => undefined);
    }
  }

  private async send(t: PrinterTransport, jobId: number): Promise<PrintResult> {
    const job = this.jobsTable.get(jobId)!;
    const png = this.jobsTable.png(jobId);
    if (!png) return this.finish(jobId, 'failed', 'PRINT_JOB_PURGED');
    const bitmap = this.fresh.get(jobId) ?? (await pngToBitmap(png));
    const bands = encodeJob(bitmap, JSON.parse(job.cuts) as number[], this.config.bandRows);
    let bytes = 0;
    for (const [i, band] of bands.entries()) {
      try {
        await t.write(band);
        bytes += band.length;
        if (!t.readable) continue;
        const s = await queryStatus(t, this.config.statusTimeoutMs);
        this.last = s;
        if (!isReady(s)) {
          // Stop here, and make sure what the printer still holds of this job never prints.
          await t.write(CLEAR_BUFFERS);
          await t.read(CLEAR_BUFFERS_REPLY.length, this.config.statusTimeoutMs).catch(() => undefined);
          return this.finish(jobId, 'interrupted', notReadyCode(s)!, { band: i + 1, bands: bands.length });
        }
      } catch (e) {
        const code = e instanceof KioskError ? e.code : 'PRINTER_IO_ERROR';
        // Lost the printer after the last band: it may well have printed all of it. Resending could
        // print it twice, so this one is left to a person (reprint).
        const last = i === bands.length - 1;
        return this.finish(jobId, last ? 'failed' : 'interrupted', last ? 'PRINT_OUTCOME_UNKNOWN' : code, {
          band: i + 1,
          bands: bands.length,
        });
      }
    }
    return this.finish(jobId, 'done', null, { bands: bands.length, bytes });
  }

  private finish(
    jobId: number,
    to: JobState,
    code: string | null,
    detail: Record<string, number> = {},
  ): PrintResult {
    this.jobsTable.move(jobId, 'printing', to, code);
    this.audit.append({ action: `print.${to}`, actor: 'printer', detail: { jobId, ...(code ? { code } : {}), ...detail } });
    return code ? { jobId, state: to, code } : { jobId, state: to };
  }

  status(): Promise<DeviceState> {
    return this.exclusive(async () => {
      const base = { device: 'printer', adapter: this.adapter } as const;
      const waiting = this.jobsTable.open().length;
      const waitingNote = waiting ? `; ${waiting} job(s) waiting` : '';
      let t: PrinterTransport;
      try {
        t = await this.open();
      } catch (e) {
        // The message names only the URI's device or host, never personal data.
        const why = e instanceof KioskError ? `${e.message} (${e.code})` : 'PRINTER_UNREACHABLE';
        return { ...base, state: 'missing', reason: `printer not reachable: ${why}${waitingNote}` };
      }
      try {
        if (!t.readable) return waiting ? { ...base, state: 'ok', reason: waitingNote.slice(2) } : { ...base, state: 'ok' };
        const s = await queryStatus(t, this.config.statusTimeoutMs);
        this.last = s;
        const code = notReadyCode(s);
        if (code) return { ...base, state: 'error', reason: `${REASONS[code] ?? code} (${code})${waitingNote}` };
        if (s.paperNearEnd) return { ...base, state: 'ok', reason: `paper near end (PRINTER_PAPER_NEAR_END)${waitingNote}` };
        return waiting ? { ...base, state: 'ok', reason: waitingNote.slice(2) } : { ...base, state: 'ok' };
      } catch (e) {
        return { ...base, state: 'error', reason: `no status answer (${e instanceof KioskError ? e.code : 'PRINTER_TIMEOUT'})${waitingNote}` };
      } finally {
        await t.close().catch(() => undefined);
      }
    });
  }

  lastStatus(): PrinterStatus | undefined {
    return this.last;
  }

  jobs(limit = 50): JobSummary[] {
    return this.jobsTable.list(limit);
  }

  preview(jobId: number): Buffer | undefined {
    return this.jobsTable.png(jobId);
  }

  startPolling(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.status().then((s) => {
        if (s.state === 'ok' && this.jobsTable.open().length) void this.resume();
      });
    }, this.config.statusPollMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.chain;
  }
}

/** The printer the host wires: config from the profile's `devices.printer`, the kiosk database and audit log. */
export function createPrinter(config: PrinterConfig, db: Db, audit: AuditLog, opts: PrinterOptions = {}): KioskPrinter {
  return new Printer(config, db, audit, opts);
}
