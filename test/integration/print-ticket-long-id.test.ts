import { describe, expect, it } from 'vitest';
import { PAPER_58, PAPER_80, queueTicket } from '../../app/core/receipts/index.ts';
import { sampleTicket } from '../../app/core/receipts/samples.ts';
import { renderReceipt } from '../../app/platform/printer/render.ts';
import { decodeBarcodes } from './print-helpers.ts';

describe('queue ticket with a full-length FHIR id', () => {
  // A FHIR logical id may be 64 characters with dots; the next counter must still read it.
  const id = 'enc.2026-11-24.' + 'a1b2c3d4'.repeat(6) + 'z';

  it.each([['80 mm', PAPER_80], ['58 mm', PAPER_58]] as const)('prints a readable QR on %s paper', async (_name, paper) => {
    expect(id).toHaveLength(64);
    const rendered = await renderReceipt(queueTicket({ ...sampleTicket, encounterCode: id }, { paper }));
    const [qr] = await decodeBarcodes(rendered.bitmap, ['QRCode']);
    expect(qr?.text).toBe(id);
    expect(rendered.bitmap.width).toBe(paper.dotsPerLine);
  });

  it('refuses an id with characters a FHIR id cannot have', () => {
    expect(() => queueTicket({ ...sampleTicket, encounterCode: 'bad id/with spaces' }, { paper: PAPER_80 })).toThrow(/encounterCode/);
  });
});
