/** A generic receipt: merchant, lines with amounts, total, payment and a Code 128 reference. */
import { TextSize, type Block, type ReceiptDocument } from '../document.ts';
import { formatDateTimeVn, formatVnd } from '../format.ts';
import { END, badInput, logoBlocks, requireMatch, requireText, type TemplateOptions } from './common.ts';

export interface ReceiptLine {
  readonly label: string;
  readonly amountVnd: number;
}

export interface ReceiptInput {
  readonly merchant: string;
  readonly address?: string;
  readonly title: string;
  readonly lines: readonly ReceiptLine[];
  readonly paidBy: string;
  readonly issuedAt: Date;
  /** Transaction reference; printed as Code 128 and text. */
  readonly reference: string;
  readonly footer?: string;
}

const T = 'receipt';

export function receipt(input: ReceiptInput, opts: TemplateOptions): ReceiptDocument {
  requireText(T, 'merchant', input.merchant);
  requireText(T, 'title', input.title);
  requireMatch(T, 'reference', input.reference, /^[A-Z0-9-]{4,24}$/, '4..24 upper-case letters, digits or dashes');
  if (input.lines.length === 0 || input.lines.length > 100) throw badInput(T, 'lines', '1..100 lines');
  for (const l of input.lines) {
    requireText(T, 'lines.label', l.label);
    if (!Number.isSafeInteger(l.amountVnd)) throw badInput(T, 'lines.amountVnd', 'whole đồng');
  }
  const total = input.lines.reduce((sum, l) => sum + l.amountVnd, 0);
  const lineBlocks: Block[] = input.lines.map((l) => ({ kind: 'pair', left: l.label, right: formatVnd(l.amountVnd) }));
  return {
    kind: 'receipt',
    paper: opts.paper,
    blocks: [
      ...logoBlocks(opts),
      { kind: 'text', text: input.merchant.toUpperCase(), size: TextSize.medium, bold: true, align: 'center' },
      ...(input.address ? [{ kind: 'text', text: input.address, size: TextSize.small, align: 'center' } as const] : []),
      { kind: 'space', dots: 8 },
      { kind: 'text', text: input.title, size: TextSize.large, bold: true, align: 'center' },
      { kind: 'text', text: formatDateTimeVn(input.issuedAt), size: TextSize.small, align: 'center' },
      { kind: 'rule' },
      ...lineBlocks,
      { kind: 'rule', dashed: true },
      { kind: 'pair', left: 'TỔNG CỘNG', right: formatVnd(total), size: TextSize.medium, bold: true },
      { kind: 'pair', left: 'Thanh toán', right: input.paidBy },
      { kind: 'space', dots: 16 },
      { kind: 'barcode', symbology: 'code128', data: input.reference, heightDots: 72, moduleDots: 2, align: 'center' },
      { kind: 'text', text: input.reference, size: TextSize.small, align: 'center' },
      ...(input.footer ? [{ kind: 'space', dots: 8 } as const, { kind: 'text', text: input.footer, size: TextSize.small, align: 'center' } as const] : []),
      ...END,
    ],
  };
}
