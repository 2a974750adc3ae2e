import { ReceiptError, type Block, type Paper } from '../document.ts';

/** Options every template takes: the paper, and an optional logo printed at the top. */
export interface TemplateOptions {
  readonly paper: Paper;
  readonly logo?: Uint8Array;
}

/** Logo block sized for the paper: a third of the line, centred. */
export function logoBlocks(opts: TemplateOptions): Block[] {
  if (!opts.logo) return [];
  const widthDots = Math.floor(opts.paper.dotsPerLine / 3 / 8) * 8;
  return [{ kind: 'image', image: opts.logo, widthDots, align: 'center' }, { kind: 'space', dots: 8 }];
}

/** The typed error for a template field that cannot be printed. */
export function badInput(template: string, field: string, what: string): ReceiptError {
  return new ReceiptError('RECEIPT_BAD_INPUT', `${template}: ${field} must be ${what}`, { template, field });
}

/** Fails with a typed error naming the template and field when a required text is empty or too long. */
export function requireText(template: string, field: string, value: string, max = 200): string {
  const v = value.trim();
  if (v.length === 0 || v.length > max) {
    throw new ReceiptError('RECEIPT_BAD_INPUT', `${template}: ${field} must be 1..${max} characters`, { template, field });
  }
  return v;
}

export function requireMatch(template: string, field: string, value: string, re: RegExp, what: string): string {
  if (!re.test(value)) {
    throw new ReceiptError('RECEIPT_BAD_INPUT', `${template}: ${field} must be ${what}`, { template, field });
  }
  return value;
}

/** The end of every ticket: room for the cutter, then the cut. */
export const END: readonly Block[] = [{ kind: 'cut' }];

export function requireInt(template: string, field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ReceiptError('RECEIPT_BAD_INPUT', `${template}: ${field} must be a whole number ${min}..${max}`, { template, field });
  }
  return value;
}
