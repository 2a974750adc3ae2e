/**
 * Acceptance of `cccd-kiosk print-test`: each of the five templates goes to a file: printer and to
 * the loopback network printer simulator; the ESC/POS that arrives is read back into paper, which
 * must equal the preview PNG dot for dot, and its barcodes must decode to the template's input.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode as decodeBcbp } from 'bcbp';
import printTest from '../../app/cli/commands/print-test.ts';
import { decodeEscPos } from '../../app/sim/printer/escpos-reader.ts';
import { PrinterSimulator } from '../../app/sim/printer/network-printer.ts';
import { pngToBitmap } from '../../app/platform/printer/render.ts';
import { diffCount, blackCount } from '../../app/core/receipts/bitmap.ts';
import { bcbpString } from '../../app/core/receipts/templates/boarding-pass.ts';
import {
  sampleBagTag,
  sampleBoardingPass,
  sampleReceipt,
  sampleTicket,
  sampleVisitor,
  TEMPLATE_NAMES,
  type TemplateName,
} from '../../app/core/receipts/samples.ts';
import { decodeBarcodes } from './print-helpers.ts';

let dir: string;
let sim: PrinterSimulator;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'print-test-'));
  sim = new PrinterSimulator({ dotsPerLine: 576 });
  port = await sim.listen(0);
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function runCli(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.join(' ')));
  try {
    const code = await printTest.run(args);
    return { code, out: lines.join('\n') };
  } finally {
    spy.mockRestore();
  }
}

/** What each template's barcodes must decode to. */
const expected: Record<TemplateName, { format: 'QRCode' | 'PDF417' | 'ITF' | 'Code128'; text: string }[]> = {
  ticket: [{ format: 'QRCode', text: sampleTicket.encounterCode }],
  'boarding-pass': [{ format: 'PDF417', text: bcbpString(sampleBoardingPass) }],
  'bag-tag': [{ format: 'ITF', text: sampleBagTag.licencePlate }],
  visitor: [
    { format: 'QRCode', text: sampleVisitor.passId },
    { format: 'Code128', text: sampleVisitor.passId },
  ],
  receipt: [{ format: 'Code128', text: sampleReceipt.reference }],
};

describe.each(TEMPLATE_NAMES)('print-test --template %s', (template) => {
  it('to a file: the ESC/POS decodes to the preview, dot for dot, and its barcodes to the input', async () => {
    const out = join(dir, `${template}.escpos`);
    const pngPath = join(dir, `${template}.png`);
    const { code, out: text } = await runCli(['--printer', `file:${out}`, '--template', template, '--png', pngPath]);
    expect(text).toMatch(new RegExp(`${template}: job 1 done`));
    expect(code).toBe(0);

    const preview = await pngToBitmap(readFileSync(pngPath));
    const paper = decodeEscPos(readFileSync(out), 576);
    expect(paper.unknown).toEqual([]);
    expect(paper.pages).toHaveLength(1);
    expect(paper.uncut.height).toBe(0);
    const page = paper.pages[0]!;
    expect(page.height).toBe(preview.height);
    expect(blackCount(page)).toBeGreaterThan(1000);
    expect(diffCount(page, preview)).toBe(0);

    const found = await decodeBarcodes(page, [...new Set(expected[template].map((e) => e.format))]);
    for (const e of expected[template]) {
      expect(found.map((f) => [f.format, f.text])).toContainEqual([e.format, e.text]);
    }
  });

  it('to the loopback printer simulator: the printed page equals the preview', async () => {
    const pngPath = join(dir, `${template}-sim.png`);
    const before = sim.pages.length;
    const { code, out } = await runCli(['--printer', `tcp://127.0.0.1:${port}`, '--template', template, '--png', pngPath]);
    expect(out).toMatch(/printer: ok via tcp/);
    expect(code).toBe(0);
    expect(sim.unknownBytes).toEqual([]);
    expect(sim.pages.length).toBe(before + 1);
    const printed = sim.pages[before]!;
    expect(printed.end).toBe('cut');
    expect(diffCount(printed.image, await pngToBitmap(readFileSync(pngPath)))).toBe(0);
    const found = await decodeBarcodes(printed.image, [...new Set(expected[template].map((e) => e.format))]);
    expect(found.map((f) => f.text)).toContain(expected[template][0]!.text);
  });
});

describe('boarding pass BCBP', () => {
  it('the PDF417 on the paper holds a BCBP string the bcbp decoder accepts, with the input fields', async () => {
    const paper = decodeEscPos(readFileSync(join(dir, 'boarding-pass.escpos')), 576);
    const [pdf] = await decodeBarcodes(paper.pages[0]!, ['PDF417']);
    expect(pdf?.text).toMatch(/^M1NGUYEN\/VANAN {8}EABC123 HANSGNVN 0213 074Y012A0042 1/);
    const pass = decodeBcbp(pdf!.text, 2026);
    expect(pass.data?.passengerName).toBe('NGUYEN/VANAN');
    const leg = pass.data?.legs?.[0];
    expect(leg).toMatchObject({
      operatingCarrierPNR: 'ABC123',
      departureAirport: 'HAN',
      arrivalAirport: 'SGN',
      operatingCarrierDesignator: 'VN',
      flightNumber: '0213',
      compartmentCode: 'Y',
      seatNumber: '012A',
      checkInSequenceNumber: '0042',
    });
    expect(leg?.flightDate?.toISOString().slice(0, 10)).toBe(sampleBoardingPass.flightDate);
    expect(pass.meta?.electronicTicketIndicator).toBe('E');
  });
});

describe('print-test previews without a printer', () => {
  it('--png DIR writes every template\'s preview, equal to what a printer would get, and prints nothing', async () => {
    const out = join(dir, 'previews');
    const { code, out: text } = await runCli(['--png', out]);
    expect(code).toBe(0);
    expect(text).not.toMatch(/job|printer:/);
    for (const name of TEMPLATE_NAMES) {
      const png = await pngToBitmap(readFileSync(join(out, `${name}.png`)));
      const printed = await pngToBitmap(readFileSync(join(dir, `${name}.png`))); // written by the print runs above
      expect(diffCount(png, printed), name).toBe(0);
    }
  });

  it('one template into an existing folder goes in as NAME.png; the English ticket differs from the Vietnamese one', async () => {
    const vi = join(dir, 'vi');
    const en = join(dir, 'en');
    mkdirSync(vi);
    mkdirSync(en);
    expect((await runCli(['--png', vi, '--template', 'ticket'])).code).toBe(0);
    expect((await runCli(['--png', en, '--template', 'ticket', '--lang', 'en'])).code).toBe(0);
    const [a, b] = await Promise.all([vi, en].map(async (d) => pngToBitmap(readFileSync(join(d, 'ticket.png')))));
    expect(diffCount(a!, await pngToBitmap(readFileSync(join(dir, 'ticket.png'))))).toBe(0);
    expect(diffCount(a!, b!)).toBeGreaterThan(1000);
  });

  it('asks for --printer or --png, and a known language', async () => {
    await expect(printTest.run(['--template', 'ticket'])).rejects.toThrow(/give --printer to print, --png to write previews, or both/);
    await expect(printTest.run(['--png', dir, '--lang', 'fr'])).rejects.toThrow(/--lang must be vi or en/);
  });
});

describe('print-test usage', () => {
  it('rejects an unknown template and a bad printer URI with a usage error', async () => {
    await expect(printTest.run(['--printer', 'file:/tmp/x', '--template', 'menu'])).rejects.toThrow(/unknown template "menu"/);
    await expect(printTest.run(['--printer', 'lpt1', '--template', 'ticket'])).rejects.toThrow(/--printer/);
  });

  it('exits 1 with the reason when the printer cannot be reached', async () => {
    const closed = new PrinterSimulator();
    const p = await closed.listen(0);
    await closed.close();
    const { code, out } = await runCli(['--printer', `tcp://127.0.0.1:${p}`, '--template', 'ticket']);
    expect(code).toBe(1);
    expect(out).toMatch(/ticket: job 1 queued \(PRINTER_UNREACHABLE\)/);
    expect(out).toMatch(/printer: missing via tcp — printer not reachable: cannot reach 127.0.0.1:\d+: ECONNREFUSED \(PRINTER_UNREACHABLE\)/);
  });
});
