import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { PAPER_58, PAPER_80 } from '../../core/receipts/document.ts';
import { printerConfig } from '../../core/receipts/printer-config.ts';
import { isTemplateName, sampleDocument, TEMPLATE_NAMES, type TemplateName } from '../../core/receipts/samples.ts';
import { AuditLog } from '../../platform/store/audit-log.ts';
import { openDatabase } from '../../platform/store/db.ts';
import { createPrinter } from '../../platform/printer/printer.ts';
import { bitmapToPng, renderReceipt } from '../../platform/printer/render.ts';

const usage = [
  'Usage: cccd-kiosk print-test --printer URI --template NAME [--png OUT.png] [--paper 58|80] [--db FILE]',
  '',
  'Prints a sample of a receipt template (fictional people) and reports the printer status.',
  '  --printer   file:PATH | tcp://HOST:9100 | usb:VID:PID | usb:/dev/usb/lpN | serial:PATH[?baud=N]',
  `  --template  ${TEMPLATE_NAMES.join(' | ')} | all`,
  '  --png       also write the preview PNG (the exact raster sent); with --template all,',
  '              OUT is a folder and each template is written as NAME.png',
  '  --paper     paper width in mm (default 80: 576 dots; 58: 384 dots)',
  '  --db        print queue database (default: in memory, gone after the command)',
  '',
  'Exit status: 0 when every job printed, 1 when one did not (the code says why).',
].join('\n');

const command: Command = {
  name: 'print-test',
  summary: 'Print a sample queue ticket, boarding pass, bag tag, visitor pass or receipt',
  usage,
  async run(argv) {
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          printer: { type: 'string' },
          template: { type: 'string' },
          png: { type: 'string' },
          paper: { type: 'string', default: '80' },
          db: { type: 'string', default: ':memory:' },
        },
        strict: true,
      }));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    if (!values.printer) throw new UsageError('--printer is required');
    if (!values.template) throw new UsageError('--template is required');
    const templates: TemplateName[] =
      values.template === 'all' ? [...TEMPLATE_NAMES] : isTemplateName(values.template) ? [values.template] : [];
    if (templates.length === 0) throw new UsageError(`unknown template "${values.template}"`);
    if (values.paper !== '58' && values.paper !== '80') throw new UsageError('--paper must be 58 or 80');
    const parsed = printerConfig.safeParse({ uri: values.printer, paperWidthMm: Number(values.paper) });
    if (!parsed.success) throw new UsageError(`--printer: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const paper = values.paper === '58' ? PAPER_58 : PAPER_80;

    if (values.png && templates.length > 1) mkdirSync(values.png, { recursive: true });
    const db = openDatabase(values.db);
    const printer = createPrinter(parsed.data, db, new AuditLog(db));
    let failures = 0;
    try {
      for (const name of templates) {
        const doc = sampleDocument(name, paper);
        if (values.png) {
          const png = await bitmapToPng((await renderReceipt(doc)).bitmap);
          writeFileSync(templates.length > 1 ? `${values.png}/${name}.png` : values.png, png);
        }
        const t0 = performance.now();
        const r = await printer.print(doc);
        const ms = performance.now() - t0;
        if (r.state !== 'done') failures++;
        console.log(`${name}: job ${r.jobId} ${r.state}${r.code ? ` (${r.code})` : ''} in ${ms.toFixed(0)} ms`);
      }
      const s = await printer.status();
      console.log(`printer: ${s.state} via ${s.adapter}${s.reason ? ` — ${s.reason}` : ''}`);
    } finally {
      await printer.close();
      db.close();
    }
    return failures ? 1 : 0;
  },
};
export default command;
