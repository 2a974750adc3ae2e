/**
 * VietQR: the NAPAS profile of the EMVCo merchant-presented QR code. The payload is a string of
 * TLV fields, each `ID(2 digits) LENGTH(2 digits) VALUE`, ending with field 63, a CRC-16/CCITT-FALSE
 * over everything before it including the `6304` header.
 *
 * Fields used: 00 format (01), 01 initiation (11 static, 12 dynamic — with an amount), 38 merchant
 * account (00 NAPAS GUID A000000727, 01 beneficiary {00 bank BIN, 01 account}, 02 service
 * QRIBFTTA = transfer to an account), 53 currency (704 = VND), 54 amount, 58 country (VN),
 * 62 additional data (01 bill number, 08 purpose), 63 CRC.
 */
import { ParseError } from '../errors.ts';

export const NAPAS_GUID = 'A000000727';
export const SERVICE_TO_ACCOUNT = 'QRIBFTTA';

export interface VietQrRequest {
  /** 6-digit NAPAS bank identification number of the payee's bank (a hospital, an airline), e.g. 970436. */
  readonly bankBin: string;
  readonly accountNumber: string;
  /** Whole đồng; omit for a static QR where the payer types the amount. */
  readonly amountVnd?: number;
  /** Bill number the payee reconciles the payment by (62-01). */
  readonly billNumber?: string;
  /** Transfer note shown in the banking app (62-08); ASCII only, banks drop diacritics. */
  readonly purpose?: string;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor), as EMVCo requires. */
export function crc16Ccitt(data: string | Uint8Array): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let crc = 0xffff;
  for (const byte of bytes) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) {
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

function crcHex(data: string): string {
  return crc16Ccitt(data).toString(16).toUpperCase().padStart(4, '0');
}

/** One TLV field; values are limited to 99 characters by the two-digit length. */
export function emvField(id: string, value: string): string {
  if (!/^\d{2}$/.test(id)) throw new ParseError('VIETQR_BAD_FIELD_ID', `field id "${id}" must be two digits`);
  // EMVCo lengths count characters; VietQR payloads are ASCII so characters and bytes agree.
  if (!/^[\x20-\x7e]*$/.test(value)) throw new ParseError('VIETQR_NOT_ASCII', `field ${id} must be printable ASCII`);
  if (value.length === 0 || value.length > 99) {
    throw new ParseError('VIETQR_BAD_LENGTH', `field ${id} must be 1 to 99 characters long, got ${value.length}`);
  }
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

/** Builds the full payload string, CRC included, ready to be drawn as a QR code. */
export function buildVietQr(request: VietQrRequest): string {
  if (!/^\d{6}$/.test(request.bankBin)) throw new ParseError('VIETQR_BAD_BANK_BIN', 'the bank BIN must be 6 digits');
  if (!/^[0-9A-Za-z]{1,19}$/.test(request.accountNumber)) {
    throw new ParseError('VIETQR_BAD_ACCOUNT', 'the account number must be 1 to 19 letters or digits');
  }
  const amount = request.amountVnd;
  if (amount !== undefined && (!Number.isSafeInteger(amount) || amount <= 0 || String(amount).length > 13)) {
    throw new ParseError('VIETQR_BAD_AMOUNT', 'the amount must be a positive whole number of đồng (at most 13 digits)');
  }
  const beneficiary = emvField('00', request.bankBin) + emvField('01', request.accountNumber);
  const merchantAccount = emvField('00', NAPAS_GUID) + emvField('01', beneficiary) + emvField('02', SERVICE_TO_ACCOUNT);
  const additional =
    (request.billNumber ? emvField('01', request.billNumber) : '') + (request.purpose ? emvField('08', request.purpose) : '');
  const body =
    emvField('00', '01') +
    emvField('01', amount === undefined ? '11' : '12') +
    emvField('38', merchantAccount) +
    emvField('53', '704') +
    (amount === undefined ? '' : emvField('54', String(amount))) +
    emvField('58', 'VN') +
    (additional ? emvField('62', additional) : '');
  const withCrcHeader = `${body}6304`;
  return withCrcHeader + crcHex(withCrcHeader);
}

/** Splits a TLV string into its fields in order; throws on a truncated or malformed field. */
export function parseEmvFields(payload: string): Map<string, string> {
  const fields = new Map<string, string>();
  let p = 0;
  while (p < payload.length) {
    const head = payload.slice(p, p + 4);
    if (!/^\d{4}$/.test(head)) throw new ParseError('VIETQR_MALFORMED', `no field header at position ${p}`, { position: p });
    const length = Number(head.slice(2));
    const value = payload.slice(p + 4, p + 4 + length);
    if (value.length !== length) throw new ParseError('VIETQR_TRUNCATED', `field ${head.slice(0, 2)} is truncated`, { position: p });
    fields.set(head.slice(0, 2), value);
    p += 4 + length;
  }
  return fields;
}

export interface ParsedVietQr {
  readonly bankBin: string;
  readonly accountNumber: string;
  readonly amountVnd?: number;
  readonly billNumber?: string;
  readonly purpose?: string;
}

/** Checks the CRC and reads back the fields this module writes (used to verify printed tickets). */
export function parseVietQr(payload: string): ParsedVietQr {
  const crcAt = payload.length - 4;
  if (payload.slice(crcAt - 4, crcAt) !== '6304') throw new ParseError('VIETQR_NO_CRC', 'the payload does not end with a CRC field');
  if (crcHex(payload.slice(0, crcAt)) !== payload.slice(crcAt).toUpperCase()) {
    throw new ParseError('VIETQR_BAD_CRC', 'the CRC does not match the payload');
  }
  const top = parseEmvFields(payload);
  const account = parseEmvFields(top.get('38') ?? '');
  if (account.get('00') !== NAPAS_GUID) throw new ParseError('VIETQR_NOT_NAPAS', 'field 38 is not a NAPAS merchant account');
  const beneficiary = parseEmvFields(account.get('01') ?? '');
  const additional = parseEmvFields(top.get('62') ?? '');
  const amount = top.get('54');
  return {
    bankBin: beneficiary.get('00') ?? '',
    accountNumber: beneficiary.get('01') ?? '',
    ...(amount === undefined ? {} : { amountVnd: Number(amount) }),
    ...(additional.has('01') ? { billNumber: additional.get('01')! } : {}),
    ...(additional.has('08') ? { purpose: additional.get('08')! } : {}),
  };
}
