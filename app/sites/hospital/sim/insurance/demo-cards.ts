/**
 * The BHXH simulator's cards. Two kinds, both deterministic:
 *  - scenario numbers `099000000` + a result code (e.g. 099000000010 → 010 expired): the gateway
 *    answers that code whatever name is sent, so every code can be shown and tested;
 *  - registered cards (people with a real-looking record): the simulator checks name, date of
 *    birth and validity dates itself, the way the gateway does.
 * Made-up IDs start with 099, which is no province's code, so none can be a real person's; the
 * demo card personas have cards too: `nguyen-van-an` a valid one, `tran-thi-bich-ngoc` an expired one.
 */
import { chipIdentityFromDg13 } from '../../common/chip-identity.ts';
import { KNOWN_RESULT_CODES } from '../../common/insurance.ts';
import { PERSONAS } from '../../../../sim/personas/personas.ts';

export interface SimCard {
  /** 12-digit CCCD (the gateway accepts it as maThe) or the 15-character BHYT number. */
  readonly cccd: string;
  readonly bhytNumber: string;
  readonly fullName: string;
  /** `YYYY-MM-DD`. */
  readonly dateOfBirth: string;
  readonly sex: 'male' | 'female';
  /** Facility of initial registration (maDKBD). */
  readonly registeredFacility: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** Suspended, revoked…: a code the card answers with once name and birth date match. */
  readonly forcedCode?: string;
}

export const SCENARIO_PREFIX = '099000000';

/** The scenario number answering `code`, e.g. scenarioNumber('010') = '099000000010'. */
export function scenarioNumber(code: string): string {
  return `${SCENARIO_PREFIX}${code}`;
}

/** Every known code has a scenario number. */
export const SCENARIO_NUMBERS: ReadonlyMap<string, string> = new Map(KNOWN_RESULT_CODES.map((c) => [scenarioNumber(c), c]));

/** A scenario number on which the simulated gateway crashes (HTTP 500), for the "unavailable" path. */
export const CRASH_NUMBER = '099000000500';

const an = chipIdentityFromDg13(PERSONAS['nguyen-van-an'].dg13);
const ngoc = chipIdentityFromDg13(PERSONAS['tran-thi-bich-ngoc'].dg13);

export const DEMO_INSURANCE_CARDS: readonly SimCard[] = [
  {
    cccd: '099158000123', bhytNumber: 'HT3799158000123', fullName: 'Trần Thị Bình', dateOfBirth: '1958-04-12', sex: 'female',
    registeredFacility: '79001', validFrom: '2025-01-01', validTo: '2099-12-31',
  },
  {
    cccd: '099047000456', bhytNumber: 'HT2799047000456', fullName: 'Lê Văn Cường', dateOfBirth: '1947-11-03', sex: 'male',
    registeredFacility: '79001', validFrom: '2024-01-01', validTo: '2025-12-31',
  },
  {
    cccd: an.idNumber, bhytNumber: 'HT3010092012345', fullName: an.fullName, dateOfBirth: an.dateOfBirth, sex: 'male',
    registeredFacility: '79001', validFrom: '2026-01-01', validTo: '2099-12-31',
  },
  {
    cccd: ngoc.idNumber, bhytNumber: 'SV4790301000123', fullName: ngoc.fullName, dateOfBirth: ngoc.dateOfBirth, sex: 'female',
    registeredFacility: '79001', validFrom: '2024-09-01', validTo: '2025-08-31',
  },
];
