/**
 * Time to render and send a queue ticket: node --import tsx test/bench/print.ts [runs]
 * Prints medians (and p90) in milliseconds for each stage and end to end: to a file: printer and
 * to the loopback network printer simulator (stop-and-wait DLE EOT status after every band).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PAPER_80 } from '../../app/core/receipts/document.ts';
import { sampleDocument } from '../../app/core/receipts/samples.ts';
import { printerConfig } from '../../app/core/receipts/printer-config.ts';
import { renderReceipt, bitmapToPng } from '../../app/platform/printer/render.ts';
import { encodeJob } from '../../app/platform/printer/escpos.ts';
import { createPrinter } from '../../app/platform/printer/printer.ts';
import { openDatabase } from '../../app/platform/store/db.ts';
import { AuditLog } from '../../app/platform/store/audit-log.ts';
import { PrinterSimulator } from '../../app/sim/printer/network-printer.ts';

const runs = Number(process.argv[2] ?? 30);
const doc = sampleDocument('ticket', PAPER_80);

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return `median ${at(0.5).toFixed(1)} ms  p90 ${at(0.9).toFixed(1)} ms  (n=${s.length})`;
}

async function time(fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

const t0 = performance.now();
const first = await renderReceipt(doc);
console.log(`first render (fonts parsed, cold):  ${(performance.now() - t0).toFixed(1)} ms`);
console.log(`ticket: ${first.bitmap.width}x${first.bitmap.height} dots, ${encodeJob(first.bitmap, first.cuts, 128).reduce((n, b) => n + b.length, 0)} bytes of ESC/POS`);

console.log(`render (layout + glyphs + sharp):   ${stats(await time(() => renderReceipt(doc)))}`);
console.log(`encode ESC/POS bands:               ${stats(await time(() => encodeJob(first.bitmap, first.cuts, 128)))}`);
console.log(`preview PNG:                        ${stats(await time(() => bitmapToPng(first.bitmap)))}`);

const dir = mkdtempSync(join(tmpdir(), 'bench-print-'));
const sim = new PrinterSimulator();
const port = await sim.listen(0);
for (const [label, uri] of [
  ['print to file: (render+queue+send)', `file:${join(dir, 'out.escpos')}`],
  ['print to tcp sim (render+queue+send)', `tcp://127.0.0.1:${port}`],
] as const) {
  const db = openDatabase(join(dir, `${label.slice(9, 13)}.db`));
  const printer = createPrinter(printerConfig.parse({ uri }), db, new AuditLog(db));
  const samples = await time(async () => {
    const r = await printer.print(doc);
    if (r.state !== 'done') throw new Error(`job ${r.jobId} ${r.state} ${r.code}`);
  });
  console.log(`${label.padEnd(36)}${stats(samples)}`);
  await printer.close();
  db.close();
}
console.log(`simulator pages printed: ${sim.pages.length}`);
await sim.close();
rmSync(dir, { recursive: true, force: true });
