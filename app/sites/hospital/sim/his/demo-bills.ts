/**
 * The simulated hospital's bills: what its returning patients owe from the start, and what the
 * doctor orders for a visit registered at the kiosk (so that a demo can register and then pay).
 * Prices are in đồng; health insurance pays its share of each line (BHYT: 80 % for most services
 * and medicines of a patient examined on insurance, nothing of a service examination).
 */
import type { BillKind } from '../../common/billing.ts';

export interface DemoBillLine {
  readonly name: string;
  readonly priceVnd: number;
  /** The share health insurance pays, 0 to 100. */
  readonly insurancePercent: number;
}

export interface DemoBill {
  readonly kind: BillKind;
  readonly title: string;
  readonly lines: readonly DemoBillLine[];
}

const line = (name: string, priceVnd: number, insurancePercent = 80): DemoBillLine => ({ name, priceVnd, insurancePercent });

/** Bills due from the start, by the patient's ID number (all invented people; 099: no province). */
export const DEMO_BILLS: Readonly<Record<string, readonly DemoBill[]>> = {
  // Lê Văn Cường (born 1947): the elderly returning patient of the payment demos.
  '099047000456': [
    {
      kind: 'laboratory',
      title: 'Xét nghiệm máu',
      lines: [line('Tổng phân tích tế bào máu ngoại vi', 90_000), line('Định lượng Glucose', 25_000), line('Định lượng HbA1c', 100_000)],
    },
    { kind: 'imaging', title: 'Chụp X-quang', lines: [line('Chụp X-quang ngực thẳng', 65_000)] },
    { kind: 'pharmacy', title: 'Đơn thuốc ngoại trú', lines: [line('Amlodipin 5 mg × 30 viên', 45_000), line('Metformin 500 mg × 60 viên', 60_000)] },
  ],
  // Trần Thị Bình: a medicine bill only.
  '099158000123': [{ kind: 'pharmacy', title: 'Đơn thuốc ngoại trú', lines: [line('Paracetamol 500 mg × 20 viên', 20_000), line('Vitamin C 500 mg × 30 viên', 30_000, 0)] }],
};

/** What the doctor orders after a visit: a blood test and a prescription, covered as the visit is. */
export function ordersForVisit(onInsurance: boolean): DemoBill[] {
  const share = onInsurance ? 80 : 0;
  return [
    { kind: 'laboratory', title: 'Xét nghiệm máu', lines: [line('Tổng phân tích tế bào máu ngoại vi', 90_000, share), line('Định lượng Glucose', 25_000, share)] },
    { kind: 'pharmacy', title: 'Đơn thuốc ngoại trú', lines: [line('Paracetamol 500 mg × 20 viên', 20_000, share)] },
  ];
}
