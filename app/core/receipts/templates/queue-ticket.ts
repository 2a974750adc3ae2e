/**
 * Hospital queue ticket ("phiếu số thứ tự"): the large queue number, where to go, who it is for,
 * and the encounter code as a QR for the next counter (kiosk-domain §2.4).
 */
import { TextSize, type Block, type ReceiptDocument } from '../document.ts';
import { formatDateTimeVn, localizePlace, type ReceiptLanguage } from '../format.ts';
import { END, logoBlocks, requireInt, requireMatch, requireText, type TemplateOptions } from './common.ts';

export type PatientType = 'BHYT' | 'VIEN_PHI' | 'DICH_VU';

export interface QueueTicketInput {
  readonly hospitalName: string;
  readonly queueNumber: number;
  readonly clinic: string;
  readonly room: string;
  readonly floor?: string;
  readonly patientName: string;
  readonly birthYear: number;
  readonly sex: 'M' | 'F';
  readonly patientType: PatientType;
  /** BHYT benefit level in percent (80, 95, 100), shown for BHYT patients. */
  readonly benefitPercent?: number;
  readonly registeredAt: Date;
  readonly waitingAhead: number;
  /** Encounter code (mã tiếp nhận) for the next counters: printed as QR and as text. */
  readonly encounterCode: string;
  /** The language the person chose on screen (default Vietnamese); `clinic` comes already in it. */
  readonly language?: ReceiptLanguage;
}

/** Every word the ticket prints itself, in each language the kiosk speaks. */
const WORDS = {
  vi: {
    title: 'PHIẾU SỐ THỨ TỰ KHÁM BỆNH', name: 'Họ tên', birthSex: 'Năm sinh / Giới', female: 'Nữ', male: 'Nam', type: 'Đối tượng',
    types: { BHYT: 'BHYT', VIEN_PHI: 'Viện phí', DICH_VU: 'Dịch vụ' }, registered: 'Giờ đăng ký', ahead: 'Số người đợi trước',
    code: 'Mã tiếp nhận', footer: 'Vui lòng chờ gọi số trên màn hình. Xin cảm ơn!',
  },
  en: {
    title: 'QUEUE TICKET – EXAMINATION', name: 'Name', birthSex: 'Year of birth / Sex', female: 'Female', male: 'Male', type: 'Patient type',
    types: { BHYT: 'Health insurance (BHYT)', VIEN_PHI: 'Hospital fee', DICH_VU: 'Private service' }, registered: 'Registered at', ahead: 'People ahead of you',
    code: 'Encounter code', footer: 'Please wait for your number to be called on the screen. Thank you!',
  },
} as const satisfies Record<ReceiptLanguage, { types: Record<PatientType, string> } & Record<string, unknown>>;

export function queueTicket(input: QueueTicketInput, opts: TemplateOptions): ReceiptDocument {
  const t = 'queue ticket';
  requireText(t, 'hospitalName', input.hospitalName);
  requireText(t, 'patientName', input.patientName);
  // FHIR logical ids: up to 64 letters, digits, dashes and dots.
  requireMatch(t, 'encounterCode', input.encounterCode, /^[A-Za-z0-9.-]{4,64}$/, '4..64 letters, digits, dashes or dots');
  requireInt(t, 'queueNumber', input.queueNumber, 1, 9999);
  requireInt(t, 'birthYear', input.birthYear, 1900, 2100);
  requireInt(t, 'waitingAhead', input.waitingAhead, 0, 9999);
  const lang = input.language ?? 'vi';
  const w = WORDS[lang];
  const type = `${w.types[input.patientType]}${input.patientType === 'BHYT' && input.benefitPercent !== undefined ? ` ${input.benefitPercent}%` : ''}`;
  const blocks: Block[] = [
    ...logoBlocks(opts),
    { kind: 'text', text: input.hospitalName.toUpperCase(), size: TextSize.medium, bold: true, align: 'center' },
    { kind: 'text', text: w.title, size: TextSize.normal, align: 'center' },
    { kind: 'rule' },
    { kind: 'text', text: String(input.queueNumber).padStart(4, '0'), size: TextSize.huge, bold: true, align: 'center' },
    { kind: 'text', text: `${input.clinic} – ${localizePlace(input.room, lang)}`, size: TextSize.medium, bold: true, align: 'center' },
    ...(input.floor ? [{ kind: 'text', text: localizePlace(input.floor, lang), align: 'center' } as const] : []),
    { kind: 'space', dots: 8 },
    { kind: 'rule', dashed: true },
    { kind: 'pair', left: w.name, right: input.patientName, bold: true },
    { kind: 'pair', left: w.birthSex, right: `${input.birthYear} / ${input.sex === 'F' ? w.female : w.male}` },
    { kind: 'pair', left: w.type, right: type },
    { kind: 'pair', left: w.registered, right: formatDateTimeVn(input.registeredAt) },
    { kind: 'pair', left: w.ahead, right: String(input.waitingAhead) },
    { kind: 'rule', dashed: true },
    { kind: 'space', dots: 8 },
    { kind: 'qr', data: input.encounterCode, moduleDots: 6, ecc: 'M', align: 'center' },
    { kind: 'text', text: `${w.code}: ${input.encounterCode}`, size: TextSize.small, align: 'center' },
    { kind: 'space', dots: 8 },
    { kind: 'text', text: w.footer, size: TextSize.small, align: 'center' },
    ...END,
  ];
  return { kind: 'ticket', reference: String(input.queueNumber).padStart(4, '0'), paper: opts.paper, blocks };
}
