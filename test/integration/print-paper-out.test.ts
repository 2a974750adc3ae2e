/**
 * Paper runs out in the middle of a ticket. The kiosk must stop, say so clearly, keep nothing of the
 * job in the printer's buffer, and after the paper is replaced print the ticket exactly once more —
 * not twice, not in a loop, not after a restart.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../app/platform/store/db.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { createPrinter, type KioskPrinter } from '../../app/platform/printer/printer.ts';
import { renderReceipt } from '../../app/platform/printer/render.ts';
import { PrinterSimulator } from '../../app/sim/printer/network-printer.ts';
import { printerConfig, type PrinterConfig } from '../../app/core/receipts/printer-config.ts';
import { PAPER_80 } from '../../app/core/receipts/document.ts';
import { diffCount, sliceRows } from '../../app/core/receipts/bitmap.ts';
import { sampleDocument, sampleTicket } from '../../app/core/receipts/samples.ts';

let db: Db;
let audit: AuditLog;
let sim: PrinterSimulator;
let config: PrinterConfig;
let printer: KioskPrinter;
const doc = sampleDocument('ticket', PAPER_80);

beforeEach(async () => {
  db = openDatabase(':memory:');
  audit = new AuditLog(db);
  sim = new PrinterSimulator({ paperRows: 400, nearEndRows: 600 });
  const port = await sim.listen(0);
  config = printerConfig.parse({ uri: `tcp://127.0.0.1:${port}`, bandRows: 128 });
  printer = createPrinter(config, db, audit);
});
afterEach(async () => {
  await printer.close();
  await sim.close();
  db.close();
});

const fullCopies = async () => {
  const { bitmap } = await renderReceipt(doc);
  return sim.pages.filter((p) => p.end === 'cut' && diffCount(p.image, bitmap) === 0).length;
};

describe('paper out in the middle of a job', () => {
  it('stops, reports it, clears the buffer, and prints the ticket exactly once after the paper is replaced', async () => {
    const { bitmap } = await renderReceipt(doc);
    expect(bitmap.height).toBeGreaterThan(400); // the roll really ends inside the job

    const first = await printer.print(doc);
    expect(first).toEqual({ jobId: 1, state: 'interrupted', code: 'PRINTER_PAPER_OUT' });

    // A clear status for the UI and /api/status.
    expect(await printer.status()).toEqual({
      device: 'printer',
      adapter: 'tcp',
      state: 'error',
      reason: 'out of paper (PRINTER_PAPER_OUT); 1 job(s) waiting',
    });
    expect(printer.lastStatus()).toMatchObject({ paperOut: true, online: false });

    // On the old roll: the top of the ticket, torn off by the end of the roll — and nothing held back.
    expect(sim.pages).toHaveLength(1);
    expect(sim.pages[0]!.end).toBe('end-of-roll');
    expect(sim.pages[0]!.image.height).toBe(400);
    expect(diffCount(sim.pages[0]!.image, sliceRows(bitmap, 0, 400))).toBe(0);
    expect(sim.heldRows).toBe(0);

    // Asking again while the paper is still out sends nothing and changes nothing.
    const bytes = sim.bytesReceived;
    expect(await printer.resume()).toEqual([{ jobId: 1, state: 'interrupted', code: 'PRINTER_PAPER_OUT' }]);
    expect(sim.bytesReceived - bytes).toBe(12); // the DLE EOT query only
    expect(sim.pages).toHaveLength(1);

    // New roll: loading it prints nothing by itself (the buffer was cleared)…
    sim.loadPaper(10_000);
    expect(sim.pages).toHaveLength(1);
    expect(sim.uncutRows).toBe(0);
    // …and the queue prints the ticket once.
    expect(await printer.resume()).toEqual([{ jobId: 1, state: 'done' }]);
    expect(await fullCopies()).toBe(1);

    // Polling again, or a restarted kiosk on the same database, prints nothing more.
    expect(await printer.resume()).toEqual([]);
    const again = createPrinter(config, db, audit);
    expect(await again.resume()).toEqual([]);
    await again.close();
    expect(await fullCopies()).toBe(1);
    expect(sim.pages).toHaveLength(2);

    expect(printer.jobs()).toMatchObject([{ id: 1, state: 'done', attempts: 2, errorCode: null }]);
    expect(await printer.status()).toMatchObject({ state: 'ok' });

    const actions = audit.recent(20).map((r) => r.action).reverse();
    expect(actions).toEqual(['print.queued', 'print.started', 'print.interrupted', 'print.started', 'print.done']);
    expect(audit.verify()).toMatchObject({ ok: true });
    const details = audit.recent(20).map((r) => r.detail).join(' ');
    expect(details).not.toContain(sampleTicket.patientName);
    expect(details).not.toContain(sampleTicket.encounterCode);
  });

  it('without the buffer clear a real printer would print the rest on the new roll: the simulator shows it', async () => {
    // Guards the test above: if the simulator did not hold data, "no duplicate" would prove nothing.
    const raw = new PrinterSimulator({ paperRows: 100 });
    const port = await raw.listen(0);
    const { Socket } = await import('node:net');
    const s = new Socket();
    await new Promise<void>((r) => s.connect(port, '127.0.0.1', r));
    const rows = 300;
    const band = Buffer.concat([Buffer.from([0x1d, 0x76, 0x30, 0, 72, 0, rows & 0xff, rows >> 8]), Buffer.alloc(72 * rows, 0xff)]);
    await new Promise<void>((r) => s.write(band, () => r()));
    await new Promise((r) => setTimeout(r, 100));
    expect(raw.paperOut).toBe(true);
    expect(raw.heldRows).toBe(200);
    raw.loadPaper(1000);
    expect(raw.uncutRows).toBe(200);
    s.destroy();
    await raw.close();
  });

  it('a job waits, untouched, while the printer is out of paper before it starts', async () => {
    sim.loadPaper(0);
    expect(await printer.print(doc)).toEqual({ jobId: 1, state: 'queued', code: 'PRINTER_PAPER_OUT' });
    expect(sim.pages).toHaveLength(0);
    expect(printer.jobs()[0]).toMatchObject({ state: 'queued', attempts: 0 });
    sim.loadPaper(10_000);
    expect(await printer.resume()).toEqual([{ jobId: 1, state: 'done' }]);
    expect(await fullCopies()).toBe(1);
  });

  it('tickets asked for while the paper is out wait behind the interrupted one and print in order, once each', async () => {
    expect((await printer.print(doc)).state).toBe('interrupted');
    const second = sampleDocument('receipt', PAPER_80);
    expect(await printer.print(second)).toEqual({ jobId: 2, state: 'queued', code: 'PRINTER_PAPER_OUT' });
    sim.loadPaper(10_000);
    expect(await printer.resume()).toEqual([
      { jobId: 1, state: 'done' },
      { jobId: 2, state: 'done' },
    ]);
    const { bitmap: receiptRaster } = await renderReceipt(second);
    const cutPages = sim.pages.filter((p) => p.end === 'cut');
    expect(cutPages).toHaveLength(2);
    expect(await fullCopies()).toBe(1);
    expect(diffCount(cutPages[1]!.image, receiptRaster)).toBe(0);
  });

  it('an interrupted job is failed, not printed, once the person has surely left', async () => {
    let now = new Date('2026-11-23T01:00:00Z');
    await printer.close();
    printer = createPrinter(config, db, audit, { clock: () => now });
    expect((await printer.print(doc)).state).toBe('interrupted');
    now = new Date(now.getTime() + config.resumeWithinMs + 1);
    sim.loadPaper(10_000);
    expect(await printer.resume()).toEqual([{ jobId: 1, state: 'failed', code: 'PRINT_EXPIRED' }]);
    expect(await fullCopies()).toBe(0);
  });

  it('a job runs out of paper on every try: failed after maxAttempts, never looped', async () => {
    expect((await printer.print(doc)).state).toBe('interrupted');
    sim.loadPaper(300);
    expect(await printer.resume()).toEqual([{ jobId: 1, state: 'interrupted', code: 'PRINTER_PAPER_OUT' }]);
    sim.loadPaper(10_000);
    expect(await printer.resume()).toEqual([{ jobId: 1, state: 'failed', code: 'PRINT_GAVE_UP' }]);
    expect(await printer.resume()).toEqual([]);
    expect(await fullCopies()).toBe(0);
    // The maintenance screen can still print it on purpose, audited.
    const again = await printer.reprint(1);
    expect(again).toEqual({ jobId: 2, state: 'done' });
    expect(await fullCopies()).toBe(1);
    expect(audit.recent(5).map((r) => [r.action, JSON.parse(r.detail) as object])).toContainEqual([
      'print.reprint',
      { jobId: 2, reprintOf: 1, kind: 'ticket' },
    ]);
  });

  it('a job left "printing" by a crash is failed with PRINT_OUTCOME_UNKNOWN, never resent by itself', async () => {
    sim.loadPaper(10_000);
    expect((await printer.print(doc)).state).toBe('done');
    db.prepare("UPDATE print_jobs SET state = 'printing' WHERE id = 1").run(); // as if the process died mid-send
    const restarted = createPrinter(config, db, audit);
    expect(restarted.jobs()[0]).toMatchObject({ state: 'failed', errorCode: 'PRINT_OUTCOME_UNKNOWN' });
    expect(await restarted.resume()).toEqual([]);
    await restarted.close();
    expect(await fullCopies()).toBe(1);
  });

  it('reports paper near end while still printing, and a clear error for an open cover', async () => {
    sim.loadPaper(500);
    expect(await printer.status()).toMatchObject({ state: 'ok', reason: 'paper near end (PRINTER_PAPER_NEAR_END)' });
    sim.setCoverOpen(true);
    expect(await printer.status()).toMatchObject({ state: 'error', reason: 'cover open (PRINTER_COVER_OPEN)' });
    expect(await printer.print(doc)).toMatchObject({ state: 'queued', code: 'PRINTER_COVER_OPEN' });
  });
});

describe('status polling', () => {
  it('notices the new roll by itself and prints the waiting ticket once', async () => {
    await printer.close();
    printer = createPrinter({ ...config, statusPollMs: 500 }, db, audit);
    expect((await printer.print(doc)).state).toBe('interrupted');
    printer.startPolling();
    await new Promise((r) => setTimeout(r, 700));
    expect(await fullCopies()).toBe(0); // still out of paper: nothing printed, nothing looped
    sim.loadPaper(10_000);
    const deadline = Date.now() + 5000;
    while (printer.jobs()[0]?.state !== 'done' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(printer.jobs()[0]).toMatchObject({ state: 'done', attempts: 2 });
    await new Promise((r) => setTimeout(r, 1200)); // two more polls
    expect(await fullCopies()).toBe(1);
  });
});

describe('reprint on demand', () => {
  it('refuses unknown jobs and jobs whose image was erased, with typed errors', async () => {
    sim.loadPaper(10_000);
    await expect(printer.reprint(99)).rejects.toMatchObject({ code: 'PRINT_JOB_NOT_FOUND' });
    let now = new Date('2026-11-23T01:00:00Z');
    await printer.close();
    printer = createPrinter(config, db, audit, { clock: () => now });
    expect((await printer.print(doc)).state).toBe('done');
    expect(printer.preview(1)?.subarray(1, 4).toString()).toBe('PNG');
    now = new Date(now.getTime() + (config.keepJobsHours + 1) * 3600_000);
    await printer.resume();
    expect(printer.preview(1)).toBeUndefined();
    await expect(printer.reprint(1)).rejects.toMatchObject({ code: 'PRINT_JOB_PURGED' });
  });
});
