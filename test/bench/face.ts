/**
 * Face benchmark: `npm run bench:face`. Prints medians (ms) per model set: model load, per-stage latency,
 * end-to-end 1:1 verification (decode chip + detect/landmarks/align/embed both + cosine), RSS; then
 * 1:N search over 10k and 100k synthetic templates. Targets: 1:1 < 150 ms, 1:N over 100k < 50 ms.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { faceConfig, type ModelSetName } from '../../app/core/face/config.ts';
import { FaceIndex } from '../../app/platform/face-index/face-index.ts';
import { FaceService, type Timings } from '../../app/platform/models/face-service.ts';
import { missingModels, readManifest } from '../../app/platform/models/provision.ts';
import { openDatabase } from '../../app/platform/store/db.ts';

const faces = join(import.meta.dirname, '..', 'fixtures', 'faces', 'persons');
const chip = readFileSync(join(faces, 'grace-hopper', 'chip.jpg'));
const live = readFileSync(join(faces, 'grace-hopper', 'live-1.jpg'));
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const ms = (v: number) => v.toFixed(1).padStart(7);

async function oneToOne(modelSet: ModelSetName, threads: number, passive: boolean): Promise<void> {
  const svc = await FaceService.create(faceConfig.parse({ modelSet, intraOpNumThreads: threads, liveness: { passive } }));
  for (let i = 0; i < 3; i++) await svc.verify(chip, [live]); // warm-up: first runs allocate and JIT
  const runs: Timings[] = [];
  const e2e: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await svc.verify(chip, [live]);
    e2e.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    runs.push(r.timings);
    if (r.decision !== 'MATCH') throw new Error(`benchmark pair did not match (${r.decision})`);
  }
  const stage = (k: keyof Timings) => median(runs.map((t) => t[k]));
  console.log(
    `${modelSet.padEnd(10)} threads ${threads} ${passive ? 'passive-liveness' : 'no-liveness     '} | load ${ms(svc.engine.loadMs)} | decode ${ms(stage('decode'))} detect ${ms(stage('detect'))} landmarks ${ms(stage('landmarks'))} align ${ms(stage('align'))} embed ${ms(stage('embed'))} liveness ${ms(stage('liveness'))} | 1:1 e2e median ${ms(median(e2e))} wall, ${ms(median(cpu))} CPU (n=${RUNS}) | RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
}

async function oneToMany(dim: number, n: number): Promise<void> {
  const idx = new FaceIndex(openDatabase(':memory:'), Buffer.alloc(32, 7), 'clean', dim);
  const m = new Float32Array(n * dim);
  let s = 12345;
  for (let i = 0; i < m.length; i++) m[i] = ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) - 0.5;
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += m[r * dim + j]! ** 2;
    norm = Math.sqrt(norm);
    for (let j = 0; j < dim; j++) m[r * dim + j]! /= norm;
  }
  idx.loadMatrix(Array.from({ length: n }, (_, i) => `s${i}`), m);
  const q = m.slice(777 * dim, 778 * dim);
  for (let i = 0; i < 5; i++) await idx.search(q, 5);
  const t: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const hits = await idx.search(q, 5);
    t.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (hits[0]!.subjectId !== 's777') throw new Error('1:N search lost the probe');
  }
  console.log(`1:N top-5 cosine, ${String(n).padStart(6)} templates × ${dim}-d: median ${ms(median(t))} ms wall, ${ms(median(cpu))} ms CPU (n=30), matrix ${(m.byteLength / 2 ** 20).toFixed(1)} MiB`);
}

const missing = missingModels(readManifest());
if (missing.length) {
  console.log(`face models missing (${missing.join(', ')}): run \`node models/provision.mjs\`; skipping 1:1 benchmarks`);
} else {
  // Wall time includes waiting for the CPU when other processes compete for the 2 cores; CPU time is
  // this process's own (onnxruntime runs 1 thread by default, so it approximates an idle machine's wall time).
  console.log(`load average ${(await import('node:os')).loadavg().map((v) => v.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
  console.log(`1:1 verification, chip JPEG vs one 640×480 live frame; medians in ms after 3 warm-up runs`);
  await oneToOne('clean', 1, false);
  await oneToOne('clean', 1, true);
  await oneToOne('clean', 2, false);
  await oneToOne('faceplugin', 1, false);
  await oneToOne('faceplugin', 1, true);
}
for (const dim of [128, 512]) for (const n of [10_000, 100_000]) await oneToMany(dim, n);
