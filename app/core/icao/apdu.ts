/**
 * ISO/IEC 7816-4 command and response APDUs: encoding (short and extended length), decoding (the
 * virtual chip needs it), and status words with names for logs and errors.
 */
import { KioskError, ParseError } from '../errors.ts';

export interface CommandApdu {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  readonly data?: Uint8Array;
  /** Ne: expected response length, 1..65536; absent = no Le field. 256 (short) / 65536 (extended) mean "all". */
  readonly ne?: number;
}

export interface ResponseApdu {
  readonly data: Uint8Array;
  readonly sw: number;
}

export const SW = {
  OK: 0x9000,
  END_OF_FILE: 0x6282,
  VERIFY_FAILED: 0x6300,
  WRONG_LENGTH: 0x6700,
  SM_DATA_OBJECTS_MISSING: 0x6987,
  SM_DATA_OBJECTS_INCORRECT: 0x6988,
  SECURITY_STATUS_NOT_SATISFIED: 0x6982,
  AUTH_METHOD_BLOCKED: 0x6983,
  CONDITIONS_NOT_SATISFIED: 0x6985,
  COMMAND_NOT_ALLOWED: 0x6986,
  WRONG_DATA: 0x6a80,
  FUNCTION_NOT_SUPPORTED: 0x6a81,
  FILE_NOT_FOUND: 0x6a82,
  INCORRECT_P1P2: 0x6a86,
  REFERENCED_DATA_NOT_FOUND: 0x6a88,
  WRONG_P1P2: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
  UNKNOWN: 0x6f00,
} as const;

const SW_NAMES: Record<number, string> = {
  0x9000: 'OK',
  0x6282: 'end of file reached before Le bytes',
  0x6300: 'verification failed',
  0x6700: 'wrong length',
  0x6881: 'logical channel not supported',
  0x6882: 'secure messaging not supported',
  0x6982: 'security status not satisfied',
  0x6983: 'authentication method blocked',
  0x6984: 'reference data not usable',
  0x6985: 'conditions of use not satisfied',
  0x6986: 'command not allowed',
  0x6987: 'expected secure messaging data objects missing',
  0x6988: 'secure messaging data objects incorrect',
  0x6a80: 'incorrect data',
  0x6a81: 'function not supported',
  0x6a82: 'file or application not found',
  0x6a86: 'incorrect P1-P2',
  0x6a88: 'referenced data not found',
  0x6b00: 'wrong P1-P2 (offset outside the file)',
  0x6d00: 'instruction not supported',
  0x6e00: 'class not supported',
  0x6f00: 'no precise diagnosis',
};

/** "6A82 file or application not found"; for 61xx/6Cxx the length is part of the name. */
/**
 * Whether a refused mutual authentication (BAC EXTERNAL AUTHENTICATE, PACE's last GENERAL
 * AUTHENTICATE) means "wrong key": chip operating systems answer 6300 (or 63Cx with a retry
 * counter), 6982 or 6988 for the same thing, the cryptogram or token made with another key.
 */
export function isWrongKeyStatus(sw: number): boolean {
  return sw === SW.VERIFY_FAILED || (sw & 0xfff0) === 0x63c0 || sw === SW.SECURITY_STATUS_NOT_SATISFIED || sw === SW.SM_DATA_OBJECTS_INCORRECT;
}

export function swName(sw: number): string {
  const code = sw.toString(16).toUpperCase().padStart(4, '0');
  const name = SW_NAMES[sw] ??
    ((sw & 0xff00) === 0x6100 ? `${sw & 0xff} more bytes available` :
      (sw & 0xff00) === 0x6c00 ? `wrong Le, exact length ${sw & 0xff}` :
        (sw & 0xfff0) === 0x63c0 ? `verification failed, ${sw & 0x0f} tries left` : 'unknown status');
  return `${code} ${name}`;
}

/** A card answered with a status word the caller cannot continue from. */
export class StatusWordError extends KioskError {
  constructor(readonly sw: number, what: string, code = 'CARD_STATUS_ERROR') {
    super(code, `${what}: card answered ${swName(sw)}`, { sw });
  }
}

export class ApduError extends ParseError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('APDU_MALFORMED', message, details);
  }
}

function checkByte(v: number, name: string): void {
  if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new ApduError(`${name} must be a byte`, { [name]: v });
}

/** Whether a command needs the extended form (ISO 7816-4 §5.1). */
export function needsExtended(c: CommandApdu): boolean {
  return (c.data?.length ?? 0) > 255 || (c.ne ?? 0) > 256;
}

/** Encodes a command APDU; extended length only when needed or forced. */
export function encodeCommand(c: CommandApdu, forceExtended = false): Uint8Array {
  checkByte(c.cla, 'cla'); checkByte(c.ins, 'ins'); checkByte(c.p1, 'p1'); checkByte(c.p2, 'p2');
  const nc = c.data?.length ?? 0;
  if (nc > 65535) throw new ApduError('command data longer than 65535 bytes', { nc });
  if (c.ne !== undefined && (!Number.isInteger(c.ne) || c.ne < 1 || c.ne > 65536)) {
    throw new ApduError('Ne must be 1..65536', { ne: c.ne });
  }
  const extended = forceExtended || needsExtended(c);
  const out: number[] = [c.cla, c.ins, c.p1, c.p2];
  if (!extended) {
    if (nc > 0) out.push(nc, ...c.data!);
    if (c.ne !== undefined) out.push(c.ne === 256 ? 0 : c.ne);
  } else {
    if (nc > 0) out.push(0, nc >> 8, nc & 0xff, ...c.data!);
    if (c.ne !== undefined) {
      const le = c.ne === 65536 ? 0 : c.ne;
      if (nc === 0) out.push(0);
      out.push(le >> 8, le & 0xff);
    }
  }
  return Uint8Array.from(out);
}

/** Decodes a command APDU (cases 1, 2S/E, 3S/E, 4S/E); anything else is APDU_MALFORMED. */
export function decodeCommand(b: Uint8Array): CommandApdu & { extended: boolean } {
  if (b.length < 4) throw new ApduError('command APDU shorter than its 4-byte header', { length: b.length });
  const [cla, ins, p1, p2] = [b[0]!, b[1]!, b[2]!, b[3]!];
  const body = b.subarray(4);
  if (body.length === 0) return { cla, ins, p1, p2, extended: false };
  if (body.length === 1) return { cla, ins, p1, p2, ne: body[0] || 256, extended: false };
  if (body[0] !== 0) {
    const nc = body[0]!;
    if (body.length === 1 + nc) return { cla, ins, p1, p2, data: body.slice(1), extended: false };
    if (body.length === 2 + nc) return { cla, ins, p1, p2, data: body.slice(1, 1 + nc), ne: body[1 + nc] || 256, extended: false };
    throw new ApduError('short Lc does not match the body length', { lc: nc, body: body.length });
  }
  // Extended: 00 then two bytes.
  if (body.length === 3) return { cla, ins, p1, p2, ne: ((body[1]! << 8) | body[2]!) || 65536, extended: true };
  if (body.length < 3) throw new ApduError('truncated extended length field', { body: body.length });
  const nc = (body[1]! << 8) | body[2]!;
  if (nc === 0) throw new ApduError('extended Lc of zero', {});
  if (body.length === 3 + nc) return { cla, ins, p1, p2, data: body.slice(3), extended: true };
  if (body.length === 5 + nc) {
    const le = (body[3 + nc]! << 8) | body[4 + nc]!;
    return { cla, ins, p1, p2, data: body.slice(3, 3 + nc), ne: le || 65536, extended: true };
  }
  throw new ApduError('extended Lc does not match the body length', { lc: nc, body: body.length });
}

export function parseResponse(b: Uint8Array): ResponseApdu {
  if (b.length < 2) throw new ApduError('response APDU shorter than its status word', { length: b.length });
  return { data: b.slice(0, b.length - 2), sw: (b[b.length - 2]! << 8) | b[b.length - 1]! };
}

export function encodeResponse(r: ResponseApdu): Uint8Array {
  const out = new Uint8Array(r.data.length + 2);
  out.set(r.data);
  out[r.data.length] = r.sw >> 8;
  out[r.data.length + 1] = r.sw & 0xff;
  return out;
}

/** Status words that still carry valid data (warnings, 62xx/63xx) are not failures of the exchange. */
export const isSuccess = (sw: number): boolean => sw === SW.OK;
