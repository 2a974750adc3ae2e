import { PERSONAS } from '../personas/personas.ts';
import type { Persona } from '../personas/personas.ts';
import type { Citizen } from './registry.ts';

/**
 * The reference registry's demo citizens (all synthetic): every CCCD persona of the virtual card,
 * so the demo's cards are known, plus registry-only people that exercise REVOKED and EXPIRED.
 */
const fromPersonas: Citizen[] = Object.values(PERSONAS as Record<string, Persona>).flatMap((p) =>
  p.kind === 'cccd' && p.idNumber && p.dg13?.fullName && p.dg13.dateOfBirth
    ? [{ idNumber: p.idNumber, fullName: p.dg13.fullName, dateOfBirth: p.dg13.dateOfBirth, ...(p.dg13.sex ? { sex: p.dg13.sex } : {}), ...(p.dg13.dateOfExpiry ? { dateOfExpiry: p.dg13.dateOfExpiry } : {}) }]
    : [],
);

export const DEMO_CITIZENS: readonly (Citizen & { revoked?: boolean })[] = [
  ...fromPersonas,
  { idNumber: '079185000111', fullName: 'Trần Thị Bích', dateOfBirth: '02/11/1985', sex: 'Nữ', dateOfExpiry: '02/11/2030', revoked: true },
  { idNumber: '048060000222', fullName: 'Lê Văn Cường', dateOfBirth: '05/06/1960', sex: 'Nam', dateOfExpiry: '05/06/2020' },
  { idNumber: '031299000333', fullName: 'Phạm Thu Dung', dateOfBirth: '21/09/1999', sex: 'Nữ', dateOfExpiry: '21/09/2039' },
];
