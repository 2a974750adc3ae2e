/**
 * The chip read flow (ICAO 9303-10/-11) as a list of named steps:
 *
 *   access                 EF.CardAccess, PACE or BAC, the eMRTD application (access.ts)
 *   EF.COM                 the extended-length probe; its list of data groups is unsigned
 *   EF.SOD                 the data groups it signs decide what is read and which clone checks must pass
 *   chip authentication    DG14 and CA, so that the other data groups are read under keys only the
 *                          genuine chip can derive
 *   data groups            the data groups the SOD signs (DG3/DG4 are skipped: they need terminal authentication)
 *   active authentication  DG15 and AA
 *
 * Passive authentication and the document follow in app/core/cccd/read-document.ts.
 *
 * What must run comes from the signed SOD, never from EF.COM or from whether a file answers: if
 * the SOD signs DG14, DG14 must be read, match its signed hash and, when it offers a CA key, CA
 * must pass; if it signs DG15, AA must pass. A required file that cannot be read is a failed check
 * (CHIP_CLONE_SUSPECTED), not a skipped one: a copied chip hiding DG14/DG15, or a man in the middle
 * answering 6A82 to their SELECT, cannot switch the clone check off.
 * Reads use Le = 0xDF by default, step down on 6700/6282/6Cxx, and use extended length when both
 * the reader and the card accept it. The result is raw files plus counters and the clone verdict.
 *
 * A card pulled out mid-read surfaces as CardRemovedError and nothing partial is returned.
 */
import { KioskError } from '../errors.ts';
import { openChip, type AccessKey, type AccessMethod, type AccessOptions, type AccessSession } from './access.ts';
import { performActiveAuthentication } from './active-auth.ts';
import { chipAuthPlan, cloneVerdict, performChipAuthentication, type ChipAuthenticity, type ProtocolOutcome } from './chip-auth.ts';
import { parseCom } from './lds/com.ts';
import { parseDg14 } from './lds/dg14.ts';
import { LDS_FILES, fileForDg, type LdsFile } from './lds/files.ts';
import type { SecurityInfo } from './lds/security-infos.ts';
import { dataGroupHashMatches, parseSod, type LdsSecurityObject } from './lds/sod.ts';
import { ReadEstimate, type ReadProgress } from './read-progress.ts';
import { ChipReadError, DEFAULT_SHORT_LE, FileReader } from './reader-files.ts';
import { SmError } from './secure-messaging.ts';
import { atrExtendedLength, CardIoError, CardRemovedError, CountingTransport, type CardTransport } from './transport.ts';

export { ChipReadError, DEFAULT_SHORT_LE, FALLBACK_SIZES } from './reader-files.ts';
export type { ReadProgress } from './read-progress.ts';

/** Data groups the kiosk reads when the SOD signs them. DG3/DG4 need EAC terminal authentication. */
export const READABLE_DATA_GROUPS: readonly number[] = [1, 2, 5, 7, 11, 12, 13, 14, 15, 16];

export type LeMode = 'auto' | 'short' | 'extended';

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
  /** After every chunk read; bytesExpected can grow (see read-progress.ts, forwardOnly for a bar). */
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
  readonly timingsMs: ReadTimings;
  readonly perFile: readonly FileReadStat[];
}

export interface ReadTimings {
  readonly select: number;
  readonly access: number;
  readonly com: number;
  readonly sod: number;
  readonly dataGroups: number;
  readonly chipAuthentication: number;
  readonly activeAuthentication: number;
  readonly total: number;
}

/** Reads the chip: access control, EF.COM, EF.SOD, DG14 + CA, the signed data groups, then AA. */
export async function readChip(transport: CardTransport, opts: ReadOptions): Promise<ChipReadResult> {
  const read = await ChipRead.open(transport, opts);
  await read.step('com', () => read.readCom());
  await read.step('sod', () => read.readSod());
  await read.step('chipAuthentication', () => read.chipAuthentication());
  await read.step('dataGroups', () => read.readDataGroups());
  await read.step('activeAuthentication', () => read.activeAuthentication());
  return read.result();
}

/** Bytes of SM overhead to leave room for in one extended response (DO87 header, padding, DO99, DO8E, SW). */
const EXTENDED_HEADROOM = 48;

type Step = Exclude<keyof ReadTimings, 'select' | 'access' | 'total'>;

/** One read under way: the session, the files so far, and what each step leaves for the next. */
class ChipRead {
  private readonly files = new Map<string, Uint8Array>();
  private readonly skipped: { name: string; reason: string }[] = [];
  private readonly perFile: FileReadStat[] = [];
  private readonly timings: Record<Step, number> = { com: 0, sod: 0, chipAuthentication: 0, dataGroups: 0, activeAuthentication: 0 };
  private readonly estimate = new ReadEstimate();
  private bytesRead = 0;
  private readonly auth: boolean;
  private readonly mode: LeMode;
  private readonly cardSaysExtended: boolean | undefined;
  private extended: boolean;
  private readonly maxExtended: number;
  private reader: FileReader;
  /** What the signed EF.SOD holds (undefined when it cannot be parsed: EF.COM's list stands in). */
  private lso: LdsSecurityObject | undefined;
  private listed: readonly number[] = [];
  private wanted: readonly number[] = [];
  private dg14Infos: readonly SecurityInfo[] | undefined;
  private readonly ca = new ChipCheck();
  private readonly aa = new ChipCheck();

  private constructor(
    private readonly t: CountingTransport,
    private readonly opts: ReadOptions,
    private readonly now: () => number,
    private readonly t0: number,
    /** The first opening: its timings and why PACE was not used stay, whatever opens the chip again. */
    private readonly first: AccessSession,
    private session: AccessSession,
  ) {
    this.auth = opts.authenticateChip !== false;
    if (session.cardAccess) this.files.set(LDS_FILES.CardAccess.name, session.cardAccess);
    const caps = t.capabilities;
    this.cardSaysExtended = caps.atr ? atrExtendedLength(caps.atr) : undefined;
    this.mode = opts.le ?? 'auto';
    this.extended = this.mode === 'extended' || (this.mode === 'auto' && caps.extendedLength && this.cardSaysExtended !== false);
    if (this.extended && !caps.extendedLength) {
      throw new ChipReadError('CHIP_EXTENDED_UNSUPPORTED', 'the reader does not pass extended-length APDUs');
    }
    this.maxExtended = Math.max(0x100, Math.min(65536, caps.maxResponseLength) - EXTENDED_HEADROOM);
    this.reader = this.fileReader();
  }

  /** Step "access": EF.CardAccess, PACE or BAC, the eMRTD application. */
  static async open(transport: CardTransport, opts: ReadOptions): Promise<ChipRead> {
    const now = opts.now ?? (() => performance.now());
    const t = new CountingTransport(transport);
    const t0 = now();
    const session = await openChip(t, opts.access, { ...opts, now });
    return new ChipRead(t, opts, now, t0, session, session);
  }

  async step(name: Step, run: () => Promise<void>): Promise<void> {
    const start = this.now();
    await run();
    this.timings[name] = this.now() - start;
  }

  private fileReader(): FileReader {
    return new FileReader(this.session.channel, this.extended, this.maxExtended, this.opts.shortLe ?? DEFAULT_SHORT_LE);
  }

  /** Opening again (after a refused extended-length probe or a failed CA) keeps what the first opening learnt. */
  private async reopen(): Promise<void> {
    const again = await openChip(this.t, this.opts.access, { ...this.opts, now: this.now });
    const paceFallback = this.first.paceFallback ?? again.paceFallback;
    this.session = { ...again, timingsMs: this.first.timingsMs, ...(paceFallback ? { paceFallback } : {}) };
  }

  private async readOne(file: LdsFile): Promise<Uint8Array> {
    const start = this.now();
    const apdus = this.t.apduCount;
    const data = await this.reader.read(file, this.opts.selectBy ?? 'fid', (got, size) => {
      this.estimate.learn(file.name, size);
      this.opts.onProgress?.({ file: file.name, fileBytesRead: got, fileSize: size, bytesRead: this.bytesRead + got, bytesExpected: this.estimate.bytesExpected });
    });
    this.bytesRead += data.length;
    this.files.set(file.name, data);
    this.perFile.push({ name: file.name, bytes: data.length, apdus: this.t.apduCount - apdus, ms: this.now() - start });
    return data;
  }

  /** A file the SOD requires for a clone check: undefined when the chip will not give it (the check then fails). */
  private readRequired(file: LdsFile): Promise<Uint8Array | undefined> {
    return this.readOne(file).catch((e: unknown) => {
      if (e instanceof ChipReadError && e.code === 'CHIP_FILE_UNAVAILABLE') {
        this.estimate.drop(file.name);
        return undefined;
      }
      throw e;
    });
  }

  /** The data groups to read of those listed: readable ones, as asked; DG14/DG15 whenever the clone checks run. */
  private plan(listed: readonly number[]): void {
    this.wanted = listed.filter((n) => READABLE_DATA_GROUPS.includes(n) &&
      (!this.opts.dataGroups || this.opts.dataGroups.includes(n) || (this.auth && (n === 14 || n === 15))));
    this.estimate.plan([LDS_FILES.COM.name, LDS_FILES.SOD.name, ...this.wanted.map((n) => `DG${n}`)]);
  }

  /**
   * Step "EF.COM". It doubles as the extended-length probe when the ATR did not say: if the card
   * refuses, the SM session is no longer trustworthy, so authenticate again and continue with short reads.
   */
  async readCom(): Promise<void> {
    let com: Uint8Array;
    try {
      com = await this.readOne(LDS_FILES.COM);
    } catch (e) {
      const probeFailed = this.extended && this.mode === 'auto' && this.cardSaysExtended === undefined &&
        (e instanceof SmError || e instanceof CardIoError || (e instanceof ChipReadError && e.code === 'CHIP_EXTENDED_REFUSED'));
      if (!probeFailed) throw e;
      this.extended = false;
      await this.reopen();
      this.reader = this.fileReader();
      com = await this.readOne(LDS_FILES.COM);
    }
    // Unsigned, but good enough to estimate what is left to read until the SOD says.
    this.listed = parseCom(com).dataGroups;
    this.plan(this.listed);
  }

  /**
   * Step "EF.SOD": the data groups it signs decide what is read and which clone checks must pass.
   * EF.COM is unsigned; a copied chip can leave DG14/DG15 out of it (reader's choice would then be
   * the card's). Only when the SOD cannot be parsed does EF.COM stand in (and PA then fails anyway).
   */
  async readSod(): Promise<void> {
    const sod = await this.readOne(LDS_FILES.SOD);
    this.lso = signedContent(sod);
    const comListed = this.listed;
    const listed = this.lso ? [...this.lso.dataGroupHashes.keys()].sort((a, b) => a - b) : comListed;
    for (const n of comListed) {
      if (this.lso && !listed.includes(n)) this.skipped.push({ name: `DG${n}`, reason: 'listed in EF.COM but not signed in EF.SOD' });
    }
    for (const n of listed) {
      if (!READABLE_DATA_GROUPS.includes(n)) this.skipped.push({ name: `DG${n}`, reason: 'needs terminal authentication (EAC)' });
    }
    this.listed = listed;
    this.plan(listed);
  }

  /** A required file that came back, and hashes to what the SOD signed (else the check fails). */
  private usable(check: ChipCheck, dg: number, bytes: Uint8Array | undefined): bytes is Uint8Array {
    if (!bytes) return check.fail(`DG${dg}_UNAVAILABLE`);
    if (this.lso && dataGroupHashMatches(this.lso, dg, bytes) === false) return check.fail(`DG${dg}_HASH_MISMATCH`);
    return true;
  }

  /**
   * Step "chip authentication", before the other data groups, so that they are read under keys only
   * the genuine chip can derive. A failed CA leaves the session unusable: open the chip again, read on.
   */
  async chipAuthentication(): Promise<void> {
    if (!this.auth || !this.listed.includes(14)) return;
    const dg14 = await this.readRequired(LDS_FILES.DG14);
    if (!this.usable(this.ca, 14, dg14)) return;
    let plan;
    try {
      this.dg14Infos = parseDg14(dg14).securityInfos;
      plan = chipAuthPlan(dg14);
    } catch {
      this.ca.fail('DG14_INVALID');
    }
    // A signed DG14 without a CA key offers no CA: nothing to fail (AA may still be required).
    if (!plan) return;
    try {
      const channel = await performChipAuthentication(this.session.channel, plan);
      this.session = { ...this.session, channel };
      this.reader.setChannel(channel);
      this.ca.pass();
    } catch (e) {
      if (!(e instanceof KioskError) || e instanceof CardRemovedError || e.code === 'CARD_IO_ERROR') throw e;
      this.ca.fail(e.code);
      await this.reopen();
      this.reader.setChannel(this.session.channel);
    }
  }

  /** Step "data groups": those the SOD signs and the caller wants (DG14 was read for CA). */
  async readDataGroups(): Promise<void> {
    for (const n of this.wanted) {
      if (this.files.has(`DG${n}`) || (n === 14 && this.auth)) continue;
      const file = fileForDg(n) ?? { name: `DG${n}`, fid: 0x0100 + n, sfi: n };
      try {
        await this.readOne(file);
      } catch (e) {
        // A listed optional group the chip will not give (6982/6A82) is reported, not fatal; DG1 is.
        // DG15 missing while the SOD signs it fails Active Authentication below.
        if (n !== 1 && e instanceof ChipReadError && e.code === 'CHIP_FILE_UNAVAILABLE') {
          this.skipped.push({ name: file.name, reason: e.message });
          this.estimate.drop(file.name);
          continue;
        }
        throw e;
      }
    }
  }

  /** Step "active authentication": the SOD signs DG15, so AA must pass. */
  async activeAuthentication(): Promise<void> {
    if (!this.auth || !this.listed.includes(15)) return;
    const dg15 = this.files.get('DG15');
    if (!this.usable(this.aa, 15, dg15)) return;
    const info = this.dg14Infos?.find((i) => i.kind === 'ActiveAuthenticationInfo');
    try {
      await performActiveAuthentication(this.session.channel, dg15, info?.kind === 'ActiveAuthenticationInfo' ? { signatureAlgorithm: info.signatureAlgorithm } : {});
      this.aa.pass();
    } catch (e) {
      if (!(e instanceof KioskError) || e instanceof CardRemovedError || e.code === 'CARD_IO_ERROR') throw e;
      this.aa.fail(e.code);
    }
  }

  result(): ChipReadResult {
    const end = this.now();
    const { session, first } = this;
    // The signed DG14 names PACE but the chip was opened with BAC and nobody said why: EF.CardAccess
    // was hidden or stripped (a copied chip, or a man in the middle downgrading the session).
    const paceHidden = session.method === 'BAC' && this.opts.pace !== 'never' && !session.paceFallback && this.dg14Infos?.some((i) => i.kind === 'PACEInfo');
    const paceFallback = session.paceFallback ?? (paceHidden ? 'PACE_HIDDEN' : undefined);
    const t = this.timings;
    return {
      files: this.files,
      listedDataGroups: this.listed,
      skipped: this.skipped,
      accessMethod: session.method,
      ...(paceFallback ? { paceFallback } : {}),
      extendedLength: this.extended,
      chipAuthenticity: cloneVerdict(this.ca.outcome, this.aa.outcome, [...this.ca.reasons, ...this.aa.reasons]),
      apduCount: this.t.apduCount,
      bytesRead: this.bytesRead,
      timingsMs: {
        select: round(first.timingsMs.select),
        access: round(first.timingsMs.access),
        com: round(t.com),
        sod: round(t.sod),
        dataGroups: round(t.dataGroups),
        chipAuthentication: round(this.ca.outcome === 'not-offered' ? 0 : t.chipAuthentication),
        activeAuthentication: round(t.activeAuthentication),
        total: round(end - this.t0),
      },
      perFile: this.perFile,
    };
  }
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
