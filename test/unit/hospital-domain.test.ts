import { describe, expect, it } from 'vitest';
import { kioskConfig } from '../../app/host/config-loader.ts';
import { DEFAULT_CCCD_SYSTEM, hospitalConfig } from '../../app/sites/hospital/common/config.ts';
import {
  KNOWN_RESULT_CODES,
  allowsInsuranceVisit,
  insuranceOutcome,
  insuranceResult,
  insuranceWithoutAnswer,
  isInsuranceCardNumber,
  statusOfCode,
  type InsuranceStatus,
} from '../../app/sites/hospital/common/insurance.ts';
import { buildDg13, parseDg13 } from '../../app/core/cccd/dg13.ts';
import { chipIdentityFromDg13, insuranceQueryFor } from '../../app/sites/hospital/common/chip-identity.ts';
import { PERSONAS } from '../../app/sim/personas/personas.ts';
import { localDay } from '../../app/sites/hospital/common/local-day.ts';
import { HospitalError, assertChipIdentity } from '../../app/sites/hospital/common/types.ts';
import { nameInitials, needsPendingVerification } from '../../app/sites/hospital/common/visit-record.ts';

describe('BHYT result codes (reference §2.3)', () => {
  it('covers every code of the reference table', () => {
    const table = ['000', '001', '002', '003', '004', '010', '050', '051', '052', '053', '060', '061', '070', '080', '090', '100', '101', '110', '120', '121', '122', '123', '124', '130', '205', '401'];
    expect([...KNOWN_RESULT_CODES].sort()).toEqual(table.sort());
    for (const code of table) expect(statusOfCode(code)).not.toBe('unknown-code');
  });

  it('an unknown code is neither valid nor silent: it sends the patient to staff', () => {
    const r = insuranceResult('999');
    expect(r).toMatchObject({ status: 'unknown-code', advice: 'staff', code: '999' });
    expect(allowsInsuranceVisit(r)).toBe(false);
  });

  it('only valid cards open the insurance path', () => {
    const open = KNOWN_RESULT_CODES.filter((c) => allowsInsuranceVisit(insuranceResult(c)));
    expect(open).toEqual(['000', '003', '004']);
  });

  it('every outcome has distinct plain messages in Vietnamese and English', () => {
    const statuses: InsuranceStatus[] = [...new Set(KNOWN_RESULT_CODES.map(statusOfCode)), 'unavailable', 'unknown-code'];
    const vi = new Set<string>();
    const en = new Set<string>();
    for (const s of statuses) {
      const { message } = insuranceOutcome(s);
      expect(message.vi).toMatch(/[ạảãàáâậầấẩẫăắằặẳẵêềếểễệôốồổỗộơớờởỡợưứừửữựđ]/i); // real Vietnamese, with diacritics
      expect(message.en).toMatch(/^[A-Z]/);
      vi.add(message.vi);
      en.add(message.en);
    }
    expect(vi.size).toBe(statuses.length);
    expect(en.size).toBe(statuses.length);
  });

  it('results without a gateway answer carry no code', () => {
    expect(insuranceWithoutAnswer('unavailable')).toMatchObject({ status: 'unavailable', advice: 'retry', code: null });
  });

  it('recognises the two card-number forms', () => {
    expect(isInsuranceCardNumber('099158000123')).toBe(true);
    expect(isInsuranceCardNumber('HT3799158000123')).toBe(true);
    expect(isInsuranceCardNumber('HT379915800012')).toBe(false);
    expect(isInsuranceCardNumber('ht3799158000123')).toBe(false);
  });
});

describe('visit record policies', () => {
  it('initials keep only the first letter of each word, in Vietnamese case', () => {
    expect(nameInitials('Nguyễn Văn An')).toBe('N.V.A.');
    expect(nameInitials('  đặng   thị ánh  ')).toBe('Đ.T.Á.');
    // Decomposed input (as some keyboards produce) gives the same initials.
    expect(nameInitials('Ánh'.normalize('NFD'))).toBe('Á.');
  });

  it('a visit registered while the central service was unreachable is pending verification', () => {
    const base = { pa: 'pass', clone: 'pass', faceScore: 0.8 } as const;
    expect(needsPendingVerification({ ...base, central: 'unreachable' })).toBe(true);
    expect(needsPendingVerification({ ...base, central: 'confirmed' })).toBe(false);
  });

  it('chip identity is checked before it reaches the hospital, naming only the field', () => {
    const ok = { idNumber: '099290001234', fullName: 'Phạm Thị Dung', dateOfBirth: '1990', sex: 'female' as const };
    expect(() => assertChipIdentity(ok)).not.toThrow();
    for (const bad of [{ idNumber: '09929000123' }, { fullName: '  ' }, { dateOfBirth: '1990-13-01' }]) {
      try {
        assertChipIdentity({ ...ok, ...bad });
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(HospitalError);
        expect((e as HospitalError).code).toBe('HOSPITAL_INVALID_INPUT');
        expect(e as Error).not.toHaveProperty('message', expect.stringContaining('0992900'));
      }
    }
  });

  it('today is the hospital\'s day, not UTC\'s', () => {
    expect(localDay(new Date('2026-11-23T18:30:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-11-24');
    expect(localDay(new Date('2026-11-23T16:59:59Z'), 'Asia/Ho_Chi_Minh')).toBe('2026-11-23');
  });
});

describe('hospital config section', () => {
  it('a minimal section runs on the simulators with payment and face off', () => {
    const c = hospitalConfig.parse({ hospitalName: 'Bệnh viện A' });
    expect(c.his).toMatchObject({ adapter: 'sim', identifierSystem: DEFAULT_CCCD_SYSTEM });
    expect(c.insurance).toEqual({ adapter: 'sim', port: 0 });
    expect(c.returningByFace).toBe(false);
    expect(c.payment).toBeUndefined();
  });

  it('a real site takes FHIR and BHXH settings with secrets as references only', () => {
    const c = hospitalConfig.parse({
      hospitalName: 'Bệnh viện A',
      his: { adapter: 'fhir', baseUrl: 'https://his.bv-a.local/fhir', auth: { kind: 'bearer', token: { env: 'HIS_TOKEN' } }, queueNumber: { source: 'operation' } },
      insurance: {
        adapter: 'bhxh', gatewayUrl: 'https://gateway.example', username: { env: 'BHXH_USER' }, password: { file: 'secrets/bhxh.pw' },
        staffName: { env: 'BHXH_STAFF_NAME' }, staffCccd: { env: 'BHXH_STAFF_CCCD' },
      },
      payment: { bankBin: '970415', accountNumber: '113366668888' },
      serviceFeeVnd: 150000,
      visitRetentionDays: 7,
    });
    expect(c.his.adapter === 'fhir' && c.his.queueNumber).toEqual({ source: 'operation', name: '$queue-number' });
    expect(c.insurance.adapter === 'bhxh' && c.insurance.checkPath).toBe('/api/egw/KQNhanLichSuKCB2024');
    expect(c.insurance.adapter === 'bhxh' && c.insurance.passwordHashing).toBe('md5');
  });

  it('refuses a password written into the profile, a bad BIN and unknown keys', () => {
    const base = { hospitalName: 'A' };
    expect(hospitalConfig.safeParse({ ...base, insurance: { adapter: 'bhxh', gatewayUrl: 'https://g.example', username: { env: 'U' }, password: 'hunter2', staffName: { env: 'N' }, staffCccd: { env: 'C' } } }).success).toBe(false);
    expect(hospitalConfig.safeParse({ ...base, payment: { bankBin: '97041', accountNumber: '1' } }).success).toBe(false);
    expect(hospitalConfig.safeParse({ ...base, hisUrl: 'x' }).success).toBe(false);
    expect(hospitalConfig.safeParse({ ...base, his: { adapter: 'fhir', baseUrl: 'file:///etc/passwd' } }).success).toBe(false);
  });

  it('is the site section of a hospital profile, and of no other kind', () => {
    const site = kioskConfig.shape.site;
    const parsed = site.parse({ id: 'bv-a', name: 'Bệnh viện A', kind: 'hospital', hospitalName: 'Bệnh viện A' });
    expect(parsed).toMatchObject({ id: 'bv-a', kind: 'hospital', insurance: { adapter: 'sim', port: 0 }, returningByFace: false });
    expect(site.safeParse({ id: 'bv-a', name: 'A', kind: 'hospital', hospitalName: 'A', payment: { bankBin: '97041', accountNumber: '1' } }).success).toBe(false);
    expect(site.safeParse({ id: 'sgn', name: 'Sân bay', kind: 'airport', iataCode: 'SGN', hospitalName: 'A' }).success).toBe(false);
  });
});

describe('chip identity for the hospital', () => {
  it('takes only what the hospital needs from a parsed DG13', () => {
    const dg13 = parseDg13(buildDg13(PERSONAS['nguyen-van-an'].dg13));
    const identity = chipIdentityFromDg13(dg13);
    expect(identity).toEqual({
      idNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17', sex: 'male',
      address: 'Số 1, Phường D, Quận E, Thành phố F',
    });
    expect(insuranceQueryFor(identity)).toEqual({ cardNumber: '001092012345', fullName: 'Nguyễn Văn An', dateOfBirth: '1992-03-17' });
  });

  it('accepts a year-only birth date and an unknown sex; refuses a missing or impossible one', () => {
    const base = { idNumber: '099290001234', fullName: 'Phạm  Thị Dung', dateOfBirth: '1990', sex: 'Nữ' };
    expect(chipIdentityFromDg13(base)).toMatchObject({ dateOfBirth: '1990', sex: 'female', fullName: 'Phạm Thị Dung' });
    expect(chipIdentityFromDg13({ ...base, sex: undefined }).sex).toBe('unknown');
    for (const bad of [{ dateOfBirth: '31/02/1990' }, { dateOfBirth: undefined }, { idNumber: undefined }, { fullName: '' }]) {
      expect(() => chipIdentityFromDg13({ ...base, ...bad })).toThrow(HospitalError);
    }
  });
});
