/** The Vietnamese letters a receipt must print, and the known text of the golden image. */
import { PAPER_80, type ReceiptDocument } from '../../../app/core/receipts/document.ts';

const VOWELS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
/** No mark, huyền, sắc, hỏi, ngã, nặng. */
const TONES = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];

/** 146 letters: 12 vowels × 6 tones and đ, lower and upper case, in NFC (134 of them non-ASCII). */
export const VIETNAMESE_LETTERS: string[] = (() => {
  const lower = VOWELS.flatMap((v) => TONES.map((t) => (v + t).normalize('NFC')));
  lower.push('đ');
  return [...lower, ...lower.map((c) => c.toUpperCase())];
})();

/** The golden text: every letter, plus real phrases with stacked marks. */
export const GOLDEN_TEXT = [
  'Nguyễn Thị Ánh Tuyết – Đặng Quốc Hưởng',
  'Phiếu số thứ tự khám bệnh: Phòng khám Nội',
  'BỆNH VIỆN ĐA KHOA – THẺ LÊN TÀU BAY',
  VIETNAMESE_LETTERS.slice(0, 67).join(''),
  VIETNAMESE_LETTERS.slice(67).join(''),
];

export function goldenDocument(): ReceiptDocument {
  return {
    kind: 'golden',
    paper: PAPER_80,
    blocks: GOLDEN_TEXT.flatMap((text, i) => [{ kind: 'text', text, size: 24, bold: i === 2 } as const]),
  };
}
