import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command.ts';
import { choiceOption } from '../options.ts';
import { PAPER_58, PAPER_80, type ReceiptDocument } from '../../core/receipts/document.ts';
import { printerConfig } from '../../core/receipts/printer-config.ts';
import { isTemplateName, sampleDocument, TEMPLATE_NAMES, type TemplateName } from '../../core/receipts/samples.ts';
import { AuditLog } from '../../platform/store/audit-log.ts';
import { openDatabase } from '../../platform/store/db.ts';
import { createPrinter } from '../../platform/printer/printer.ts';
import { bitmapToPng, renderReceipt } from '../../platform/printer/render.ts';

const usage = [
  'Usage: cccd-kiosk print-test [--printer URI] [--png OUT] [--template NAME|all] [--paper 58|80] [--lang vi|en] [--db FILE]',
  '',
  'Prints a sample of each receipt template (fictional people) and reports the printer status, or',
  'only writes the preview images when no printer is given.',
  '  --printer   file:PATH | tcp://HOST:9100 | usb:VID:PID | usb:/dev/usb/lpN | serial:PATH[?baud=N]',
  '  --png       write the preview PNG (the exact raster a printer gets): into the folder OUT as',
  '              NAME.png when OUT is a folder, ends with "/" or there are several templates;',
  '              otherwise to the file OUT',
  `  --template  ${TEMPLATE_NAMES.join(' | ')} | all (default all)`,
  '  --paper     paper width in mm (default 80: 576 dots; 58: 384 dots)',
  '  --lang      language of the queue ticket, as the person chose it on screen (default vi)',
  '  --db        print queue database (default: in memory, gone after the command)',
  'Give --printer, --png or both.',
  '',
  'Exit status: 0 when every job printed (or every preview was written), 1 when one did not (the code says why).',
].join('\n');

const command: Command = {
  name: 'print-test',
  summary: 'Print a sample queue ticket, boarding pass, bag tag, visitor pass or receipt, or write its preview',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        printer: { type: 'string' },
        template: { type: 'string', default: 'all' },
        png: { type: 'string' },
        paper: { type: 'string', default: '80' },
        lang: { type: 'string', default: 'vi' },
        db: { type: 'string', default: ':memory:' },
      },
      strict: true,
    });
    if (!values.printer && !values.png) throw new UsageError('give --printer to print, --png to write previews, or both');
    const templates: TemplateName[] =
      values.template === 'all' ? [...TEMPLATE_NAMES] : isTemplateName(values.template) ? [values.template] : [];
    if (templates.length === 0) throw new UsageError(`unknown template "${values.template}"`);
    const paperMm = choiceOption(values.paper, '--paper', ['58', '80']);
    const language = choiceOption(values.lang, '--lang', ['vi', 'en']);
    const parsed = values.printer ? printerConfig.safeParse({ uri: values.printer, paperWidthMm: Number(paperMm) }) : undefined;
    if (parsed && !parsed.success) throw new UsageError(`--printer: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    const paper = paperMm === '58' ? PAPER_58 : PAPER_80;
    const pngPath = values.png ? previewPaths(values.png, templates) : undefined;

    const docs = templates.map((name) => ({ name, doc: sampleDocument(name, paper, { language }) }));
    for (const { name, doc } of docs) {
      if (!pngPath) break;
      const file = pngPath(name);
      writeFileSync(file, await bitmapToPng((await renderReceipt(doc)).bitmap));
      console.log(`${name}: preview ${file}`);
    }
    return parsed?.success ? printAll(docs, parsed.data, values.db) : 0;
  },
};
export default command;

/** Where each preview goes: OUT itself for one template named as a file, else OUT/NAME.png. */
function previewPaths(out: string, templates: readonly TemplateName[]): (name: TemplateName) => string {
  const folder = templates.length > 1 || out.endsWith('/') || (existsSync(out) && statSync(out).isDirectory());
  if (!folder) return () => out;
  mkdirSync(out, { recursive: true });
  return (name) => join(out, `${name}.png`);
}

async function printAll(docs: readonly { name: TemplateName; doc: ReceiptDocument }[], config: Parameters<typeof createPrinter>[0], dbFile: string): Promise<number> {
  const db = openDatabase(dbFile);
  const printer = createPrinter(config, db, new AuditLog(db));
  let failures = 0;
  try {
    for (const { name, doc } of docs) {
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
}
