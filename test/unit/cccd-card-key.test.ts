import { describe, expect, it } from 'vitest';
import { accessKeyFor, accessKeys, cardKeyFromScan, checkCardMatchesKey, derivedBacKeys, keyRefused } from '../../app/core/cccd/card-key.ts';
import { KioskError } from '../../app/core/errors.ts';
import { buildCccdMrz, mrzInformation } from '../../app/core/icao/mrz.ts';

const QR = '001092012345|123456789|Nguyễn Văn An|17031992|Nam|Hà Nội|15042021';

describe('the card key and the chip access keys it gives (core/cccd)', () => {
  it('a QR gives the ID and its dates; the first key is PACE with the CAN, the ID\'s last 6 digits', () => {
    const key = cardKeyFromScan(QR);
    expect(key).toEqual({ kind: 'id-number', idNumber: '001092012345', source: 'qr', dateOfBirth: '1992-03-17', dateOfIssue: '2021-04-15' });
    expect(accessKeyFor(key)).toEqual({ kind: 'can', can: '012345' });
  });

  it('an MRZ gives the BAC key', () => {
    const mrz = buildCccdMrz({ idNumber: '001092012345', surname: 'NGUYEN', givenNames: 'VAN AN', dateOfBirth: '920317', sex: 'M', dateOfExpiry: '320317' });
    const key = cardKeyFromScan(mrz);
    expect(key).toMatchObject({ kind: 'mrz', source: 'mrz' });
    expect(accessKeyFor(key)).toEqual({ kind: 'mrz', mrzInformation: mrzInformation({ documentNumber: '092012345', dateOfBirth: '920317', dateOfExpiry: '320317' }) });
    expect(() => cardKeyFromScan(mrz.replace('920317', '920318'))).toThrow(); // check digits hold the MRZ
  });

  it('derives a bounded list of BAC keys only when the QR gave the dates', () => {
    const keys = derivedBacKeys(cardKeyFromScan(QR));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThanOrEqual(4);
    // Document number 092012345 + check digit, birth 920317 + check, first candidate expiry 320317 (the 40th birthday).
    expect(keys[0]).toEqual({ kind: 'can', can: '012345', mrzInformation: '092012345292031703203178' });
    expect(derivedBacKeys({ kind: 'id-number', idNumber: '001092012345', source: 'typed-id' })).toEqual([]);
  });

  it('tries the first key, and works out the derived ones only when asked for the next', () => {
    // Issued before birth: no expiry can be derived, but a chip that opens with the CAN never needs one.
    const odd = { kind: 'id-number', idNumber: '001092012345', source: 'qr', dateOfBirth: '1992-03-17', dateOfIssue: '1990-01-01' } as const;
    const keys = accessKeys(odd);
    expect(keys.next().value).toEqual({ kind: 'can', can: '012345' });
    expect(() => keys.next()).toThrow(/dateOfIssue/);
    expect([...accessKeys(cardKeyFromScan(QR))]).toEqual([accessKeyFor(cardKeyFromScan(QR)), ...derivedBacKeys(cardKeyFromScan(QR))]);
  });

  it('moves to the next key only when the chip refused the key or wanted an MRZ', () => {
    expect(keyRefused(new KioskError('ACCESS_DENIED_WRONG_KEY', 'x'))).toBe(true);
    expect(keyRefused(new KioskError('ACCESS_NEEDS_MRZ', 'x'))).toBe(true);
    expect(keyRefused(new KioskError('CARD_REMOVED', 'x'))).toBe(false);
    expect(keyRefused(new Error('ACCESS_DENIED_WRONG_KEY'))).toBe(false);
  });

  it('stops a card whose chip names another holder than the ID given (the CAN is only 6 digits)', () => {
    const key = cardKeyFromScan(QR);
    expect(() => checkCardMatchesKey(key, '079092012345')).toThrow(expect.objectContaining({ code: 'CARD_ID_MISMATCH' }));
    expect(() => checkCardMatchesKey(key, '001092012345')).not.toThrow();
    expect(() => checkCardMatchesKey(key, undefined)).not.toThrow(); // a passport names no ID number
    expect(() => checkCardMatchesKey({ kind: 'mrz', mrz: 'x', source: 'mrz' }, '079092012345')).not.toThrow();
  });
});
