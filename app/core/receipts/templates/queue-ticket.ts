/**
 * Hospital queue ticket ("phiếu số thứ tự"): the large queue number, where to go, who it is for,
 * and the encounter code as a QR for the next counter (kiosk-domain §2.4).
 */
import { TextSize, type Block, type ReceiptDocument } from '../document.ts';
import { formatDateTimeVn } from '../format.ts';
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
}

const PATIENT_TYPE_VI: Record<PatientType, string> = { BHYT: 'BHYT', VIEN_PHI: 'Viện phí', DICH_VU: 'Dịch vụ' };

export function queueTicket(input: QueueTicketInput, opts: TemplateOptions): ReceiptDocument {
  const t = 'queue ticket';
  requireText(t, 'hospitalName', input.hospitalName);
  requireText(t, 'patientName', input.patientName);
  // FHIR logical ids: up to 64 letters, digits, dashes and dots.
  requireMatch(t, 'encounterCode', input.encounterCode, /^[A-Za-z0-9.-]{4,64}$/, '4..64 letters, digits, dashes or dots');
  requireInt(t, 'queueNumber', input.queueNumber, 1, 9999);
  requireInt(t, 'birthYear', input.birthYear, 1900, 2100);
  requireInt(t, 'waitingAhead', input.waitingAhead, 0, 9999);
  const type =
    input.patientType === 'BHYT' && input.benefitPercent !== undefined
      ? `BHYT ${input.benefitPercent}%`
      : PATIENT_TYPE_VI[input.patientType];
  const blocks: Block[] = [
    ...logoBlocks(opts),
    { kind: 'text', text: input.hospitalName.toUpperCase(), size: TextSize.medium, bold: true, align: 'center' },
    { kind: 'text', text: 'PHIẾU SỐ THỨ TỰ KHÁM BỆNH', size: TextSize.normal, align: 'center' },
    { kind: 'rule' },
    { kind: 'text', text: String(input.queueNumber).padStart(4, '0'), size: TextSize.huge, bold: true, align: 'center' },
    { kind: 'text', text: `${input.clinic} – ${input.room}`, size: TextSize.medium, bold: true, align: 'center' },
    ...(input.floor ? [{ kind: 'text', text: input.floor, align: 'center' } as const] : []),
    { kind: 'space', dots: 8 },
    { kind: 'rule', dashed: true },
    { kind: 'pair', left: 'Họ tên', right: input.patientName, bold: true },
    { kind: 'pair', left: 'Năm sinh / Giới', right: `${input.birthYear} / ${input.sex === 'F' ? 'Nữ' : 'Nam'}` },
    { kind: 'pair', left: 'Đối tượng', right: type },
    { kind: 'pair', left: 'Giờ đăng ký', right: formatDateTimeVn(input.registeredAt) },
    { kind: 'pair', left: 'Số người đợi trước', right: String(input.waitingAhead) },
    { kind: 'rule', dashed: true },
    { kind: 'space', dots: 8 },
    { kind: 'qr', data: input.encounterCode, moduleDots: 6, ecc: 'M', align: 'center' },
    { kind: 'text', text: `Mã tiếp nhận: ${input.encounterCode}`, size: TextSize.small, align: 'center' },
    { kind: 'space', dots: 8 },
    { kind: 'text', text: 'Vui lòng chờ gọi số trên màn hình. Xin cảm ơn!', size: TextSize.small, align: 'center' },
    ...END,
  ];
  return { kind: 'ticket', reference: String(input.queueNumber).padStart(4, '0'), paper: opts.paper, blocks };
}
