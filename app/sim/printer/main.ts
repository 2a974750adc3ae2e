/**
 * Runs the network printer simulator by itself, for the demo or for pointing `print-test` at it:
 *   node --import tsx app/sim/printer/main.ts [--port 9100] [--paper-rows N] [--out DIR]
 * With --out, each cut page is written as DIR/page-N.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { PrinterSimulator } from './network-printer.ts';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '9100' }, 'paper-rows': { type: 'string' }, out: { type: 'string' } },
});
const sim = new PrinterSimulator({ paperRows: values['paper-rows'] ? Number(values['paper-rows']) : Infinity });
const port = await sim.listen(Number(values.port));
console.log(`printer simulator listening on tcp://127.0.0.1:${port}`);
let written = 0;
setInterval(() => {
  while (values.out && written < sim.pages.length) {
    const { image } = sim.pages[written]!;
    mkdirSync(values.out, { recursive: true });
    const gray = Buffer.from(image.data.map((v) => (v ? 0 : 255)));
    const file = join(values.out, `page-${++written}.png`);
    void sharp(gray, { raw: { width: image.width, height: image.height, channels: 1 } })
      .png()
      .toBuffer()
      .then((png) => writeFileSync(file, png));
    console.log(`printed ${file}`);
  }
}, 200);
