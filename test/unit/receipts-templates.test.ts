/** The printer-neutral document and the five templates: pure functions of typed input. */
import { describe, expect, it } from 'vitest';
import { decode as decodeBcbp } from 'bcbp';
import {
  PAPER_58,
  PAPER_80,
  validateDocument,
  wrapText,
  type ReceiptDocument,
} from '../../app/core/receipts/document.ts';
import { formatDateTimeVn, formatVnd, toAsciiUpper } from '../../app/core/receipts/format.ts';
import { bagTag, bcbpName, bcbpString, boardingPass, localizePlace, queueTicket, receipt, visitorPass } from '../../app/core/receipts/index.ts';
import {
  sampleBagTag,
  sampleBoardingPass,
  sampleDocument,
  sampleReceipt,
  sampleTicket,
  sampleVisitor,
  TEMPLATE_NAMES,
} from '../../app/core/receipts/samples.ts';
import { dotsPerLineOf, paperOf, printerConfig } from '../../app/core/receipts/printer-config.ts';

const opts = { paper: PAPER_80 };
const monospace = (s: string) => s.length * 10;

describe('wrapText', () => {
  it('breaks at spaces within the width and keeps explicit newlines', () => {
    expect(wrapText('Phòng khám Nội tổng hợp', 100, monospace)).toEqual(['Phòng khám', 'Nội tổng', 'hợp']);
    expect(wrapText('a b\nc', 1000, monospace)).toEqual(['a b', 'c']);
  });
  it('cuts a word longer than the line into pieces that fit', () => {
    expect(wrapText('TN-2611230127', 50, monospace)).toEqual(['TN-26', '11230', '127']);
  });
});

describe('validateDocument', () => {
  const doc = (blocks: ReceiptDocument['blocks'], dotsPerLine = 576): ReceiptDocument => ({
    kind: 'x',
    paper: { widthMm: 80, dotsPerLine },
    blocks,
  });
  it('names the block and the problem', () => {
    expect(() => validateDocument(doc([], 500))).toThrow(expect.objectContaining({ code: 'RECEIPT_BAD_PAPER' }));
    expect(() => validateDocument(doc([{ kind: 'barcode', symbology: 'interleaved2of5', data: '123', heightDots: 80 }]))).toThrow(
      expect.objectContaining({ code: 'RECEIPT_BAD_BLOCK', message: 'block 0 (barcode): Interleaved 2 of 5 needs an even number of digits' }),
    );
    expect(() => validateDocument(doc([{ kind: 'barcode', symbology: 'code128', data: 'Đ', heightDots: 80 }]))).toThrow(/printable ASCII/);
    expect(() => validateDocument(doc([{ kind: 'qr', data: '' }]))).toThrow(/no data/);
    expect(() => validateDocument(doc([{ kind: 'space', dots: -1 }]))).toThrow(/0\.\.2000/);
  });
});

describe('formatting', () => {
  it('shows times in Vietnam (UTC+7) whatever the machine zone', () => {
    expect(formatDateTimeVn(new Date('2026-11-23T17:30:00Z'))).toBe('00:30 24/11/2026');
  });
  it('groups đồng with dots', () => {
    expect(formatVnd(1_234_500)).toBe('1.234.500 ₫');
    expect(formatVnd(0)).toBe('0 ₫');
    expect(formatVnd(-7800)).toBe('-7.800 ₫');
  });
  it('turns Vietnamese names into BCBP ASCII', () => {
    expect(toAsciiUpper('Nguyễn Đặng Hưởng')).toBe('NGUYEN DANG HUONG');
    expect(bcbpName('Nguyễn', 'Văn An')).toBe('NGUYEN/VANAN');
    expect(bcbpName('Tôn Thất', 'Hoàng Phước Nguyên Khôi')).toBe('TONTHAT/HOANGPHUOCNG');
  });
});

describe('templates', () => {
  it('every sample builds on 58 and 80 mm paper, ends with a cut and validates', () => {
    for (const name of TEMPLATE_NAMES) {
      for (const paper of [PAPER_58, PAPER_80]) {
        const doc = sampleDocument(name, paper);
        expect(doc.kind).toBe(name);
        expect(doc.paper).toBe(paper);
        expect(doc.blocks.at(-1)).toEqual({ kind: 'cut' });
        expect(() => validateDocument(doc)).not.toThrow();
      }
    }
  });

  it('the queue ticket carries the number, room, patient type and encounter QR', () => {
    const doc = queueTicket(sampleTicket, opts);
    const texts = doc.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : b.kind === 'pair' ? [b.left, b.right] : []));
    expect(texts).toContain('0127');
    expect(texts).toContain('Phòng khám Nội tổng hợp – P.105');
    expect(texts).toContain('BHYT 80%');
    expect(texts).toContain('07:42 23/11/2026');
    expect(doc.blocks).toContainEqual(expect.objectContaining({ kind: 'qr', data: 'TN-2611230127' }));
  });

  it('the queue ticket in English: every word it prints itself, and the floor and block of the room', () => {
    const doc = queueTicket({ ...sampleTicket, language: 'en', clinic: 'Internal Medicine', room: 'P.105 – Tầng 1', floor: 'Tầng trệt, Khu A' }, opts);
    const texts = doc.blocks.flatMap((b) => (b.kind === 'text' ? [b.text] : b.kind === 'pair' ? [b.left, b.right] : []));
    expect(texts).toContain('Internal Medicine – P.105 – Floor 1');
    expect(texts).toContain('Ground floor, Block A');
    expect(texts).toContain('Health insurance (BHYT) 80%');
    expect(texts).toContain('1958 / Female');
    // Only the names of the hospital and the person keep their Vietnamese letters.
    const names = new Set([sampleTicket.hospitalName.toUpperCase(), sampleTicket.patientName]);
    const vietnamese = /[ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ]/iu;
    expect(texts.filter((t) => !names.has(t) && vietnamese.test(t))).toEqual([]);
  });

  it('place labels: signage words in English before a code, names and other words left alone', () => {
    expect(localizePlace('P.201 – Tầng 2', 'en')).toBe('P.201 – Floor 2');
    expect(localizePlace('Tòa nhà B, Lầu 3, Phòng 305', 'en')).toBe('Building B, Floor 3, Room 305');
    expect(localizePlace('Tầng 1'.normalize('NFD'), 'en')).toBe('Floor 1');
    expect(localizePlace('Phòng khám Khu Khuê', 'en')).toBe('Phòng khám Khu Khuê');
    expect(localizePlace('P.201 – Tầng 2', 'vi')).toBe('P.201 – Tầng 2');
  });

  it('the boarding pass puts a valid BCBP string in PDF417', () => {
    const doc = boardingPass(sampleBoardingPass, opts);
    const pdf = doc.blocks.find((b) => b.kind === 'pdf417');
    expect(pdf && pdf.kind === 'pdf417' && pdf.data).toBe(bcbpString(sampleBoardingPass));
    const s = bcbpString(sampleBoardingPass);
    expect(s.slice(0, 58)).toBe('M1NGUYEN/VANAN        EABC123 HANSGNVN 0213 074Y012A0042 1');
    expect(decodeBcbp(s, 2026).data?.legs?.[0]?.seatNumber).toBe('012A');
  });

  it('the bag tag encodes the 10-digit plate in Interleaved 2 of 5 with readable digits', () => {
    const doc = bagTag(sampleBagTag, opts);
    expect(doc.blocks).toContainEqual(expect.objectContaining({ kind: 'barcode', symbology: 'interleaved2of5', data: '0738123456' }));
    expect(doc.blocks).toContainEqual(expect.objectContaining({ kind: 'text', text: '0 738 123456' }));
  });

  it('the visitor pass and the receipt carry their ids as Code 128', () => {
    expect(visitorPass(sampleVisitor, opts).blocks).toContainEqual(expect.objectContaining({ kind: 'barcode', symbology: 'code128', data: 'VP-2611-000381' }));
    const r = receipt(sampleReceipt, opts);
    expect(r.blocks).toContainEqual(expect.objectContaining({ kind: 'pair', left: 'TỔNG CỘNG', right: '204.000 ₫' }));
  });

  it('bad input fails with RECEIPT_BAD_INPUT naming the template and field', () => {
    const cases: [() => unknown, string][] = [
      [() => bagTag({ ...sampleBagTag, licencePlate: '073812345' }, opts), 'bag tag: licencePlate must be exactly 10 digits'],
      [() => boardingPass({ ...sampleBoardingPass, from: 'Hà Nội' }, opts), 'boarding pass: from must be a 3-letter IATA code'],
      [() => boardingPass({ ...sampleBoardingPass, surname: '李', givenNames: '' }, opts), 'boarding pass: surname must be a name with Latin letters'],
      [() => boardingPass({ ...sampleBoardingPass, sequence: 0 }, opts), 'boarding pass: sequence must be a whole number 1..9999'],
      [() => queueTicket({ ...sampleTicket, queueNumber: 10_000 }, opts), 'queue ticket: queueNumber must be a whole number 1..9999'],
      [() => queueTicket({ ...sampleTicket, patientName: '  ' }, opts), 'queue ticket: patientName must be 1..200 characters'],
      [() => visitorPass({ ...sampleVisitor, validUntil: sampleVisitor.validFrom }, opts), 'visitor pass: validUntil must be after validFrom'],
      [() => receipt({ ...sampleReceipt, lines: [] }, opts), 'receipt: lines must be 1..100 lines'],
      [() => receipt({ ...sampleReceipt, lines: [{ label: 'x', amountVnd: 1.5 }] }, opts), 'receipt: lines.amountVnd must be whole đồng'],
    ];
    for (const [fn, message] of cases) {
      expect(fn).toThrow(expect.objectContaining({ code: 'RECEIPT_BAD_INPUT', message }));
    }
  });
});

describe('printer config', () => {
  it('defaults dots per line from the paper width and rejects a width that is not whole bytes', () => {
    expect(dotsPerLineOf(printerConfig.parse({ uri: 'file:/tmp/p', paperWidthMm: 58 }))).toBe(384);
    expect(dotsPerLineOf(printerConfig.parse({ uri: 'file:/tmp/p' }))).toBe(576);
    expect(dotsPerLineOf(printerConfig.parse({ uri: 'file:/tmp/p', dotsPerLine: 512 }))).toBe(512);
    expect(printerConfig.safeParse({ uri: 'file:/tmp/p', dotsPerLine: 570 }).success).toBe(false);
    expect(printerConfig.safeParse({ uri: 'lpt1' }).success).toBe(false);
    expect(paperOf(printerConfig.parse({ uri: 'file:/tmp/p', paperWidthMm: 58 }))).toEqual(PAPER_58);
  });
});
