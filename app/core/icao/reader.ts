/**
 * The chip read flow (ICAO 9303-10/-11): EF.CardAccess and access control (PACE or BAC, see
 * access.ts), EF.COM (the extended-length probe), EF.SOD, then DG14 and Chip Authentication so that
 * the other data groups are read under keys only the genuine chip can derive, then the data groups
 * the SOD signs (DG3/DG4 are skipped: they need terminal authentication), then Active
 * Authentication with DG15.
 *
 * What must run comes from the signed SOD, never from EF.COM or from whether a file answers: if
 * the SOD signs DG14, DG14 must be read, match its signed hash and, when it offers a CA key, CA
 * must pass; if it signs DG15, AA must pass. A required file that cannot be read is a failed check
 * (CHIP_CLONE_SUSPECTED), not a skipped one: a copied chip hiding DG14/DG15, or a man in the middle
 * answering 6A82 to their SELECT, cannot switch the clone check off.
 * Reads use Le = 0xDF by default, step down on 6700/6282/6Cxx, and use extended length when both
 * the reader and the card accept it. The result is raw files plus counters and the clone verdict;
 * parsing and passive authentication are in reader-document.ts.
 *
 * A card pulled out mid-read surfaces as CardRemovedError and nothing partial is returned.
 */
import { KioskError } from '../errors.ts';
import { openChip, type AccessKey, type AccessMethod, type AccessOptions } from './access.ts';
import { performActiveAuthentication } from './active-auth.ts';
import { chipAuthPlan, cloneVerdict, performChipAuthentication, type ChipAuthenticity, type ProtocolOutcome } from './chip-auth.ts';
import { parseCom } from './lds/com.ts';
import { parseDg14 } from './lds/dg14.ts';
import { LDS_FILES, type LdsFile } from './lds/files.ts';
import type { SecurityInfo } from './lds/security-infos.ts';
import { dataGroupHashMatches, parseSod, type LdsSecurityObject } from './lds/sod.ts';
import { ChipReadError, DEFAULT_SHORT_LE, FileReader } from './reader-files.ts';
import { SmError } from './secure-messaging.ts';
import { atrExtendedLength, CardIoError, CardRemovedError, CountingTransport, type CardTransport } from './transport.ts';

export { ChipReadError, DEFAULT_SHORT_LE, FALLBACK_SIZES } from './reader-files.ts';

/** Data groups the kiosk reads when the SOD signs them. DG3/DG4 need EAC terminal authentication. */
export const READABLE_DATA_GROUPS: readonly number[] = [1, 2, 5, 7, 11, 12, 13, 14, 15, 16];

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
  /** Run Chip Authentication (DG14) and Active Authentication (DG15) as the SOD requires (default true). */
  readonly authenticateChip?: boolean;
  /** Restrict the data groups read (still only those the SOD signs; DG14/DG15 stay while authenticating). */
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
  /** Data groups the SOD signs (EF.COM's unsigned list only when the SOD cannot be parsed). */
  readonly listedDataGroups: readonly number[];
  /** Listed files not read, with the reason (e.g. DG3 needs terminal authentication). */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
  readonly accessMethod: AccessMethod;
  /**
   * Why PACE was offered but not used: PACE_REFUSED / PACE_UNSUPPORTED (EF.CardAccess offered it),
   * CARD_ACCESS_INVALID (unreadable EF.CardAccess), PACE_HIDDEN (the signed DG14 names PACE but
   * EF.CardAccess did not offer it).
   */
  readonly paceFallback?: string;
  readonly extendedLength: boolean;
  /** Clone detection: CA/AA outcomes and the verdict shown beside the PA verdict. */
  readonly chipAuthenticity: ChipAuthenticity;
  readonly apduCount: number;
  readonly bytesRead: number;
  readonly timingsMs: {
    readonly select: number;
    readonly access: number;
    readonly com: number;
    readonly sod: number;
    readonly dataGroups: number;
    readonly chipAuthentication: number;
    readonly activeAuthentication: number;
    readonly total: number;
  };
  readonly perFile: readonly FileReadStat[];
}

/** Bytes of SM overhead to leave room for in one extended response (DO87 header, padding, DO99, DO8E, SW). */
const EXTENDED_HEADROOM = 48;

/** Reads the chip: access control, EF.COM, EF.SOD, DG14 + CA, the signed data groups, then AA. */
export async function readChip(transport: CardTransport, opts: ReadOptions): Promise<ChipReadResult> {
  const now = opts.now ?? (() => performance.now());
  const t = new CountingTransport(transport);
  const t0 = now();
  const perFile: FileReadStat[] = [];
  const files = new Map<string, Uint8Array>();
  const skipped: { name: string; reason: string }[] = [];
  let bytesRead = 0;

  let session = await openChip(t, opts.access, { ...opts, now });
  const first = session;
  // Opening again (after a refused extended-length probe or a failed CA) keeps what the first
  // opening learnt: its timings and why PACE was not used.
  const reopen = async () => {
    const again = await openChip(t, opts.access, { ...opts, now });
    const paceFallback = first.paceFallback ?? again.paceFallback;
    return { ...again, timingsMs: first.timingsMs, ...(paceFallback ? { paceFallback } : {}) };
  };
  if (session.cardAccess) files.set(LDS_FILES.CardAccess.name, session.cardAccess);

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
    session = await reopen();
    reader = new FileReader(session.channel, false, maxExtended, opts.shortLe ?? DEFAULT_SHORT_LE);
    com = await readOne(LDS_FILES.COM);
  }
  const comMs = now() - comStart;

  // EF.SOD next: the data groups it signs decide what is read and which clone checks must pass.
  // EF.COM is unsigned; a copied chip can leave DG14/DG15 out of it (reader's choice would then be
  // the card's). Only when the SOD cannot be read does EF.COM stand in (and PA then fails anyway).
  const sodStart = now();
  const sodBytes = await readOne(LDS_FILES.SOD);
  const sodMs = now() - sodStart;
  const lso = signedContent(sodBytes);
  const comListed = parseCom(com).dataGroups;
  const listed = lso ? [...lso.dataGroupHashes.keys()].sort((a, b) => a - b) : comListed;
  for (const n of comListed) {
    if (lso && !listed.includes(n)) skipped.push({ name: `DG${n}`, reason: 'listed in EF.COM but not signed in EF.SOD' });
  }
  for (const n of listed) {
    if (!READABLE_DATA_GROUPS.includes(n)) skipped.push({ name: `DG${n}`, reason: 'needs terminal authentication (EAC)' });
  }
  const auth = opts.authenticateChip !== false;
  // DG14 and DG15 are read whenever the clone checks run: the verdict needs them, whatever else is asked.
  const wanted = listed.filter((n) => READABLE_DATA_GROUPS.includes(n) &&
    (!opts.dataGroups || opts.dataGroups.includes(n) || (auth && (n === 14 || n === 15))));
  filesTotal = 2 + wanted.length;

  const ca = new ChipCheck();
  const aa = new ChipCheck();
  /** A required file that came back, and hashes to what the SOD signed (else the check fails). */
  const usable = (check: ChipCheck, dg: number, bytes: Uint8Array | undefined): bytes is Uint8Array => {
    if (!bytes) return check.fail(`DG${dg}_UNAVAILABLE`);
    if (lso && dataGroupHashMatches(lso, dg, bytes) === false) return check.fail(`DG${dg}_HASH_MISMATCH`);
    return true;
  };
  const readRequired = (file: LdsFile) => readOne(file).catch((e: unknown) => {
    if (e instanceof ChipReadError && e.code === 'CHIP_FILE_UNAVAILABLE') return undefined;
    throw e;
  });

  // Chip Authentication before the other data groups, so that they are read under keys only the
  // genuine chip can derive. A failed CA leaves the session unusable: open the chip again, read on.
  const caStart = now();
  let dg14Infos: readonly SecurityInfo[] | undefined;
  if (auth && listed.includes(14)) {
    const dg14 = await readRequired(LDS_FILES.DG14);
    if (usable(ca, 14, dg14)) {
      let plan;
      try {
        dg14Infos = parseDg14(dg14).securityInfos;
        plan = chipAuthPlan(dg14);
      } catch {
        ca.fail('DG14_INVALID');
      }
      if (plan) {
        try {
          const channel = await performChipAuthentication(session.channel, plan);
          session = { ...session, channel };
          reader.setChannel(channel);
          ca.pass();
        } catch (e) {
          if (!(e instanceof KioskError) || e instanceof CardRemovedError || e.code === 'CARD_IO_ERROR') throw e;
          ca.fail(e.code);
          session = await reopen();
          reader.setChannel(session.channel);
        }
      }
      // A signed DG14 without a CA key offers no CA: nothing to fail (AA may still be required).
    }
  }
  const caMs = ca.outcome === 'not-offered' ? 0 : now() - caStart;

  const dgStart = now();
  for (const n of wanted) {
    if (files.has(`DG${n}`) || (n === 14 && auth)) continue; // DG14: read (or found missing) for CA
    const file = Object.values(LDS_FILES).find((f: LdsFile) => f.dg === n) as LdsFile | undefined
      ?? { name: `DG${n}`, fid: 0x0100 + n, sfi: n };
    try {
      await readOne(file);
    } catch (e) {
      // A listed optional group the chip will not give (6982/6A82) is reported, not fatal; DG1 is.
      // DG15 missing while the SOD signs it fails Active Authentication below.
      if (n !== 1 && e instanceof ChipReadError && e.code === 'CHIP_FILE_UNAVAILABLE') {
        skipped.push({ name: file.name, reason: e.message });
        continue;
      }
      throw e;
    }
  }
  const dgEnd = now();

  if (auth && listed.includes(15)) {
    const dg15 = files.get('DG15');
    if (usable(aa, 15, dg15)) {
      const info = dg14Infos?.find((i) => i.kind === 'ActiveAuthenticationInfo');
      try {
        await performActiveAuthentication(session.channel, dg15, info?.kind === 'ActiveAuthenticationInfo' ? { signatureAlgorithm: info.signatureAlgorithm } : {});
        aa.pass();
      } catch (e) {
        if (!(e instanceof KioskError) || e instanceof CardRemovedError || e.code === 'CARD_IO_ERROR') throw e;
        aa.fail(e.code);
      }
    }
  }
  const end = now();

  // The signed DG14 names PACE but the chip was opened with BAC and nobody said why: EF.CardAccess
  // was hidden or stripped (a copied chip, or a man in the middle downgrading the session).
  const paceHidden = session.method === 'BAC' && opts.pace !== 'never' && !session.paceFallback && dg14Infos?.some((i) => i.kind === 'PACEInfo');
  const paceFallback = session.paceFallback ?? (paceHidden ? 'PACE_HIDDEN' : undefined);

  return {
    files,
    listedDataGroups: listed,
    skipped,
    accessMethod: session.method,
    ...(paceFallback ? { paceFallback } : {}),
    extendedLength: extended,
    chipAuthenticity: cloneVerdict(ca.outcome, aa.outcome, [...ca.reasons, ...aa.reasons]),
    apduCount: t.apduCount,
    bytesRead,
    timingsMs: {
      select: round(first.timingsMs.select),
      access: round(first.timingsMs.access),
      com: round(comMs),
      sod: round(sodMs),
      dataGroups: round(dgEnd - dgStart),
      chipAuthentication: round(caMs),
      activeAuthentication: round(end - dgEnd),
      total: round(end - t0),
    },
    perFile,
  };
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** The LDSSecurityObject of an EF.SOD, or undefined when it cannot be parsed (PA reports why). */
function signedContent(sod: Uint8Array): LdsSecurityObject | undefined {
  try {
    return parseSod(sod).ldsSecurityObject;
  } catch {
    return undefined;
  }
}

/** The outcome of one clone check (CA or AA) and why it failed. */
class ChipCheck {
  outcome: ProtocolOutcome = 'not-offered';
  readonly reasons: string[] = [];
  pass(): void {
    this.outcome = 'passed';
  }
  fail(reason: string): false {
    this.outcome = 'failed';
    this.reasons.push(reason);
    return false;
  }
}

export { CardRemovedError };
