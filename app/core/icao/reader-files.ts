/**
 * Reading one elementary file to its end over any channel (plain or SM): SELECT by FID or first
 * chunk by SFI, then READ BINARY in chunks whose size adapts to what the card accepts
 * (6700 → smaller, 6Cxx → the size the card names, 6282 with fewer bytes → the card's real maximum).
 */
import { KioskError } from '../errors.ts';
import { SW, swName, type CommandApdu, type ResponseApdu } from './apdu.ts';
import type { LdsFile } from './lds/files.ts';
import { decodeTlvAt, encodeTlv } from './tlv.ts';
import type { ApduChannel } from './transport.ts';

export class ChipReadError extends KioskError {}

/** Plain bytes per short READ BINARY: largest that fits 256 response bytes under AES SM (§4 of the notes). */
export const DEFAULT_SHORT_LE = 0xdf;
/** Sizes tried, largest first, when a card refuses a read length. */
export const FALLBACK_SIZES: readonly number[] = [0xdf, 0xa0, 0x80, 0x60, 0x40, 0x20];
/** Highest offset READ BINARY (INS B0) can address in P1-P2. */
const MAX_B0_OFFSET = 0x7fff;
/** DO53 header around B1 response data: tag + up to 3 length bytes. */
const B1_OVERHEAD = 4;

function offsetBytes(offset: number): Uint8Array {
  return offset <= 0xffff ? Uint8Array.of(offset >> 8, offset & 0xff) : Uint8Array.of(offset >> 16, (offset >> 8) & 0xff, offset & 0xff);
}

function unwrapDo53(data: Uint8Array, file: string): Uint8Array {
  try {
    const t = decodeTlvAt(data, 0);
    if (t.tag === 0x53 && t.end === data.length) return t.value;
  } catch {
    // fall through
  }
  throw new ChipReadError('CHIP_FILE_INVALID', `${file}: READ BINARY (B1) answer is not a DO53`, { file });
}

/** Length of the TLV that starts `prefix` (tag + length + value), or undefined if more bytes are needed. */
function tlvTotalLength(prefix: Uint8Array, file: string): number | undefined {
  let p = 1;
  if (prefix.length < 2) return undefined;
  if ((prefix[0]! & 0x1f) === 0x1f) {
    while (p < prefix.length && (prefix[p]! & 0x80)) p++;
    p++;
  }
  if (p >= prefix.length) return undefined;
  const first = prefix[p++]!;
  if (first < 0x80) return p + first;
  const n = first & 0x7f;
  if (n === 0 || n > 3) throw new ChipReadError('CHIP_FILE_INVALID', `${file} does not start with a DER length`, { file });
  if (p + n > prefix.length) return undefined;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + prefix[p + i]!;
  return p + n + len;
}

/** Reads one file, adapting the chunk size to what the card accepts. */
export class FileReader {
  chunk: number;
  private readonly sizes: number[];

  constructor(private channel: ApduChannel, readonly extended: boolean, private readonly maxExtendedChunk: number, shortLe: number) {
    this.sizes = [shortLe, ...FALLBACK_SIZES.filter((s) => s < shortLe)];
    this.chunk = extended ? maxExtendedChunk : shortLe;
  }

  setChannel(channel: ApduChannel): void {
    this.channel = channel;
  }

  private stepDown(file: string, sw: number): void {
    const next = this.sizes.find((s) => s < this.chunk);
    if (next === undefined) throw new ChipReadError('CHIP_READ_REFUSED', `${file}: the card refuses even the smallest read: ${swName(sw)}`, { sw });
    this.chunk = next;
  }

  async read(
    file: LdsFile,
    selectBy: 'fid' | 'sfi',
    onChunk: (got: number, size: number) => void,
  ): Promise<Uint8Array> {
    if (selectBy === 'fid') {
      const sel = await this.channel.send({ cla: 0, ins: 0xa4, p1: 0x02, p2: 0x0c, data: Uint8Array.of(file.fid >> 8, file.fid & 0xff) });
      if (sel.sw !== SW.OK) throw new ChipReadError('CHIP_FILE_UNAVAILABLE', `${file.name}: ${swName(sel.sw)}`, { sw: sel.sw, file: file.name });
    }
    const parts: Uint8Array[] = [];
    let got = 0;
    let size: number | undefined;
    let useSfi = selectBy === 'sfi';
    while (size === undefined || got < size) {
      // Beyond offset 7FFF, READ BINARY B1 carries the offset in DO54 and wraps the data in DO53,
      // which costs up to 4 bytes of the response: ask for that much less.
      const odd = !useSfi && got > MAX_B0_OFFSET;
      const room = odd && !this.extended ? this.chunk - B1_OVERHEAD : this.chunk;
      const want = size === undefined ? room : Math.min(room, size - got);
      const cmd: CommandApdu = useSfi
        ? { cla: 0, ins: 0xb0, p1: 0x80 | file.sfi, p2: 0, ne: want }
        : odd
          ? { cla: 0, ins: 0xb1, p1: 0, p2: 0, data: encodeTlv(0x54, offsetBytes(got)), ne: want + B1_OVERHEAD }
          : { cla: 0, ins: 0xb0, p1: got >> 8, p2: got & 0xff, ne: want };
      const raw: ResponseApdu = await this.channel.send(cmd, this.extended);
      const r: ResponseApdu = odd && raw.data.length > 0 ? { data: unwrapDo53(raw.data, file.name), sw: raw.sw } : raw;
      const reachedEnd = size !== undefined && got + r.data.length >= size;
      if (r.sw === SW.WRONG_LENGTH || ((r.sw & 0xff00) === 0x6c00)) {
        if (this.extended) throw new ChipReadError('CHIP_EXTENDED_REFUSED', `${file.name}: extended read refused: ${swName(r.sw)}`, { sw: r.sw });
        if ((r.sw & 0xff00) === 0x6c00 && (r.sw & 0xff) > 0 && (r.sw & 0xff) < this.chunk) this.chunk = r.sw & 0xff;
        else this.stepDown(file.name, r.sw);
        continue;
      }
      if (r.sw === SW.END_OF_FILE && r.data.length === 0) {
        if (size === undefined || got < size) { this.stepDown(file.name, r.sw); continue; }
      }
      if (r.sw !== SW.OK && r.sw !== SW.END_OF_FILE) {
        throw new ChipReadError('CHIP_FILE_UNAVAILABLE', `${file.name}: ${swName(r.sw)}`, { sw: r.sw, file: file.name });
      }
      if (r.data.length === 0) throw new ChipReadError('CHIP_FILE_INVALID', `${file.name}: the card returned no data before the end of the file`, { file: file.name });
      // 6282 before the end of the file: the card's real maximum is what it returned.
      if (r.sw === SW.END_OF_FILE && !reachedEnd && size !== undefined && r.data.length < want && !this.extended) this.chunk = r.data.length;
      useSfi = false;
      parts.push(r.data);
      got += r.data.length;
      if (size === undefined) {
        const all = concat(parts);
        size = tlvTotalLength(all, file.name);
        if (size === undefined) continue;
        if (got > size) throw new ChipReadError('CHIP_FILE_INVALID', `${file.name}: the card returned more bytes than the file holds`, { file: file.name });
      } else if (got > size) {
        throw new ChipReadError('CHIP_FILE_INVALID', `${file.name}: the card returned more bytes than the file holds`, { file: file.name });
      }
      onChunk(got, size);
    }
    return concat(parts);
  }
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

