import type { Citizen } from './registry.ts';

/**
 * Synthetic demo citizens (no real person). The first follows the synthetic DG13 vector of the
 * reference notes (§1.2); the others exercise the REVOKED and EXPIRED verdicts.
 */
export const DEMO_CITIZENS: readonly (Citizen & { revoked?: boolean })[] = [
  { idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '17/03/1992', sex: 'Nam', dateOfExpiry: '17/03/2032' },
  { idNumber: '079185000111', fullName: 'Trần Thị Bích', dateOfBirth: '02/11/1985', sex: 'Nữ', dateOfExpiry: '02/11/2030', revoked: true },
  { idNumber: '048060000222', fullName: 'Lê Văn Cường', dateOfBirth: '05/06/1960', sex: 'Nam', dateOfExpiry: '05/06/2020' },
  { idNumber: '031299000333', fullName: 'Phạm Thu Dung', dateOfBirth: '21/09/1999', sex: 'Nữ', dateOfExpiry: '21/09/2039' },
];
