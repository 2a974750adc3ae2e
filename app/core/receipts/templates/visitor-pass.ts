/**
 * Visitor pass for a factory or office gate: who, whom they visit, where and until when, and the pass
 * id as a QR the turnstile reader scans (kiosk-domain §3).
 */
import { TextSize, type ReceiptDocument } from '../document.ts';
import { formatDateTimeVn } from '../format.ts';
import { END, badInput, logoBlocks, requireMatch, requireText, type TemplateOptions } from './common.ts';

export interface VisitorPassInput {
  readonly siteName: string;
  readonly visitorName: string;
  readonly company?: string;
  readonly hostName: string;
  readonly zones: readonly string[];
  readonly validFrom: Date;
  readonly validUntil: Date;
  /** Short pass id staff can read and type; printed as Code 128 (and as the QR unless `qr` is given). */
  readonly passId: string;
  /** The QR's text when it is more than the id, e.g. a signed pass the door checks offline. */
  readonly qr?: string;
}

const T = 'visitor pass';

export function visitorPass(input: VisitorPassInput, opts: TemplateOptions): ReceiptDocument {
  requireText(T, 'siteName', input.siteName);
  requireText(T, 'visitorName', input.visitorName);
  requireText(T, 'hostName', input.hostName);
  requireMatch(T, 'passId', input.passId, /^[A-Z0-9-]{6,32}$/, '6..32 upper-case letters, digits or dashes');
  if (input.qr !== undefined && !/^[\x21-\x7e]{1,400}$/.test(input.qr)) throw badInput(T, 'qr', '1..400 printable ASCII characters');
  if (!(input.validUntil.getTime() > input.validFrom.getTime())) {
    throw badInput(T, 'validUntil', 'after validFrom');
  }
  return {
    kind: 'visitor',
    paper: opts.paper,
    blocks: [
      ...logoBlocks(opts),
      { kind: 'text', text: input.siteName.toUpperCase(), size: TextSize.medium, bold: true, align: 'center' },
      { kind: 'text', text: 'THẺ KHÁCH / VISITOR', size: TextSize.large, bold: true, align: 'center' },
      { kind: 'rule' },
      { kind: 'text', text: input.visitorName, size: TextSize.large, bold: true, align: 'center' },
      ...(input.company ? [{ kind: 'text', text: input.company, align: 'center' } as const] : []),
      { kind: 'space', dots: 8 },
      { kind: 'pair', left: 'Gặp / Host', right: input.hostName },
      { kind: 'pair', left: 'Khu vực / Zones', right: input.zones.join(', ') || '—' },
      { kind: 'pair', left: 'Từ / From', right: formatDateTimeVn(input.validFrom) },
      { kind: 'pair', left: 'Đến / Until', right: formatDateTimeVn(input.validUntil), bold: true },
      { kind: 'space', dots: 12 },
      { kind: 'qr', data: input.qr ?? input.passId, moduleDots: input.qr && input.qr.length > 80 ? 5 : 8, ecc: 'Q', align: 'center' },
      { kind: 'space', dots: 8 },
      { kind: 'barcode', symbology: 'code128', data: input.passId, heightDots: 64, moduleDots: 2, align: 'center' },
      { kind: 'text', text: input.passId, size: TextSize.small, align: 'center' },
      { kind: 'space', dots: 8 },
      { kind: 'text', text: 'Đeo thẻ khi ở trong khu vực và trả lại tại cổng khi ra về.', size: TextSize.small, align: 'center' },
      ...END,
    ],
  };
}
