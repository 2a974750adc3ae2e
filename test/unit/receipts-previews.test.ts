/**
 * The previews committed under docs/receipts/ are what the templates print today (regenerate with
 * `cccd-kiosk print-test --printer file:/dev/null --template all --png docs/receipts`).
 * A small tolerance absorbs anti-aliasing differences between librsvg builds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pngToBitmap, renderReceipt } from '../../app/platform/printer/render.ts';
import { blackCount, diffCount } from '../../app/core/receipts/bitmap.ts';
import { PAPER_58, PAPER_80 } from '../../app/core/receipts/document.ts';
import { sampleDocument, TEMPLATE_NAMES, type TemplateName } from '../../app/core/receipts/samples.ts';

const cases: [string, TemplateName, typeof PAPER_80][] = [
  ...TEMPLATE_NAMES.map((t) => [`${t}.png`, t, PAPER_80] as [string, TemplateName, typeof PAPER_80]),
  ['boarding-pass-58mm.png', 'boarding-pass', PAPER_58],
];

describe.each(cases)('docs/receipts/%s', (file, template, paper) => {
  it('matches the current render within 0.5% of its ink', async () => {
    const committed = await pngToBitmap(readFileSync(new URL(`../../docs/receipts/${file}`, import.meta.url)));
    const { bitmap } = await renderReceipt(sampleDocument(template, paper));
    expect([bitmap.width, bitmap.height]).toEqual([committed.width, committed.height]);
    expect(diffCount(bitmap, committed)).toBeLessThanOrEqual(Math.ceil(blackCount(committed) * 0.005));
  });
});
