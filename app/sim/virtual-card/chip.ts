/**
 * An in-process eMRTD chip that answers APDU bytes the way a Vietnamese CCCD does: the eMRTD
 * application behind BAC and secure messaging, files by FID or SFI, short and extended reads.
 * Field behaviours that break naive readers are switches (see ChipBehaviour), so the reader is
 * tested against them at the real boundary: bytes in, bytes out.
 */
import { randomBytes } from 'node:crypto';
import {
  decodeCommand, encodeResponse, SW, type CommandApdu, type ResponseApdu,
} from '../../core/icao/apdu.ts';
import { bacKeys, bacSession, openCryptogram, sealCryptogram } from '../../core/icao/bac.ts';
import { concatBytes, equalBytes } from '../../core/icao/crypto.ts';
import { buildCom, parseCom } from '../../core/icao/lds/com.ts';
import { EMRTD_AID, LDS_FILES, fileForDg } from '../../core/icao/lds/files.ts';
import { decodeTlvAt, encodeTlv } from '../../core/icao/tlv.ts';
import { SecureMessaging, type SmKeys } from '../../core/icao/secure-messaging.ts';
import { AuthChipSide, cloneKeys, type ChipPrivateKeys } from './chip-auth-chip.ts';
import { PaceChipSide } from './pace-chip.ts';

export interface ChipBehaviour {
  /** Status for SELECT MF (3F00); Vietnamese cards answer 6D00. */
  readonly selectMfSw: number;
  /** Whether the chip parses extended-length APDUs. */
  readonly extendedLength: boolean;
  /** Most plain bytes one short READ BINARY may return; larger Ne gets `overLeSw`. */
  readonly maxShortRead: number;
  /** 6700 (refuse) or 6282 (return `maxShortRead` bytes with a warning) when Ne is too large. */
  readonly overLeSw: 0x6700 | 0x6282;
  /** Status when a read runs past the end of the file: 9000 with fewer bytes, or 6282. */
  readonly endOfFileSw: 0x9000 | 0x6282;
  /** Most plain bytes one extended READ BINARY returns (chips have finite I/O buffers). */
  readonly maxExtendedRead: number;
  /** Whether READ BINARY with a short file identifier in P1 works. */
  readonly sfiRead: boolean;
  /** BAC available (false = a PACE-only chip). */
  readonly bac: boolean;
  /** PACE offered (false = a BAC-only chip: EF.CardAccess answers 6A82 even if the files hold one). */
  readonly pace: boolean;
  /** PACE offered when EF.CardAccess exists; a status here makes MSE:Set AT fail (6982 seen in the field). */
  readonly paceRefusalSw?: number;
  /** A copied card: same files, but CA/AA private keys that do not match DG14/DG15. */
  readonly cloned?: boolean;
  /** How this chip OS refuses a wrong BAC key or PACE password: 6300, 6982 or 6988 are all seen. */
  readonly wrongKeySw: number;
  /** Data groups left out of the EF.COM this chip serves (a copy hiding DG14/DG15 from the reader). */
  readonly comOmits?: readonly number[];
  /** Data groups this chip does not have at all: SELECT and SFI reads answer 6A82. */
  readonly missingDataGroups?: readonly number[];
}

/** What a CCCD chip does, per the field reports in the reference notes (§1.3, §4). */
export const CCCD_BEHAVIOUR: ChipBehaviour = {
  selectMfSw: SW.INS_NOT_SUPPORTED,
  extendedLength: true,
  maxShortRead: 0xe7,
  overLeSw: 0x6700,
  endOfFileSw: 0x9000,
  maxExtendedRead: 65000,
  sfiRead: true,
  bac: true,
  pace: true,
  wrongKeySw: SW.VERIFY_FAILED,
};

export interface VirtualChipSpec {
  /** File contents by file identifier (EF.COM 011E, EF.SOD 011D, DG1 0101, …, EF.CardAccess 011C). */
  readonly files: ReadonlyMap<number, Uint8Array>;
  /** Document basic access keys: MRZ_information (doc number, DOB, DOE with check digits). */
  readonly mrzInformation: string;
  /** PACE card access number (CCCD: last 6 digits of the ID). */
  readonly can?: string;
  /** The chip's private keys behind DG14 (CA) and DG15 (AA). */
  readonly keys?: ChipPrivateKeys;
  readonly behaviour?: Partial<ChipBehaviour>;
  /** ATR the reader reports; built from the behaviour when absent. */
  readonly atr?: Uint8Array;
  /** Randomness source (tests may fix it). */
  readonly random?: (n: number) => Uint8Array;
}

/** Files readable without access control (ICAO 9303-10 §3.11: EF.CardAccess lives in the MF). */
const PUBLIC_FIDS = new Set<number>([LDS_FILES.CardAccess.fid]);

const ok = (data: Uint8Array = new Uint8Array(0)): ResponseApdu => ({ data, sw: SW.OK });
const status = (sw: number): ResponseApdu => ({ data: new Uint8Array(0), sw });

export class VirtualChip {
  readonly behaviour: ChipBehaviour;
  readonly atr: Uint8Array;
  private readonly files: ReadonlyMap<number, Uint8Array>;
  private readonly bacKeys: SmKeys;
  private readonly random: (n: number) => Uint8Array;
  private readonly pace: PaceChipSide | undefined;
  private readonly auth: AuthChipSide;
  // Session state, cleared by reset() (a new power-up).
  private appSelected = false;
  private currentFile: number | undefined;
  private challenge: Uint8Array | undefined;
  private sm: SecureMessaging | undefined;
  /** Count of commands processed since power-up (the transport uses it for pull-out scripts). */
  commands = 0;

  constructor(spec: VirtualChipSpec) {
    this.behaviour = { ...CCCD_BEHAVIOUR, ...spec.behaviour };
    this.bacKeys = bacKeys(spec.mrzInformation);
    this.random = spec.random ?? ((n) => new Uint8Array(randomBytes(n)));
    this.atr = spec.atr ?? contactlessAtr(this.behaviour.extendedLength);
    const cardAccess = this.behaviour.pace ? spec.files.get(LDS_FILES.CardAccess.fid) : undefined;
    this.files = servedFiles(spec.files, this.behaviour);
    const keys = spec.keys ?? {};
    this.auth = new AuthChipSide(this.behaviour.cloned ? cloneKeys(keys) : keys);
    this.pace = cardAccess ? paceSide({ cardAccess, mrzInformation: spec.mrzInformation, wrongKeySw: this.behaviour.wrongKeySw, ...(spec.can ? { can: spec.can } : {}) }) : undefined;
  }

  /** Power-up: all security state is lost, as when a card leaves and re-enters the field. */
  reset(): void {
    this.appSelected = false;
    this.currentFile = undefined;
    this.challenge = undefined;
    this.sm = undefined;
    this.commands = 0;
    this.pace?.reset();
    this.auth.reset();
  }

  get authenticated(): boolean {
    return this.sm !== undefined;
  }

  /** The file the last SELECT or SFI read chose (an attacker's oracle in MITM tests; see mitm.ts). */
  get selectedFile(): number | undefined {
    return this.currentFile;
  }

  /** One APDU exchange: bytes in, bytes out. Never throws. */
  process(apdu: Uint8Array): Uint8Array {
    this.commands++;
    let cmd: CommandApdu & { extended: boolean };
    try {
      cmd = decodeCommand(apdu);
    } catch {
      return encodeResponse(status(SW.WRONG_LENGTH));
    }
    if (cmd.extended && !this.behaviour.extendedLength) return encodeResponse(status(SW.WRONG_LENGTH));
    const secured = (cmd.cla & 0x0c) === 0x0c;
    if (!secured) {
      if (this.sm) {
        // A plain command inside an SM session ends the session (ICAO 9303-11 §9.8.4).
        this.dropSession();
        return encodeResponse(status(SW.SM_DATA_OBJECTS_MISSING));
      }
      return encodeResponse(this.handle(cmd, cmd.extended));
    }
    const sm = this.sm;
    if (!sm) return encodeResponse(status(SW.SM_DATA_OBJECTS_MISSING));
    let plain: CommandApdu;
    try {
      plain = sm.openCommand(cmd);
    } catch {
      this.dropSession();
      return encodeResponse(status(SW.SM_DATA_OBJECTS_INCORRECT));
    }
    const response = this.handle(plain, cmd.extended);
    // The handler may have replaced the session (e.g. chip authentication); the answer still uses
    // the keys the command arrived under.
    return encodeResponse(sm.protectResponse(response, (plain.ins & 1) === 1));
  }

  private dropSession(): void {
    this.sm = undefined;
    this.appSelected = false;
    this.currentFile = undefined;
  }

  private handle(cmd: CommandApdu, extended: boolean): ResponseApdu {
    if ((cmd.cla & ~0x1c) !== 0x00) return status(SW.CLA_NOT_SUPPORTED); // 0x10: command chaining (PACE)
    switch (cmd.ins) {
      case 0xa4: return this.select(cmd);
      case 0x84: return this.behaviour.bac ? this.getChallenge(cmd) : status(SW.SECURITY_STATUS_NOT_SATISFIED);
      case 0x82: return this.behaviour.bac ? this.externalAuthenticate(cmd) : status(SW.SECURITY_STATUS_NOT_SATISFIED);
      case 0x22: return this.manageSecurityEnvironment(cmd);
      case 0x86: return this.generalAuthenticate(cmd);
      case 0x88: return this.sm ? this.auth.internalAuthenticate(cmd) : status(SW.SECURITY_STATUS_NOT_SATISFIED);
      case 0xb0: return this.readBinary(cmd, extended);
      case 0xb1: return this.readBinaryOdd(cmd, extended);
      default: return status(SW.INS_NOT_SUPPORTED);
    }
  }

  private manageSecurityEnvironment(cmd: CommandApdu): ResponseApdu {
    if (cmd.p1 === 0x41 && this.sm) {
      // Chip Authentication runs inside the current SM session.
      if (cmd.p2 === 0xa4) return this.auth.setAt(cmd);
      if (cmd.p2 === 0xa6) {
        const { response, session } = this.auth.setKat(cmd);
        if (session) this.sm = session;
        return response;
      }
    }
    if (cmd.p1 === 0xc1 && cmd.p2 === 0xa4) {
      if (!this.pace) return status(SW.REFERENCED_DATA_NOT_FOUND);
      if (this.behaviour.paceRefusalSw !== undefined) return status(this.behaviour.paceRefusalSw);
      return this.pace.setAt(cmd);
    }
    return status(SW.INCORRECT_P1P2);
  }

  private generalAuthenticate(cmd: CommandApdu): ResponseApdu {
    if (this.sm) {
      const { response, session } = this.auth.generalAuthenticate(cmd);
      if (session) this.sm = session; // the answer still goes out under the old keys (see process)
      return response;
    }
    if (!this.pace) return status(SW.CONDITIONS_NOT_SATISFIED);
    const { response, session } = this.pace.generalAuthenticate(cmd);
    if (session) {
      this.sm = session;
      this.appSelected = false; // PACE runs at MF level; the terminal selects the application next
    }
    return response;
  }

  private select(cmd: CommandApdu): ResponseApdu {
    const data = cmd.data ?? new Uint8Array(0);
    if (cmd.p1 === 0x04) {
      if (!equalBytes(data, EMRTD_AID)) return status(SW.FILE_NOT_FOUND);
      this.appSelected = true;
      this.currentFile = undefined;
      return ok();
    }
    const fid = data.length === 2 ? (data[0]! << 8) | data[1]! : undefined;
    if ((cmd.p1 === 0x00 && (data.length === 0 || fid === 0x3f00)) || cmd.p1 === 0x03) {
      if (this.behaviour.selectMfSw !== SW.OK) return status(this.behaviour.selectMfSw);
      this.appSelected = false;
      this.currentFile = undefined;
      return ok();
    }
    if ((cmd.p1 === 0x02 || cmd.p1 === 0x00) && fid !== undefined) {
      if (!this.files.has(fid)) return status(SW.FILE_NOT_FOUND);
      if (!PUBLIC_FIDS.has(fid) && !this.appSelected) return status(SW.FILE_NOT_FOUND);
      this.currentFile = fid;
      return ok();
    }
    return status(SW.INCORRECT_P1P2);
  }

  private getChallenge(cmd: CommandApdu): ResponseApdu {
    if (cmd.ne !== 8) return status(SW.WRONG_LENGTH);
    this.challenge = this.random(8);
    return ok(this.challenge);
  }

  private externalAuthenticate(cmd: CommandApdu): ResponseApdu {
    const rndIc = this.challenge;
    this.challenge = undefined; // one attempt per challenge
    if (!rndIc || !this.appSelected) return status(SW.CONDITIONS_NOT_SATISFIED);
    if (cmd.data?.length !== 40) return status(SW.WRONG_LENGTH);
    let s: Uint8Array;
    try {
      s = openCryptogram(this.bacKeys, cmd.data);
    } catch {
      return status(this.behaviour.wrongKeySw);
    }
    const rndIfd = s.subarray(0, 8);
    if (!equalBytes(s.subarray(8, 16), rndIc)) return status(this.behaviour.wrongKeySw);
    const kIfd = s.subarray(16, 32);
    const kIc = this.random(16);
    const answer = sealCryptogram(this.bacKeys, concatBytes(rndIc, rndIfd, kIc));
    this.sm = bacSession(kIfd, kIc, rndIc, rndIfd);
    return ok(answer);
  }

  /** READ BINARY B1: offset in DO54 (for offsets beyond 7FFF), data answered inside DO53. */
  private readBinaryOdd(cmd: CommandApdu, extended: boolean): ResponseApdu {
    let offset: number;
    try {
      const t = decodeTlvAt(cmd.data ?? new Uint8Array(0), 0);
      if (t.tag !== 0x54 || t.value.length === 0 || t.value.length > 3) return status(SW.WRONG_DATA);
      offset = t.value.reduce((n, b) => n * 256 + b, 0);
    } catch {
      return status(SW.WRONG_DATA);
    }
    if (cmd.p1 !== 0 || cmd.p2 !== 0) return status(SW.INCORRECT_P1P2); // current EF only
    const ne = Math.max(1, (cmd.ne ?? 256) - 4);
    const inner = this.readAt(this.currentFile, offset, ne, extended);
    return inner.data.length > 0 ? { data: encodeTlv(0x53, inner.data), sw: inner.sw } : inner;
  }

  private readBinary(cmd: CommandApdu, extended: boolean): ResponseApdu {
    let fid = this.currentFile;
    let offset: number;
    if (cmd.p1 & 0x80) {
      if (!this.behaviour.sfiRead) return status(SW.FUNCTION_NOT_SUPPORTED);
      const sfi = cmd.p1 & 0x1f;
      fid = [...this.files.keys()].find((f) => sfiOf(f) === sfi);
      if (fid === undefined) return status(SW.FILE_NOT_FOUND);
      if (!PUBLIC_FIDS.has(fid) && !this.appSelected) return status(SW.FILE_NOT_FOUND);
      this.currentFile = fid;
      offset = cmd.p2;
    } else {
      offset = (cmd.p1 << 8) | cmd.p2;
    }
    return this.readAt(fid, offset, cmd.ne ?? 256, extended);
  }

  private readAt(fid: number | undefined, offset: number, ne: number, extended: boolean): ResponseApdu {
    if (fid === undefined) return status(SW.CONDITIONS_NOT_SATISFIED);
    if (!PUBLIC_FIDS.has(fid) && !this.sm) return status(SW.SECURITY_STATUS_NOT_SATISFIED);
    const file = this.files.get(fid)!;
    if (offset > file.length) return status(SW.WRONG_P1P2);
    let take = extended ? Math.min(ne, this.behaviour.maxExtendedRead) : ne;
    let sw: number = SW.OK;
    if (!extended && ne > this.behaviour.maxShortRead) {
      if (this.behaviour.overLeSw === 0x6700) return status(SW.WRONG_LENGTH);
      take = this.behaviour.maxShortRead;
      sw = SW.END_OF_FILE;
    }
    const data = file.subarray(offset, Math.min(file.length, offset + take));
    if (offset + take > file.length && sw === SW.OK) sw = this.behaviour.endOfFileSw;
    return { data: data.slice(), sw };
  }
}

/** The files as this chip serves them: without EF.CardAccess on a BAC-only chip, without the data
 * groups it lacks, and with an EF.COM that leaves out what the behaviour hides. */
function servedFiles(files: ReadonlyMap<number, Uint8Array>, b: ChipBehaviour): ReadonlyMap<number, Uint8Array> {
  const out = new Map(files);
  if (!b.pace) out.delete(LDS_FILES.CardAccess.fid);
  for (const n of b.missingDataGroups ?? []) out.delete(fileForDg(n)?.fid ?? 0x0100 + n);
  const com = out.get(LDS_FILES.COM.fid);
  if (com && b.comOmits?.length) out.set(LDS_FILES.COM.fid, buildCom(parseCom(com).dataGroups.filter((n) => !b.comOmits!.includes(n))));
  return out;
}

/** The PACE half of a chip whose EF.CardAccess it can read; a chip with a garbled one offers no PACE. */
function paceSide(secrets: ConstructorParameters<typeof PaceChipSide>[0]): PaceChipSide | undefined {
  try {
    return new PaceChipSide(secrets);
  } catch {
    return undefined;
  }
}

/** ICAO's SFI convention: the low 5 bits of the FID for LDS files. */
const sfiOf = (fid: number): number => {
  const known = Object.values(LDS_FILES).find((f) => f.fid === fid);
  return known ? known.sfi : fid & 0x1f;
};

/**
 * A PC/SC-style contactless ATR (3B 8n 80 01 + historical bytes + TCK) whose historical bytes carry
 * a card-capabilities object announcing (or not) extended Lc/Le.
 */
export function contactlessAtr(extended: boolean): Uint8Array {
  const hist = Uint8Array.of(0x80, 0x73, 0x00, 0x00, extended ? 0x40 : 0x00);
  const body = Uint8Array.of(0x3b, 0x80 | hist.length, 0x80, 0x01, ...hist);
  let tck = 0;
  for (const b of body.subarray(1)) tck ^= b;
  return Uint8Array.of(...body, tck);
}
