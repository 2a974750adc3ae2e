/**
 * The simulated hospital's departments, clinics, waiting queues and returning patients. Deterministic:
 * the same every start, so demos and tests can rely on queue lengths and patient records.
 */
import { chipIdentityFromDg13 } from '../../common/chip-identity.ts';
import type { ChipIdentity } from '../../common/types.ts';
import { PERSONAS } from '../../../../sim/personas/personas.ts';

export interface DemoClinic {
  readonly locationId: string;
  readonly serviceId: string;
  readonly vi: string;
  readonly en: string;
  readonly room: string;
  /** People already waiting when the day starts in the simulator. */
  readonly waiting: number;
}

export interface DemoDepartment {
  readonly id: string;
  readonly vi: string;
  readonly en: string;
  readonly clinics: readonly DemoClinic[];
}

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  {
    id: 'dept-kham-benh', vi: 'Khoa Khám bệnh', en: 'Outpatient Department',
    clinics: [
      { locationId: 'p101', serviceId: 'noi-tong-quat', vi: 'Phòng khám Nội tổng quát', en: 'General Internal Medicine', room: 'P.101 – Tầng 1', waiting: 6 },
      { locationId: 'p103', serviceId: 'tim-mach', vi: 'Phòng khám Tim mạch', en: 'Cardiology', room: 'P.103 – Tầng 1', waiting: 3 },
      { locationId: 'p105', serviceId: 'tieu-hoa', vi: 'Phòng khám Tiêu hóa', en: 'Gastroenterology', room: 'P.105 – Tầng 1', waiting: 0 },
    ],
  },
  {
    id: 'dept-nhi', vi: 'Khoa Nhi', en: 'Paediatrics',
    clinics: [{ locationId: 'p201', serviceId: 'nhi', vi: 'Phòng khám Nhi', en: 'Children\'s Clinic', room: 'P.201 – Tầng 2', waiting: 4 }],
  },
  {
    id: 'dept-ngoai', vi: 'Khoa Ngoại', en: 'Surgery',
    clinics: [
      { locationId: 'p110', serviceId: 'ngoai-tong-quat', vi: 'Phòng khám Ngoại tổng quát', en: 'General Surgery', room: 'P.110 – Tầng 1', waiting: 2 },
      { locationId: 'p112', serviceId: 'chan-thuong', vi: 'Phòng khám Chấn thương chỉnh hình', en: 'Orthopaedics', room: 'P.112 – Tầng 1', waiting: 1 },
    ],
  },
  {
    id: 'dept-tmh', vi: 'Khoa Tai Mũi Họng', en: 'Ear, Nose and Throat',
    clinics: [{ locationId: 'p205', serviceId: 'tai-mui-hong', vi: 'Phòng khám Tai Mũi Họng', en: 'ENT Clinic', room: 'P.205 – Tầng 2', waiting: 5 }],
  },
  {
    id: 'dept-mat', vi: 'Khoa Mắt', en: 'Ophthalmology',
    clinics: [{ locationId: 'p207', serviceId: 'mat', vi: 'Phòng khám Mắt', en: 'Eye Clinic', room: 'P.207 – Tầng 2', waiting: 2 }],
  },
];

/**
 * Patients the simulated hospital already knows (returning patients): two made up here (ID numbers
 * start with 099, which is no province's code) and the demo card persona `tran-thi-bich-ngoc`.
 * The persona `nguyen-van-an` (the demo card) is deliberately not here: he is the new patient.
 */
export const DEMO_RETURNING_PATIENTS: readonly ChipIdentity[] = [
  { idNumber: '099158000123', fullName: 'Trần Thị Bình', dateOfBirth: '1958-04-12', sex: 'female', address: 'Phường Bến Nghé, Thành phố Hồ Chí Minh' },
  { idNumber: '099047000456', fullName: 'Lê Văn Cường', dateOfBirth: '1947-11-03', sex: 'male' },
  chipIdentityFromDg13(PERSONAS['tran-thi-bich-ngoc'].dg13),
];
