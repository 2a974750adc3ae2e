/**
 * Fuzz targets: every parser that reads bytes or text from outside (the chip, a QR scanner, an
 * operator's MRZ), with seeds taken from real generated files. A parser passes when, for any
 * input, it returns or throws a KioskError (ParseError) — never another exception — and returns
 * quickly. Shared by the vitest suite (few runs) and test/fuzz/run.ts (≥100,000 runs each).
 */
import fc from 'fast-check';
import { parseDg13 } from '../../app/core/cccd/dg13.ts';
import { parseCccdDocument } from '../../app/core/cccd/document.ts';
import { parseCanCuocBackQr, parseCardQr, parseCccdFrontQr } from '../../app/core/cccd/qr.ts';
import { parseIdNumber } from '../../app/core/cccd/id-number.ts';
import { KioskError } from '../../app/core/errors.ts';
import { parseCom } from '../../app/core/icao/lds/com.ts';
import { parseDg1 } from '../../app/core/icao/lds/dg1.ts';
import { parseDg2 } from '../../app/core/icao/lds/dg2.ts';
import { buildDg11, parseDg11 } from '../../app/core/icao/lds/dg11.ts';
import { buildDg12, parseDg12 } from '../../app/core/icao/lds/dg12.ts';
import { parseDg14 } from '../../app/core/icao/lds/dg14.ts';
import { parseDg15 } from '../../app/core/icao/lds/dg15.ts';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { parseCardAccess } from '../../app/core/icao/lds/security-infos.ts';
import { parseSod } from '../../app/core/icao/lds/sod.ts';
import { parseMrz } from '../../app/core/icao/mrz.ts';
import { verifyPassive } from '../../app/core/icao/passive-auth.ts';
import { parseMasterList } from '../../app/core/icao/passive-auth-master-list.ts';
import { decodeTlvList, tlvChildren, type Tlv } from '../../app/core/icao/tlv.ts';
import { buildMasterList } from '../../app/sim/pki/master-list.ts';
import { getTestPki } from '../../app/sim/pki/test-pki.ts';
import { buildCardFiles, type CardFiles } from '../../app/sim/personas/build-card-files.ts';
import { chipProtocolTargets } from './chip-protocol-targets.ts';
import { bytesFor, textFor } from './generators.ts';
import { imageTargets } from './image-targets.ts';
import { serviceTargets } from './service-targets.ts';

export interface FuzzTarget {
  readonly name: string;
  readonly arbitrary: fc.Arbitrary<unknown>;
  /** Returns (or resolves) for an accepted input, throws (rejects) a KioskError for a refused one. */
  readonly run: (input: never) => unknown;
  /** The parser is asynchronous (a fake card channel, a WASM or libvips decoder). */
  readonly async?: boolean;
  /** Fewer inputs than asked for, when each is expensive; run.ts prints the reason. */
  readonly maxRuns?: { readonly runs: number; readonly why: string };
}

/** Walks a TLV tree fully so nested garbage is exercised too. */
function walk(list: Tlv[], depth = 0): number {
  let n = list.length;
  if (depth > 32) return n;
  for (const t of list) if (t.constructed) n += walk(tlvChildren(t), depth + 1);
  return n;
}

export async function fuzzTargets(): Promise<FuzzTarget[]> {
  const cards = await Promise.all(['nguyen-van-an', 'tran-thi-bich-ngoc', 'le-minh-chau-passport'].map((id) => buildCardFiles(id)));
  const files = (fid: number) => cards.map((c) => c.files.get(fid)).filter((b): b is Uint8Array => b !== undefined);
  // DG2 seeds are large; keep the portrait short so mutations also reach the headers often.
  const dg2 = files(LDS_FILES.DG2.fid);
  const mrzs = cards.map((c) => c.mrz);
  const sod = files(LDS_FILES.SOD.fid);
  const signedContents = sod.map((s) => parseSod(s).eContent);
  const paCard = cards[1]!;
  const all = cards.flatMap((c) => [...c.files.values()]);
  const t = (name: string, arbitrary: fc.Arbitrary<Uint8Array | string>, run: (x: never) => unknown): FuzzTarget => ({ name, arbitrary, run });
  const byId = (id: string): CardFiles => cards.find((c) => c.persona.id === id)!;
  const qrSeeds = ['001092012345|123456789|Nguyễn Văn An|17031992|Nam|Số 1, Phường D, Quận E|15042021', '079301000123||Trần Thị Bích Ngọc|28022001|Nữ|Phường G, Quận H|10052021'];
  const mlSeed = buildMasterList([getTestPki('ecdsa-p256').csca.certificate, getTestPki('brainpool-explicit').csca.certificate]);
  return [
    t('tlv', bytesFor(all), (b: Uint8Array) => walk(decodeTlvList(b))),
    t('mrz', textFor(mrzs.flatMap((m) => [m, m.replace(/\n/g, '')]), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<<<<<\n'), (s: string) => parseMrz(s)),
    t('ef.com', bytesFor(files(LDS_FILES.COM.fid), 0x60), (b: Uint8Array) => parseCom(b)),
    t('dg1', bytesFor(files(LDS_FILES.DG1.fid), 0x61), (b: Uint8Array) => parseDg1(b)),
    t('dg2', bytesFor(dg2.map((d) => d.subarray(0, Math.min(d.length, 400))).concat(dg2), 0x75), (b: Uint8Array) => parseDg2(b)),
    t('dg11', bytesFor([buildDg11({ fullName: 'A<<B', placeOfBirth: 'Hà Nội', telephone: '123' })], 0x6b), (b: Uint8Array) => parseDg11(b)),
    t('dg12', bytesFor([buildDg12({ issuingAuthority: 'X', dateOfIssue: '20210415' })], 0x6c), (b: Uint8Array) => parseDg12(b)),
    t('dg13', bytesFor(files(LDS_FILES.DG13.fid), 0x6d), (b: Uint8Array) => parseDg13(b)),
    t('dg14', bytesFor(files(LDS_FILES.DG14.fid), 0x6e), (b: Uint8Array) => parseDg14(b)),
    t('dg15', bytesFor(files(LDS_FILES.DG15.fid), 0x6f), (b: Uint8Array) => parseDg15(b)),
    t('card-access', bytesFor(files(LDS_FILES.CardAccess.fid), 0x31), (b: Uint8Array) => parseCardAccess(b)),
    t('sod', bytesFor(sod, 0x77), (b: Uint8Array) => parseSod(b)),
    // The P-256 card: brainpoolP512r1 verification (~20 ms) would make 100,000 runs take too long.
    t('passive-auth', bytesFor([paCard.files.get(LDS_FILES.SOD.fid)!], 0x77), (b: Uint8Array) => {
      const r = verifyPassive({ sod: b, dataGroups: paCard.dataGroups, trust: paCard.trust });
      // Unsigned parts (e.g. the signer identifier) may change harmlessly; the signed content may not.
      if (r.verdict === 'PA_OK' && !signedContents.some((e) => Buffer.from(e).equals(Buffer.from(parseSod(b).eContent)))) {
        throw new Error('a SOD with altered signed content verified as PA_OK');
      }
      return r;
    }),
    t('master-list', bytesFor([mlSeed], 0x30), (b: Uint8Array) => parseMasterList(b)),
    t('qr-front', textFor(qrSeeds, '0123456789|NamNữguyễnVăAầhịBíc, '), (s: string) => parseCccdFrontQr(s)),
    t('qr-back', textFor(qrSeeds, '0123456789|NamNữguyễnVăAầhịBíc, '), (s: string) => [parseCanCuocBackQr(s), parseCardQr(s)]),
    // The merge of DG1 + DG13 (consistency findings) over mutated DG13 files next to a real DG1.
    t('cccd-document', bytesFor(files(LDS_FILES.DG13.fid), 0x6d), (b: Uint8Array) =>
      parseCccdDocument({ dg1: cards[0]!.dataGroups.get(1)!, dg13: b }, new Date(Date.UTC(2026, 0, 1)))),
    t('id-number', textFor(['001092012345', '079301000123'], '0123456789 a'), (s: string) => parseIdNumber(s)),
    ...chipProtocolTargets({ withCa: byId('nguyen-van-an'), rsaAa: byId('nguyen-van-an'), ecAa: byId('le-minh-chau-passport') }),
    ...serviceTargets(),
    ...imageTargets(dg2),
  ];
}

export interface FuzzOutcome {
  readonly runs: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly codes: Map<string, number>;
  readonly slowestMs: number;
}

/**
 * Most CPU time one input may cost; a parser slower than this on any input is a finding. CPU time,
 * not wall time: other processes on a loaded 2-core machine stretch the one, not the other.
 */
const INPUT_LIMIT_MS = 2000;

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
}

/**
 * Runs one target; throws (fast-check counterexample) on an untyped exception or a slow input.
 * Asynchronous targets also fail on an input whose promise does not settle in time (a hang).
 */
export async function fuzz(target: FuzzTarget, runs: number, seed?: number): Promise<FuzzOutcome> {
  let accepted = 0;
  let rejected = 0;
  let slowestMs = 0;
  const codes = new Map<string, number>();
  const outcome = (e: unknown, t0: NodeJS.CpuUsage) => {
    if (e === undefined) accepted++;
    else if (e instanceof KioskError) {
      rejected++;
      codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    } else throw e;
    const ms = cpuMs(t0);
    slowestMs = Math.max(slowestMs, ms);
    if (ms > INPUT_LIMIT_MS) throw new Error(`${target.name}: one input took ${ms.toFixed(0)} ms of CPU`);
  };
  const params = { numRuns: runs, ...(seed === undefined ? {} : { seed }) };
  if (target.async) {
    await fc.assert(
      fc.asyncProperty(target.arbitrary, async (input) => {
        const t0 = process.cpuUsage();
        let error: unknown;
        try {
          await target.run(input as never);
        } catch (e) {
          error = e ?? new Error('rejected without a reason');
        }
        outcome(error, t0);
      }),
      // Wall clock: a promise that never settles is a hang whatever the CPU did.
      { ...params, timeout: INPUT_LIMIT_MS * 5 },
    );
  } else {
    fc.assert(
      fc.property(target.arbitrary, (input) => {
        const t0 = process.cpuUsage();
        let error: unknown;
        try {
          target.run(input as never);
        } catch (e) {
          error = e ?? new Error('threw without a reason');
        }
        outcome(error, t0);
      }),
      params,
    );
  }
  return { runs, accepted, rejected, codes, slowestMs };
}
