/**
 * Regenerates vietnamese-golden.png, the reference raster of GOLDEN_TEXT:
 *   node --import tsx test/unit/receipts-fixtures/make-golden.ts
 * Look at the image before committing it: every mark must be where a reader expects it.
 */
import { writeFileSync } from 'node:fs';
import { renderPreviewPng } from '../../../app/platform/printer/render.ts';
import { goldenDocument } from './vietnamese.ts';

const out = new URL('./vietnamese-golden.png', import.meta.url);
writeFileSync(out, await renderPreviewPng(goldenDocument()));
console.log(`wrote ${out.pathname}`);
