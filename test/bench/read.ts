/**
 * Chip read benchmark: reads a persona's virtual card N times per Le strategy and prints medians of
 * APDU count, plain bytes read and CPU milliseconds per read (host side = total minus the time the
 * in-process chip spends answering). Then the APDU count for a 20 KB DG2 against the minimum
 * possible for that Le.
 *
 *   npm run bench:read            (N = 30)
 *   BENCH_N=100 npm run bench:read
 */
import { openChip } from '../../app/core/icao/access.ts';
import { performActiveAuthentication } from '../../app/core/icao/active-auth.ts';
import { chipAuthPlan, performChipAuthentication } from '../../app/core/icao/chip-auth.ts';
import { LDS_FILES } from '../../app/core/icao/lds/files.ts';
import { encodeSecurityInfos, OID } from '../../app/core/icao/lds/security-infos.ts';
import { readChip, DEFAULT_SHORT_LE, type ReadOptions } from '../../app/core/icao/reader.ts';
import { FileReader } from '../../app/core/icao/reader-files.ts';
import type { CardTransport } from '../../app/core/icao/transport.ts';
import { personaChip } from '../../app/sim/virtual-card/persona-chip.ts';
import { mrzInformation } from '../../app/core/icao/mrz.ts';
import { encodeTlv } from '../../app/core/icao/tlv.ts';
import { VirtualCardReader } from '../../app/platform/cardreader/virtual.ts';
import { VirtualChip, type ChipBehaviour } from '../../app/sim/virtual-card/chip.ts';
import { buildCardFiles } from '../../app/sim/personas/build-card-files.ts';

const N = Number(process.env.BENCH_N ?? 30);
const PERSONA = process.env.BENCH_PERSONA ?? 'nguyen-van-an';

interface Strategy {
  readonly name: string;
  readonly behaviour: Partial<ChipBehaviour>;
  readonly readerExtended: boolean;
  readonly options: Partial<ReadOptions>;
}

const STRATEGIES: Strategy[] = [
  { name: 'auto (PACE-MRZ, CA, AA, extended)', behaviour: {}, readerExtended: true, options: { pace: 'auto', authenticateChip: true } },
  { name: 'short Le=0xDF', behaviour: { extendedLength: false }, readerExtended: false, options: { le: 'short' } },
  { name: 'short Le=0xDF, first chunk by SFI', behaviour: { extendedLength: false }, readerExtended: false, options: { le: 'short', selectBy: 'sfi' } },
  { name: 'fallback 0xDF→0xA0 (card 6700)', behaviour: { extendedLength: false, maxShortRead: 0xa0, overLeSw: 0x6700 }, readerExtended: false, options: { le: 'short' } },
  { name: 'fallback 0xDF→0xA0 (card 6282)', behaviour: { extendedLength: false, maxShortRead: 0xa0, overLeSw: 0x6282 }, readerExtended: false, options: { le: 'short' } },
  { name: 'short Le=0x80', behaviour: { extendedLength: false }, readerExtended: false, options: { le: 'short', shortLe: 0x80 } },
  { name: 'extended length', behaviour: { extendedLength: true }, readerExtended: true, options: { le: 'auto' } },
  { name: 'extended probe refused → short', behaviour: { extendedLength: false }, readerExtended: true, options: { le: 'auto' } },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function measure(files: ReadonlyMap<number, Uint8Array>, mrzInfo: string, s: Strategy, extra: Partial<ReadOptions> = {}, atrSilent = false) {
  const apdus: number[] = [];
  const bytes: number[] = [];
  const hostCpu: number[] = [];
  const chipMs: number[] = [];
  let lastPerFile: { name: string; apdus: number; bytes: number }[] = [];
  for (let i = -3; i < N; i++) { // three warm-up reads (JIT), not counted
    const chip = new VirtualChip({
      files, mrzInformation: mrzInfo, behaviour: s.behaviour,
      ...(atrSilent ? { atr: Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01) } : {}),
    });
    const timed = timedChip(chip);
    const reader = new VirtualCardReader({ extendedLength: s.readerExtended });
    reader.insert(chip);
    const transport = await reader.connect(reader.name);
    const cpu0 = process.cpuUsage();
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: mrzInfo }, pace: 'never', authenticateChip: false, ...s.options, ...extra });
    const cpu = process.cpuUsage(cpu0);
    if (i < 0) continue;
    apdus.push(r.apduCount);
    bytes.push(r.bytesRead);
    chipMs.push(timed.chipMs());
    hostCpu.push((cpu.user + cpu.system) / 1000 - timed.chipMs());
    lastPerFile = r.perFile.map((f) => ({ name: f.name, apdus: f.apdus, bytes: f.bytes }));
  }
  return { apdus: median(apdus), bytes: median(bytes), hostCpuMs: median(hostCpu), chipMs: median(chipMs), perFile: lastPerFile };
}

/**
 * A virtual chip whose own CPU time is measured (process CPU, not wall time: the machine is shared
 * and wall time includes waiting), so the host side can be isolated by subtraction.
 */
function timedChip(chip: VirtualChip): { chip: VirtualChip; chipMs: () => number } {
  let inChip = 0;
  const process0 = chip.process.bind(chip);
  chip.process = (apdu) => {
    const t = process.cpuUsage();
    try { return process0(apdu); } finally { const d = process.cpuUsage(t); inChip += (d.user + d.system) / 1000; }
  };
  return { chip, chipMs: () => inChip };
}

async function connect(chip: VirtualChip): Promise<CardTransport> {
  const reader = new VirtualCardReader();
  reader.insert(chip);
  return reader.connect(reader.name);
}

/** Median host CPU ms of `step` (process CPU minus the chip's answering time). */
async function hostCpu(reps: number, prepare: () => Promise<{ step: () => Promise<unknown>; chipMs: () => number }>): Promise<number> {
  const xs: number[] = [];
  for (let i = 0; i < reps; i++) {
    const { step, chipMs } = await prepare();
    const before = chipMs();
    const cpu0 = process.cpuUsage();
    await step();
    const cpu = process.cpuUsage(cpu0);
    xs.push((cpu.user + cpu.system) / 1000 - (chipMs() - before));
  }
  return median(xs);
}

const PACE_SETS: [string, string, number][] = [
  ['ECDH brainpoolP256r1 (CCCD)', OID.PACE_ECDH_GM_AES_CBC_CMAC_128, 13],
  ['ECDH NIST P-256', OID.PACE_ECDH_GM_AES_CBC_CMAC_128, 12],
  ['ECDH brainpoolP384r1', `${OID.PACE_ECDH_GM}.3`, 16],
  ['ECDH NIST P-384', `${OID.PACE_ECDH_GM}.3`, 15],
  ['ECDH brainpoolP512r1', `${OID.PACE_ECDH_GM}.4`, 17],
  ['ECDH NIST P-521', `${OID.PACE_ECDH_GM}.4`, 18],
  ['DH 1024/160 (RFC 5114)', `${OID.PACE_DH_GM}.2`, 0],
  ['DH 2048/256 (RFC 5114)', `${OID.PACE_DH_GM}.2`, 2],
];

async function protocolBenchmarks(mrzInfo: string): Promise<void> {
  const reps = Math.max(5, Math.round(N / 3));
  console.log(`\nhost CPU ms per protocol run (median of ${reps}; chip side excluded)`);
  for (const [name, protocol, parameterId] of PACE_SETS) {
    const files = new Map([[LDS_FILES.CardAccess.fid, encodeSecurityInfos([{ kind: 'PACEInfo', protocol, version: 2, parameterId }])]]);
    const ms = await hostCpu(reps, async () => {
      const { chip, chipMs } = timedChip(new VirtualChip({ files, mrzInformation: mrzInfo, can: '123456' }));
      const transport = await connect(chip);
      return { chipMs, step: () => openChip(transport, { kind: 'can', can: '123456' }) };
    });
    console.log(`  PACE-CAN ${name.padEnd(30)} ${ms.toFixed(2).padStart(8)}  (incl. EF.CardAccess read and SELECT)`);
  }
  const withSession = async (persona: string) => {
    const { chip: raw, card } = await personaChip(persona);
    const { chip, chipMs } = timedChip(raw);
    const transport = await connect(chip);
    const session = await openChip(transport, { kind: 'mrz', mrzInformation: mrzInformation(card.bacKey) }, { pace: 'never' });
    const read = (f: typeof LDS_FILES.DG14 | typeof LDS_FILES.DG15) => new FileReader(session.channel, false, 0, DEFAULT_SHORT_LE).read(f, 'fid', () => undefined);
    return { session, chipMs, read };
  };
  const ca = await hostCpu(reps, async () => {
    const { session, chipMs, read } = await withSession('nguyen-van-an');
    const plan = chipAuthPlan(await read(LDS_FILES.DG14))!;
    return { chipMs, step: () => performChipAuthentication(session.channel, plan) };
  });
  console.log(`  CA ECDH brainpoolP256r1 AES-128          ${ca.toFixed(2).padStart(8)}  (incl. confirming SELECT under the new keys)`);
  for (const [persona, label] of [['nguyen-van-an', 'AA RSA-1024 ISO 9796-2'], ['le-minh-chau-passport', 'AA ECDSA P-256']] as const) {
    const aa = await hostCpu(reps, async () => {
      const { session, chipMs, read } = await withSession(persona);
      const dg15 = await read(LDS_FILES.DG15);
      return { chipMs, step: () => performActiveAuthentication(session.channel, dg15) };
    });
    console.log(`  ${label.padEnd(39)} ${aa.toFixed(2).padStart(8)}`);
  }
}

async function main(): Promise<void> {
  const card = await buildCardFiles(PERSONA);
  const mrzInfo = mrzInformation(card.bacKey);
  console.log(`chip read benchmark: persona ${PERSONA}, ${N} reads per strategy, files ${[...card.files.values()].reduce((n, b) => n + b.length, 0)} bytes`);
  console.log('strategy                                  APDUs    bytes  host CPU ms  chip sim CPU ms');
  for (const s of STRATEGIES) {
    const m = await measure(card.files, mrzInfo, s, {}, s.name.startsWith('extended probe'));
    console.log(`${s.name.padEnd(40)} ${String(m.apdus).padStart(6)} ${String(m.bytes).padStart(8)} ${m.hostCpuMs.toFixed(2).padStart(12)} ${m.chipMs.toFixed(2).padStart(12)}`);
  }

  // A 20 KB DG2 (20,480 bytes of file): APDUs spent on it versus the fewest possible at Le = 0xDF.
  const dg2 = encodeTlv(0x75, new Uint8Array(20 * 1024 - 4).fill(0x5a));
  const files = new Map(card.files);
  files.set(0x0102, dg2);
  const minimum = Math.ceil(dg2.length / DEFAULT_SHORT_LE);
  console.log(`\n20 KB DG2 (${dg2.length} bytes), minimum READ BINARY count at Le=0xDF: ${minimum} (ceil(${dg2.length}/223))`);
  for (const s of [STRATEGIES[1]!, STRATEGIES[2]!, STRATEGIES[6]!]) {
    const m = await measure(files, mrzInfo, s, { dataGroups: [2] });
    const f = m.perFile.find((p) => p.name === 'DG2')!;
    console.log(`  ${s.name.padEnd(38)} DG2 APDUs ${String(f.apdus).padStart(4)}  (minimum for this mode ${s.options.le === 'auto' ? 1 : minimum}${s.options.selectBy === 'sfi' ? '' : ' + 1 SELECT'})`);
  }
  await protocolBenchmarks(mrzInfo);
}

await main();
