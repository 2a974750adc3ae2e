/**
 * The chip read flow (ICAO 9303-10/-11): select the eMRTD application, access control, then
 * EF.COM, EF.SOD and the data groups EF.COM lists (DG3/DG4 are skipped: they need terminal
 * authentication). Reads use Le = 0xDF by default, step down on 6700/6282/6Cxx, and use extended
 * length when both the reader and the card accept it. The result is raw files plus counters;
 * parsing and passive authentication belong to the LDS/PA modules.
 *
 * A card pulled out mid-read surfaces as CardRemovedError and nothing partial is returned.
 */
import { KioskError } from '../errors.ts';
import { SW, swName, type CommandApdu, type ResponseApdu } from './apdu.ts';
import { openChip, type AccessKey, type AccessMethod, type AccessOptions } from './access.ts';
import { parseCom } from './lds/com.ts';
import { LDS_FILES, type LdsFile } from './lds/files.ts';
import { SmError } from './secure-messaging.ts';
import {
  atrExtendedLength, CardIoError, CardRemovedError, CountingTransport, type ApduChannel, type CardTransport,
} from './transport.ts';

export class ChipReadError extends KioskError {}

/** Plain bytes per short READ BINARY: largest that fits 256 response bytes under AES SM (§4 of the notes). */
export const DEFAULT_SHORT_LE = 0xdf;
/** Sizes tried, largest first, when a card refuses a read length. */
export const FALLBACK_SIZES: readonly number[] = [0xdf, 0xa0, 0x80, 0x60, 0x40, 0x20];
/** Data groups the kiosk reads when EF.COM lists them. DG3/DG4 need EAC terminal authentication. */
export const READABLE_DATA_GROUPS: readonly number[] = [1, 2, 5, 7, 11, 12, 13, 14, 15, 16];
/** Highest offset READ BINARY (INS B0) can address in P1-P2. */
const MAX_B0_OFFSET = 0x7fff;

export type LeMode = 'auto' | 'short' | 'extended';

export interface ReadProgress {
  readonly file: string;
  readonly fileBytesRead: number;
  readonly fileSize: number;
  /** Bytes of all files read so far. */
  readonly bytesRead: number;
  /** Files done and files to read (known once EF.COM is read). */
  readonly filesDone: number;
  readonly filesTotal: number;
}

export interface ReadOptions extends AccessOptions {
  readonly access: AccessKey;
  /** 'auto' (default): extended length when reader and card both accept it, else short reads. */
  readonly le?: LeMode;
  /** First short read size (default 0xDF); smaller sizes from FALLBACK_SIZES follow on refusal. */
  readonly shortLe?: number;
  /** Select each file by FID (default) or read its first chunk by SFI (one APDU fewer per file). */
  readonly selectBy?: 'fid' | 'sfi';
  /** Restrict the data groups read (still only those EF.COM lists). */
  readonly dataGroups?: readonly number[];
  readonly onProgress?: (p: ReadProgress) => void;
  /** Monotonic clock in ms (injectable for tests). */
  readonly now?: () => number;
}

export interface FileReadStat {
  readonly name: string;
  readonly bytes: number;
  readonly apdus: number;
  readonly ms: number;
}

export interface ChipReadResult {
  /** Raw file contents by name: 'EF.COM', 'EF.SOD', 'DG1', … */
  readonly files: ReadonlyMap<string, Uint8Array>;
  /** Data groups EF.COM lists. */
  readonly listedDataGroups: readonly number[];
  /** Listed files not read, with the reason (e.g. DG3 needs terminal authentication). */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly accessMethod: AccessMethod;
  readonly extendedLength: boolean;
  readonly apduCount: number;
  readonly bytesRead: number;
  readonly timingsMs: {
    readonly select: number;
    readonly access: number;
    readonly com: number;
    readonly sod: number;
    readonly dataGroups: number;
    readonly total: number;
  };
  readonly perFile: readonly FileReadStat[];
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
class FileReader {
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
      const want = size === undefined ? this.chunk : Math.min(this.chunk, size - got);
      if (!useSfi && got > MAX_B0_OFFSET) {
        throw new ChipReadError('CHIP_FILE_TOO_LARGE', `${file.name} is larger than READ BINARY can address`, { file: file.name });
      }
      const cmd: CommandApdu = useSfi
        ? { cla: 0, ins: 0xb0, p1: 0x80 | file.sfi, p2: 0, ne: want }
        : { cla: 0, ins: 0xb0, p1: got >> 8, p2: got & 0xff, ne: want };
      const r: ResponseApdu = await this.channel.send(cmd, this.extended);
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

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Bytes of SM overhead to leave room for in one extended response (DO87 header, padding, DO99, DO8E, SW). */
const EXTENDED_HEADROOM = 48;

/** Reads the chip: access control, EF.COM, EF.SOD, then the listed data groups. */
export async function readChip(transport: CardTransport, opts: ReadOptions): Promise<ChipReadResult> {
  const now = opts.now ?? (() => performance.now());
  const t = new CountingTransport(transport);
  const t0 = now();
  const perFile: FileReadStat[] = [];
  const files = new Map<string, Uint8Array>();
  const skipped: { name: string; reason: string }[] = [];
  let bytesRead = 0;

  let session = await openChip(t, opts.access, { ...opts, now });
  const openTimes = session.timingsMs;

  const caps = t.capabilities;
  const cardSaysExtended = caps.atr ? atrExtendedLength(caps.atr) : undefined;
  const mode = opts.le ?? 'auto';
  let extended = mode === 'extended' || (mode === 'auto' && caps.extendedLength && cardSaysExtended !== false);
  if (extended && !caps.extendedLength) {
    throw new ChipReadError('CHIP_EXTENDED_UNSUPPORTED', 'the reader does not pass extended-length APDUs');
  }
  const maxExtended = Math.max(0x100, Math.min(65536, caps.maxResponseLength) - EXTENDED_HEADROOM);
  let reader = new FileReader(session.channel, extended, maxExtended, opts.shortLe ?? DEFAULT_SHORT_LE);
  const selectBy = opts.selectBy ?? 'fid';

  let filesTotal = 2;
  let filesDone = 0;
  const readOne = async (file: LdsFile): Promise<Uint8Array> => {
    const start = now();
    const apdus = t.apduCount;
    const data = await reader.read(file, selectBy, (got, size) => {
      opts.onProgress?.({ file: file.name, fileBytesRead: got, fileSize: size, bytesRead: bytesRead + got, filesDone, filesTotal });
    });
    bytesRead += data.length;
    filesDone++;
    files.set(file.name, data);
    perFile.push({ name: file.name, bytes: data.length, apdus: t.apduCount - apdus, ms: now() - start });
    return data;
  };

  // EF.COM doubles as the extended-length probe when the ATR did not say: if the card refuses,
  // the SM session is no longer trustworthy, so authenticate again and continue with short reads.
  const comStart = now();
  let com: Uint8Array;
  try {
    com = await readOne(LDS_FILES.COM);
  } catch (e) {
    const probeFailed = extended && mode === 'auto' && cardSaysExtended === undefined &&
      (e instanceof SmError || e instanceof CardIoError || (e instanceof ChipReadError && e.code === 'CHIP_EXTENDED_REFUSED'));
    if (!probeFailed) throw e;
    extended = false;
    session = await openChip(t, opts.access, { ...opts, now });
    reader = new FileReader(session.channel, false, maxExtended, opts.shortLe ?? DEFAULT_SHORT_LE);
    com = await readOne(LDS_FILES.COM);
  }
  const comMs = now() - comStart;

  const listed = parseCom(com).dataGroups;
  const wanted = listed.filter((n) => READABLE_DATA_GROUPS.includes(n) && (!opts.dataGroups || opts.dataGroups.includes(n)));
  for (const n of listed) {
    if (!READABLE_DATA_GROUPS.includes(n)) skipped.push({ name: `DG${n}`, reason: 'needs terminal authentication (EAC)' });
  }
  filesTotal = 2 + wanted.length;

  const sodStart = now();
  await readOne(LDS_FILES.SOD);
  const sodMs = now() - sodStart;

  const dgStart = now();
  for (const n of wanted) {
    const file = Object.values(LDS_FILES).find((f: LdsFile) => f.dg === n) as LdsFile | undefined
      ?? { name: `DG${n}`, fid: 0x0100 + n, sfi: n };
    try {
      await readOne(file);
    } catch (e) {
      // A listed optional group the chip will not give (6982/6A82) is reported, not fatal; DG1 is.
      if (n !== 1 && e instanceof ChipReadError && e.code === 'CHIP_FILE_UNAVAILABLE') {
        skipped.push({ name: file.name, reason: e.message });
        continue;
      }
      throw e;
    }
  }
  const end = now();

  return {
    files,
    listedDataGroups: listed,
    skipped,
    accessMethod: session.method,
    extendedLength: extended,
    apduCount: t.apduCount,
    bytesRead,
    timingsMs: {
      select: round(openTimes.select),
      access: round(openTimes.access),
      com: round(comMs),
      sod: round(sodMs),
      dataGroups: round(end - dgStart),
      total: round(end - t0),
    },
    perFile,
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

export { CardRemovedError };
