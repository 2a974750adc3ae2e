/**
 * Fictional inputs for each template: used by `print-test`, the previews under docs/receipts/, the
 * benchmark and the tests. The people are invented; every Vietnamese diacritic family appears.
 */
import type { Paper, ReceiptDocument } from './document.ts';
import type { ReceiptLanguage } from './format.ts';
import { queueTicket, type QueueTicketInput } from './templates/queue-ticket.ts';
import { boardingPass, type BoardingPassInput } from './templates/boarding-pass.ts';
import { bagTag, type BagTagInput } from './templates/bag-tag.ts';
import { visitorPass, type VisitorPassInput } from './templates/visitor-pass.ts';
import { receipt, type ReceiptInput } from './templates/receipt.ts';

export const TEMPLATE_NAMES = ['ticket', 'boarding-pass', 'bag-tag', 'visitor', 'receipt'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export function isTemplateName(s: string): s is TemplateName {
  return (TEMPLATE_NAMES as readonly string[]).includes(s);
}

export const sampleTicket: QueueTicketInput = {
  hospitalName: 'Bệnh viện Đa khoa Tỉnh Quảng Ngãi',
  queueNumber: 127,
  clinic: 'Phòng khám Nội tổng hợp',
  room: 'P.105',
  floor: 'Tầng 1, Khu A',
  patientName: 'Nguyễn Thị Ánh Tuyết',
  birthYear: 1958,
  sex: 'F',
  patientType: 'BHYT',
  benefitPercent: 80,
  registeredAt: new Date('2026-11-23T00:42:00Z'),
  waitingAhead: 14,
  encounterCode: 'TN-2611230127',
};

export const sampleBoardingPass: BoardingPassInput = {
  airlineName: 'Vietnam Airlines',
  surname: 'Nguyễn',
  givenNames: 'Văn An',
  pnr: 'ABC123',
  from: 'HAN',
  to: 'SGN',
  fromCity: 'Hà Nội',
  toCity: 'TP. Hồ Chí Minh',
  carrier: 'VN',
  flightNumber: '213',
  flightDate: '2026-03-15',
  compartment: 'Y',
  seat: '12A',
  sequence: 42,
  departureTime: '08:30',
  boardingTime: '07:50',
  gate: '14',
};

export const sampleBagTag: BagTagInput = {
  licencePlate: '0738123456',
  passengerSurname: 'Nguyễn',
  from: 'HAN',
  to: 'SGN',
  toCity: 'TP. Hồ Chí Minh',
  carrier: 'VN',
  flightNumber: '213',
  flightDate: '2026-03-15',
  bagIndex: 1,
  bagCount: 2,
};

export const sampleVisitor: VisitorPassInput = {
  siteName: 'Công ty TNHH Điện tử Bắc Ninh',
  visitorName: 'Trần Đức Hưởng',
  company: 'Công ty Cổ phần Kỹ thuật Việt Ấn',
  hostName: 'Lê Thị Mỹ Dung',
  zones: ['Sảnh A', 'Xưởng 3'],
  validFrom: new Date('2026-11-23T01:00:00Z'),
  validUntil: new Date('2026-11-23T10:00:00Z'),
  passId: 'VP-2611-000381',
};

export const sampleReceipt: ReceiptInput = {
  merchant: 'Bệnh viện Đa khoa Tỉnh Quảng Ngãi',
  address: '96 Nguyễn Nghiêm, TP. Quảng Ngãi',
  title: 'BIÊN LAI THU TIỀN',
  lines: [
    { label: 'Khám bệnh (đồng chi trả 20%)', amountVnd: 7_800 },
    { label: 'Xét nghiệm công thức máu', amountVnd: 46_200 },
    { label: 'Siêu âm ổ bụng tổng quát', amountVnd: 150_000 },
  ],
  paidBy: 'VietQR',
  issuedAt: new Date('2026-11-23T02:15:00Z'),
  reference: 'BL-2611-004512',
  footer: 'Giữ biên lai để đối chiếu khi cần. Cảm ơn quý khách!',
};

/** The sample document of a template on the given paper; the queue ticket in the given language (default Vietnamese). */
export function sampleDocument(name: TemplateName, paper: Paper, o: { logo?: Uint8Array; language?: ReceiptLanguage } = {}): ReceiptDocument {
  const opts = o.logo ? { paper, logo: o.logo } : { paper };
  switch (name) {
    case 'ticket':
      return queueTicket(o.language ? { ...sampleTicket, language: o.language } : sampleTicket, opts);
    case 'boarding-pass':
      return boardingPass(sampleBoardingPass, opts);
    case 'bag-tag':
      return bagTag(sampleBagTag, opts);
    case 'visitor':
      return visitorPass(sampleVisitor, opts);
    case 'receipt':
      return receipt(sampleReceipt, opts);
  }
}
