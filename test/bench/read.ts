/**
 * Chip read benchmark: reads a persona's virtual card N times per Le strategy and prints medians of
 * APDU count, plain bytes read and CPU milliseconds per read (host side = total minus the time the
 * in-process chip spends answering). Then the APDU count for a 20 KB DG2 against the minimum
 * possible for that Le.
 *
 *   npm run bench:read            (N = 30)
 *   BENCH_N=100 npm run bench:read
 */
import { performance } from 'node:perf_hooks';
import { readChip, DEFAULT_SHORT_LE, type ReadOptions } from '../../app/core/icao/reader.ts';
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
  for (let i = 0; i < N; i++) {
    const chip = new VirtualChip({
      files, mrzInformation: mrzInfo, behaviour: s.behaviour,
      ...(atrSilent ? { atr: Uint8Array.of(0x3b, 0x80, 0x80, 0x01, 0x01) } : {}),
    });
    let inChip = 0;
    const process0 = chip.process.bind(chip);
    chip.process = (apdu) => {
      const t = performance.now();
      try { return process0(apdu); } finally { inChip += performance.now() - t; }
    };
    const reader = new VirtualCardReader({ extendedLength: s.readerExtended });
    reader.insert(chip);
    const transport = await reader.connect(reader.name);
    const cpu0 = process.cpuUsage();
    const r = await readChip(transport, { access: { kind: 'mrz', mrzInformation: mrzInfo }, ...s.options, ...extra });
    const cpu = process.cpuUsage(cpu0);
    apdus.push(r.apduCount);
    bytes.push(r.bytesRead);
    chipMs.push(inChip);
    hostCpu.push((cpu.user + cpu.system) / 1000 - inChip);
    lastPerFile = r.perFile.map((f) => ({ name: f.name, apdus: f.apdus, bytes: f.bytes }));
  }
  return { apdus: median(apdus), bytes: median(bytes), hostCpuMs: median(hostCpu), chipMs: median(chipMs), perFile: lastPerFile };
}

async function main(): Promise<void> {
  const card = await buildCardFiles(PERSONA);
  const mrzInfo = mrzInformation(card.bacKey);
  console.log(`chip read benchmark: persona ${PERSONA}, ${N} reads per strategy, files ${[...card.files.values()].reduce((n, b) => n + b.length, 0)} bytes`);
  console.log('strategy                                  APDUs    bytes  host CPU ms  chip sim ms');
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
  for (const s of [STRATEGIES[0]!, STRATEGIES[1]!, STRATEGIES[5]!]) {
    const m = await measure(files, mrzInfo, s, { dataGroups: [2] });
    const f = m.perFile.find((p) => p.name === 'DG2')!;
    console.log(`  ${s.name.padEnd(38)} DG2 APDUs ${String(f.apdus).padStart(4)}  (minimum for this mode ${s.options.le === 'auto' ? 1 : minimum}${s.options.selectBy === 'sfi' ? '' : ' + 1 SELECT'})`);
  }
}

await main();
