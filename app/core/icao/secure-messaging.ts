/**
 * ISO/IEC 7816-4 secure messaging as profiled by ICAO 9303-11 §9.8: command data in DO'87 (DO'85
 * for odd INS), expected length in DO'97, status in DO'99, MAC in DO'8E over SSC ‖ header ‖ DOs.
 * 3DES (BAC, PACE-3DES) and AES (PACE, CA) differ only in block size, IV and MAC.
 *
 * Both sides live here because they are mirror images: the terminal protects commands and opens
 * responses; the virtual chip opens commands and protects responses with the same code.
 * A response's MAC is verified before any of its bytes are decrypted or used.
 */
import { KioskError } from '../errors.ts';
import type { CommandApdu, ResponseApdu } from './apdu.ts';
import { SW, swName } from './apdu.ts';
import {
  aesCbcDecrypt, aesCbcEncrypt, aesCmac, aesEcbEncrypt, concatBytes, equalBytes, pad, retailMac,
  tdesCbcDecrypt, tdesCbcEncrypt, unpad, type CipherAlg,
} from './crypto.ts';
import { exchange, type ApduChannel, type CardTransport } from './transport.ts';

export interface SmKeys {
  readonly alg: CipherAlg;
  readonly kEnc: Uint8Array;
  readonly kMac: Uint8Array;
}

export type SmErrorCode =
  | 'SM_MAC_INVALID'
  | 'SM_RESPONSE_MALFORMED'
  | 'SM_RESPONSE_UNPROTECTED'
  | 'SM_SESSION_ABORTED'
  | 'SM_COMMAND_MALFORMED';

export class SmError extends KioskError {
  constructor(code: SmErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

// --- The four data objects SM needs; a private helper so this file does not depend on the LDS TLV parser.

function berLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n <= 0xff) return [0x81, n];
  if (n <= 0xffff) return [0x82, n >> 8, n & 0xff];
  return [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
}

function dataObject(tag: number, value: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(tag, ...berLength(value.length)), value);
}

interface SmObject {
  readonly tag: number;
  readonly value: Uint8Array;
  /** Offset of the object's first byte inside the parsed data (the MAC covers objects as sent). */
  readonly start: number;
}

/** Splits SM data into single-byte-tag objects; anything else is malformed. */
function splitObjects(data: Uint8Array, code: SmErrorCode): SmObject[] {
  const out: SmObject[] = [];
  let i = 0;
  while (i < data.length) {
    const start = i;
    const tag = data[i++]!;
    if (i >= data.length) throw new SmError(code, 'secure messaging object truncated after its tag', { tag });
    let len = data[i++]!;
    if (len > 0x80) {
      const n = len & 0x7f;
      if (n > 3 || i + n > data.length) throw new SmError(code, 'secure messaging object has a bad length', { tag });
      len = 0;
      for (let k = 0; k < n; k++) len = (len << 8) | data[i++]!;
    } else if (len === 0x80) {
      throw new SmError(code, 'indefinite length in secure messaging', { tag });
    }
    if (i + len > data.length) throw new SmError(code, 'secure messaging object longer than the data', { tag, len });
    out.push({ tag, value: data.subarray(i, i + len), start });
    i += len;
  }
  return out;
}

/** The cipher suite of one SM session: encryption, IV and MAC rules per algorithm. */
class SmCipher {
  readonly blockSize: 8 | 16;
  constructor(readonly keys: SmKeys) {
    this.blockSize = keys.alg === 'DESede' ? 8 : 16;
  }
  private iv(ssc: Uint8Array): Uint8Array {
    // 3DES SM uses a zero IV; AES SM uses E(KSenc, SSC) (ICAO 9303-11 §9.8.6.1).
    return this.blockSize === 8 ? new Uint8Array(8) : aesEcbEncrypt(this.keys.kEnc, ssc);
  }
  encrypt(plain: Uint8Array, ssc: Uint8Array): Uint8Array {
    const padded = pad(plain, this.blockSize);
    return this.blockSize === 8
      ? tdesCbcEncrypt(this.keys.kEnc, padded)
      : aesCbcEncrypt(this.keys.kEnc, padded, this.iv(ssc));
  }
  decrypt(cipher: Uint8Array, ssc: Uint8Array): Uint8Array {
    if (cipher.length === 0 || cipher.length % this.blockSize !== 0) {
      throw new SmError('SM_RESPONSE_MALFORMED', 'encrypted data is not a whole number of blocks', { length: cipher.length });
    }
    const padded = this.blockSize === 8
      ? tdesCbcDecrypt(this.keys.kEnc, cipher)
      : aesCbcDecrypt(this.keys.kEnc, cipher, this.iv(ssc));
    try {
      return unpad(padded);
    } catch {
      throw new SmError('SM_RESPONSE_MALFORMED', 'decrypted data has no valid padding');
    }
  }
  mac(ssc: Uint8Array, body: Uint8Array): Uint8Array {
    const input = pad(concatBytes(ssc, body), this.blockSize);
    return this.blockSize === 8 ? retailMac(this.keys.kMac, input) : aesCmac(this.keys.kMac, input).slice(0, 8);
  }
}

function leObject(ne: number, extended: boolean): Uint8Array {
  if (!extended) return Uint8Array.of(0x97, 1, ne === 256 ? 0 : ne);
  const le = ne === 65536 ? 0 : ne;
  return Uint8Array.of(0x97, 2, le >> 8, le & 0xff);
}

function neFromObject(v: Uint8Array): number {
  if (v.length === 1) return v[0] || 256;
  if (v.length === 2) return ((v[0]! << 8) | v[1]!) || 65536;
  throw new SmError('SM_COMMAND_MALFORMED', 'DO97 must hold one or two bytes', { length: v.length });
}

/**
 * One secure messaging session: keys and the send sequence counter. The SSC is incremented
 * before protecting or opening each message, on both sides.
 */
export class SecureMessaging {
  private readonly cipher: SmCipher;
  private counter: Uint8Array;

  constructor(readonly keys: SmKeys, ssc: Uint8Array) {
    this.cipher = new SmCipher(keys);
    if (ssc.length !== this.cipher.blockSize) {
      throw new SmError('SM_COMMAND_MALFORMED', 'SSC length must equal the cipher block size', { length: ssc.length });
    }
    this.counter = ssc.slice();
  }

  /** Current send sequence counter (a copy). */
  get ssc(): Uint8Array {
    return this.counter.slice();
  }

  private nextSsc(): Uint8Array {
    for (let i = this.counter.length - 1; i >= 0; i--) {
      this.counter[i] = (this.counter[i]! + 1) & 0xff;
      if (this.counter[i] !== 0) break;
    }
    return this.counter;
  }

  private paddedHeader(c: { cla: number; ins: number; p1: number; p2: number }): Uint8Array {
    return pad(Uint8Array.of(c.cla, c.ins, c.p1, c.p2), this.cipher.blockSize);
  }

  /**
   * Terminal side: protects a plain command. `extended` asks for an extended-length protected APDU
   * (needed when the plain Ne exceeds 256 or the protected data exceeds 255 bytes).
   */
  protectCommand(cmd: CommandApdu, extended = false): CommandApdu {
    const ssc = this.nextSsc();
    const cla = cmd.cla | 0x0c;
    const useExtended = extended || (cmd.ne ?? 0) > 256;
    const parts: Uint8Array[] = [];
    if (cmd.data && cmd.data.length > 0) {
      const enc = this.cipher.encrypt(cmd.data, ssc);
      // Odd INS carry BER-TLV data: DO'85 without the padding-indicator byte.
      parts.push(cmd.ins & 1 ? dataObject(0x85, enc) : dataObject(0x87, concatBytes(Uint8Array.of(0x01), enc)));
    }
    if (cmd.ne !== undefined) parts.push(leObject(cmd.ne, useExtended));
    const body = concatBytes(...parts);
    const mac = this.cipher.mac(ssc, concatBytes(this.paddedHeader({ ...cmd, cla }), body));
    const data = concatBytes(body, dataObject(0x8e, mac));
    const needsExt = useExtended || data.length > 255;
    return { cla, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, data, ne: needsExt ? 65536 : 256 };
  }

  /** Terminal side: checks the MAC of a protected response, then decrypts it. */
  openResponse(r: ResponseApdu): ResponseApdu {
    const ssc = this.nextSsc();
    if (r.data.length === 0) {
      // Cards report some errors without SM; such a status can only fail the caller, never feed it data.
      if (r.sw === SW.SM_DATA_OBJECTS_MISSING || r.sw === SW.SM_DATA_OBJECTS_INCORRECT) {
        throw new SmError('SM_SESSION_ABORTED', `the card ended secure messaging: ${swName(r.sw)}`, { sw: r.sw });
      }
      if (r.sw === SW.OK || (r.sw & 0xff00) === 0x6100 || (r.sw & 0xff00) === 0x6200) {
        throw new SmError('SM_RESPONSE_UNPROTECTED', `unprotected success response ${swName(r.sw)}`, { sw: r.sw });
      }
      return r;
    }
    const objects = splitObjects(r.data, 'SM_RESPONSE_MALFORMED');
    const macObj = objects[objects.length - 1];
    if (!macObj || macObj.tag !== 0x8e || macObj.value.length !== 8) {
      throw new SmError('SM_RESPONSE_MALFORMED', 'protected response does not end with an 8-byte DO8E');
    }
    const covered = r.data.subarray(0, macObj.start);
    if (!equalBytes(this.cipher.mac(ssc, covered), macObj.value)) {
      throw new SmError('SM_MAC_INVALID', 'response MAC does not verify');
    }
    let encrypted: Uint8Array | undefined;
    let status: Uint8Array | undefined;
    for (const o of objects.slice(0, -1)) {
      if (o.tag === 0x87) {
        if (o.value[0] !== 0x01) throw new SmError('SM_RESPONSE_MALFORMED', 'DO87 padding indicator is not 01');
        encrypted = o.value.subarray(1);
      } else if (o.tag === 0x85) encrypted = o.value;
      else if (o.tag === 0x99) status = o.value;
      else throw new SmError('SM_RESPONSE_MALFORMED', 'unexpected object in protected response', { tag: o.tag });
    }
    if (!status || status.length !== 2) throw new SmError('SM_RESPONSE_MALFORMED', 'protected response lacks DO99');
    const data = encrypted ? this.cipher.decrypt(encrypted, ssc) : new Uint8Array(0);
    return { data, sw: (status[0]! << 8) | status[1]! };
  }

  /** Chip side: verifies and opens a protected command. Throws SmError on any defect. */
  openCommand(cmd: CommandApdu): CommandApdu {
    const ssc = this.nextSsc();
    if ((cmd.cla & 0x0c) !== 0x0c) throw new SmError('SM_COMMAND_MALFORMED', 'command is not marked as secure messaging');
    const objects = splitObjects(cmd.data ?? new Uint8Array(0), 'SM_COMMAND_MALFORMED');
    const macObj = objects[objects.length - 1];
    if (!macObj || macObj.tag !== 0x8e || macObj.value.length !== 8) {
      throw new SmError('SM_COMMAND_MALFORMED', 'protected command does not end with DO8E');
    }
    const covered = (cmd.data ?? new Uint8Array(0)).subarray(0, macObj.start);
    if (!equalBytes(this.cipher.mac(ssc, concatBytes(this.paddedHeader(cmd), covered)), macObj.value)) {
      throw new SmError('SM_MAC_INVALID', 'command MAC does not verify');
    }
    let data: Uint8Array | undefined;
    let ne: number | undefined;
    for (const o of objects.slice(0, -1)) {
      if (o.tag === 0x87) {
        if (o.value[0] !== 0x01) throw new SmError('SM_COMMAND_MALFORMED', 'DO87 padding indicator is not 01');
        data = this.cipher.decrypt(o.value.subarray(1), ssc);
      } else if (o.tag === 0x85) data = this.cipher.decrypt(o.value, ssc);
      else if (o.tag === 0x97) ne = neFromObject(o.value);
      else throw new SmError('SM_COMMAND_MALFORMED', 'unexpected object in protected command', { tag: o.tag });
    }
    return { cla: cmd.cla & ~0x0c, ins: cmd.ins, p1: cmd.p1, p2: cmd.p2, ...(data ? { data } : {}), ...(ne !== undefined ? { ne } : {}) };
  }

  /** Chip side: protects a response (DO87 with the data, DO99 with the status, DO8E). */
  protectResponse(r: ResponseApdu, oddIns = false): ResponseApdu {
    const ssc = this.nextSsc();
    const parts: Uint8Array[] = [];
    if (r.data.length > 0) {
      const enc = this.cipher.encrypt(r.data, ssc);
      parts.push(oddIns ? dataObject(0x85, enc) : dataObject(0x87, concatBytes(Uint8Array.of(0x01), enc)));
    }
    parts.push(Uint8Array.of(0x99, 2, r.sw >> 8, r.sw & 0xff));
    const body = concatBytes(...parts);
    return { data: concatBytes(body, dataObject(0x8e, this.cipher.mac(ssc, body))), sw: r.sw };
  }
}

/**
 * Bytes of SM overhead around `plain` bytes of response data: DO87 header and padding indicator,
 * padding to the block, DO99 (4), DO8E (10) and the status word (2). Used to size reads.
 */
export function responseOverhead(plain: number, blockSize: 8 | 16): number {
  const enc = (Math.floor(plain / blockSize) + 1) * blockSize;
  const do87 = plain > 0 ? 1 + berLength(enc + 1).length + 1 + enc : 0;
  return do87 - plain + 4 + 10 + 2;
}

/** A transport session with SM applied: the protocols above it send plain commands. */
export class SecureChannel implements ApduChannel {
  constructor(readonly transport: CardTransport, readonly sm: SecureMessaging) {}

  async send(cmd: CommandApdu, extended = false): Promise<ResponseApdu> {
    const protectedCmd = this.sm.protectCommand(cmd, extended);
    return this.sm.openResponse(await exchange(this.transport, protectedCmd));
  }
}
