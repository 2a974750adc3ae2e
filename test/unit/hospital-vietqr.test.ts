import fc from 'fast-check';
import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../app/core/errors.ts';
import { buildVietQr, crc16Ccitt, emvField, parseEmvFields, parseVietQr } from '../../app/core/payments/vietqr.ts';

// Cross-checks use the MIT npm package `vietnam-qr-pay` (devDependency, tests only): an encoder
// and CRC written by someone else, against which our payloads must agree byte for byte.

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the catalogued check value for "123456789"', () => {
    // The standard check value of CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF).
    expect(crc16Ccitt('123456789')).toBe(0x29b1);
    expect(crc16Ccitt('')).toBe(0xffff);
  });

  it('agrees with an independent implementation on arbitrary ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFabcdef .-/'.split('')), maxLength: 200 }), (s) => {
        expect(crc16Ccitt(s).toString(16).toUpperCase().padStart(4, '0')).toBe(QRPay.genCRCCode(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe('VietQR payload', () => {
  it('reproduces a published static VietQR exactly (vietnam-qr-pay README, ACB example)', () => {
    // Known-good payload printed in the package's README (a real bank's static QR); CRC AE9F.
    const published = '00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F';
    expect(parseVietQr(published)).toEqual({ bankBin: '970416', accountNumber: '257678859' });
    expect(buildVietQr({ bankBin: '970416', accountNumber: '257678859' })).toBe(published);
  });

  it('is field for field what an independent encoder makes (static, no amount)', () => {
    const ours = buildVietQr({ bankBin: '970436', accountNumber: '0011004123456' });
    const theirs = QRPay.initVietQR({ bankBin: '970436', bankNumber: '0011004123456' }).build();
    expect(ours).toBe(theirs);
    expect(ours.startsWith('000201010211')).toBe(true);
  });

  it('matches the independent encoder with amount and purpose, and carries the NAPAS fields', () => {
    const ours = buildVietQr({ bankBin: '970415', accountNumber: '113366668888', amountVnd: 150000, purpose: 'Vien phi HD20261123' });
    const theirs = QRPay.initVietQR({ bankBin: '970415', bankNumber: '113366668888', amount: '150000', purpose: 'Vien phi HD20261123' }).build();
    expect(ours).toBe(theirs);
    const top = parseEmvFields(ours);
    expect(top.get('01')).toBe('12');
    expect(top.get('53')).toBe('704');
    expect(top.get('54')).toBe('150000');
    expect(top.get('58')).toBe('VN');
    const account = parseEmvFields(top.get('38')!);
    expect(account.get('00')).toBe('A000000727');
    expect(account.get('02')).toBe('QRIBFTTA');
    expect(parseEmvFields(account.get('01')!)).toEqual(new Map([['00', '970415'], ['01', '113366668888']]));
  });

  it('puts the bill number in 62-01, which the independent decoder reads back', () => {
    const ours = buildVietQr({ bankBin: '970436', accountNumber: '0011004123456', amountVnd: 50000, billNumber: 'HD20261123A1B2C3' });
    const decoded = new QRPay(ours);
    expect(decoded.isValid).toBe(true);
    expect(decoded.additionalData.billNumber).toBe('HD20261123A1B2C3');
    expect(decoded.amount).toBe('50000');
    expect(decoded.consumer.bankBin).toBe('970436');
    expect(decoded.consumer.bankNumber).toBe('0011004123456');
  });

  it('round-trips through our own parser, and any changed character breaks the CRC', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^9704\d{2}$/),
        fc.stringMatching(/^\d{6,19}$/),
        fc.integer({ min: 1, max: 999_999_999 }),
        fc.stringMatching(/^[A-Z0-9]{1,25}$/),
        (bankBin, accountNumber, amountVnd, billNumber) => {
          const payload = buildVietQr({ bankBin, accountNumber, amountVnd, billNumber });
          expect(parseVietQr(payload)).toEqual({ bankBin, accountNumber, amountVnd, billNumber });
          const i = payload.length - 10; // inside field 62's value
          const flipped = payload.slice(0, i) + (payload[i] === 'X' ? 'Y' : 'X') + payload.slice(i + 1);
          expect(() => parseVietQr(flipped)).toThrow(/CRC/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses inputs a bank app would reject, with typed errors', () => {
    const code = (f: () => unknown) => {
      try { f(); } catch (e) { expect(e).toBeInstanceOf(ParseError); return (e as ParseError).code; }
      throw new Error('did not throw');
    };
    expect(code(() => buildVietQr({ bankBin: '97041', accountNumber: '1' }))).toBe('VIETQR_BAD_BANK_BIN');
    expect(code(() => buildVietQr({ bankBin: '970415', accountNumber: '12-34' }))).toBe('VIETQR_BAD_ACCOUNT');
    expect(code(() => buildVietQr({ bankBin: '970415', accountNumber: '1234', amountVnd: 0 }))).toBe('VIETQR_BAD_AMOUNT');
    expect(code(() => buildVietQr({ bankBin: '970415', accountNumber: '1234', amountVnd: 10.5 }))).toBe('VIETQR_BAD_AMOUNT');
    expect(code(() => buildVietQr({ bankBin: '970415', accountNumber: '1234', purpose: 'Viện phí' }))).toBe('VIETQR_NOT_ASCII');
    expect(code(() => emvField('62', 'x'.repeat(100)))).toBe('VIETQR_BAD_LENGTH');
    expect(code(() => parseEmvFields('0002'))).toBe('VIETQR_TRUNCATED');
    expect(code(() => parseVietQr('000201'))).toBe('VIETQR_NO_CRC');
  });
});
